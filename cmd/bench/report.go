//go:build linux

package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"
)

type machine struct {
	CPU    string
	Cores  int
	RAM    int64 // bytes
	OS     string
	Kernel string
	Go     string
	Date   time.Time
}

func machineInfo() machine {
	m := machine{Cores: runtime.NumCPU(), Go: runtime.Version(), Date: time.Now(), CPU: "unknown CPU", OS: runtime.GOOS}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	m.RAM = statusKB("/proc/meminfo", "MemTotal") * 1024
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
				m.OS = strings.Trim(v, `"`)
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = "Linux " + strings.TrimSpace(string(b))
	}
	return m
}

func (m machine) oneLine() string {
	return fmt.Sprintf("%s, %d cores, %.1f GB RAM, %s (%s), %s", m.CPU, m.Cores, float64(m.RAM)/(1<<30), m.OS, m.Kernel, m.Go)
}

type report struct {
	cfg       *config
	machine   machine
	started   time.Time
	elapsed   time.Duration
	command   string
	cycles    *cycleRuns
	cyclesErr error
	match     *matchRuns
	matchErr  error

	fulltext    *fullTextRuns
	fulltextErr error

	backtests   []backtestResult
	backtestErr error
	stories     *storyRuns // stories.go
	storiesErr  error
	desktop     *desktopResult
	desktopErr  error
	desktopNo   string
	team        *teamRuns // team.go
	teamErr     error
}

// row is one line of the results table. Result is "pass", "miss", or
// empty for a figure without a target.
type row struct {
	What, Value, Target, Result string
	Short                       string // the figure for the pass/miss line; empty: Value
}

// with sets the row's short figure.
func (r row) with(format string, args ...any) row {
	r.Short = fmt.Sprintf(format, args...)
	return r
}

func (r *report) failed() bool {
	return r.cyclesErr != nil || r.fulltextErr != nil || r.matchErr != nil || r.backtestErr != nil || r.desktopErr != nil ||
		r.teamErr != nil || r.desktop != nil && r.desktop.failedMore()
}

func passMiss(ok bool) string {
	if ok {
		return "pass"
	}
	return "miss"
}

func ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func cycleValue(c cycleResult, withWire bool) string {
	v := fmt.Sprintf("wall %s · CPU %s (user %s, sys %s)", secs(c.Wall), secs(c.CPU), secs(c.User), secs(c.Sys))
	if withWire {
		v += fmt.Sprintf(" · wire %s out, %s in (%d×200, %d×304)", mb(c.Server.BytesOut), mb(c.Server.BytesIn), c.Server.OK, c.Server.NotModified)
	}
	if c.PeakRSS > 0 {
		v += " · peak RSS " + mb(c.PeakRSS)
	}
	if c.PeakHeap > 0 {
		v += ", peak heap " + mb(c.PeakHeap)
	}
	return v + otherNote(c.Other)
}

// otherNote flags a measurement during which other processes used a
// noticeable share of the machine.
func otherNote(cores float64) string {
	if cores < 0.1 {
		return ""
	}
	return fmt.Sprintf(" · other processes used %.2f cores meanwhile", cores)
}

