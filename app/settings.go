package app

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// settingsView edits the global schedule and retention (the engine's) and
// the app's own settings: notifications, quiet hours, the window and the
// tray, starting at login, the language. Showing a setting never runs its
// handler (see quietly).
type settingsView struct {
	eng       settingsStore
	acts      *actions
	autostart *Autostart // nil: no login setting (the demo, the tests)
	content   fyne.CanvasObject

	schedule  *widget.Entry
	schedNote *widget.Label
	retention *widget.Entry
	retNote   *widget.Label
	notify    *widget.Check
	quiet     *widget.Check
	quietFrom *widget.Entry
	quietTo   *widget.Entry
	quietNote *widget.Label
	tray      *widget.Check
	minimized *widget.Check
	login     *widget.Check
	loginNote *widget.Label
	language  *widget.Select
	form      *widget.Form
	team      *teamSettings // the Team database rows (settings_team.go)
}

func newSettingsView(eng settingsStore, acts *actions, as *Autostart, h *hooks) *settingsView {
	v := &settingsView{eng: eng, acts: acts, autostart: as}
	p := acts.prefs
	v.schedule = widget.NewEntry()
	v.schedule.SetPlaceHolder(monitor.DefaultSchedule)
	v.schedNote = newNote()
	v.schedule.OnChanged = func(string) { v.checkSchedule(false) }
	v.schedule.OnSubmitted = func(string) { v.checkSchedule(true) }
	saveSched := widget.NewButton(lang.L("Apply"), func() { v.checkSchedule(true) })

	v.retention = widget.NewEntry()
	v.retNote = newNote()
	v.retention.OnSubmitted = func(string) { v.saveRetention() }
	saveRet := widget.NewButton(lang.L("Apply"), v.saveRetention)

	v.notify = widget.NewCheck(lang.L("Show desktop notifications for new matches"), func(b bool) {
		sw := acts.sw
		sw.notifications = b
		acts.setSwitches(sw)
	})
	v.quiet = widget.NewCheck(lang.L("Quiet hours: no notifications from"), func(bool) { v.saveQuiet() })
	v.quietFrom = widget.NewEntry()
	v.quietTo = widget.NewEntry()
	v.quietNote = newNote()
	v.quietFrom.OnChanged = func(string) { v.saveQuiet() }
	v.quietTo.OnChanged = func(string) { v.saveQuiet() }
	v.tray = widget.NewCheck(lang.L("Closing the window keeps Newswatch running in the tray"), p.setCloseToTray)
	v.minimized = widget.NewCheck(lang.L("Start minimized to the tray"), p.setStartMinimized)
	window := container.NewVBox(v.tray, v.minimized)
	if as != nil {
		v.loginNote = newNote()
		v.login = widget.NewCheck(lang.L("Start Newswatch when I log in"), v.switchLogin)
		window.Add(v.login)
		window.Add(v.loginNote)
	}

	names := make([]string, len(languages))
	for i, l := range languages {
		names[i] = languageLabel(l.code, l.name)
	}
	v.language = widget.NewSelect(names, func(string) {
		if code := languages[v.language.SelectedIndex()].code; code != p.language() {
			acts.setLanguage(code)
		}
	})

	quietRow := container.NewHBox(v.quiet, sized(v.quietFrom, 80), widget.NewLabel(lang.L("to")), sized(v.quietTo, 80))
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Check feeds"), container.NewVBox(container.NewBorder(nil, nil, nil, saveSched, v.schedule), v.schedNote)),
		widget.NewFormItem(lang.L("Keep unmatched stories"), container.NewVBox(container.NewBorder(nil, nil, nil,
			container.NewHBox(widget.NewLabel(lang.L("days")), saveRet), v.retention), v.retNote)),
		widget.NewFormItem(lang.L("Alerts"), container.NewVBox(v.notify, quietRow, v.quietNote)),
		widget.NewFormItem(lang.L("Window"), window),
		widget.NewFormItem(lang.L("Language"), container.NewHBox(sized(v.language, selectWidth(names)))),
	)
	help := widget.NewLabel(lang.L("Schedules are cron specs: \"*/15 * * * *\" (every 15 minutes), \"0 7 * * 1-5\" (weekdays at 7), " +
		"\"@hourly\", \"@every 10m\"; put \"CRON_TZ=Europe/Berlin \" in front for another time zone. " +
		"A feed can have its own schedule on the Feeds tab. Matched stories are kept until you delete them."))
	help.Wrapping = fyne.TextWrapWord
	help.Importance = widget.LowImportance
	v.form = form
	v.content = container.NewVScroll(container.NewPadded(container.NewVBox(form, help)))
	h.add(acts.pauseChanged.listen(v.showSwitches))
	return v
}

// refresh shows the current settings: the app's at once, the engine's
// when they have been read.
func (v *settingsView) refresh() {
	p := v.acts.prefs
	v.acts.loadSwitches() // another process may have changed them
	v.showSwitches()
	quietly(v.tray, func() { v.tray.SetChecked(p.closeToTray()) })
	quietly(v.minimized, func() { v.minimized.SetChecked(p.startMinimized()) })
	for i, l := range languages {
		if l.code == p.language() {
			quietly(v.language, func() { v.language.SetSelectedIndex(i) })
		}
	}
	v.showLogin()
	v.refreshTeam()
	var st monitor.Settings
	var err error
	v.acts.run.bg(func() {
		st, err = v.eng.Settings(v.acts.ctx)
	}, func() {
		if err != nil {
			v.acts.showError(err)
			return
		}
		quietly(v.schedule, func() { v.schedule.SetText(st.Schedule) })
		v.retention.SetText(strconv.Itoa(st.RetentionDays))
		setNote(v.retNote, lang.L("Stories that matched no topic are deleted after this many days; matched stories stay."), false)
		v.checkSchedule(false)
	})
}

