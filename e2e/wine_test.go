//go:build winsmoke

package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// wine runs Windows programs in a temporary Wine prefix of its own.
type wine struct {
	prefix string   // the prefix directory; C: is prefix/drive_c
	env    []string // the environment of every Wine process
}

// newWine makes a Wine prefix in a temporary directory and puts the
// ProcessPrng DLL Go programs need into it (testdata/bcryptprimitives.c).
// wineserver is stopped and the prefix removed when the test ends.
func newWine(t *testing.T) *wine {
	t.Helper()
	for _, tool := range []string{"wine", "wineboot", "wineserver", "x86_64-w64-mingw32-gcc"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (Debian: wine wine64 gcc-mingw-w64-x86-64; make windows-smoke installs them)", tool)
		}
	}
	if os.Getenv("DISPLAY") == "" {
		t.Skip("no X display: run the test under xvfb-run (make windows-smoke does)")
	}
	dir, err := os.MkdirTemp("", "newswatch-wine-")
	if err != nil {
		t.Fatal(err)
	}
	w := &wine{prefix: filepath.Join(dir, "prefix")}
	w.env = append(cleanEnv(),
		"WINEPREFIX="+w.prefix,
		"WINEDEBUG=-all",
		// No Mono or Gecko install dialogs: Newswatch needs neither.
		"WINEDLLOVERRIDES=mscoree,mshtml=",
		// Wine converts arguments and the environment by the locale.
		"LANG=C.UTF-8",
	)
	t.Cleanup(func() {
		cmd := exec.Command("wineserver", "-k")
		cmd.Env = w.env
		cmd.Run()
		// wineserver -k returns before its processes are gone.
		time.Sleep(time.Second)
		os.RemoveAll(dir)
	})
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	boot := exec.CommandContext(ctx, "wineboot", "-i")
	boot.Env = w.env
	if out, err := boot.CombinedOutput(); err != nil {
		t.Fatalf("wineboot -i: %v\n%s", err, out)
	}
	system32 := filepath.Join(w.prefix, "drive_c", "windows", "system32")
	gcc := exec.Command("x86_64-w64-mingw32-gcc", "-shared", "-O2", "-s",
		"-o", filepath.Join(system32, "bcryptprimitives.dll"), "testdata/bcryptprimitives.c", "-ladvapi32")
	if out, err := gcc.CombinedOutput(); err != nil {
		t.Fatalf("building bcryptprimitives.dll: %v\n%s", err, out)
	}
	t.Logf("Wine prefix %s ready in %v", w.prefix, time.Since(start).Round(100*time.Millisecond))
	return w
}

// cleanEnv is the test's environment without what would take the user's
// data directory, language or Wine prefix into the test.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case k == "NEWSWATCH_DATA", k == "LANG", k == "LANGUAGE", strings.HasPrefix(k, "LC_"),
			strings.HasPrefix(k, "WINE"):
			continue
		}
		env = append(env, kv)
	}
	return env
}

// unixPath is where the Windows path C:\... lies in the prefix.
func (w *wine) unixPath(winPath string) string {
	rest, ok := strings.CutPrefix(winPath, `C:\`)
	if !ok {
		panic("not on C: " + winPath)
	}
	return filepath.Join(w.prefix, "drive_c", filepath.FromSlash(strings.ReplaceAll(rest, `\`, "/")))
}

// command is a Windows program run by Wine, with extra environment.
func (w *wine) command(ctx context.Context, exe string, args []string, env ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "wine", append([]string{exe}, args...)...)
	cmd.Env = append(append([]string{}, w.env...), env...)
	return cmd
}

// result is what a finished Windows program said.
type result struct {
	stdout, stderr string
	code           int
}

// run runs a Windows program to its end, at most two minutes (Wine starts
// slowly, the first time most).
func (w *wine) run(t *testing.T, exe string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := w.command(ctx, exe, args)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("%s %s did not end within 2 minutes\n%s", filepath.Base(exe), strings.Join(args, " "), r)
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("wine %s: %v", exe, err)
	}
	return r
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout ---\n%s--- stderr ---\n%s--- end ---", r.code, r.stdout, r.stderr)
}

// newswatch runs newswatch.exe and fails the test unless it exits 0.
func (w *wine) newswatch(t *testing.T, exe string, args ...string) string {
	t.Helper()
	r := w.run(t, exe, args...)
	if r.code != 0 {
		t.Fatalf("newswatch.exe %s: %s", strings.Join(args, " "), r)
	}
	return r.stdout
}

// proc is a started program whose end is watched.
type proc struct {
	cmd            *exec.Cmd
	done           chan struct{} // closed when it has ended
	err            error         // cmd.Wait's, set before done is closed
	stdout, stderr syncBuffer
}

func startProc(cmd *exec.Cmd) (*proc, error) {
	p := &proc{cmd: cmd, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = &p.stdout, &p.stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// kill ends the program if it still runs.
func (p *proc) kill() {
	select {
	case <-p.done:
	default:
		p.cmd.Process.Kill()
		<-p.done
	}
}

func (p *proc) output() string {
	return "--- stdout ---\n" + p.stdout.String() + "--- stderr ---\n" + p.stderr.String() + "--- end ---"
}

// syncBuffer collects output that is read while it is written.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