func (r *report) rows() []row {
	var rows []row
	cfg := r.cfg
	size := fmt.Sprintf("%s feeds × %d items", thousands(cfg.feeds), cfg.items)
	if r.cyclesErr != nil {
		rows = append(rows, row{"Check cycles", "error: " + oneLine(r.cyclesErr.Error()), "", "miss", ""})
	} else if c := r.cycles; c != nil {
		cold, warm, grownC := median(c.Cycles["cold"]), median(c.Cycles["warm"]), median(c.Cycles["grown"])
		f1, f2 := median(c.Floor1), median(c.Floor2)
		rows = append(rows,
			row{"Cold check cycle, " + size + ", 3 topics",
				cycleValue(cold, true) + fmt.Sprintf(" · %s new articles, %d failed", thousands(cold.NewArticles), cold.Failed) + wallRange(c.Cycles["cold"]), "", "", ""},
			row{"Warm check cycle (every feed 304)",
				cycleValue(warm, true) + fmt.Sprintf(" · %s feed body bytes", thousands(int(warm.Server.BodyBytesOut))) + wallRange(c.Cycles["warm"]),
				"< 5% of cold, no body sent", passMiss(ratio(warm.Wall, cold.Wall) < 0.05 && warm.Server.BodyBytesOut == 0 && warm.Server.OK == 0), ""}.with(
				"%s = %.1f%% of the cold cycle's %s; %d bodies sent (%d×304), %s on the wire",
				secs(warm.Wall), 100*ratio(warm.Wall, cold.Wall), secs(cold.Wall), warm.Server.OK, warm.Server.NotModified, mb(warm.Server.BytesOut)),
			row{"Check cycle, 10% of feeds +5 items",
				cycleValue(grownC, true) + fmt.Sprintf(" · %s new articles", thousands(grownC.NewArticles)) + wallRange(c.Cycles["grown"]), "", "", ""},
			row{"Floor: gofeed alone, 1 goroutine", cycleValue(f1, false) + fmt.Sprintf(" · %s items", thousands(f1.Items)) + wallRange(c.Floor1), "", "", ""},
			row{"Floor: gofeed alone, 2 goroutines", cycleValue(f2, false) + wallRange(c.Floor2), "", "", ""},
			row{"Cold cycle / floor",
				fmt.Sprintf("wall %.2f× the 2-goroutine floor (%.2f× the 1-goroutine floor) · CPU %.2f× the floor's CPU",
					ratio(cold.Wall, f2.Wall), ratio(cold.Wall, f1.Wall), ratio(cold.CPU, f1.CPU)),
				"≤ 1.5× (wall, 2-goroutine floor)", passMiss(ratio(cold.Wall, f2.Wall) <= 1.5), ""}.with(
				"%.2f× (cold cycle %s, floor %s)", ratio(cold.Wall, f2.Wall), secs(cold.Wall), secs(f2.Wall)),
		)
		if nb := c.Newsboat; nb != nil {
			rows = append(rows,
				row{fmt.Sprintf("newsboat cold reload (%s, reload-threads %d)", nb.Version, newsboatThreads),
					cycleValue(nb.Cold, true) + fmt.Sprintf(" · %s items in its cache", thousands(nb.Items)), "", "", ""},
				row{"newsboat 2nd reload (validators not yet stored)", cycleValue(nb.Second, true), "", "", ""},
				row{"newsboat warm reload (third)", cycleValue(nb.Warm, true), "", "", ""},
				row{"Newswatch cold / newsboat cold",
					fmt.Sprintf("wall %.2f× · CPU %.2f×", ratio(cold.Wall, nb.Cold.Wall), ratio(cold.CPU, nb.Cold.CPU)),
					"< 1× (faster than newsboat)", passMiss(cold.Wall < nb.Cold.Wall), ""}.with(
					"%.2f× (Newswatch %s, newsboat %s)", ratio(cold.Wall, nb.Cold.Wall), secs(cold.Wall), secs(nb.Cold.Wall)))
		} else {
			rows = append(rows, row{"newsboat", c.NewsboatNo, "Newswatch cold faster", "skipped", ""})
		}
	}

	if r.fulltextErr != nil {
		rows = append(rows, row{"Full text", "error: " + oneLine(r.fulltextErr.Error()), "", "miss", ""})
	} else if r.fulltext != nil {
		rows = append(rows, fullTextRows(r.fulltext)...)
	}

	if r.matchErr != nil {
		rows = append(rows, row{"Matching", "error: " + oneLine(r.matchErr.Error()), "", "miss", ""})
	} else if m := r.match; m != nil && len(m.Results) > 0 {
		for _, res := range m.Results {
			rows = append(rows, row{fmt.Sprintf("Matching, %d topic(s), 1 core", res.Topics),
				fmt.Sprintf("%s per pass over %s articles (%s of text) · %.0f MB/s · %s matches",
					secs(res.PerPass), thousands(m.Articles), mb(m.TextBytes), res.MBps, thousands(res.Matches)) + otherNote(res.Other), "", "", ""})
		}
		first, last := m.Results[0], m.Results[len(m.Results)-1]
		q := ratio(last.PerPass, first.PerPass)
		rows = append(rows, row{fmt.Sprintf("Matching, %d topics / %d topic", last.Topics, first.Topics),
			fmt.Sprintf("%.2f×", q), "≤ 3×", passMiss(q <= 3), ""}.with("%.2f× (%s vs %s per pass)", q, secs(last.PerPass), secs(first.PerPass)))
	}

	if r.backtestErr != nil {
		rows = append(rows, row{"Backtest", "error: " + oneLine(r.backtestErr.Error()), "", "miss", ""})
	}
	for _, b := range r.backtests {
		rw := row{fmt.Sprintf("Backtest, %s articles: `%s`", thousands(b.Size), b.Query),
			fmt.Sprintf("first %s · repeated %s · %s candidates · %s matches", secs(b.First), secs(b.Repeated),
				thousands(b.Scanned), thousands(b.Total)) + otherNote(b.Other), "", "", ""}.with("first %s, repeated %s", secs(b.First), secs(b.Repeated))
		if b.Size >= 1_000_000 {
			rw.Target = "< 1 s (first and repeated)"
			rw.Result = passMiss(b.First < time.Second && b.Repeated < time.Second)
		}
		rows = append(rows, rw)
		if b.Cold > 0 {
			rows = append(rows, row{fmt.Sprintf("Backtest, %s articles, database not in the OS file cache: `%s`", thousands(b.Size), b.Query),
				fmt.Sprintf("first %s (as after a reboot: the file's pages dropped from the cache first)", secs(b.Cold)), "", "", ""})
		}
	}

	rows = append(rows, r.storyRows()...)
	rows = append(rows, r.teamRows()...)
	switch {
	case r.desktopErr != nil:
		rows = append(rows, row{"Desktop", "error: " + oneLine(r.desktopErr.Error()), "", "miss", ""})
	case r.desktopNo != "":
		rows = append(rows, row{"Desktop", r.desktopNo, "", "skipped", ""})
	case r.desktop != nil:
		d := r.desktop
		rows = append(rows,
			row{fmt.Sprintf("Desktop: first timeline, %s matches", thousands(d.Stories)),
				fmt.Sprintf("%s from exec (app's trace: %s; %s stories listed)", secs(d.ExecFirst), secs(d.AppFirst), thousands(d.Shown)) + otherNote(d.OtherStart),
				"< 2 s", passMiss(d.ExecFirst < 2*time.Second), ""}.with("%s", secs(d.ExecFirst)),
			row{fmt.Sprintf("Desktop: first timeline, %s matches, database not in the OS file cache", thousands(d.Stories)),
				fmt.Sprintf("%s from exec (as after a reboot: the file's pages dropped from the cache first)", secs(d.ColdFirst)), "", "", ""},
			row{fmt.Sprintf("Desktop: idle CPU over %.0f s", d.IdleWindow.Seconds()),
				fmt.Sprintf("%.2f%% of one core (%s CPU; Xvfb: %s; from %.0f s after the first timeline, when the start-up check had tried %d of %d feeds)",
					d.IdlePercent, secs(d.IdleCPU), secs(d.XvfbCPU), d.Settle.Seconds(), d.FeedsChecked, d.Feeds) + otherNote(d.OtherIdle),
				"< 1%", passMiss(d.IdlePercent < 1), ""}.with("%.2f%%", d.IdlePercent),
			row{"Desktop: resident memory",
				fmt.Sprintf("%s RSS at the end of the idle window (peak %s, %d threads); by mapping: %s", mb(d.RSS), mb(d.HWM), d.Threads, d.RSSByMapping) + prefixed("; ", d.GoHeap),
				"< 200 MB", passMiss(d.RSS < 200<<20), ""}.with("%s", mb(d.RSS)),
		)
		if f := d.Floor; f != nil {
			rows = append(rows, row{"Desktop floor: an idle Fyne window (`cmd/bench/fynefloor`)",
				fmt.Sprintf("idle CPU %.2f%% of one core (%s over %.0f s) · %s RSS; by mapping: %s",
					f.Percent, secs(f.CPU), f.Window.Seconds(), mb(f.RSS), f.RSSByMapping) + otherNote(f.Other), "", "", ""})
		}
		rows = append(rows, d.moreRows(cfg.desktopStories)...)
	}
	return rows
}

