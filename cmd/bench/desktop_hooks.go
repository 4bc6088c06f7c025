//go:build linux

package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// The bench build of the app (go build -tags bench, app/bench_on.go)
// answers commands on its standard input with lines on its standard error
// that start "newswatch-bench: "; after every check cycle it prints
// "newswatch-bench: cycle matches=N".

const hookPrefix = "newswatch-bench: "

// appHooks sorts the app's hook lines: answers to commands, and cycles.
type appHooks struct {
	answers chan string
	cycles  chan cycleSeen
}

// cycleSeen is a check cycle the app finished.
type cycleSeen struct {
	at      time.Time
	matches int
}

func (h *appHooks) init() {
	h.answers = make(chan string, 64)
	h.cycles = make(chan cycleSeen, 1024)
}

// read takes a line of the app's standard error; it reports whether the
// line was a hook's.
func (h *appHooks) read(line string) bool {
	rest, ok := strings.CutPrefix(line, hookPrefix)
	if !ok {
		return false
	}
	if m, ok := strings.CutPrefix(rest, "cycle matches="); ok {
		n, _ := strconv.Atoi(m)
		select {
		case h.cycles <- cycleSeen{at: time.Now(), matches: n}:
		default: // nobody is counting cycles
		}
		return true
	}
	select {
	case h.answers <- rest:
	default:
	}
	return true
}

// command sends a command to the app's hooks and waits for its answer,
// which must start with want.
func (a *appRun) command(cmd, want string, timeout time.Duration) (string, error) {
	for len(a.hooks.answers) > 0 { // answers nobody waited for
		<-a.hooks.answers
	}
	if _, err := io.WriteString(a.stdin, cmd+"\n"); err != nil {
		return "", fmt.Errorf("sending %q to the app: %w", cmd, err)
	}
	select {
	case ans := <-a.hooks.answers:
		if !strings.HasPrefix(ans, want) {
			return "", fmt.Errorf("the app answered %q to %q (is it a -tags bench build?)", ans, cmd)
		}
		return ans, nil
	case <-a.done:
		return "", fmt.Errorf("the app exited during %q: %s", cmd, a.tail.String())
	case <-time.After(timeout):
		return "", fmt.Errorf("the app did not answer %q in %s (is it a -tags bench build?)", cmd, timeout)
	}
}

// nextCycle waits for the app to finish a check cycle.
func (a *appRun) nextCycle(timeout time.Duration) (cycleSeen, error) {
	select {
	case c := <-a.hooks.cycles:
		return c, nil
	case <-a.done:
		return cycleSeen{}, fmt.Errorf("the app exited: %s", a.tail.String())
	case <-time.After(timeout):
		return cycleSeen{}, fmt.Errorf("the app finished no check cycle in %s", timeout)
	}
}

// hiddenResult is the app's idle CPU with its window hidden, as when it
// is closed to the tray.
type hiddenResult struct {
	Window  time.Duration
	CPU     time.Duration
	Percent float64
	XvfbCPU time.Duration
	Other   float64
}

// measureHidden hides the app's window and measures its idle CPU as the
// shown window's was measured.
func measureHidden(cfg *config, app *appRun, xpid int) (*hiddenResult, error) {
	if _, err := app.command("hide", "hidden", time.Minute); err != nil {
		return nil, err
	}
	time.Sleep(floorSettle)
	waitQuiet("the hidden window")
	progress("window hidden: measuring idle CPU over %s", secs(cfg.idle))
	cpu, window, other, err := idleCPU("desktop hidden", cfg.idle, app.cmd.Process.Pid, xpid)
	if err != nil {
		return nil, err
	}
	r := &hiddenResult{Window: window, CPU: cpu[0], XvfbCPU: cpu[1], Other: other}
	r.Percent = 100 * r.CPU.Seconds() / window.Seconds()
	progress("hidden: %.2f%% CPU (%s over %s)", r.Percent, secs(r.CPU), secs(window))
	return r, nil
}
