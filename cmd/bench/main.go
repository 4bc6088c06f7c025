//go:build linux

// Command bench measures Newswatch against the targets of its performance
// issue and prints a table of the results; with -md FILE it also writes
// them as Markdown (BENCHMARKS.md), with the machine they were taken on.
//
// Usage:
//
//	go run ./cmd/bench [-feeds 1000] [-items 50] [-runs 3] [-backtest 100000,1000000]
//	                   [-skip-newsboat] [-skip-desktop] [-quick] [-cache DIR]
//	                   [-cpuprofile FILE] [-md BENCHMARKS.md]
//	go run ./cmd/bench -rewrite-spikes BENCHMARKS.md
//
// What it measures:
//
//   - Check cycles of the engine (a monitor.Service on a fresh store with
//     the feeds and three topics) against a loopback feed server that runs
//     in its own process (this program re-executed with -serve), so the
//     server's CPU time is never counted as Newswatch's. The server sends
//     pre-generated newsgen feeds (RSS 2.0 and Atom, about 50 KB each, HTML
//     in summaries and content), honours If-None-Match and
//     If-Modified-Since, gzips when asked, and counts the bytes it writes
//     and reads. Each cycle runs in a fresh engine process (re-executed
//     with -engine) that reports its wall and CPU time (getrusage), its
//     peak RSS (VmHWM, reset just before the cycle) and its sampled peak Go
//     heap: a cold cycle (everything new), a warm one (every feed answers
//     304) and one in which every tenth feed gained five stories.
//   - The floor: the same bodies parsed by gofeed alone, in one goroutine
//     and in two (re-executed with -floor).
//   - The peer: newsboat -x reload on the same feeds from the same server,
//     cold (empty cache) and warm (installed with apt-get when missing and
//     run as root; skipped with a note otherwise).
//   - Full text: a cold cycle of 20 teaser feeds (1,000 new stories) with
//     full text off, and reading their 1,000 article pages from 10 loopback
//     sites (fulltext.go).
//   - Topic matching: 1, 10 and 100 topics (newsgen.Topics) over the cold
//     cycle's articles on one core.
//   - Backtests over stores of 100,000 and 1,000,000 generated articles,
//     built once and kept under -cache.
//   - Stories (stories.go): the cold and 10%-changed cycles again without
//     story assignment, the one-off upgrade of the backtest stores to
//     stories (taken back to the schema before them first), and story
//     assignment per article at each backtest size.
//   - Spike detection (monitor/alert's default rule) replayed on
//     synthetic Poisson traffic, with the arithmetic that bounds it
//     (spikes.go); -rewrite-spikes renews only that section.
//   - The desktop app (bin/newswatch-bench, built first with -tags bench,
//     which adds the measuring hooks of app/bench_on.go) under Xvfb on a
//     data directory with 100,000 matched stories: the time to its first
//     timeline, its CPU use when idle (shown and hidden) and its resident
//     memory; how long its UI goroutine stalls while a check cycle adds
//     500 matches, the timeline scrolls and a search is typed; and its
//     memory across an hour of check cycles (-soak-cycles).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

type config struct {
	feeds, items    int
	runs            int
	portsFlag       int
	skipDesktop     bool
	skipNewsboat    bool
	backtest        []int
	quick           bool
	cache           string
	md              string
	cpuprofile      string
	trace           string
	backtestProfile string
	desktopGCTrace  bool
	bin             string
	noBuild         bool
	desktopStories  int
	settle, idle    time.Duration
	matchTime       time.Duration
	soakCycles      int
	stallTrace      string
	soakHeap        string
	only            map[string]bool
	teamFeeds       int   // team.go
	teamBacktest    []int // team.go
}

// ports is how many listening ports the feed server spreads the feeds
// over: Newswatch fetches at most two feeds at once from one host:port,
// and real feeds come from many servers. Four feeds per port by default.
func (c *config) ports(feeds int) int {
	if c.portsFlag > 0 {
		return c.portsFlag
	}
	return max(1, (feeds+3)/4)
}

