//go:build linux

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/store"
)

type desktopResult struct {
	Stories      int           // matches stored in the data directory
	Shown        int           // stories the first timeline listed (the app's trace)
	AppFirst     time.Duration // the app's own trace: since its main package started
	ExecFirst    time.Duration // since the bench started the process
	ColdFirst    time.Duration // the same with the database out of the OS file cache
	Settle       time.Duration // waited after the first timeline before measuring
	FeedsChecked int           // feeds the start-up check had tried before the idle window
	Feeds        int
	IdleWindow   time.Duration
	IdleCPU      time.Duration // utime+stime over the window
	IdlePercent  float64       // of one core
	RSS, HWM     int64         // bytes, at the end of the window
	Threads      int
	RSSByMapping string        // where the resident memory is, by mapping
	GoHeap       string        // with -desktop-gctrace: the Go heap at the last GC
	XvfbCPU      time.Duration // the X server's CPU over the idle window
	OtherStart   float64       // cores other processes used during start-up
	OtherIdle    float64       // and during the idle window

	// The floor: an idle Fyne window (cmd/bench/fynefloor) on the same X
	// server over as long a window, after the app has exited.
	Floor *floorResult

	Hidden   *hiddenResult // idle with the window hidden
	Stall    *stallResult  // the UI stall
	StallErr error
	Soak     *soakResult // memory over an hour of cycles (-soak-cycles)
	SoakErr  error
}

type floorResult struct {
	Window       time.Duration
	CPU          time.Duration
	Percent      float64
	RSS          int64
	RSSByMapping string
	Other        float64
}

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat:
// 100 on every Linux architecture Go supports.
const clockTicks = 100

// gcHeap reads a GODEBUG=gctrace=1 line: "..., 4->4->2 MB, 5 MB goal, ...".
var gcHeap = regexp.MustCompile(`(\d+)->(\d+)->(\d+) MB, (\d+) MB goal`)

var traceLine = regexp.MustCompile(`newswatch: first timeline after (\d+) ms \((\d+) stories\)`)

// desktopDataDir returns a cached data directory holding n matched
// stories: the backtest store of n articles with a topic, /e/, that
// matches every one of them, applied to the stored stories.
func desktopDataDir(cache string, n int) (string, error) {
	dir := filepath.Join(cache, fmt.Sprintf("desktop-%d-v%d", n, store.SchemaVersion))
	if _, err := os.Stat(filepath.Join(dir, "complete")); err == nil {
		return dir, nil
	}
	src, err := backtestStoreDir(cache, n)
	if err != nil {
		return "", err
	}
	progress("making a desktop data directory with %s matched stories", thousands(n))
	if err := copyDir(src, dir); err != nil {
		return "", err
	}
	os.Remove(filepath.Join(dir, "complete"))
	st, err := store.Open(dir)
	if err != nil {
		return "", err
	}
	svc := monitor.New(monitor.Config{Store: st})
	ctx := context.Background()
	t, err := svc.AddTopic(ctx, monitor.Topic{Name: "Alles", Query: "/e/", Enabled: true, Notify: true})
	if err != nil {
		svc.Close()
		return "", err
	}
	added, err := svc.ApplyTopic(ctx, t.ID, time.Time{})
	if err != nil {
		svc.Close()
		return "", err
	}
	if err := svc.Close(); err != nil {
		return "", err
	}
	progress("  %s stories matched", thousands(added))
	if added < n*99/100 {
		return "", fmt.Errorf("the topic /e/ matched only %d of %d stories", added, n)
	}
	return dir, os.WriteFile(filepath.Join(dir, "complete"), nil, 0o600)
}

// moduleRoot is the directory of go.mod.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("run the benchmark inside the Newswatch module")
	}
	return filepath.Dir(gomod), nil
}

