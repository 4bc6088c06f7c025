package app

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// statusBar is the line at the bottom of the window: when the feeds were
// last checked and are checked next, how many have problems, whether
// alerts are paused; at its right the running check's progress or a short
// notice ("Link copied."). It reads the feeds off the UI goroutine after
// each cycle, after a feed or setting changed, and on a quiet tick that
// keeps "next check in …" current.
type statusBar struct {
	eng      feedHealth
	acts     *actions
	content  fyne.CanvasObject
	status   *widget.Label
	progress *widget.Label
	notice   string
	hooks    *hooks
	last     time.Time // the last cycle's end
	gen      int
}

func newStatusBar(eng feedHealth, acts *actions, h *hooks) *statusBar {
	b := &statusBar{eng: eng, acts: acts, status: widget.NewLabel(""), progress: widget.NewLabel(""), hooks: h}
	b.status.Truncation = fyne.TextTruncateEllipsis
	b.content = container.NewBorder(widget.NewSeparator(), nil, nil, b.progress, b.status)
	h.add(acts.pauseChanged.listen(b.refresh))
	h.add(acts.checkingChanged.listen(b.syncProgress))
	acts.notice = b.setNotice
	b.syncProgress()
	return b
}

// attach follows the engine's events, and ticks, until its hooks are
// released.
func (b *statusBar) attach() {
	b.hooks.add(b.eng.Subscribe(func(ev monitor.Event) {
		switch {
		case ev.Cycle != nil:
			end := ev.Cycle.Finished
			b.acts.run.ui(func() {
				b.last = end
				b.refresh()
			})
		case ev.Changed&(monitor.FeedsChanged|monitor.SettingsChanged) != 0:
			b.acts.run.ui(b.refresh)
		}
	}))
	stop := make(chan struct{})
	b.hooks.add(func() { close(stop) })
	go func() {
		t := time.NewTicker(30 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				fyne.Do(b.refresh)
			}
		}
	}()
	b.refresh()
}

// setNotice shows a short message at the right ("" clears it).
func (b *statusBar) setNotice(text string) {
	b.notice = text
	b.syncProgress()
}

func (b *statusBar) syncProgress() {
	if p := b.acts.checkProgress(); p != "" {
		b.progress.SetText(p)
		return
	}
	b.progress.SetText(b.notice)
}

// refresh reads the feeds in the background and writes the line.
func (b *statusBar) refresh() {
	b.gen++
	gen, last := b.gen, b.last
	var h health
	var err error
	b.acts.run.bg(func() {
		h, err = b.health(last)
	}, func() {
		if gen != b.gen {
			return
		}
		if err != nil {
			b.status.SetText(tf("Cannot read the feeds: {{.Reason}}", "Reason", trErr(err)))
			return
		}
		b.status.SetText(b.line(h, b.acts.now()))
	})
}

// health is what the status line says of the feeds.
type health struct {
	feeds, broken int
	last, next    time.Time
}

// health reads the feeds: the last check, the next, how many fail.
func (b *statusBar) health(last time.Time) (health, error) {
	feeds, err := b.eng.Feeds(b.acts.ctx)
	if err != nil {
		return health{}, err
	}
	h := health{feeds: len(feeds), last: last}
	for _, f := range feeds {
		if f.LastFetch.After(h.last) {
			h.last = f.LastFetch
		}
		if !f.Healthy() {
			h.broken++
		}
		if n := b.eng.NextRun(b.acts.ctx, f); !n.IsZero() && (h.next.IsZero() || n.Before(h.next)) {
			h.next = n
		}
	}
	return h, nil
}

// line writes the status line.
func (b *statusBar) line(h health, now time.Time) string {
	var parts []string
	switch {
	case h.feeds == 0:
		parts = append(parts, lang.L("No feeds yet — add some on the Feeds tab."))
	case h.last.IsZero():
		parts = append(parts, lang.L("Not checked yet."))
	default:
		parts = append(parts, tf("Last check {{.When}}", "When", trMsg(msg.When(h.last, now))))
	}
	if !h.next.IsZero() {
		parts = append(parts, tf("next {{.When}}", "When", trMsg(msg.When(h.next, now))))
	}
	if h.broken > 0 {
		parts = append(parts, nf("{{.N}} feeds have problems", h.broken))
	}
	if b.acts.paused() {
		parts = append(parts, lang.L("alerts paused"))
	}
	return strings.Join(parts, " · ")
}