func (c *config) section(name string) bool { return len(c.only) == 0 || c.only[name] }

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "-serve":
			serveMain(os.Args[2:])
			return
		case "-engine":
			engineMain(os.Args[2:])
			return
		case "-floor":
			floorMain(os.Args[2:])
			return
		case "-pageserve":
			pageServeMain(os.Args[2:])
			return
		case "-upgrade":
			upgradeMain(os.Args[2:])
			return
		case "-assign":
			assignMain(os.Args[2:])
			return
		}
	}
	cfg := &config{}
	flag.IntVar(&cfg.feeds, "feeds", 1000, "feeds in the check cycles")
	flag.IntVar(&cfg.items, "items", 50, "items per feed")
	flag.IntVar(&cfg.runs, "runs", 3, "runs of each check cycle and floor (the median is reported)")
	flag.IntVar(&cfg.portsFlag, "ports", 0, "ports the feed server spreads the feeds over (0: one per 4 feeds)")
	flag.BoolVar(&cfg.skipDesktop, "skip-desktop", false, "skip the desktop app")
	flag.BoolVar(&cfg.skipNewsboat, "skip-newsboat", false, "skip newsboat")
	backtest := flag.String("backtest", "100000,1000000", "store sizes for the backtests, comma-separated (empty: none)")
	flag.BoolVar(&cfg.quick, "quick", false, "a smoke run: 50 feeds, stores of 10,000 and 20,000 articles, one run, short desktop windows")
	flag.StringVar(&cfg.cache, "cache", filepath.Join(os.TempDir(), "newswatch-bench"), "where the generated stores are kept between runs")
	flag.StringVar(&cfg.md, "md", "", "also write the results as Markdown to this file (e.g. BENCHMARKS.md)")
	flag.StringVar(&cfg.cpuprofile, "cpuprofile", "", "write a CPU profile of the (first) cold check cycle to this file, of the warm and grown ones to FILE-warm and FILE-grown (and of those without stories to FILE-nostories-KIND)")
	flag.StringVar(&cfg.trace, "trace", "", "write an execution trace of the (first) cold check cycle to this file (go tool trace)")
	flag.StringVar(&cfg.backtestProfile, "backtest-cpuprofile", "", "write a CPU profile of each backtest query to PREFIX-SIZE-qN.prof")
	flag.BoolVar(&cfg.desktopGCTrace, "desktop-gctrace", false, "run the desktop app with GODEBUG=gctrace=1 and report its Go heap (a diagnostic run)")
	flag.StringVar(&cfg.bin, "bin", "bin/newswatch-bench", "the desktop binary to build (with -tags bench) and run (relative to the module root)")
	flag.BoolVar(&cfg.noBuild, "nobuild", false, "run -bin as it is, without building it")
	flag.IntVar(&cfg.desktopStories, "desktop-stories", 100000, "matched stories in the desktop app's data directory")
	flag.DurationVar(&cfg.settle, "settle", 20*time.Second, "wait after the first timeline before measuring idle CPU (longer while the start-up check runs)")
	flag.DurationVar(&cfg.idle, "idle", 60*time.Second, "the idle CPU window")
	flag.StringVar(&cfg.stallTrace, "stall-trace", "", "write an execution trace of the app during each UI stall measurement to PREFIX-a.trace, -b, -c (go tool trace)")
	flag.StringVar(&cfg.soakHeap, "soak-heap", "", "write heap profiles of the app after the soak's first and last cycles to PREFIX-N.heap")
	flag.IntVar(&cfg.soakCycles, "soak-cycles", 60, "check cycles of the desktop soak, one a minute (0: no soak)")
	flag.DurationVar(&cfg.matchTime, "repeat-time", 2*time.Second, "how long to repeat each matching pass and backtest query")
	flag.DurationVar(&quietWait, "quiet-wait", quietWait, "before each measurement, wait at most this long for other processes to go quiet")
	rewriteSpikesFlag := flag.String("rewrite-spikes", "", "only replay the spike rule on synthetic traffic and replace that section of this Markdown file (e.g. BENCHMARKS.md), and exit")
	rewrite := flag.String("rewrite-limits", "", "only replace the section \"What limits the figures\" of this Markdown file (e.g. BENCHMARKS.md) with cmd/bench/limits.md, and exit")
	only := flag.String("only", "", "run only these sections, comma-separated: cycles, fulltext, match, backtest, stories, desktop, team")
	flag.IntVar(&cfg.teamFeeds, "team-feeds", 10000, "feeds in the team database's check cycles (team.go; 0: only its backtests)")
	teamBacktest := flag.String("team-backtest", "100000,1000000", "store sizes for the backtests on PostgreSQL beside SQLite, comma-separated (empty: none)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./cmd/bench [flags]\n\n"+
			"Measures Newswatch's check cycle, topic matching, backtests and desktop app\n"+
			"against its performance targets and prints a table of the results.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	set := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if cfg.quick {
		if !set["feeds"] {
			cfg.feeds = 50
		}
		if !set["backtest"] {
			*backtest = "10000,20000"
		}
		if !set["runs"] {
			cfg.runs = 1
		}
		if !set["desktop-stories"] {
			cfg.desktopStories = 10000
		}
		if !set["settle"] {
			cfg.settle = 3 * time.Second
		}
		if !set["idle"] {
			cfg.idle = 5 * time.Second
		}
		if !set["soak-cycles"] {
			cfg.soakCycles = 3
		}
		if !set["repeat-time"] {
			cfg.matchTime = 200 * time.Millisecond
		}
		if !set["team-feeds"] {
			cfg.teamFeeds = 200
		}
		if !set["team-backtest"] {
			*teamBacktest = "10000"
		}
	}
	for _, s := range strings.Split(*teamBacktest, ",") {
		if s = strings.TrimSpace(strings.ReplaceAll(s, "_", "")); s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			fatal(fmt.Errorf("-team-backtest: %q is not a store size", s))
		}
		cfg.teamBacktest = append(cfg.teamBacktest, n)
	}
	for _, s := range strings.Split(*backtest, ",") {
		if s = strings.TrimSpace(strings.ReplaceAll(s, "_", "")); s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			fatal(fmt.Errorf("-backtest: %q is not a store size", s))
		}
		cfg.backtest = append(cfg.backtest, n)
	}
	if *only != "" {
		cfg.only = map[string]bool{}
		for _, s := range strings.Split(*only, ",") {
			switch s = strings.TrimSpace(s); s {
			case "cycles", "fulltext", "match", "backtest", "stories", "desktop", "team":
				cfg.only[s] = true
			default:
				fatal(fmt.Errorf("-only: unknown section %q", s))
			}
		}
	}
	if cfg.feeds < 1 || cfg.items < 1 || cfg.runs < 1 {
		fatal(fmt.Errorf("-feeds, -items and -runs must be at least 1"))
	}
	if *rewriteSpikesFlag != "" {
		if err := rewriteSpikes(*rewriteSpikesFlag); err != nil {
			fatal(err)
		}
		return
	}
	if *rewrite != "" {
		if err := rewriteLimits(*rewrite); err != nil {
			fatal(err)
		}
		return
	}
	os.Exit(run(cfg))
}

