//go:build winsmoke

package e2e

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// desktopApp starts the desktop app on the data directory the command
// line filled, waits for its window and takes a screenshot, closes the
// window (the app stays in the tray), starts it a second time (which shows
// the first one's window and exits) and ends it as Windows does at logoff.
func desktopApp(t *testing.T, w *wine, exe, dataDir string) {
	for _, tool := range []string{"xwininfo", "xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed (Debian: x11-utils, xdotool, imagemagick)", tool)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	app, err := startProc(w.command(ctx, exe, []string{"--data", dataDir}))
	if err != nil {
		t.Fatal(err)
	}
	defer app.kill()

	start := time.Now()
	if !waitFor(2*time.Minute, app, func() bool { return windowShown("Newswatch") }) {
		t.Fatalf("no Newswatch window after %v\n%s", time.Since(start).Round(time.Second), app.output())
	}
	t.Logf("the window is there after %v", time.Since(start).Round(100*time.Millisecond))
	shot := os.Getenv("NEWSWATCH_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(t.TempDir(), "windows-smoke.png")
	}
	// Rendered: more than a handful of colours (text is anti-aliased), not
	// the black of an empty screen or the one colour of a blank window.
	var colours int
	rendered := waitFor(time.Minute, app, func() bool {
		var err error
		colours, err = screenshot(shot)
		return err == nil && colours >= 64
	})
	if !rendered {
		t.Fatalf("the window shows nothing after a minute (%d colours on the screen, %s)\n%s", colours, shot, app.output())
	}
	time.Sleep(3 * time.Second) // the timeline loads after the window shows
	if colours, err := screenshot(shot); err != nil || colours < 64 {
		t.Fatalf("screenshot: %v, %d colours", err, colours)
	}
	t.Logf("screenshot: %s (%d colours)", shot, colours)

	// Closing the window (Alt+F4) hides it: the app stays in the tray.
	win := windowID(t, "Newswatch")
	if out, err := exec.Command("xdotool", "windowfocus", "--sync", win, "key", "--window", win, "alt+F4").CombinedOutput(); err != nil {
		t.Fatalf("xdotool: %v\n%s", err, out)
	}
	if !waitFor(30*time.Second, app, func() bool { return !mapped(win) }) {
		t.Fatalf("the window is still shown after Alt+F4\n%s", app.output())
	}
	time.Sleep(2 * time.Second)
	select {
	case <-app.done:
		t.Fatalf("the app quit when its window was closed; it should stay in the tray\n%s", app.output())
	default:
	}

	// A second start hands over to the running app, which shows its
	// window again, and exits.
	if out := w.newswatch(t, exe, "--data", dataDir); !strings.Contains(out, "already running") {
		t.Errorf("a second start said %q; want that Newswatch is already running", out)
	}
	if !waitFor(30*time.Second, app, func() bool { return mapped(win) }) {
		t.Errorf("the window did not come back on the second start\n%s", app.output())
	}

	// Ending it from outside as Windows does at logoff (taskkill without
	// /f sends WM_CLOSE to its windows, the tray's too) quits it cleanly.
	w.run(t, `C:\windows\system32\taskkill.exe`, "/im", "newswatch.exe")
	select {
	case <-app.done:
		if app.err != nil {
			t.Errorf("the app ended with %v\n%s", app.err, app.output())
		}
	case <-time.After(time.Minute):
		t.Fatalf("the app did not quit within a minute of taskkill\n%s", app.output())
	}
	if lock, err := os.ReadFile(filepath.Join(w.unixPath(dataDir), "desktop.lock")); err != nil || len(lock) != 0 {
		t.Errorf("desktop.lock after quitting: %q, %v; want it emptied by the app", lock, err)
	}
	if s := app.stderr.String(); strings.Contains(s, "panic") || strings.Contains(s, "Error in Fyne call thread") {
		t.Errorf("the app's log:\n%s", s)
	}
	t.Logf("the desktop app's output:\n%s", app.output())
}

// waitFor polls cond until it holds, the process ended or the time is up.
func waitFor(limit time.Duration, p *proc, cond func() bool) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		select {
		case <-p.done:
			return cond()
		case <-time.After(500 * time.Millisecond):
		}
	}
	return false
}

// windowShown reports whether a window of that title is on the X server.
func windowShown(title string) bool {
	out, err := exec.Command("xwininfo", "-root", "-tree").Output()
	return err == nil && titled(title).Match(out)
}

// titled matches the app's window title in xwininfo's quotes: the title,
// with the number of unread stories after it once there are any
// ("Newswatch (3)").
func titled(title string) *regexp.Regexp {
	return regexp.MustCompile(`"` + regexp.QuoteMeta(title) + `( \([0-9]+\))?"`)
}

// windowID is the X window of that title.
func windowID(t *testing.T, title string) string {
	t.Helper()
	out, err := exec.Command("xdotool", "search", "--name", "^"+regexp.QuoteMeta(title)+`( \([0-9]+\))?$`).Output()
	ids := strings.Fields(string(out))
	if err != nil || len(ids) != 1 {
		t.Fatalf("xdotool search %q: %v, %q", title, err, ids)
	}
	return ids[0]
}

// mapped reports whether the X window is shown.
func mapped(id string) bool {
	out, err := exec.Command("xwininfo", "-id", id).Output()
	return err == nil && bytes.Contains(out, []byte("IsViewable"))
}

// screenshot saves the screen as a PNG and counts its colours.
func screenshot(path string) (int, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return 0, err
	}
	if out, err := exec.Command("import", "-window", "root", path).CombinedOutput(); err != nil {
		return 0, errors.New(string(out))
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return 0, err
	}
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(seen), nil
}
