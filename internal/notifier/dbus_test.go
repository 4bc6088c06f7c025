//go:build linux

package notifier

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// daemon is a notification daemon on a private session bus that records
// what it is asked to show and can invoke an action, as a click does.
type daemon struct {
	conn  *dbus.Conn
	caps  []string
	mu    sync.Mutex
	notes []call
}

type call struct {
	summary, body string
	actions       []string
	hints         map[string]dbus.Variant
	timeout       int32
}

func (d *daemon) Notify(app string, replaces uint32, icon, summary, body string, actions []string,
	hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.notes = append(d.notes, call{summary, body, actions, hints, timeout})
	return uint32(len(d.notes)), nil
}
func (d *daemon) GetCapabilities() ([]string, *dbus.Error) { return d.caps, nil }
func (d *daemon) GetServerInformation() (string, string, string, string, *dbus.Error) {
	return "test", "Newswatch", "1", "1.2", nil
}
func (d *daemon) CloseNotification(uint32) *dbus.Error { return nil }

func (d *daemon) invoke(id uint32, key string) error {
	return d.conn.Emit("/org/freedesktop/Notifications", "org.freedesktop.Notifications.ActionInvoked", id, key)
}

// privateBus starts a session bus of the test's own and points
// DBUS_SESSION_BUS_ADDRESS at it (for the whole test binary: the shared
// session connection is made once).
var privateBus = sync.OnceValues(func() (string, error) {
	cmd := exec.Command("dbus-daemon", "--session", "--nofork", "--print-address")
	busDaemon = cmd
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	addr, err := bufio.NewReader(out).ReadString('\n')
	return strings.TrimSpace(addr), err
})

// busDaemon is the private bus's process, ended by TestMain.
var busDaemon *exec.Cmd

func TestMain(m *testing.M) {
	code := m.Run()
	if busDaemon != nil && busDaemon.Process != nil {
		busDaemon.Process.Kill()
		busDaemon.Wait()
	}
	os.Exit(code)
}

func startDaemon(t *testing.T, caps ...string) *daemon {
	t.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		t.Skip("dbus-daemon is not installed (Debian package dbus)")
	}
	addr, err := privateBus()
	if err != nil {
		t.Fatalf("starting a session bus: %v", err)
	}
	os.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	d := &daemon{conn: conn, caps: caps}
	conn.Export(d, "/org/freedesktop/Notifications", "org.freedesktop.Notifications")
	if reply, err := conn.RequestName("org.freedesktop.Notifications", dbus.NameFlagReplaceExisting); err != nil ||
		reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning the notification name: %v %v", reply, err)
	}
	return d
}

func TestActionsReachTheHandler(t *testing.T) {
	d := startDaemon(t, "body", "actions", "sound", "body-markup")
	got := make(chan string, 4)
	s, err := New(func(id uint32, action string) { got <- action })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if c := s.Caps(); !c.Actions || !c.Sound || !c.Markup {
		t.Fatalf("caps = %+v", c)
	}
	id, err := s.Send(Note{Summary: "Ukraine — 2 new stories", Body: "Waffenruhe — Tagesblatt", Urgency: Critical,
		Sound: "message-new-instant", Actions: []Action{{DefaultAction, "Show"}, {"read", "Mark read"}}})
	if err != nil {
		t.Fatal(err)
	}
	d.mu.Lock()
	n := d.notes[len(d.notes)-1]
	d.mu.Unlock()
	if strings.Join(n.actions, ",") != "default,Show,read,Mark read" {
		t.Errorf("actions offered: %q", n.actions)
	}
	if u := n.hints["urgency"].Value(); u != byte(2) || n.timeout != 0 {
		t.Errorf("a critical note: urgency %v, timeout %d (want 2 and 0: stays on screen)", u, n.timeout)
	}
	if snd := n.hints["sound-name"].Value(); snd != "message-new-instant" {
		t.Errorf("sound hint %v", snd)
	}
	if err := d.invoke(id, DefaultAction); err != nil {
		t.Fatal(err)
	}
	select {
	case a := <-got:
		if a != DefaultAction {
			t.Errorf("handler got %q", a)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the click never reached the handler")
	}
}

func TestNoActionsWhereTheDaemonHasNone(t *testing.T) {
	d := startDaemon(t, "body")
	s, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Send(Note{Summary: "x", Actions: []Action{{DefaultAction, "Show"}}}); err != nil {
		t.Fatal(err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if n := d.notes[len(d.notes)-1]; len(n.actions) != 0 {
		t.Errorf("actions sent to a daemon without them: %q", n.actions)
	}
}