func run(cfg *config) int {
	started := time.Now()
	mach := machineInfo()
	progress("%s", mach.oneLine())
	rep := &report{cfg: cfg, machine: mach, started: started, command: commandLine()}

	spec := genSpec{Feeds: cfg.feeds, Items: cfg.items, Base: time.Now().Add(-6 * time.Hour).Truncate(time.Second)}
	var bodies []*feedBody
	if cfg.section("cycles") || cfg.section("match") {
		progress("generating %d feeds of %d items", spec.Feeds, spec.Items)
		bodies = generate(spec)
	}
	if cfg.section("cycles") {
		cr, err := runCycles(cfg, spec, bodies)
		rep.cycles, rep.cyclesErr = cr, err
		if err != nil {
			progress("check cycles failed: %v", err)
		}
	}
	if cfg.section("fulltext") {
		fr, err := runFullText(cfg)
		rep.fulltext, rep.fulltextErr = fr, err
		if err != nil {
			progress("full-text cycles failed: %v", err)
		}
	}
	if cfg.section("match") {
		mr, err := runMatching(cfg, bodies)
		rep.match, rep.matchErr = mr, err
		if err != nil {
			progress("matching failed: %v", err)
		}
	}
	bodies = nil
	runtime.GC()
	if cfg.section("backtest") && len(cfg.backtest) > 0 {
		br, err := runBacktests(cfg)
		rep.backtests, rep.backtestErr = br, err
		if err != nil {
			progress("backtests failed: %v", err)
		}
	}
	if cfg.section("stories") && len(cfg.backtest) > 0 {
		rep.stories, rep.storiesErr = runStories(cfg)
		if rep.storiesErr != nil {
			progress("stories failed: %v", rep.storiesErr)
		}
	}
	if cfg.section("team") {
		rep.team, rep.teamErr = runTeam(cfg)
		if rep.teamErr != nil {
			progress("team database failed: %v", rep.teamErr)
		}
	}
	if cfg.section("desktop") {
		if cfg.skipDesktop {
			rep.desktopNo = "skipped (-skip-desktop)"
		} else {
			dr, err := runDesktop(cfg)
			rep.desktop, rep.desktopErr = dr, err
			if err != nil {
				progress("desktop failed: %v", err)
			}
		}
	}
	rep.elapsed = time.Since(started)
	rows := rep.rows()
	fmt.Println()
	fmt.Print(textTable(rows))
	fmt.Println()
	for _, l := range rep.targetLines(rows) {
		fmt.Println(l)
	}
	fmt.Printf("\nRun time: %s.\n", rep.elapsed.Round(time.Second))
	if cfg.md != "" {
		if err := os.WriteFile(cfg.md, []byte(rep.markdown(rows)), 0o644); err != nil {
			fatal(err)
		}
		progress("wrote %s", cfg.md)
	}
	if rep.failed() {
		return 1
	}
	return 0
}

// progress prints a line of progress on stderr.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// commandLine is how to run this benchmark again.
func commandLine() string {
	args := []string{"go", "run", "./cmd/bench"}
	for _, a := range os.Args[1:] {
		if strings.ContainsAny(a, " \t'\"$*?|&;<>()") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		args = append(args, a)
	}
	return strings.Join(args, " ")
}