// quietly changes a widget's value without running its handler: showing
// a setting is not changing it.
func quietly(w fyne.CanvasObject, set func()) {
	switch w := w.(type) {
	case *widget.Check:
		fn := w.OnChanged
		w.OnChanged = nil
		defer func() { w.OnChanged = fn }()
	case *widget.Entry:
		fn := w.OnChanged
		w.OnChanged = nil
		defer func() { w.OnChanged = fn }()
	case *widget.Select:
		fn := w.OnChanged
		w.OnChanged = nil
		defer func() { w.OnChanged = fn }()
	}
	set()
}

func (v *settingsView) switchLogin(on bool) {
	var err error
	if on {
		err = v.autostart.Enable()
	} else {
		err = v.autostart.Disable()
	}
	switch {
	case err != nil:
		setNote(v.loginNote, msg.Sentence(trErr(err)), true)
	case on:
		setNote(v.loginNote, lang.L("Newswatch will start in the tray when you log in."), false)
	default:
		setNote(v.loginNote, "", false)
	}
	v.showLogin() // what is on disk now
}

// showLogin ticks the login checkbox as the autostart entry on disk says.
func (v *settingsView) showLogin() {
	if v.login == nil {
		return
	}
	on, err := v.autostart.Enabled()
	if err != nil {
		setNote(v.loginNote, msg.Sentence(trErr(err)), true)
	}
	quietly(v.login, func() { v.login.SetChecked(on) })
}

// checkSchedule validates the schedule as it is typed, shows its next
// run, and saves it when asked to.
func (v *settingsView) checkSchedule(save bool) {
	spec := strings.TrimSpace(v.schedule.Text)
	now := v.acts.now()
	s, err := monitor.ParseSchedule(spec)
	if err != nil {
		setNote(v.schedNote, msg.Sentence(trErr(err)), true)
		return
	}
	text := tf("Next check {{.When}}.", "When", trMsg(msg.When(s.Next(now), now)))
	if !save {
		setNote(v.schedNote, text, false)
		return
	}
	v.acts.run.bg(func() {
		err = v.eng.SetSchedule(v.acts.ctx, spec)
	}, func() {
		if err != nil {
			setNote(v.schedNote, msg.Sentence(trErr(err)), true)
			return
		}
		setNote(v.schedNote, lang.L("Saved.")+" "+text, false)
	})
}

func (v *settingsView) saveRetention() {
	days, err := strconv.Atoi(strings.TrimSpace(v.retention.Text))
	if err != nil {
		setNote(v.retNote, msg.Sentence(trErr(errNotANumber)), true)
		return
	}
	v.acts.run.bg(func() {
		err = v.eng.SetRetentionDays(v.acts.ctx, days)
	}, func() {
		if err != nil {
			setNote(v.retNote, msg.Sentence(trErr(err)), true)
		} else {
			setNote(v.retNote, nf("Saved: unmatched stories are kept for {{.N}} days.", days), false)
		}
	})
}

// showSwitches shows the alert switches as the engine has them.
func (v *settingsView) showSwitches() {
	sw := v.acts.sw
	quietly(v.notify, func() { v.notify.SetChecked(sw.notifications) })
	quietly(v.quiet, func() { v.quiet.SetChecked(sw.quiet.On) })
	quietly(v.quietFrom, func() { v.quietFrom.SetText(sw.quiet.From.String()) })
	quietly(v.quietTo, func() { v.quietTo.SetText(sw.quiet.To.String()) })
}

// saveQuiet stores the quiet hours when both times read well.
func (v *settingsView) saveQuiet() {
	from, err1 := alert.ParseClock(v.quietFrom.Text)
	to, err2 := alert.ParseClock(v.quietTo.Text)
	switch {
	case err1 != nil:
		setNote(v.quietNote, msg.Sentence(trErr(err1)), true)
	case err2 != nil:
		setNote(v.quietNote, msg.Sentence(trErr(err2)), true)
	default:
		sw := v.acts.sw
		sw.quiet = alert.Quiet{On: v.quiet.Checked, From: from, To: to}
		v.acts.setSwitches(sw)
		setNote(v.quietNote, lang.L("New matches still appear in the timeline and the tray during quiet hours; critical topics still notify."), false)
	}
}

var errNotANumber = msg.Errorf(nil, msg.T("The number of days must be a whole number such as 30."))

// newNote is a hint under a setting; it takes no room while empty.
func newNote() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = theme.SizeNameCaptionText
	l.Hide()
	return l
}

// setNote shows a hint, in red when it is a problem.
func setNote(l *widget.Label, text string, problem bool) {
	l.SetText(text)
	if problem {
		l.Importance = widget.DangerImportance
	} else {
		l.Importance = widget.MediumImportance
	}
	l.Refresh()
	if text == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// sized gives a widget a fixed width.
func sized(o fyne.CanvasObject, w float32) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(w, o.MinSize().Height), o)
}

// selectWidth is wide enough for a Select to show the longest option.
func selectWidth(options []string) float32 {
	w := float32(0)
	for _, o := range options {
		w = max(w, fyne.MeasureText(o, theme.TextSize(), fyne.TextStyle{}).Width)
	}
	return w + theme.IconInlineSize() + 6*theme.InnerPadding()
}

// languageLabel names a language in its own tongue; the system's is
// named in the current language.
func languageLabel(code, name string) string {
	if code == "" {
		return lang.L("Same as the system")
	}
	return name
}