// buildDesktop builds the app as `make build` does, with the measuring
// hooks of the build tag bench (app/bench_on.go), to its own binary
// (bin/newswatch-bench by default): bin/newswatch stays the product.
func buildDesktop(cfg *config) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	bin := cfg.bin
	if !filepath.IsAbs(bin) {
		bin = filepath.Join(root, bin)
	}
	if cfg.noBuild {
		return bin, nil
	}
	progress("building %s (CGO_ENABLED=1 go build -tags bench -o %s ./cmd/newswatch)", bin, cfg.bin)
	cmd := exec.Command("go", "build", "-tags", "bench", "-o", bin, "./cmd/newswatch")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the desktop app: %v\n%s", err, out)
	}
	return bin, nil
}

// startXvfb starts a virtual X server on the first free display from :90.
func startXvfb() (*exec.Cmd, int, error) {
	if _, err := exec.LookPath("Xvfb"); err != nil {
		return nil, 0, errors.New("Xvfb is not installed (apt-get install xvfb)")
	}
displays:
	for d := 90; d < 200; d++ {
		if exists(fmt.Sprintf("/tmp/.X%d-lock", d)) || exists(fmt.Sprintf("/tmp/.X11-unix/X%d", d)) {
			continue
		}
		cmd := exec.Command("Xvfb", fmt.Sprintf(":%d", d), "-screen", "0", "1280x800x24", "-nolisten", "tcp")
		var errb strings.Builder
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			return nil, 0, err
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		for t := time.Now(); time.Since(t) < 10*time.Second; time.Sleep(50 * time.Millisecond) {
			select {
			case <-exited:
				// Lost a race for the display, or Xvfb cannot start.
				if strings.Contains(errb.String(), "already active") {
					continue displays
				}
				return nil, 0, fmt.Errorf("Xvfb :%d exited: %s", d, lastLine(errb.String()))
			default:
			}
			if exists(fmt.Sprintf("/tmp/.X11-unix/X%d", d)) {
				return cmd, d, nil
			}
		}
		cmd.Process.Kill()
		<-exited
		return nil, 0, fmt.Errorf("Xvfb :%d did not come up in 10 s", d)
	}
	return nil, 0, errors.New("no free X display between :90 and :199")
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// stopProcess ends a process we started: SIGTERM, then SIGKILL.
func stopProcess(cmd *exec.Cmd, waited <-chan struct{}) {
	if cmd == nil || cmd.Process == nil {
		return
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-waited:
		return
	case <-time.After(5 * time.Second):
	}
	cmd.Process.Kill()
	<-waited
}

// runDesktop starts the desktop app on a copy of a data directory with
// the matched stories under Xvfb, takes its start-up time to the first
// timeline, waits until its start-up check is done, and measures its CPU
// use over the idle window and its memory.
func runDesktop(cfg *config) (*desktopResult, error) {
	bin, err := buildDesktop(cfg)
	if err != nil {
		return nil, err
	}
	src, err := desktopDataDir(cfg.cache, cfg.desktopStories)
	if err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp("", "newswatch-bench-desktop-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	data := filepath.Join(work, "data")
	home := filepath.Join(work, "home")
	os.MkdirAll(home, 0o700)
	if err := copyDir(src, data); err != nil {
		return nil, err
	}
	os.Remove(filepath.Join(data, "complete"))
	res := &desktopResult{Stories: cfg.desktopStories, IdleWindow: cfg.idle}

	xvfb, display, err := startXvfb()
	if err != nil {
		return nil, err
	}
	xvfbDone := make(chan struct{})
	go func() { xvfb.Wait(); close(xvfbDone) }()
	defer stopProcess(xvfb, xvfbDone)
	progress("Xvfb on :%d; starting %s on %s matched stories", display, filepath.Base(bin), thousands(cfg.desktopStories))

	// The measured start has the database in the OS file cache, as when
	// the app is started again (the copy just written may or may not still
	// be cached on this machine: make sure it is). A start with it out of
	// the cache, as after a reboot, follows once the app has exited.
	dbFile := filepath.Join(data, store.FileName)
	if err := readThrough(dbFile); err != nil {
		return nil, err
	}

	waitQuiet("the desktop app")
	xpid := xvfb.Process.Pid
	x0, _ := procCPU(xpid)
	startLoad := watchLoad()
	env := desktopEnv(display, data, home)
	if cfg.desktopGCTrace {
		env = append(env, "GODEBUG=gctrace=1")
	}
	app, err := startApp(bin, env)
	if err != nil {
		return nil, err
	}
	defer app.stop()
	d, m, err := app.waitFirst()
	if err != nil {
		return nil, err
	}
	res.ExecFirst = d
	ms, _ := strconv.Atoi(m[1])
	res.AppFirst = time.Duration(ms) * time.Millisecond
	res.Shown, _ = strconv.Atoi(m[2])
	cmd, start := app.cmd, app.start
	a1, _ := procCPU(cmd.Process.Pid)
	x1, _ := procCPU(xpid)
	res.OtherStart = startLoad.other("desktop start-up", time.Duration(a1+x1-x0)*time.Second/clockTicks)
	progress("first timeline after %d ms by the app's trace, %d ms since exec (%d stories listed)",
		res.AppFirst.Milliseconds(), res.ExecFirst.Milliseconds(), res.Shown)

	// Idle is after the start-up check: every feed attempted (they are
	// unreachable .example hosts) — at least the settle time, at most a
	// minute more.
	settleStart := time.Now()
	time.Sleep(cfg.settle)
	for {
		res.FeedsChecked, res.Feeds = feedsAttempted(data, start)
		if res.Feeds > 0 && res.FeedsChecked >= res.Feeds || time.Since(settleStart) > cfg.settle+time.Minute {
			break
		}
		time.Sleep(2 * time.Second)
	}
	res.Settle = time.Since(settleStart)
	select {
	case <-app.done:
		return nil, fmt.Errorf("the app exited: %s", app.tail.String())
	default:
	}
	pid := cmd.Process.Pid
	progress("start-up check: %d of %d feeds attempted; measuring idle CPU over %s", res.FeedsChecked, res.Feeds, cfg.idle)
	waitQuiet("the idle window")
	cpu, window, other, err := idleCPU("desktop idle", cfg.idle, pid, xpid)
	if err != nil {
		return nil, err
	}
	res.IdleWindow, res.IdleCPU, res.XvfbCPU, res.OtherIdle = window, cpu[0], cpu[1], other
	res.IdlePercent = 100 * res.IdleCPU.Seconds() / window.Seconds()
	status := fmt.Sprintf("/proc/%d/status", pid)
	res.RSS = statusKB(status, "VmRSS") * 1024
	res.HWM = statusKB(status, "VmHWM") * 1024
	res.Threads = int(statusKB(status, "Threads"))
	res.RSSByMapping = rssByMapping(pid, 6)
	if l := app.lastGC.Load(); l != nil {
		if m := gcHeap.FindStringSubmatch(*l); m != nil {
			res.GoHeap = fmt.Sprintf("Go heap %s MB live after the last GC (%s MB before it, goal %s MB)", m[3], m[1], m[4])
		}
	}
	progress("idle: %.2f%% CPU (%s over %s), RSS %s, peak RSS %s", res.IdlePercent, secs(res.IdleCPU), secs(window), mb(res.RSS), mb(res.HWM))
	if res.Hidden, err = measureHidden(cfg, app, xpid); err != nil {
		return nil, fmt.Errorf("the hidden window: %w", err)
	}

	app.stop()
	if err := dropFromCache(dbFile); err != nil {
		return nil, err
	}
	waitQuiet("the desktop app")
	if res.ColdFirst, err = firstTimeline(bin, desktopEnv(display, data, home)); err != nil {
		return nil, fmt.Errorf("the start with the database out of the OS file cache: %w", err)
	}
	progress("first timeline with the database out of the OS file cache: %d ms since exec", res.ColdFirst.Milliseconds())
	if res.Floor, err = runFloor(cfg, display, work); err != nil {
		return nil, fmt.Errorf("the Fyne floor: %w", err)
	}
	if res.Stall, res.StallErr = runStall(cfg, bin, display, src, work); res.StallErr != nil {
		progress("UI stall failed: %v", res.StallErr)
	}
	if cfg.soakCycles > 0 {
		if res.Soak, res.SoakErr = runSoak(cfg, bin, display, src, work); res.SoakErr != nil {
			progress("soak failed: %v", res.SoakErr)
		}
	}
	return res, nil
}

// appRun is the desktop app started by the bench, its stderr read and
// its stdin open for the bench build's commands (app/bench_on.go).
type appRun struct {
	cmd    *exec.Cmd
	start  time.Time
	done   chan struct{} // closed once it has exited
	first  chan []string // the trace line of its first timeline
	tail   tailBuffer    // its last lines of output
	lastGC atomic.Pointer[string]
	stdin  io.WriteCloser
	hooks  appHooks // the answers of its measuring hooks
}

// startApp starts the app (a bench build, which prints the trace line of
// its first timeline).
func startApp(bin string, env []string) (*appRun, error) {
	a := &appRun{cmd: exec.Command(bin), done: make(chan struct{}), first: make(chan []string, 1)}
	a.cmd.Env = env
	a.cmd.Stdout = io.Discard
	stderr, err := a.cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if a.stdin, err = a.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	a.hooks.init()
	a.start = time.Now()
	if err := a.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "gc ") {
				a.lastGC.Store(&line)
				continue
			}
			if a.hooks.read(line) {
				continue
			}
			a.tail.add(line)
			if m := traceLine.FindStringSubmatch(line); m != nil {
				select {
				case a.first <- m:
				default:
				}
			}
		}
		a.cmd.Wait()
		close(a.done)
	}()
	return a, nil
}

