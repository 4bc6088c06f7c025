package app

import (
	"context"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
	"codeberg.org/newswatch/newswatch/monitor/pgstore"
)

// teamSettings is the "Team database" group of the Settings screen: the
// data directory's team.json (monitor.TeamConfig), which points
// Newswatch at a team's PostgreSQL database from its next start. The
// address is shown without its password, which has a field of its own
// that shows dots; the two are one URL in team.json.
type teamSettings struct {
	dir   string
	acts  *actions
	items []*widget.FormItem // the rows it adds to the Settings form

	status   *widget.Label
	address  *widget.Entry
	password *widget.Entry
	user     *widget.Entry
	noPoll   *widget.Check
	mineOnly *widget.Check
	test     *widget.Button
	save     *widget.Button
	off      *widget.Button
	note     *widget.Label
	// check connects to a team database without changing it
	// (pgstore.Check; the tests replace it).
	check func(ctx context.Context, rawURL, user string) (pgstore.Probe, error)
}

// showTeam adds the Team database rows to the Settings form, for the
// data directory dir ("" leaves them out: the demo, the tests).
func (v *settingsView) showTeam(dir string) {
	if dir == "" || v.form == nil || v.team != nil {
		return
	}
	v.team = newTeamSettings(v.acts, dir)
	for _, it := range v.team.items {
		v.form.AppendItem(it)
	}
	v.team.load()
}

// refreshTeam shows the setting as team.json has it now.
func (v *settingsView) refreshTeam() {
	if v.team != nil {
		v.team.load()
	}
}

func newTeamSettings(acts *actions, dir string) *teamSettings {
	t := &teamSettings{dir: dir, acts: acts, check: pgstore.Check}
	t.status = widget.NewLabel("")
	t.status.Wrapping = fyne.TextWrapWord // a long address is read whole
	t.address = widget.NewEntry()
	t.address.SetPlaceHolder(lang.L("postgres://server/database"))
	t.password = widget.NewPasswordEntry()
	t.password.SetPlaceHolder(lang.L("Password, if the server asks for one"))
	t.user = widget.NewEntry()
	t.user.SetPlaceHolder(pgstore.DefaultUser())
	t.noPoll = widget.NewCheck(lang.L("Leave checking to the team's servers"), nil)
	t.mineOnly = widget.NewCheck(lang.L("Show only my topics"), nil)
	t.test = widget.NewButton(lang.L("Test connection"), t.testConnection)
	t.save = widget.NewButton(lang.L("Save"), t.saveSetting)
	t.save.Importance = widget.HighImportance
	t.off = widget.NewButton(lang.L("Use this computer's own database"), t.turnOff)
	t.note = newNote()
	help := widget.NewLabel(lang.L("A team shares its feeds and topics in one PostgreSQL database; your read and starred " +
		"stories and your alerts stay your own. The team's servers check the feeds (newswatch run --no-alerts); " +
		"this computer can leave checking to them. The user is you in the team database: your system user name " +
		"unless you give another."))
	help.Wrapping = fyne.TextWrapWord
	help.Importance = widget.LowImportance
	t.items = []*widget.FormItem{
		widget.NewFormItem(lang.L("Team database"), t.status),
		widget.NewFormItem(lang.L("Address"), t.address),
		widget.NewFormItem(lang.L("Password"), t.password),
		widget.NewFormItem(lang.L("User"), t.user),
		widget.NewFormItem("", container.NewVBox(t.noPoll, t.mineOnly)),
		widget.NewFormItem("", container.NewVBox(container.NewHBox(t.test, t.save, t.off), t.note, help)),
	}
	return t
}

