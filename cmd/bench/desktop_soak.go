//go:build linux

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/store"
)

// The soak: the app on a schedule of one check a minute for an hour
// (-soak-cycles), against loopback feeds of which some gain stories
// before every cycle, with nothing trimming its memory. Its resident
// memory is read between cycles, when it is idle.

// Targets of the issue: idle memory after the soak no more than before
// the change (BENCHMARKS.md of 2026-11-25: 181 MB, with the memory
// trimming since removed), and flat across the cycles.
const (
	soakRSSTarget   = 181 << 20
	soakSlopeTarget = 0.1 // MB per cycle: 6 MB over 60 cycles
)

const (
	soakFeeds    = 20
	soakSchedule = "@every 1m"
	soakEvery    = time.Minute
	soakSample   = 30 * time.Second // after a cycle: half way to the next
	soakGrowing  = 5                // feeds that gain stories before each cycle
	soakPerFeed  = 4                // stories each of them gains, one in four unmatched
	soakStartup  = 3 * time.Minute  // the start-up check may take this long
	soakCycleMax = 3 * time.Minute  // a cycle comes at least this often
)

type soakResult struct {
	Cycles     int
	Feeds      int
	NewStories int     // the feeds gained over the soak
	Matches    int     // matches the cycles announced
	Before     int64   // RSS after the start-up check, before the first soak cycle
	RSS        []int64 // RSS soakSample after each cycle
	Heap       []int   // the Go heap live after the GC before each sample, MB (gctrace)
	Go         []goMem // the Go runtime's memory at each sample
	HWM        int64
	Took       time.Duration
}

// goMem is what the bench build's memstats says of the Go runtime, MB.
type goMem struct {
	InUse, Idle, Released, NextGC, Sys float64
}

// readGoMem asks the app for its Go runtime's memory (and a heap profile
// written to heapFile, when given).
func readGoMem(app *appRun, heapFile string) (goMem, error) {
	ans, err := app.command(strings.TrimSpace("memstats "+heapFile), "memstats", time.Minute)
	if err != nil {
		return goMem{}, err
	}
	var m goMem
	for _, f := range strings.Fields(ans)[1:] {
		k, v, _ := strings.Cut(f, "=")
		n, _ := strconv.ParseFloat(v, 64)
		switch k {
		case "heap_inuse":
			m.InUse = n
		case "heap_idle":
			m.Idle = n
		case "heap_released":
			m.Released = n
		case "next_gc":
			m.NextGC = n
		case "sys":
			m.Sys = n
		}
	}
	return m, nil
}

// retained is the Go heap's memory the process holds: in use, and idle
// but not returned to the system.
func (m goMem) retained() float64 { return m.InUse + m.Idle - m.Released }

// slope is the least-squares slope of the RSS samples, MB per cycle.
func (r *soakResult) slope() float64 {
	n := float64(len(r.RSS))
	if n < 2 {
		return 0
	}
	var sx, sy, sxx, sxy float64
	for i, v := range r.RSS {
		x, y := float64(i+1), float64(v)/(1<<20)
		sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
	}
	return (n*sxy - sx*sy) / (n*sxx - sx*sx)
}

func (r *soakResult) last() int64 {
	if len(r.RSS) == 0 {
		return 0
	}
	return r.RSS[len(r.RSS)-1]
}

// lowMet and flatMet are the soak's targets: idle memory after it no more
// than before the change, and no growth across its cycles.
func (r *soakResult) lowMet() bool  { return len(r.RSS) == r.Cycles && r.last() <= soakRSSTarget }
func (r *soakResult) flatMet() bool { return len(r.RSS) == r.Cycles && r.slope() <= soakSlopeTarget }