// waitFirst waits for the first timeline: the time since exec and the
// trace line's submatches.
func (a *appRun) waitFirst() (time.Duration, []string, error) {
	select {
	case m := <-a.first:
		return time.Since(a.start), m, nil
	case <-a.done:
		return 0, nil, fmt.Errorf("the app exited before showing its timeline: %s", a.tail.String())
	case <-time.After(120 * time.Second):
		return 0, nil, fmt.Errorf("no first timeline after 120 s: %s", a.tail.String())
	}
}

func (a *appRun) stop() { stopProcess(a.cmd, a.done) }

// idleCPU waits d and returns the CPU time each process used meanwhile
// (the first must be running; the others count 0 when they cannot be
// read), the window, and the cores other processes used meanwhile.
func idleCPU(what string, d time.Duration, pids ...int) ([]time.Duration, time.Duration, float64, error) {
	read := func() ([]int64, error) {
		ticks := make([]int64, len(pids))
		for i, pid := range pids {
			t, err := procCPU(pid)
			if err != nil && i == 0 {
				return nil, err
			}
			ticks[i] = t
		}
		return ticks, nil
	}
	t0, err := read()
	if err != nil {
		return nil, 0, 0, err
	}
	load, w0 := watchLoad(), time.Now()
	time.Sleep(d)
	t1, err := read()
	if err != nil {
		return nil, 0, 0, err
	}
	window := time.Since(w0)
	cpu := make([]time.Duration, len(pids))
	var ours time.Duration
	for i := range pids {
		cpu[i] = time.Duration(max(0, t1[i]-t0[i])) * time.Second / clockTicks
		ours += cpu[i]
	}
	return cpu, window, load.other(what, ours), nil
}

