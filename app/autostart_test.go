package app

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"codeberg.org/newswatch/newswatch/internal/autostart"
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/store"
)

// The login checkbox writes and removes the autostart entry and shows what
// is on disk, also after a failure.
func TestStartAtLogin(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_DIRS", t.TempDir())
	exe := filepath.Join(t.TempDir(), "newswatch")
	os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755)
	fail := false
	as := &Autostart{
		Enabled: autostart.Enabled,
		Enable: func() error {
			if fail {
				return errors.New("cannot write the autostart entry: read-only file system")
			}
			return autostart.Enable(exe, "--data", "/data")
		},
		Disable: autostart.Disable,
	}
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc := monitor.New(monitor.Config{Store: st})
	defer svc.Close()
	u := New(test.NewTempApp(t), svc, Options{Synchronous: true, NoWelcome: true, Now: time.Now, Autostart: as})
	u.settings.refresh()
	box := u.settings.login
	if box == nil || box.Checked {
		t.Fatalf("checkbox %v", box)
	}
	test.Tap(box)
	if on, _ := autostart.Enabled(); !on || !box.Checked {
		t.Fatalf("after ticking: enabled %v, checked %v", on, box.Checked)
	}
	test.Tap(box)
	if on, _ := autostart.Enabled(); on || box.Checked {
		t.Fatalf("after unticking: enabled %v, checked %v", on, box.Checked)
	}
	fail = true
	test.Tap(box)
	if box.Checked || !u.settings.loginNote.Visible() || u.settings.loginNote.Text == "" {
		t.Errorf("after a failed enable: checked %v, note %q", box.Checked, u.settings.loginNote.Text)
	}
	t.Log(u.settings.loginNote.Text)

	// Without an Autostart (the demo), there is no checkbox.
	u2 := New(test.NewTempApp(t), svc, Options{Synchronous: true, NoWelcome: true, Now: time.Now})
	u2.settings.refresh()
	if u2.settings.login != nil {
		t.Error("a login checkbox without Options.Autostart")
	}
}
