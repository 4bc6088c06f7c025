//go:build bench

package app

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"codeberg.org/newswatch/newswatch/monitor"
)

// The measuring hooks of a benchmark build (go build -tags bench), driven
// by cmd/bench over the app's standard input, one command a line; each
// answers on standard error with a line that starts "newswatch-bench:".
//
//	stall-start        start a heartbeat: a function posted with fyne.Do
//	                   every 10 ms, its delay until it ran recorded
//	stall-stop         stop it; answers "stall longest=N p99=N beats=N" (µs)
//	check              run a check cycle as Ctrl+R does; answers "checked"
//	scroll             scroll the timeline from top to bottom in 10 s, 60
//	                   steps a second, as dragging its scroll bar does;
//	                   answers "scrolled"
//	type TEXT          type TEXT into the search box, 8 keys a second, then
//	                   wait for the timeline to show the result; answers "typed"
//	hide               hide the window (as closing it to the tray does); answers "hidden"
//
// It also prints when the first timeline is shown, and after every check
// cycle "cycle" (so the bench can read the process's memory between them).

var started = time.Now()

func traceFirstTimeline(stories int) {
	fmt.Fprintf(os.Stderr, "newswatch: first timeline after %d ms (%d stories)\n", time.Since(started).Milliseconds(), stories)
}

func startBenchHooks(u *UI) {
	u.eng.Subscribe(func(ev monitor.Event) {
		if ev.Cycle != nil {
			say("cycle matches=%d", len(ev.Cycle.Matches))
		}
	})
	h := &heartbeat{}
	go func() {
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			cmd, arg, _ := strings.Cut(strings.TrimSpace(sc.Text()), " ")
			switch cmd {
			case "stall-start":
				h.start()
				say("stall-started")
			case "stall-stop":
				longest, p99, n := h.stop()
				say("stall longest=%d p99=%d beats=%d", longest.Microseconds(), p99.Microseconds(), n)
			case "check":
				benchCheck(u)
				say("checked")
			case "scroll":
				benchScroll(u)
				say("scrolled")
			case "type":
				benchType(u, arg)
				say("typed")
			case "hide":
				fyne.DoAndWait(u.win.Hide)
				say("hidden")
			default:
				say("unknown command %q", cmd)
			}
		}
	}()
}

func say(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "newswatch-bench: "+format+"\n", args...)
}

// benchCheck runs a check as the user's Ctrl+R does and waits for it and
// for the timeline to have taken its matches in.
func benchCheck(u *UI) {
	fyne.DoAndWait(u.acts.checkNow)
	for {
		time.Sleep(20 * time.Millisecond)
		var busy bool
		fyne.DoAndWait(func() { busy = u.acts.checking() })
		if !busy {
			break
		}
	}
	time.Sleep(500 * time.Millisecond) // the rows added after the cycle
}

// benchScroll moves the timeline's view from the top to the bottom in
// 600 steps over 10 s, as dragging its scroll bar does: every step shows
// rows whose stories are not loaded yet.
func benchScroll(u *UI) {
	var rows int
	fyne.DoAndWait(func() { rows = len(u.model.rows) })
	const steps = 600
	for s := 0; s <= steps; s++ {
		i := min(rows-1, s*rows/steps)
		fyne.DoAndWait(func() { u.timeline.list.ScrollTo(i) })
		time.Sleep(time.Second / 60)
	}
}

// benchType types text into the search box key by key, then waits until
// the timeline shows what it finds.
func benchType(u *UI, text string) {
	fyne.DoAndWait(func() { u.win.Canvas().Focus(u.timeline.search) })
	for _, r := range text {
		fyne.DoAndWait(func() { u.timeline.search.TypedRune(r) })
		time.Sleep(125 * time.Millisecond)
	}
	for {
		var done bool
		fyne.DoAndWait(func() { done = u.model.filter.Search == text && u.model.loaded })
		if done {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
}

// heartbeat posts a function to the UI goroutine every 10 ms and records
// how long each waited to run.
type heartbeat struct {
	mu     sync.Mutex
	delays []time.Duration
	stopc  chan struct{}
	done   chan struct{}
}

func (h *heartbeat) start() {
	h.mu.Lock()
	h.delays = h.delays[:0]
	h.mu.Unlock()
	h.stopc, h.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(h.done)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-h.stopc:
				return
			case <-tick.C:
			}
			posted := time.Now()
			ran := make(chan struct{})
			fyne.Do(func() {
				d := time.Since(posted)
				h.mu.Lock()
				h.delays = append(h.delays, d)
				h.mu.Unlock()
				close(ran)
			})
			select { // one beat at a time: a stalled loop is one long delay
			case <-ran:
			case <-h.stopc:
				return
			}
		}
	}()
}

func (h *heartbeat) stop() (longest, p99 time.Duration, n int) {
	close(h.stopc)
	<-h.done
	h.mu.Lock()
	defer h.mu.Unlock()
	d := slices.Clone(h.delays)
	slices.Sort(d)
	if len(d) == 0 {
		return 0, 0, 0
	}
	return d[len(d)-1], d[(len(d)*99)/100], len(d)
}