// firstTimeline starts the app, returns the time from exec to its first
// timeline and stops it.
func firstTimeline(bin string, env []string) (time.Duration, error) {
	a, err := startApp(bin, env)
	if err != nil {
		return 0, err
	}
	defer a.stop()
	d, _, err := a.waitFirst()
	return d, err
}

// floorSettle is how long the floor window runs before its idle window.
const floorSettle = 5 * time.Second

// runFloor builds cmd/bench/fynefloor and measures it idle on the display
// as the app was measured.
func runFloor(cfg *config, display int, work string) (*floorResult, error) {
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(work, "fynefloor")
	build := exec.Command("go", "build", "-o", bin, "./cmd/bench/fynefloor")
	build.Dir = root
	build.Env = append(os.Environ(), "CGO_ENABLED=1")
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building it: %v\n%s", err, out)
	}
	home := filepath.Join(work, "floor-home")
	os.MkdirAll(home, 0o700)
	cmd := exec.Command(bin)
	cmd.Env = desktopEnv(display, filepath.Join(work, "floor-data"), home)
	var errb strings.Builder // read once it has exited
	cmd.Stdout, cmd.Stderr = io.Discard, &errb
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	defer stopProcess(cmd, done)
	progress("the Fyne floor (an idle window): measuring its CPU over %s", secs(cfg.idle))
	select {
	case <-done:
		return nil, fmt.Errorf("it exited: %s", lastLine(errb.String()))
	case <-time.After(floorSettle):
	}
	waitQuiet("the Fyne floor")
	pid := cmd.Process.Pid
	cpu, window, other, err := idleCPU("the Fyne floor", cfg.idle, pid)
	if err != nil {
		return nil, err
	}
	r := &floorResult{Window: window, CPU: cpu[0], Other: other}
	r.Percent = 100 * r.CPU.Seconds() / r.Window.Seconds()
	r.RSS = statusKB(fmt.Sprintf("/proc/%d/status", pid), "VmRSS") * 1024
	r.RSSByMapping = rssByMapping(pid, 4)
	progress("the Fyne floor: %.2f%% CPU (%s over %s), RSS %s", r.Percent, secs(r.CPU), secs(r.Window), mb(r.RSS))
	return r, nil
}

