//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/xml"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// lockedBuffer collects a process's output; it may be read while the
// process still writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// process is a started command whose end is watched.
type process struct {
	cmd    *exec.Cmd
	done   chan struct{} // closed when the process has exited
	err    error         // cmd.Wait's result, set before done is closed
	stdout lockedBuffer
	stderr lockedBuffer
}

// start starts cmd with its output captured.
func start(cmd *exec.Cmd) (*process, error) {
	p := &process{cmd: cmd, done: make(chan struct{})}
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

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop sends SIGTERM and waits up to grace for the process to end, then
// kills it. It reports whether the process ended on its own.
func (p *process) stop(grace time.Duration) bool {
	if p.exited() {
		return true
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return true
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.done
		return false
	}
}

func (p *process) output() string {
	return fmt.Sprintf("--- stdout ---\n%s--- stderr ---\n%s--- end ---", p.stdout.String(), p.stderr.String())
}

// newswatchBinary returns $NEWSWATCH_BIN, or builds cmd/newswatch into a
// temporary directory.
func newswatchBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("NEWSWATCH_BIN"); bin != "" {
		if _, err := os.Stat(bin); err != nil {
			t.Fatalf("NEWSWATCH_BIN: %v", err)
		}
		return bin
	}
	bin := filepath.Join(t.TempDir(), "newswatch")
	t.Logf("building %s (set NEWSWATCH_BIN to use a built binary)", bin)
	cmd := exec.Command("go", "build", "-o", bin, "../cmd/newswatch")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ../cmd/newswatch: %v\n%s", err, out)
	}
	return bin
}

// childEnv is the environment of the commands the test runs: the test's
// own (with its D-Bus session bus address), but a private home so that
// no preferences of the user's (alerts paused, quiet hours) and no
// display or data directory of theirs take part, and LANG=C.UTF-8.
func childEnv(home string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case k == "HOME", k == "DISPLAY", k == "WAYLAND_DISPLAY", k == "NEWSWATCH_DATA", k == "NEWSWATCH_STORE", k == "NEWSWATCH_USER",
			k == "LANG", k == "LANGUAGE", strings.HasPrefix(k, "LC_"), strings.HasPrefix(k, "XDG_"):
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"),
		"XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		"LANG=C.UTF-8",
	)
	return append(env, extra...)
}