// runSoak runs the app on a copy of the data directory with loopback
// feeds and a schedule of one check a minute, for cfg.soakCycles cycles.
func runSoak(cfg *config, bin string, display int, src, work string) (*soakResult, error) {
	data, home := filepath.Join(work, "soak-data"), filepath.Join(work, "soak-home")
	defer os.RemoveAll(data)
	os.MkdirAll(home, 0o700)
	if err := copyDir(src, data); err != nil {
		return nil, err
	}
	os.Remove(filepath.Join(data, "complete"))
	live, err := startLiveServer(soakFeeds)
	if err != nil {
		return nil, err
	}
	defer live.close()
	for i := range soakFeeds {
		live.grow(i, 20, true)
	}
	if err := addLiveFeeds(data, live, soakSchedule); err != nil {
		return nil, err
	}
	if err := readThrough(filepath.Join(data, store.FileName)); err != nil {
		return nil, err
	}
	res := &soakResult{Cycles: cfg.soakCycles, Feeds: soakFeeds}

	progress("soak: %d check cycles, one every %s, against %d loopback feeds (about %s)",
		cfg.soakCycles, soakEvery, soakFeeds, time.Duration(cfg.soakCycles+1)*soakEvery)
	app, err := startApp(bin, append(desktopEnv(display, data, home), "GODEBUG=gctrace=1"))
	if err != nil {
		return nil, err
	}
	defer app.stop()
	if _, _, err := app.waitFirst(); err != nil {
		return nil, err
	}
	if _, err := app.nextCycle(soakStartup); err != nil {
		return nil, fmt.Errorf("waiting for the start-up check: %w", err)
	}
	start := time.Now()
	status := fmt.Sprintf("/proc/%d/status", app.cmd.Process.Pid)
	time.Sleep(soakSample)
	res.Before = statusKB(status, "VmRSS") * 1024
	progress("soak: %s RSS after the start-up check", mb(res.Before))
	// Some feeds gain stories as soon as a cycle has ended, for the next
	// (a cycle that runs long, on the feeds of the data directory that
	// fail, still finds them).
	grow := func(c int) {
		for k := range soakGrowing {
			live.grow((c*soakGrowing+k)%soakFeeds, soakPerFeed, true)
		}
		res.NewStories += soakGrowing * soakPerFeed
	}
	grow(1)
	for c := 1; c <= cfg.soakCycles; c++ {
		cy, err := app.nextCycle(soakCycleMax)
		if err != nil {
			return res, fmt.Errorf("cycle %d: %w", c, err)
		}
		res.Matches += cy.matches
		if c < cfg.soakCycles {
			grow(c + 1)
		}
		time.Sleep(soakSample - time.Since(cy.at))
		rss := statusKB(status, "VmRSS") * 1024
		if rss == 0 {
			return res, fmt.Errorf("cycle %d: cannot read the app's memory: %s", c, app.tail.String())
		}
		res.RSS = append(res.RSS, rss)
		heap := -1
		if l := app.lastGC.Load(); l != nil {
			if m := gcHeap.FindStringSubmatch(*l); m != nil {
				heap, _ = strconv.Atoi(m[3])
			}
		}
		res.Heap = append(res.Heap, heap)
		heapFile := ""
		if cfg.soakHeap != "" && (c == 1 || c == cfg.soakCycles) {
			if heapFile, err = filepath.Abs(fmt.Sprintf("%s-%d.heap", cfg.soakHeap, c)); err != nil {
				return res, err
			}
		}
		gm, err := readGoMem(app, heapFile)
		if err != nil {
			return res, fmt.Errorf("cycle %d: %w", c, err)
		}
		res.Go = append(res.Go, gm)
		progress("soak: cycle %d of %d (%d matches): %s RSS, Go heap %d MB live after the last GC, %.0f MB held (goal %.0f MB)",
			c, cfg.soakCycles, cy.matches, mb(rss), heap, gm.retained(), gm.NextGC)
	}
	res.HWM = statusKB(status, "VmHWM") * 1024
	res.Took = time.Since(start)
	return res, nil
}
