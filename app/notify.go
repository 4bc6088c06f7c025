package app

import (
	"log/slog"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"codeberg.org/newswatch/newswatch/internal/notifier"
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
	"codeberg.org/newswatch/newswatch/monitor/inert"
)

// The engine decides every alert and records it (monitor/alert); the app
// only delivers those it decided to show. Where the desktop has a
// notification daemon with actions (Linux, the BSDs), a click on a
// notification brings the window up with what it named (a story alert
// opens the story, a topic's alert shows its new stories, a coverage
// alert the feed), and a "Mark read" button marks its stories read; on
// other desktops the notification is a plain one.

// actionRead is the notification action that marks the alert's stories
// read.
const actionRead = "read"

// deliverer shows alerts on the desktop.
type deliverer struct {
	sender notifier.Sender          // nil: plain notifications
	plain  func(title, body string) // without a daemon with actions
	act    func(a monitor.Alert, action string)
	log    *slog.Logger

	mu    sync.Mutex
	sent  map[uint32]monitor.Alert // what the notifications on screen named
	order []uint32
}

// keepSent is how many notifications' alerts are remembered for a click.
const keepSent = 100

// newDeliverer delivers through a notification daemon with actions when
// newSender finds one, else through plain. act is called on the UI
// goroutine when the user clicks a notification or one of its buttons.
func newDeliverer(newSender func(notifier.Handler) (notifier.Sender, error), plain func(title, body string),
	act func(monitor.Alert, string), log *slog.Logger) *deliverer {
	d := &deliverer{plain: plain, act: act, log: log, sent: map[uint32]monitor.Alert{}}
	if newSender != nil {
		s, err := newSender(d.onAction)
		if err == nil {
			d.sender = s
		} else {
			log.Info("desktop notifications without actions", slog.Any("reason", err))
		}
	}
	return d
}

// watch delivers the alerts the engine shows until cancel is called. It
// runs on the engine's goroutine, never the window's.
func (d *deliverer) watch(src events) (cancel func()) {
	return src.Subscribe(func(ev monitor.Event) {
		for _, a := range ev.Alerts {
			if a.Status == alert.Shown {
				d.deliver(a)
			}
		}
	})
}

func (d *deliverer) deliver(a monitor.Alert) {
	title, body := alertNote(a)
	if d.sender != nil { // the daemon said whether it reads markup
		title, body = inert.NotificationFor(d.sender.Caps().Markup, trMsg(a.Title), trMsg(a.Body))
	}
	d.log.Debug("alert", slog.Int64("id", a.ID), slog.String("kind", string(a.Kind)))
	if d.sender == nil {
		d.plain(title, body)
		return
	}
	n := notifier.Note{Summary: title, Body: body, Urgency: notifier.Urgency(a.Urgency), Sound: a.Sound,
		Actions: []notifier.Action{{Key: notifier.DefaultAction, Label: lang.L("Show")}}}
	if len(a.Stories) > 0 {
		n.Actions = append(n.Actions, notifier.Action{Key: actionRead, Label: lang.L("Mark read")})
	}
	id, err := d.sender.Send(n)
	if err != nil {
		d.log.Warn("notification", slog.Any("err", err))
		d.plain(title, body)
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.sent[id] = a
	d.order = append(d.order, id)
	if len(d.order) > keepSent {
		delete(d.sent, d.order[0])
		d.order = d.order[1:]
	}
}

// onAction runs on the D-Bus goroutine: a notification of ours (or
// another program's, which is not found) was clicked.
func (d *deliverer) onAction(id uint32, action string) {
	d.mu.Lock()
	a, ok := d.sent[id]
	d.mu.Unlock()
	if ok {
		fyne.Do(func() { d.act(a, action) })
	}
}

func (d *deliverer) close() {
	if d.sender != nil {
		d.sender.Close()
	}
}

// alertNote is an alert's title and body in the app's language, inert
// for the notification daemon (no control characters; the body, which
// freedesktop daemons read as markup, escaped).
func alertNote(a monitor.Alert) (title, body string) {
	return inert.Notification(trMsg(a.Title), trMsg(a.Body))
}
