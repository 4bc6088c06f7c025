//go:build linux

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/store"
)

// The UI stall: how long the app's UI goroutine is kept from running
// what is posted to it (a heartbeat posted with fyne.Do every 10 ms, the
// bench build's stall-start and stall-stop) while (a) a check cycle adds
// 500 matches, (b) the timeline scrolls from its top to its bottom, (c) a
// search is typed.

// Targets of the issue: the longest delay and the 99th percentile.
const (
	stallLongestTarget = 50 * time.Millisecond
	stallP99Target     = 20 * time.Millisecond
)

const (
	stallFeeds      = 10 // loopback feeds the check cycle fetches
	stallNewPerFeed = 50 // stories each gains for the measured cycle: 500 matches
	stallSearch     = "ukraine"
)

type stallResult struct {
	Stories  int // stories in the data directory before the cycle
	Feeds    int // loopback feeds
	NewItems int // stories the feeds gained for the measured cycle
	Matches  int // matches the measured cycle announced
	Parts    []stallPart
}

type stallPart struct {
	Name    string
	Longest time.Duration
	P99     time.Duration
	Beats   int
	Took    time.Duration
	Other   float64 // cores other processes used meanwhile
}

// worst is the part with the longest stall (and its p99 the worst p99).
func (r *stallResult) worst() (longest, p99 time.Duration) {
	for _, p := range r.Parts {
		longest, p99 = max(longest, p.Longest), max(p99, p.P99)
	}
	return longest, p99
}

func (r *stallResult) met() bool {
	l, p := r.worst()
	return len(r.Parts) == 3 && l <= stallLongestTarget && p <= stallP99Target
}

// runStall starts the app on a copy of the data directory with loopback
// feeds added, waits for its start-up check, and measures the three
// stalls.
func runStall(cfg *config, bin string, display int, src, work string) (*stallResult, error) {
	data, home := filepath.Join(work, "stall-data"), filepath.Join(work, "stall-home")
	defer os.RemoveAll(data)
	os.MkdirAll(home, 0o700)
	if err := copyDir(src, data); err != nil {
		return nil, err
	}
	os.Remove(filepath.Join(data, "complete"))
	live, err := startLiveServer(stallFeeds)
	if err != nil {
		return nil, err
	}
	defer live.close()
	for i := range stallFeeds {
		live.grow(i, 5, false) // what the start-up check finds (the feed's backlog)
	}
	if err := addLiveFeeds(data, live, ""); err != nil {
		return nil, err
	}
	if err := readThrough(filepath.Join(data, store.FileName)); err != nil {
		return nil, err
	}
	res := &stallResult{Stories: cfg.desktopStories, Feeds: stallFeeds, NewItems: stallFeeds * stallNewPerFeed}

	progress("UI stall: starting the app with %d loopback feeds added", stallFeeds)
	app, err := startApp(bin, desktopEnv(display, data, home))
	if err != nil {
		return nil, err
	}
	defer app.stop()
	if _, _, err := app.waitFirst(); err != nil {
		return nil, err
	}
	if _, err := app.nextCycle(3 * time.Minute); err != nil {
		return nil, fmt.Errorf("waiting for the start-up check: %w", err)
	}
	time.Sleep(5 * time.Second) // the timeline takes the start-up check's stories in
	for i := range stallFeeds {
		live.grow(i, stallNewPerFeed, false)
	}

	part := func(name, cmd, answer string) error {
		waitQuiet("the UI stall (" + name + ")")
		progress("UI stall: %s", name)
		if cfg.stallTrace != "" {
			file, err := filepath.Abs(fmt.Sprintf("%s-%c.trace", cfg.stallTrace, 'a'+len(res.Parts)))
			if err != nil {
				return err
			}
			if _, err := app.command("trace-start "+file, "tracing", time.Minute); err != nil {
				return err
			}
			defer app.command("trace-stop", "traced", time.Minute)
		}
		if _, err := app.command("stall-start", "stall-started", time.Minute); err != nil {
			return err
		}
		load, a0, start := watchLoad(), procCPUOr0(app.cmd.Process.Pid), time.Now()
		if _, err := app.command(cmd, answer, 5*time.Minute); err != nil {
			return err
		}
		took := time.Since(start)
		ans, err := app.command("stall-stop", "stall ", time.Minute)
		if err != nil {
			return err
		}
		p := stallPart{Name: name, Took: took}
		var longest, p99, at int64
		if _, err := fmt.Sscanf(ans, "stall longest=%d p99=%d beats=%d at=%d", &longest, &p99, &p.Beats, &at); err != nil {
			return fmt.Errorf("reading the app's answer %q: %w", ans, err)
		}
		p.Longest, p.P99 = time.Duration(longest)*time.Microsecond, time.Duration(p99)*time.Microsecond
		p.Other = load.other("the UI stall ("+name+")", time.Duration(procCPUOr0(app.cmd.Process.Pid)-a0)*time.Second/clockTicks)
		progress("  longest %s (%s after the start), p99 %s over %d beats in %s", ms(p.Longest), secs(time.Duration(at)*time.Millisecond), ms(p.P99), p.Beats, secs(took))
		res.Parts = append(res.Parts, p)
		return nil
	}
	if err := part("a check cycle adds 500 matches", "check", "checked"); err != nil {
		return res, err
	}
	select {
	case c := <-app.hooks.cycles:
		res.Matches = c.matches
	case <-time.After(10 * time.Second):
		return res, fmt.Errorf("the check printed no cycle line")
	}
	if err := part("the timeline scrolls from top to bottom", "scroll", "scrolled"); err != nil {
		return res, err
	}
	if err := part("a search is typed ("+stallSearch+")", "type "+stallSearch, "typed"); err != nil {
		return res, err
	}
	return res, nil
}

// procCPUOr0 is procCPU, 0 when the process cannot be read.
func procCPUOr0(pid int) int64 {
	t, _ := procCPU(pid)
	return t
}

// ms writes a delay in milliseconds, with a decimal under 10 ms.
func ms(d time.Duration) string {
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}
