//go:build e2e

package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestClickOnNotification: where the notification daemon offers actions,
// the desktop app's notification has a click (the default action) and a
// "Mark read" button; a click brings the window up with the story it
// named, which is then read.
func TestClickOnNotification(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Skip("no D-Bus session bus: run the test on a private one, e.g. `make e2e`")
	}
	bin := newswatchBinary(t)
	display := startXvfb(t)
	daemon := startFakeDaemon(t, "body", "actions", "body-markup")

	now := time.Now()
	feed := newFeedServer(t, "Testfeed")
	feed.add(story{title: "Wetter: Sturm an der Küste", guid: "wetter-1", description: "Orkanböen.", published: now.Add(-time.Hour)})
	home := t.TempDir()
	data := filepath.Join(home, "data")
	env := childEnv(home)
	nw := func(args ...string) string {
		t.Helper()
		return runCLI(t, bin, env, append([]string{"--data", data}, args...)...)
	}
	nw("feeds", "add", feed.feedURL(), "--no-check")
	nw("topics", "add", "Lawrow")
	nw("check") // the backlog
	feed.add(story{title: "Lawrow trifft Wang Yi in Peking", guid: "lawrow-1", description: "Gespräche über die Ukraine.", published: now})

	cmd := exec.Command(bin, "--data", data)
	cmd.Env = childEnv(home, "DISPLAY="+display)
	app, err := start(cmd)
	if err != nil {
		t.Fatalf("starting the desktop app: %v", err)
	}
	t.Cleanup(func() {
		if !app.exited() {
			app.stop(2 * time.Second)
		}
		if t.Failed() {
			t.Logf("desktop app output:\n%s", app.output())
		}
	})

	var got *notification
	timeout := time.After(60 * time.Second)
	for got == nil {
		select {
		case n := <-daemon.calls:
			if strings.Contains(n.Summary, "Lawrow") {
				got = &n
			}
		case <-app.done:
			t.Fatalf("the desktop app exited (%v) before notifying", app.err)
		case <-timeout:
			t.Fatalf("no notification about Lawrow within 60s (%s)", feed.stats())
		}
	}
	t.Logf("notification %d: %q, actions %q", got.ID, got.Summary, got.Actions)
	if !slices.Contains(got.Actions, "default") || !slices.Contains(got.Actions, "read") {
		t.Fatalf("actions offered: %q; want the click (default) and Mark read", got.Actions)
	}
	if unread(t, nw) != 1 {
		t.Fatalf("before the click: want the story unread")
	}

	// The click, as the daemon reports it.
	if err := daemon.invoke(got.ID, "default"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for unread(t, nw) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("20s after the click the story is still unread: the window did not open it")
		}
		time.Sleep(300 * time.Millisecond)
	}
	if stderr := app.stderr.String(); strings.Contains(stderr, fyneThreadError) {
		t.Errorf("the desktop app's stderr reports a threading bug:\n%s", stderr)
	}
	if !app.stop(10 * time.Second) {
		t.Errorf("the desktop app did not exit within 10s of SIGTERM")
	}
}

// unread counts the unread stories, as the command line exports them.
func unread(t *testing.T, nw func(...string) string) int {
	t.Helper()
	var rows []map[string]any
	if err := json.Unmarshal([]byte(nw("export", "--format", "json", "--unread")), &rows); err != nil {
		t.Fatalf("export: %v", err)
	}
	return len(rows)
}
