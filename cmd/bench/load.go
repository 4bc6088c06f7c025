//go:build linux

package main

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The machine may be shared: other processes' CPU use during a
// measurement makes its wall time longer. Before each measurement the
// benchmark waits (up to -quiet-wait) until the machine is quiet, and it
// records how much CPU other processes used while it measured.

// machineBusy is the CPU time all processes have used since boot
// (/proc/stat: everything but idle and iowait).
func machineBusy() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	var busy int64
	for i, v := range f[1:] {
		n, _ := strconv.ParseInt(v, 10, 64)
		if i == 3 || i == 4 || i >= 8 { // idle, iowait; guest times are in user already
			continue
		}
		busy += n
	}
	return time.Duration(busy) * time.Second / clockTicks
}

// loadWatch measures other processes' CPU use over a window.
type loadWatch struct {
	busy  time.Duration
	start time.Time
}

func watchLoad() loadWatch { return loadWatch{machineBusy(), time.Now()} }

// other is the CPU (in cores) that processes other than ours used since
// the watch started; ours is what the measured processes used.
func (w loadWatch) other(what string, ours time.Duration) float64 {
	el := time.Since(w.start)
	if el <= 0 {
		return 0
	}
	cores := max(0, (machineBusy()-w.busy-ours).Seconds()/el.Seconds())
	loads.add(what, cores)
	return cores
}

type loadLog struct {
	mu    sync.Mutex
	max   float64
	maxAt string
	sum   float64
	n     int
	waits []string
}

var loads loadLog

func (l *loadLog) add(what string, cores float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if cores > l.max {
		l.max, l.maxAt = cores, what
	}
	l.sum += cores
	l.n++
}

// quietWait is how long waitQuiet waits at most.
var quietWait = 2 * time.Minute

// waitQuiet waits until other processes use less than 0.15 cores over
// half a second, at most quietWait; it says so when it had to wait.
func waitQuiet(what string) {
	start := time.Now()
	said := false
	for {
		w := watchLoad()
		time.Sleep(500 * time.Millisecond)
		cores := max(0, (machineBusy()-w.busy).Seconds()/time.Since(w.start).Seconds())
		if cores < 0.15 {
			if said {
				progress("  the machine is quiet again after %s", secs(time.Since(start).Round(time.Second)))
			}
			return
		}
		if time.Since(start) > quietWait {
			progress("  other processes still use %.2f cores; measuring anyway", cores)
			loads.mu.Lock()
			loads.waits = append(loads.waits, what)
			loads.mu.Unlock()
			return
		}
		if !said {
			progress("  waiting for the machine to be quiet before %s: other processes use %.2f cores", what, cores)
			said = true
		}
	}
}