func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// textTable lays the rows out for a terminal: long values wrap under
// their column.
func textTable(rows []row) string {
	head := row{"What", "Value", "Target", "Result", ""}
	const valueWidth = 70
	w := [3]int{len(head.What), valueWidth, len(head.Target)}
	for _, r := range rows {
		w[0] = max(w[0], utf8.RuneCountInString(r.What))
		w[2] = max(w[2], utf8.RuneCountInString(r.Target))
	}
	var b strings.Builder
	line := func(a, v, t, res string) {
		fmt.Fprintf(&b, "%s  %s  %s  %s\n", pad(a, w[0]), pad(v, w[1]), pad(t, w[2]), res)
	}
	line(head.What, head.Value, head.Target, head.Result)
	line(strings.Repeat("-", w[0]), strings.Repeat("-", w[1]), strings.Repeat("-", w[2]), "------")
	for _, r := range rows {
		parts := wrap(r.Value, valueWidth)
		res := r.Result
		if res == "" {
			res = "—"
		}
		line(r.What, parts[0], r.Target, res)
		for _, p := range parts[1:] {
			line("", p, "", "")
		}
	}
	return b.String()
}

func pad(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return s + strings.Repeat(" ", n-k)
	}
	return s
}

// wrap breaks s into lines of at most n runes at " · " or spaces.
func wrap(s string, n int) []string {
	var out []string
	for utf8.RuneCountInString(s) > n {
		runes := []rune(s)
		cut := -1
		for i := n; i > n/2; i-- {
			if runes[i] == ' ' {
				cut = i
				break
			}
		}
		if cut < 0 {
			break
		}
		out = append(out, strings.TrimRight(string(runes[:cut]), " ·"))
		s = strings.TrimLeft(string(runes[cut:]), " ")
	}
	return append(out, s)
}

