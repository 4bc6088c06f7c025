//go:build ci

package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/pgstore"
)

// The Team database group: Save writes team.json (the password given in
// a field of dots, joined into the address; the file private), the
// group shows it again with the password in dots, Test connection says
// what it found in one sentence, a bad address is refused and changes
// nothing, Off removes the setting.
func TestTeamSettings(t *testing.T) {
	acts := testActions(t)
	acts.prefs.p.SetBool(prefAlertsInEngine, true)
	eng := &fakeSettings{st: monitor.Settings{Schedule: "@every 10m", RetentionDays: 30}}
	acts.alerts = eng
	v := newSettingsView(eng, acts, nil, &hooks{})
	dir := t.TempDir()
	v.showTeam(dir)
	v.refresh()
	tm := v.team
	if tm == nil || !strings.Contains(tm.status.Text, "own database") || !tm.off.Disabled() || !tm.password.Password {
		t.Fatalf("without a setting: %q, off enabled %v", tm.status.Text, !tm.off.Disabled())
	}
	if tm.user.PlaceHolder != pgstore.DefaultUser() {
		t.Errorf("the user's placeholder is %q", tm.user.PlaceHolder)
	}

	// Test connection, through a fake server.
	var asked string
	tm.check = func(_ context.Context, u, user string) (pgstore.Probe, error) {
		asked = u + " as " + user
		return pgstore.Probe{Server: "15.10", Schema: 11, Users: 3}, nil
	}
	test.Type(tm.address, "postgres://db.example/newswatch")
	test.Type(tm.password, "geh eim")
	test.Type(tm.user, "alice")
	test.Tap(tm.test)
	if asked != "postgres://:geh%20eim@db.example/newswatch as alice" ||
		tm.note.Text != "Connected to PostgreSQL 15.10: a Newswatch team database of 3 analysts." {
		t.Errorf("test connection asked %q and says %q", asked, tm.note.Text)
	}
	tm.check = func(context.Context, string, string) (pgstore.Probe, error) {
		return pgstore.Probe{}, errors.New("the server refused the login")
	}
	test.Tap(tm.test)
	if tm.note.Importance != widget.DangerImportance || !strings.Contains(tm.note.Text, "refused the login") {
		t.Errorf("a failed test says %q", tm.note.Text)
	}

	// Save.
	test.Tap(tm.noPoll)
	test.Tap(tm.save)
	c, err := monitor.LoadTeamConfig(dir)
	if err != nil || c.Store != "postgres://:geh%20eim@db.example/newswatch" || c.User != "alice" || !c.NoPolling || c.MineOnly {
		t.Fatalf("team.json: %+v, %v", c, err)
	}
	if fi, err := os.Stat(filepath.Join(dir, monitor.TeamFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("team.json's mode: %v, %v", fi.Mode(), err)
	}
	if !strings.Contains(tm.note.Text, "next start") || tm.off.Disabled() ||
		!strings.Contains(tm.status.Text, "postgres://:***@db.example/newswatch") {
		t.Errorf("after saving: note %q, status %q", tm.note.Text, tm.status.Text)
	}
	// Shown again as saved: the password in its field of dots only.
	v2 := newSettingsView(eng, acts, nil, &hooks{})
	v2.showTeam(dir)
	if a := v2.team.address.Text; a != "postgres://db.example/newswatch" || v2.team.password.Text != "geh eim" ||
		v2.team.user.Text != "alice" || !v2.team.noPoll.Checked {
		t.Errorf("shown again: %q, password %q, user %q, no poll %v", a, v2.team.password.Text, v2.team.user.Text, v2.team.noPoll.Checked)
	}

	// A bad address changes nothing.
	tm.address.SetText("mysql://db.example/newswatch")
	test.Tap(tm.save)
	if tm.note.Importance != widget.DangerImportance || !strings.Contains(tm.note.Text, "is not a team database") {
		t.Errorf("a bad address: %q", tm.note.Text)
	}
	tm.address.SetText("")
	test.Tap(tm.save)
	if c2, _ := monitor.LoadTeamConfig(dir); c2 != c {
		t.Errorf("a refused address changed team.json: %+v", c2)
	}

	// Off.
	test.Tap(tm.off)
	if _, err := os.Stat(filepath.Join(dir, monitor.TeamFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("team.json after Off: %v", err)
	}
	if !strings.Contains(tm.status.Text, "own database") || tm.address.Text != "" || !strings.Contains(tm.note.Text, "own database again") {
		t.Errorf("after Off: status %q, address %q, note %q", tm.status.Text, tm.address.Text, tm.note.Text)
	}
}

// The group is left out where there is no data directory of the user's
// (the demo, the tests).
func TestTeamSettingsHiddenWithoutDataDir(t *testing.T) {
	acts := testActions(t)
	v := newSettingsView(&fakeSettings{}, acts, nil, &hooks{})
	v.showTeam("")
	if v.team != nil || len(v.form.Items) != 5 {
		t.Error("the Team database group is shown without a data directory")
	}
}

// The window of a team database that cannot be opened at start says why
// and can go back to the computer's own database.
func TestTeamStartError(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLanguage, "en")
	dir := t.TempDir()
	if err := monitor.SaveTeamConfig(dir, monitor.TeamConfig{Store: "postgres://db.example/newswatch"}); err != nil {
		t.Fatal(err)
	}
	w := TeamStartError(a, errors.New("the team database db.example/newswatch cannot be reached"), dir)
	var labels []string
	var own *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch o := o.(type) {
		case *widget.Label:
			labels = append(labels, o.Text)
		case *widget.Button:
			if strings.Contains(o.Text, "own database") {
				own = o
			}
		case *fyne.Container:
			for _, c := range o.Objects {
				walk(c)
			}
		}
	}
	walk(w.Content())
	text := strings.Join(labels, "\n")
	if !strings.Contains(text, "cannot open its team database") || !strings.Contains(text, "cannot be reached") || own == nil {
		t.Fatalf("the window says:\n%s", text)
	}
	test.Tap(own)
	if c, _ := monitor.LoadTeamConfig(dir); c.Store != "" || !own.Disabled() {
		t.Errorf("after going back to the own database: %+v", c)
	}
}
