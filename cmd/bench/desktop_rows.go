//go:build linux

package main

import (
	"fmt"
	"strings"
)

// The report's rows and method for the desktop's hidden window, UI stall
// and soak.

// moreRows are the rows of the hidden window, the UI stall and the soak.
func (d *desktopResult) moreRows(stories int) []row {
	var rows []row
	if h := d.Hidden; h != nil {
		floor := ""
		if f := d.Floor; f != nil {
			floor = fmt.Sprintf(" · beside the floor, an idle Fyne window shown: %.2f%%", f.Percent)
		}
		rows = append(rows, row{"Desktop: idle CPU with the window hidden (closed to the tray)",
			fmt.Sprintf("%.2f%% of one core (%s CPU over %.0f s; Xvfb: %s)", h.Percent, secs(h.CPU), h.Window.Seconds(), secs(h.XvfbCPU)) +
				floor + otherNote(h.Other), "", "", ""})
	}
	switch {
	case d.StallErr != nil:
		rows = append(rows, row{"UI stall", "error: " + oneLine(d.StallErr.Error()), "longest ≤ 50 ms, p99 ≤ 20 ms", "miss", ""})
	case d.Stall != nil:
		s := d.Stall
		longest, p99 := s.worst()
		var parts []string
		for _, p := range s.Parts {
			parts = append(parts, fmt.Sprintf("%s: longest %s, p99 %s", p.Name, ms(p.Longest), ms(p.P99)))
		}
		rows = append(rows, row{"UI stall", fmt.Sprintf("longest %d ms, p99 %d ms", longest.Milliseconds(), p99.Milliseconds()),
			"longest ≤ 50 ms, p99 ≤ 20 ms", passMiss(s.met()), ""}.with(
			"longest %s, p99 %s (the worst of: %s)", ms(longest), ms(p99), strings.Join(parts, "; ")))
		for i, p := range s.Parts {
			what := fmt.Sprintf("UI stall (%c): %s, %s stories", 'a'+i, p.Name, thousands(stories))
			v := fmt.Sprintf("longest %s, p99 %s · %s heartbeats over %s", ms(p.Longest), ms(p.P99), thousands(p.Beats), secs(p.Took))
			if i == 0 {
				v += fmt.Sprintf(" · the cycle announced %s matches of the %s stories %d loopback feeds gained", thousands(s.Matches), thousands(s.NewItems), s.Feeds)
			}
			rows = append(rows, row{what, v + otherNote(p.Other), "", "", ""})
		}
	}
	switch {
	case d.SoakErr != nil:
		rows = append(rows, row{"Desktop: idle memory after a soak of check cycles", "error: " + oneLine(d.SoakErr.Error()), "", "miss", ""})
	case d.Soak != nil:
		s := d.Soak
		n := len(s.RSS)
		rows = append(rows,
			row{fmt.Sprintf("Desktop: idle memory after a soak of %d check cycles (one a minute)", s.Cycles),
				fmt.Sprintf("%s RSS %.0f s after the last cycle (%s after the start-up check, before the soak; peak %s) · no memory trimming",
					mb(s.last()), soakSample.Seconds(), mb(s.Before), mb(s.HWM)),
				"≤ 181 MB (before this change)", passMiss(s.lowMet()), ""}.with("%s", mb(s.last())),
			row{"Desktop: memory across the soak",
				fmt.Sprintf("RSS after cycle 1 %s, cycle %d %s, cycle %d %s · least-squares slope %+.2f MB per cycle · Go heap live after a GC %s%s · %s new stories, %s matches",
					mb(s.RSS[0]), (n+1)/2, mb(s.RSS[(n-1)/2]), n, mb(s.last()), s.slope(), heapRange(s.Heap), heldRange(s.Go),
					thousands(s.NewStories), thousands(s.Matches)),
				fmt.Sprintf("flat: slope ≤ %.1f MB per cycle", soakSlopeTarget), passMiss(s.flatMet()), ""}.with(
				"%+.2f MB per cycle (%s → %s → %s)", s.slope(), mb(s.RSS[0]), mb(s.RSS[(n-1)/2]), mb(s.last())),
		)
	}
	return rows
}

// heapRange writes the first, middle and last of the live heap samples.
func heapRange(h []int) string {
	if len(h) == 0 || h[0] < 0 {
		return "not read"
	}
	n := len(h)
	return fmt.Sprintf("%d → %d → %d MB", h[0], h[(n-1)/2], h[n-1])
}

// heldRange writes the Go heap's memory held by the process (in use, and
// idle but not returned) and its GC goal, first and last.
func heldRange(g []goMem) string {
	if len(g) == 0 {
		return ""
	}
	a, b := g[0], g[len(g)-1]
	return fmt.Sprintf(", held %.0f → %.0f MB (GC goal %.0f → %.0f MB)", a.retained(), b.retained(), a.NextGC, b.NextGC)
}

// failedMore reports whether the UI stall or the soak failed to run.
func (d *desktopResult) failedMore() bool { return d.StallErr != nil || d.SoakErr != nil }

// moreMethod explains the hidden window, the UI stall and the soak, for
// BENCHMARKS.md.
func moreMethod(cfg *config) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("- **Hidden window.** After the idle window, the app's window is hidden (the bench build's `hide`, as closing it to")
	p("  the tray does) and its idle CPU measured again the same way, %s after.", secs(floorSettle))
	p("- **UI stall.** The app is started again on a fresh copy of the data directory to which %d loopback feeds were", stallFeeds)
	p("  added (a server in the bench's process, one port per feed, newsgen stories as RSS). Once its start-up check is")
	p("  done, the feeds gain %d stories each, and the bench build's heartbeat (a function posted with `fyne.Do` every", stallNewPerFeed)
	p("  10 ms, the delay until it ran recorded; `stall-start`/`stall-stop`) runs while (a) the app checks its feeds as")
	p("  Ctrl+R does (`check`, until the timeline has taken the cycle's matches in), (b) the timeline's view moves from")
	p("  the top to the bottom in 600 steps over 10 s as dragging its scroll bar does (`scroll`), (c) `%s` is typed", stallSearch)
	p("  into the search box, 8 keys a second, until the timeline shows what it finds (`type`). Longest is the longest")
	p("  delay, p99 its 99th percentile; the row \"UI stall\" shows the worst of the three.")
	if cfg.soakCycles > 0 {
		p("- **Soak.** The app is started on another fresh copy with %d loopback feeds (stories as above; one in four a short", soakFeeds)
		p("  story without the letter e, which the topic `/e/` does not match) and the global schedule `%s`, set", soakSchedule)
		p("  through `monitor.Service.SetSchedule` before it starts. Before each of %d scheduled check cycles %d feeds gain", cfg.soakCycles, soakGrowing)
		p("  %d stories each; the bench build prints a line after each cycle, and the app's VmRSS is read %.0f s later, half way", soakPerFeed, soakSample.Seconds())
		p("  to the next (the Go heap from `GODEBUG=gctrace=1`). Nothing trims the app's memory: the Go runtime returns what")
		p("  it does not use on its own. The slope is the least-squares fit of RSS (MB) against the cycle number.")
	}
	return b.String()
}