// runCLI runs one newswatch command line and returns its output; it fails
// the test when the command does not exit 0 within 30 seconds.
func runCLI(t *testing.T, bin string, env []string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("newswatch %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// startXvfb starts a virtual X server on the first free display from :90
// on and returns its name (":90"). The server is stopped when the test
// ends.
func startXvfb(t *testing.T) string {
	t.Helper()
	xvfb, err := exec.LookPath("Xvfb")
	if err != nil {
		t.Fatalf("Xvfb is not installed (Debian: apt-get install xvfb, or run make e2e): %v", err)
	}
	exists := func(path string) bool {
		_, err := os.Lstat(path)
		return err == nil
	}
next:
	for n := 90; n < 120; n++ {
		sock, lock := fmt.Sprintf("/tmp/.X11-unix/X%d", n), fmt.Sprintf("/tmp/.X%d-lock", n)
		if exists(sock) || exists(lock) {
			continue
		}
		display := fmt.Sprintf(":%d", n)
		p, err := start(exec.Command(xvfb, display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"))
		if err != nil {
			t.Fatalf("starting Xvfb: %v", err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			if p.exited() {
				// Most likely another server took the display meanwhile.
				t.Logf("Xvfb %s exited (%v); trying the next display\n%s", display, p.err, p.stderr.String())
				continue next
			}
			// Ready when the display is ours (its lock file holds our
			// server's process ID: another one may have started at the
			// same time) and accepts connections.
			if ownsLock(lock, p.cmd.Process.Pid) {
				if c, err := net.Dial("unix", sock); err == nil {
					c.Close()
					break
				}
			}
			if time.Now().After(deadline) {
				p.stop(time.Second)
				t.Fatalf("Xvfb %s did not become ready (%s, %s) within 10s\n%s", display, lock, sock, p.output())
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Cleanup(func() {
			if !p.stop(5 * time.Second) {
				t.Errorf("Xvfb %s did not stop on SIGTERM; killed it", display)
			}
		})
		t.Logf("Xvfb runs on display %s", display)
		return display
	}
	t.Fatal("no free X display from :90 to :119")
	return ""
}

// ownsLock reports whether an X server's lock file names process pid.
func ownsLock(lock string, pid int) bool {
	b, err := os.ReadFile(lock)
	if err != nil {
		return false
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	return err == nil && n == pid
}

// notification is one org.freedesktop.Notifications.Notify call.
type notification struct {
	ID         uint32 // the id the daemon gave it
	AppName    string
	ReplacesID uint32
	AppIcon    string
	Summary    string
	Body       string
	Actions    []string
	Hints      map[string]dbus.Variant
	Timeout    int32
}

// fakeNotifier is a notification daemon on the session bus that records
// what it is asked to show. Its exported methods are the D-Bus methods of
// org.freedesktop.Notifications.
type fakeNotifier struct {
	calls chan notification
	caps  []string
	conn  *dbus.Conn

	mu     sync.Mutex
	lastID uint32
}

func (f *fakeNotifier) Notify(appName string, replacesID uint32, appIcon, summary, body string,
	actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	f.mu.Lock()
	f.lastID++
	id := f.lastID
	f.mu.Unlock()
	n := notification{id, appName, replacesID, appIcon, summary, body, actions, hints, timeout}
	select {
	case f.calls <- n:
	default: // never block the bus; the test reads long before this fills
	}
	return id, nil
}

func (f *fakeNotifier) GetCapabilities() ([]string, *dbus.Error) {
	return f.caps, nil
}

// invoke emits ActionInvoked for a notification, as a click on it (the
// "default" action) or on one of its buttons does.
func (f *fakeNotifier) invoke(id uint32, action string) error {
	return f.conn.Emit("/org/freedesktop/Notifications", "org.freedesktop.Notifications.ActionInvoked", id, action)
}

func (f *fakeNotifier) GetServerInformation() (name, vendor, version, spec string, err *dbus.Error) {
	return "newswatch-e2e", "Newswatch", "1.0", "1.2", nil
}

func (f *fakeNotifier) CloseNotification(id uint32) *dbus.Error {
	return nil
}

// startFakeNotifier owns org.freedesktop.Notifications on the session bus
// until the test ends and returns the channel of Notify calls. The daemon
// reads bodies as markup, as dunst, GNOME Shell and Plasma do; it offers
// no actions.
func startFakeNotifier(t *testing.T) <-chan notification {
	t.Helper()
	return startFakeDaemon(t, "body", "body-markup").calls
}

// startFakeDaemon owns org.freedesktop.Notifications on the session bus
// until the test ends, with the capabilities given ("actions": clicks and
// buttons).
func startFakeDaemon(t *testing.T, caps ...string) *fakeNotifier {
	t.Helper()
	conn, err := dbus.ConnectSessionBus() // private: closed at the end
	if err != nil {
		t.Fatalf("connecting to the session bus %s: %v", os.Getenv("DBUS_SESSION_BUS_ADDRESS"), err)
	}
	t.Cleanup(func() { conn.Close() })
	f := &fakeNotifier{calls: make(chan notification, 64), caps: caps, conn: conn}
	const name, path = "org.freedesktop.Notifications", "/org/freedesktop/Notifications"
	if err := conn.Export(f, path, name); err != nil {
		t.Fatalf("exporting the fake notification daemon: %v", err)
	}
	reply, err := conn.RequestName(name, dbus.NameFlagDoNotQueue)
	if err != nil {
		t.Fatalf("requesting %s: %v", name, err)
	}
	if reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("requesting %s: reply %v, not primary owner (another notification daemon on this bus?)", name, reply)
	}
	return f
}

// story is one item of the test feed.
type story struct {
	title, guid, description string
	published                time.Time
}

// feedServer serves an RSS 2.0 feed on loopback, with ETags.
type feedServer struct {
	*httptest.Server
	title string

	mu      sync.Mutex
	stories []story
	gets    int // requests answered with the feed
	notMods int // requests answered 304 Not Modified
}

func newFeedServer(t *testing.T, title string) *feedServer {
	t.Helper()
	f := &feedServer{title: title}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *feedServer) add(s story) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stories = append(f.stories, s)
}

func (f *feedServer) stats() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return fmt.Sprintf("feed served %d times, %d times not modified", f.gets, f.notMods)
}

func (f *feedServer) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/feed.xml" {
		http.NotFound(w, r)
		return
	}
	body := f.render()
	etag, notMod := conditional(r, body)
	f.mu.Lock()
	if notMod {
		f.notMods++
	} else {
		f.gets++
	}
	f.mu.Unlock()
	writeRSS(w, etag, notMod, body)
}

// conditional is the ETag of an RSS body and whether the request already
// has it (If-None-Match).
func conditional(r *http.Request, body []byte) (etag string, notMod bool) {
	etag = fmt.Sprintf(`"%x"`, sha256.Sum256(body))
	return etag, r.Header.Get("If-None-Match") == etag
}

// writeRSS answers with the body, or 304 when the client has it.
func writeRSS(w http.ResponseWriter, etag string, notMod bool, body []byte) {
	w.Header().Set("ETag", etag)
	if notMod {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Write(body)
}

func (f *feedServer) feedURL() string { return f.URL + "/feed.xml" }

func (f *feedServer) render() []byte {
	esc := func(s string) string {
		var b strings.Builder
		xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<rss version="2.0"><channel>` + "\n")
	fmt.Fprintf(&b, "<title>%s</title><link>%s/</link><description>Newswatch end-to-end test feed</description><language>de</language>\n",
		esc(f.title), esc(f.URL))
	for i := len(f.stories) - 1; i >= 0; i-- { // newest first
		s := f.stories[i]
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s/story/%s</link><guid isPermaLink=\"false\">%s</guid><pubDate>%s</pubDate><description>%s</description></item>\n",
			esc(s.title), esc(f.URL), esc(s.guid), esc(s.guid), s.published.UTC().Format(time.RFC1123Z), esc(s.description))
	}
	b.WriteString("</channel></rss>\n")
	return []byte(b.String())
}