func desktopEnv(display int, data, home string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "DISPLAY", "WAYLAND_DISPLAY", "NEWSWATCH_DATA", "DBUS_SESSION_BUS_ADDRESS",
			"LANG", "LC_ALL", "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR":
			continue
		}
		env = append(env, kv)
	}
	return append(env, fmt.Sprintf("DISPLAY=:%d", display), "NEWSWATCH_DATA="+data, "DBUS_SESSION_BUS_ADDRESS=",
		"LANG=C.UTF-8", "HOME="+home)
}

// feedsAttempted counts the feeds in the data directory fetched (or
// tried) since start, read through a second store as the CLI would.
func feedsAttempted(data string, since time.Time) (attempted, total int) {
	st, err := store.OpenFile(filepath.Join(data, store.FileName))
	if err != nil {
		return 0, 0
	}
	defer st.Close()
	feeds, err := st.Feeds(context.Background())
	if err != nil {
		return 0, 0
	}
	for _, f := range feeds {
		if !f.LastFetch.Before(since.Add(-time.Second)) {
			attempted++
		}
	}
	return attempted, len(feeds)
}

// procCPU is utime+stime of a process in clock ticks.
func procCPU(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	s := string(b)
	// The command name may hold spaces and parentheses: fields count from
	// after its closing parenthesis (field 3, state, comes first).
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("cannot read %s", s)
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return ut + st, nil
}

// tailBuffer keeps the last lines of a stream for error messages.
type tailBuffer struct {
	mu    sync.Mutex
	lines []string
}

func (t *tailBuffer) add(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines = append(t.lines, s)
	if len(t.lines) > 20 {
		t.lines = t.lines[1:]
	}
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n")
}

// rssByMapping sums a process's resident memory by what is mapped
// (/proc/PID/smaps): anonymous memory (the Go heap, the GL driver's
// buffers) or the file, and lists the largest n.
func rssByMapping(pid, n int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		return ""
	}
	sums := map[string]int64{}
	name := ""
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":") {
			name = "anonymous"
			if len(f) >= 6 {
				name = filepath.Base(f[5])
				if strings.HasPrefix(f[5], "[") {
					name = f[5]
					if name == "[heap]" {
						name = "anonymous"
					}
				}
			}
			continue
		}
		if f[0] == "Rss:" && len(f) >= 2 {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			sums[name] += kb * 1024
		}
	}
	type kv struct {
		k string
		v int64
	}
	var list []kv
	for k, v := range sums {
		list = append(list, kv{k, v})
	}
	slices.SortFunc(list, func(a, b kv) int { return int(b.v - a.v) })
	var parts []string
	for i, e := range list {
		if i == n {
			break
		}
		parts = append(parts, fmt.Sprintf("%s %s", e.k, mb(e.v)))
	}
	return strings.Join(parts, ", ")
}
