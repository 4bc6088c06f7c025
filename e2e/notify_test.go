//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fyneThreadError is what Fyne prints when the app touches the UI off the
// UI goroutine.
const fyneThreadError = "*** Error in Fyne call thread"

// TestDesktopNotifiesNewMatch runs the desktop app against a feed that
// gains a story about a watched topic after its first fetch: the app's
// start-up check must announce it with one desktop notification.
func TestDesktopNotifiesNewMatch(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Skip("no D-Bus session bus: run the test on a private one, e.g. " +
			"`dbus-run-session -- go test -tags e2e -count=1 -v ./e2e/` or `make e2e`")
	}
	bin := newswatchBinary(t)
	display := startXvfb(t)
	notes := startFakeNotifier(t)

	now := time.Now()
	feed := newFeedServer(t, "Testfeed")
	feed.add(story{title: "Wetter: Sturm an der Küste", guid: "wetter-1",
		description: "Orkanböen an der Nordsee.", published: now.Add(-time.Hour)})

	home := t.TempDir()
	data := filepath.Join(home, "data")
	env := childEnv(home)
	nw := func(args ...string) string {
		t.Helper()
		return runCLI(t, bin, env, append([]string{"--data", data}, args...)...)
	}
	nw("feeds", "add", feed.feedURL(), "--no-check")
	nw("topics", "add", "Ukraine")
	// The first fetch: what the feed holds now is backlog, not news.
	t.Logf("newswatch check:\n%s", nw("check"))

	// The story's title holds markup as text (escaped in the feed's HTML):
	// the notification daemon reads a body as markup, so it must arrive
	// escaped, as text and never as a link.
	feed.add(story{title: `Ukraine: Waffenruhe gebrochen &lt;a href="javascript:alert(1)"&gt;mehr&lt;/a&gt; &amp; Co`, guid: "ukraine-1",
		description: "Beide Seiten werfen einander Angriffe vor.", published: now})

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
	started := time.Now()

	// Its start-up check finds the new story and tells the desktop.
	var got *notification
	timeout := time.After(60 * time.Second)
	for got == nil {
		select {
		case n := <-notes:
			t.Logf("Notify after %v from %q: summary %q, body %q", time.Since(started).Round(time.Millisecond), n.AppName, n.Summary, n.Body)
			if strings.Contains(n.Summary, "Ukraine") {
				got = &n
			}
		case <-app.done:
			t.Fatalf("the desktop app exited (%v) before notifying about Ukraine (%s)", app.err, feed.stats())
		case <-timeout:
			t.Fatalf("no notification about Ukraine within 60s (%s)", feed.stats())
		}
	}
	if want := "Ukraine — 1 new story"; got.Summary != want {
		t.Errorf("notification summary = %q, want %q", got.Summary, want)
	}
	for _, want := range []string{`Waffenruhe gebrochen &lt;a href="javascript:alert(1)"&gt;mehr&lt;/a&gt; &amp; Co`, "Testfeed"} {
		if !strings.Contains(got.Body, want) {
			t.Errorf("notification body = %q, want it to contain %q", got.Body, want)
		}
	}
	if strings.Contains(got.Body, "<a") {
		t.Errorf("notification body %q holds markup", got.Body)
	}

	// Once, not again.
	quiet := time.After(3 * time.Second)
wait:
	for {
		select {
		case n := <-notes:
			t.Logf("Notify from %q: summary %q, body %q", n.AppName, n.Summary, n.Body)
			if strings.Contains(n.Summary, "Ukraine") {
				t.Errorf("a second notification about Ukraine: %q, %q", n.Summary, n.Body)
			}
		case <-app.done:
			t.Fatalf("the desktop app exited (%v) by itself after notifying", app.err)
		case <-quiet:
			break wait
		}
	}

	// It quits on SIGTERM.
	if !app.stop(10 * time.Second) {
		t.Errorf("the desktop app did not exit within 10s of SIGTERM; killed it")
	} else if app.err != nil {
		t.Logf("the desktop app exited after SIGTERM: %v", app.err)
	}
	if stderr := app.stderr.String(); strings.Contains(stderr, fyneThreadError) {
		t.Errorf("the desktop app's stderr reports a threading bug (%q):\n%s", fyneThreadError, stderr)
	}
	t.Logf("%s; the app ran %v", feed.stats(), time.Since(started).Round(time.Millisecond))
}
