//go:build bench

package app

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
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
//	stall-stop         stop it; answers "stall longest=N p99=N beats=N at=N"
//	                   (delays in µs; at: when the longest beat was posted,
//	                   in ms since stall-start)
//	check              run a check cycle as Ctrl+R does; answers "checked"
//	scroll             scroll the timeline from top to bottom in 10 s, 60
//	                   steps a second, as dragging its scroll bar does;
//	                   answers "scrolled"
//	type TEXT          type TEXT into the search box, 8 keys a second, then
//	                   wait for the timeline to show the result; answers "typed"
//	hide               hide the window (as closing it to the tray does); answers "hidden"
//	trace-start FILE   write an execution trace (go tool trace) to FILE and
//	                   a CPU profile to FILE.cpu; answers "tracing"
//	trace-stop         end it; answers "traced"
//	memstats           answers "memstats" and the Go runtime's memory
//	                   figures (MB); with an argument FILE, also writes a
//	                   heap profile there
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
				longest, p99, n, at := h.stop()
				say("stall longest=%d p99=%d beats=%d at=%d", longest.Microseconds(), p99.Microseconds(), n, at.Milliseconds())
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
			case "trace-start":
				if err := startTrace(arg); err != nil {
					say("trace failed: %v", err)
					continue
				}
				say("tracing")
			case "trace-stop":
				stopTrace()
				say("traced")
			case "memstats":
				say("memstats %s", memStats(arg))
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
// for the timeline to have taken its matches in (at most 30 s: a cycle
// that found nothing changes no rows).
func benchCheck(u *UI) {
	rows := nextRows(u, func() bool { return true })
	fyne.DoAndWait(u.acts.checkNow)
	for {
		time.Sleep(20 * time.Millisecond)
		var busy bool
		fyne.DoAndWait(func() { busy = u.acts.checking() })
		if !busy {
			break
		}
	}
	select {
	case <-rows:
	case <-time.After(30 * time.Second):
	}
	time.Sleep(500 * time.Millisecond) // the rows drawn
}

// nextRows returns a channel closed the first time the timeline model's
// rows change (are set or have rows added) with ok true.
func nextRows(u *UI, ok func() bool) <-chan struct{} {
	ch := make(chan struct{})
	fyne.DoAndWait(func() {
		var stop func()
		stop = u.model.rowsChanged.listen(func() {
			if ok() {
				stop()
				close(ch)
			}
		})
	})
	return ch
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
	found := nextRows(u, func() bool { return u.model.filter.Search == text })
	fyne.DoAndWait(func() { u.win.Canvas().Focus(u.timeline.search) })
	for _, r := range text {
		fyne.DoAndWait(func() { u.timeline.search.TypedRune(r) })
		time.Sleep(125 * time.Millisecond)
	}
	select {
	case <-found:
	case <-time.After(time.Minute):
	}
	time.Sleep(500 * time.Millisecond) // the rows drawn
}

// heartbeat posts a function to the UI goroutine every 10 ms and records
// how long each waited to run.
type heartbeat struct {
	mu      sync.Mutex
	delays  []time.Duration
	started time.Time
	longest time.Duration
	at      time.Duration // when the longest was posted, since started
	stopc   chan struct{}
	done    chan struct{}
}

func (h *heartbeat) start() {
	h.mu.Lock()
	h.delays, h.started, h.longest, h.at = h.delays[:0], time.Now(), 0, 0
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
				if d > h.longest {
					h.longest, h.at = d, posted.Sub(h.started)
				}
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

func (h *heartbeat) stop() (longest, p99 time.Duration, n int, at time.Duration) {
	close(h.stopc)
	<-h.done
	h.mu.Lock()
	defer h.mu.Unlock()
	d := slices.Clone(h.delays)
	slices.Sort(d)
	if len(d) == 0 {
		return 0, 0, 0, 0
	}
	return d[len(d)-1], d[(len(d)*99)/100], len(d), h.at
}

var traceFile, profFile *os.File

func startTrace(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	p, err := os.Create(path + ".cpu")
	if err != nil {
		f.Close()
		return err
	}
	if err := pprof.StartCPUProfile(p); err != nil {
		f.Close()
		p.Close()
		return err
	}
	if err := trace.Start(f); err != nil {
		pprof.StopCPUProfile()
		f.Close()
		p.Close()
		return err
	}
	traceFile, profFile = f, p
	return nil
}

func stopTrace() {
	if traceFile != nil {
		trace.Stop()
		pprof.StopCPUProfile()
		traceFile.Close()
		profFile.Close()
		traceFile, profFile = nil, nil
	}
}

// memStats reports the Go runtime's memory (and writes a heap profile to
// path when given).
func memStats(path string) string {
	if path != "" {
		if f, err := os.Create(path); err == nil {
			pprof.Lookup("heap").WriteTo(f, 0)
			f.Close()
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	mb := func(n uint64) string { return fmt.Sprintf("%.1f", float64(n)/(1<<20)) }
	return fmt.Sprintf("heap_alloc=%s heap_inuse=%s heap_idle=%s heap_released=%s next_gc=%s stacks=%s other_sys=%s sys=%s gcs=%d",
		mb(ms.HeapAlloc), mb(ms.HeapInuse), mb(ms.HeapIdle), mb(ms.HeapReleased), mb(ms.NextGC), mb(ms.StackSys),
		mb(ms.OtherSys+ms.MSpanSys+ms.MCacheSys+ms.BuckHashSys+ms.GCSys), mb(ms.Sys), ms.NumGC)
}