// targetLines are the pass/miss lines, one per target of the issue.
func (r *report) targetLines(rows []row) []string {
	var out []string
	for _, rw := range rows {
		if rw.Result == "" {
			continue
		}
		target := rw.Target
		if target == "" {
			target = "—"
		}
		fig := rw.Short
		if fig == "" {
			fig = rw.Value
		}
		out = append(out, fmt.Sprintf("%-7s %s (target %s): %s", strings.ToUpper(rw.Result), rw.What, target, fig))
	}
	return out
}

func mdEscape(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}

func (r *report) markdown(rows []row) string {
	var b strings.Builder
	m := r.machine
	b.WriteString("# Benchmarks\n\n")
	fmt.Fprintf(&b, "Measured with `cmd/bench` on %s; the whole run took %s.\n\n", m.Date.Format("2006-01-02 15:04 MST"), r.elapsed.Round(time.Second))
	b.WriteString("## Machine\n\n")
	fmt.Fprintf(&b, "- CPU: %s, %d cores\n", m.CPU, m.Cores)
	fmt.Fprintf(&b, "- RAM: %.1f GB\n", float64(m.RAM)/(1<<30))
	fmt.Fprintf(&b, "- OS: %s, %s\n", m.OS, m.Kernel)
	fmt.Fprintf(&b, "- Go: %s\n\n", m.Go)
	b.WriteString("## To reproduce\n\n")
	b.WriteString("```sh\nmake bench\n```\n\n")
	fmt.Fprintf(&b, "`make bench` installs Xvfb and newsboat when it can (as root, through apt-get) and runs\n"+
		"`go run ./cmd/bench -md BENCHMARKS.md`, which builds the app with its measuring hooks (`-tags bench`) as\n"+
		"`bin/newswatch-bench`. This run was started as `%s`.\n", r.command)
	b.WriteString("The generated stores take long to build (the one of 1,000,000 articles most); they are kept between runs\n" +
		"in the `-cache` directory (default `$TMPDIR/newswatch-bench`), keyed by size and schema version. `-quick` is a\n" +
		"smoke run at small sizes (and a soak of 3 cycles); `-skip-newsboat` and `-skip-desktop` leave those parts out,\n" +
		"`-soak-cycles 0` the desktop soak (an hour).\n\n")
	b.WriteString("## Results\n\n")
	b.WriteString("| What | Value | Target | Result |\n|---|---|---|---|\n")
	for _, rw := range rows {
		res := rw.Result
		switch res {
		case "pass":
			res = "**pass**"
		case "miss":
			res = "**MISS**"
		case "":
			res = "—"
		}
		target := rw.Target
		if target == "" {
			target = "—"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", mdEscape(rw.What), mdEscape(rw.Value), mdEscape(target), res)
	}
	b.WriteString("\n## Targets\n\n")
	for _, rw := range rows {
		if rw.Result == "" {
			continue
		}
		fig := rw.Short
		if fig == "" {
			fig = rw.Value
		}
		target := rw.Target
		if target == "" {
			target = "—"
		}
		fmt.Fprintf(&b, "- **%s** — %s (target: %s): %s\n", rw.Result, rw.What, target, fig)
	}
	b.WriteString(spikesHeading)
	b.WriteString(spikeSection())
	b.WriteString(limitsHeading)
	b.WriteString(strings.TrimSpace(limitsMD) + "\n")
	b.WriteString(methodHeading)
	b.WriteString(r.method())
	if loads.n > 0 {
		fmt.Fprintf(&b, "\nThe benchmark waits before each measurement until other processes on the machine use less than 0.15 cores\n"+
			"(at most %s). While it measured, other processes used at most %.2f cores (during the %s), %.2f on average.\n",
			quietWait, loads.max, loads.maxAt, loads.sum/float64(loads.n))
		if len(loads.waits) > 0 {
			fmt.Fprintf(&b, "The machine was not quiet before: %s.\n", strings.Join(loads.waits, ", "))
		}
	}
	if len(storeNotes) > 0 {
		b.WriteString("\n")
		for _, n := range storeNotes {
			fmt.Fprintf(&b, "%s\n", n)
		}
	}
	return b.String()
}

// method explains the measurements, for BENCHMARKS.md.
func (r *report) method() string {
	cfg := r.cfg
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("- **Check cycles.** A loopback feed server in its own process (this program re-executed with `-serve`, so its CPU")
	p("  is never counted as Newswatch's) serves %s newsgen feeds of %d items (German and English, HTML in summaries and", thousands(cfg.feeds), cfg.items)
	if c := r.cycles; c != nil {
		p("  content; one in five Atom, the rest RSS 2.0; %s per feed on average, %s gzipped), spread over %d ports because",
			mb(c.BodyBytes/int64(max(cfg.feeds, 1))), mb(c.GzipBytes/int64(max(cfg.feeds, 1))), cfg.ports(cfg.feeds))
	} else {
		p("  content; one in five Atom, the rest RSS 2.0), spread over %d ports because", cfg.ports(cfg.feeds))
	}
	p("  Newswatch fetches at most two feeds at once per host:port. The bodies are generated and gzipped before timing. The")
	p("  server answers If-None-Match (else If-Modified-Since) with 304 and gzips when asked; wire bytes are counted by the")
	p("  server on its connections, headers included (\"out\": responses, \"in\": requests). The measured side is the engine:")
	p("  a `monitor.Service` (default configuration: 8 feeds at once, 2 per host) on a fresh `store.Open` with the feeds")
	p("  added and 3 topics (`newsgen.Topics(3)`), running `svc.Check` once. Every cycle runs in a fresh process (this")
	p("  program re-executed with `-engine`): wall time and CPU time (getrusage user+sys deltas of that process) around")
	p("  `Check` only; peak RSS is VmHWM, reset through /proc/self/clear_refs just before the cycle, so it is the cycle's")
	p("  peak, including the Go runtime and SQLite; peak heap is the Go heap sampled every 5 ms. The warm cycle follows")
	p("  the cold one on the same store (every feed answers 304); for the third, every tenth feed gained 5 stories (and")
	p("  dropped its 5 oldest). Each is run %d time(s) on a fresh copy of the store; the median by wall time is shown.", cfg.runs)
	p("- **Floor.** The same uncompressed bodies parsed by `gofeed.NewParser().Parse` alone, sequentially and with two")
	p("  goroutines, in a fresh process (`-floor`). The pass/miss compares the cold cycle's wall time with the two-goroutine")
	p("  floor: both use the machine's two cores.")
	p("- **newsboat.** `newsboat -x reload -u URLS -c CACHE -C CONFIG` with `reload-threads %d` (as many as Newswatch's", newsboatThreads)
	p("  concurrency) and its own HOME, against the same server and bodies: cold with an empty cache, then twice more.")
	p("  Newsboat 2.21 stores a feed's ETag and Last-Modified only once the feed is in its cache, so its second reload")
	p("  still downloads everything and its third is the first conditional (warm) one. Wall time from start to exit;")
	p("  CPU and peak RSS from the child's rusage.")
	p("- **Matching.** The cold cycle's articles, normalized by `feed.Parse` as in a check, each prepared once")
	p("  (`query.Prepare`) and matched against a `query.NewSet` of 1, 10 and 100 `newsgen.Topics` with `runtime.GOMAXPROCS(1)`.")
	p("  The three sets take turns pass by pass (so a slower stretch of the machine hits all alike); the median pass of")
	p("  each is shown. MB/s counts the articles' text (title, summary, content, author, feed, categories).")
	p("- **Backtest.** `svc.Backtest(ctx, query, {Limit: 20})` over stores of generated articles built like")
	p("  `monitor/backtest_bench_test.go` (newsgen seed 7, 500 articles per feed, one `SaveFetch` each). \"First\" is the")
	p("  first call on a freshly opened store and service, with the database file read once before (so it is in the OS")
	p("  file cache, as on a desktop that has been running); \"repeated\" the median of later calls. For the first query")
	p("  of each size, the first call is also timed after the file's pages were dropped from the OS cache")
	p("  (`posix_fadvise(POSIX_FADV_DONTNEED)`), as after a reboot; that row has no target.")
	p("- **Desktop.** `bin/newswatch-bench`, built with `CGO_ENABLED=1 go build -tags bench` (the app with the measuring hooks")
	p("  of `app/bench_on.go`, driven over its standard input), under `Xvfb` (1280×800×24, software GL) on a copy of a data")
	p("  directory with %s stories that all match a topic (`/e/`, applied to the stored stories), with", thousands(cfg.desktopStories))
	p("  `DBUS_SESSION_BUS_ADDRESS=` (no tray, no notifications) and a private HOME. The")
	p("  first-timeline time is from exec to the app's trace line (the app's own figure, from its main package's start, is")
	p("  shown too), with the database file read once before, so that it is in the OS file cache as when the app is")
	p("  started again; a start after the measurements, with the file's pages dropped from the cache, is shown as well")
	p("  (no target).")
	p("  Idle CPU is utime+stime from /proc/PID/stat over %s, once the start-up check has tried every feed", secs(cfg.idle))
	p("  (they are unreachable .example hosts) and at least %s after the first timeline; memory is VmRSS then, with", secs(cfg.settle))
	p("  the largest mappings from /proc/PID/smaps (\"anonymous\" is the Go heap and C allocations, libLLVM and")
	p("  swrast_dri are Mesa's software OpenGL, which Xvfb needs). The floor is `cmd/bench/fynefloor`, one Fyne window")
	p("  of the app's size with one label, started on the same Xvfb once the app has exited and measured the same way.")
	b.WriteString(moreMethod(cfg))
	p("- MB means 2^20 bytes.")
	return b.String()
}