// load shows team.json.
func (t *teamSettings) load() {
	c, err := monitor.LoadTeamConfig(t.dir)
	if err != nil {
		setNote(t.note, msg.Sentence(trErr(err)), true)
	}
	addr, pass := splitPassword(c.Store)
	t.address.SetText(addr)
	t.password.SetText(pass)
	t.user.SetText(c.User)
	t.noPoll.SetChecked(c.NoPolling)
	t.mineOnly.SetChecked(c.MineOnly)
	if c.Store == "" {
		t.status.SetText(lang.L("Newswatch uses this computer's own database."))
		t.off.Disable()
	} else {
		t.status.SetText(tf("Newswatch uses the team database {{.Address}} (as set; changes take effect at the next start).",
			"Address", monitor.RedactURL(c.Store)))
		t.off.Enable()
	}
}

// config is the setting as the fields give it.
func (t *teamSettings) config() monitor.TeamConfig {
	return monitor.TeamConfig{Store: joinPassword(strings.TrimSpace(t.address.Text), t.password.Text),
		User: strings.TrimSpace(t.user.Text), NoPolling: t.noPoll.Checked, MineOnly: t.mineOnly.Checked}
}

// testConnection connects to the database the fields name and says in
// one sentence what it found.
func (t *teamSettings) testConnection() {
	c := t.config()
	if err := monitor.ValidateStoreURL(c.Store); err != nil {
		setNote(t.note, msg.Sentence(trErr(err)), true)
		return
	}
	setNote(t.note, lang.L("Connecting…"), false)
	t.test.Disable()
	var p pgstore.Probe
	var err error
	t.acts.run.bg(func() {
		ctx, cancel := context.WithTimeout(t.acts.ctx, 20*time.Second)
		defer cancel()
		p, err = t.check(ctx, c.Store, c.User)
	}, func() {
		t.test.Enable()
		switch {
		case err != nil:
			setNote(t.note, msg.Sentence(trErr(err)), true)
		case p.Schema == 0:
			setNote(t.note, tf("Connected to PostgreSQL {{.Version}}; the database is empty, and Newswatch sets it up at its first start on it.", "Version", p.Server), false)
		default:
			setNote(t.note, nf("Connected to PostgreSQL {{.Version}}: a Newswatch team database of {{.N}} analysts.", p.Users, "Version", p.Server), false)
		}
	})
}

// saveSetting writes team.json.
func (t *teamSettings) saveSetting() {
	c := t.config()
	if strings.TrimSpace(t.address.Text) == "" {
		setNote(t.note, msg.Sentence(trErr(monitor.ValidateStoreURL(""))), true)
		return
	}
	if err := monitor.SaveTeamConfig(t.dir, c); err != nil {
		setNote(t.note, msg.Sentence(trErr(err)), true)
		return
	}
	t.load()
	setNote(t.note, lang.L("Saved. Newswatch uses the team database from its next start: quit it and start it again."), false)
}

// turnOff removes team.json.
func (t *teamSettings) turnOff() {
	if err := monitor.SaveTeamConfig(t.dir, monitor.TeamConfig{}); err != nil {
		setNote(t.note, msg.Sentence(trErr(err)), true)
		return
	}
	t.load()
	setNote(t.note, lang.L("Newswatch uses this computer's own database again from its next start."), false)
}

// splitPassword takes the password out of a database URL.
func splitPassword(s string) (addr, password string) {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s, ""
	}
	p, ok := u.User.Password()
	if !ok {
		return s, ""
	}
	if name := u.User.Username(); name != "" {
		u.User = url.User(name)
	} else {
		u.User = nil
	}
	return u.String(), p
}

// joinPassword puts a password into a database URL (replacing one it
// has); a URL that does not parse is left to ValidateStoreURL.
func joinPassword(addr, password string) string {
	if password == "" {
		return addr
	}
	u, err := url.Parse(addr)
	if err != nil || u.Host == "" && !strings.Contains(u.RawQuery, "host=") {
		return addr
	}
	name := ""
	if u.User != nil {
		name = u.User.Username()
	}
	u.User = url.UserPassword(name, password)
	return u.String()
}
