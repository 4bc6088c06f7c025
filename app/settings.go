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
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// settingsView edits the global schedule and retention (the engine's) and
// the app's own settings: notifications, quiet hours, tray behaviour.
type settingsView struct {
	u       *UI
	content fyne.CanvasObject

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
	autostart *widget.Check
	autoNote  *widget.Label
	language  *widget.Select
	langNote  *widget.Label
	loading   bool
}

func newSettingsView(u *UI) *settingsView {
	v := &settingsView{u: u}
	v.schedule = widget.NewEntry()
	v.schedule.SetPlaceHolder(monitor.DefaultSchedule)
	v.schedNote = note2()
	v.schedule.OnChanged = func(string) { v.checkSchedule(false) }
	v.schedule.OnSubmitted = func(string) { v.checkSchedule(true) }
	saveSched := widget.NewButton(lang.L("Apply"), func() { v.checkSchedule(true) })

	v.retention = widget.NewEntry()
	v.retNote = note2()
	v.retention.OnSubmitted = func(string) { v.saveRetention() }
	saveRet := widget.NewButton(lang.L("Apply"), v.saveRetention)

	v.notify = widget.NewCheck(lang.L("Show desktop notifications for new matches"), func(b bool) {
		if !v.loading {
			u.prefs.setNotifications(b)
		}
	})
	v.quiet = widget.NewCheck(lang.L("Quiet hours: no notifications from"), func(b bool) {
		if !v.loading {
			u.prefs.setQuietEnabled(b)
			u.updateStatus()
		}
	})
	v.quietFrom = widget.NewEntry()
	v.quietTo = widget.NewEntry()
	v.quietNote = note2()
	for _, e := range []*widget.Entry{v.quietFrom, v.quietTo} {
		e.OnChanged = func(string) { v.saveQuiet() }
	}
	v.tray = widget.NewCheck(lang.L("Closing the window keeps Newswatch running in the tray"), func(b bool) {
		if !v.loading {
			u.prefs.setCloseToTray(b)
		}
	})
	v.minimized = widget.NewCheck(lang.L("Start minimized to the tray"), func(b bool) {
		if !v.loading {
			u.prefs.setStartMinimized(b)
		}
	})
	window := container.NewVBox(v.tray, v.minimized)
	if u.opt.Autostart != nil {
		v.autoNote = note2()
		v.autostart = widget.NewCheck(lang.L("Start Newswatch when I log in"), func(b bool) {
			if v.loading {
				return
			}
			switch err := v.switchAutostart(b); {
			case err != nil:
				setNote(v.autoNote, msg.Sentence(trErr(err)), true)
			case b:
				setNote(v.autoNote, lang.L("Newswatch will start in the tray when you log in."), false)
			default:
				setNote(v.autoNote, "", false)
			}
			v.showAutostart() // what is on disk now
		})
		window.Add(v.autostart)
		window.Add(v.autoNote)
	}

	var names []string
	for _, l := range languages {
		names = append(names, languageLabel(l.code, l.name))
	}
	v.language = widget.NewSelect(names, func(name string) {
		if v.loading {
			return
		}
		for _, l := range languages {
			if languageLabel(l.code, l.name) == name && l.code != u.prefs.language() {
				u.setLanguage(l.code)
				return
			}
		}
	})
	v.langNote = note2()

	quietRow := container.NewHBox(v.quiet, sized(v.quietFrom, 80), widget.NewLabel(lang.L("to")), sized(v.quietTo, 80))
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Check feeds"), container.NewVBox(container.NewBorder(nil, nil, nil, saveSched, v.schedule), v.schedNote)),
		widget.NewFormItem(lang.L("Keep unmatched stories"), container.NewVBox(container.NewBorder(nil, nil, nil,
			container.NewHBox(widget.NewLabel(lang.L("days")), saveRet), v.retention), v.retNote)),
		widget.NewFormItem(lang.L("Alerts"), container.NewVBox(v.notify, quietRow, v.quietNote)),
		widget.NewFormItem(lang.L("Window"), window),
		widget.NewFormItem(lang.L("Language"), container.NewVBox(container.NewHBox(sized(v.language, selectWidth(names))), v.langNote)),
	)
	help := widget.NewLabel(lang.L("Schedules are cron specs: \"*/15 * * * *\" (every 15 minutes), \"0 7 * * 1-5\" (weekdays at 7), " +
		"\"@hourly\", \"@every 10m\"; put \"CRON_TZ=Europe/Berlin \" in front for another time zone. " +
		"A feed can have its own schedule on the Feeds tab. Matched stories are kept until you delete them."))
	help.Wrapping = fyne.TextWrapWord
	help.Importance = widget.LowImportance
	v.content = container.NewVScroll(container.NewPadded(container.NewVBox(form, help)))
	return v
}

// note2 is a hint under a setting; it takes no room while empty.
func note2() *widget.Label {
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

// sized gives an entry a fixed width.
func sized(o fyne.CanvasObject, w float32) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(w, o.MinSize().Height), o)
}

// refresh shows the current settings.
func (v *settingsView) refresh() {
	v.loading = true
	defer func() { v.loading = false }()
	st, err := v.u.eng.Settings(v.u.ctx)
	if err != nil {
		v.u.showError(err)
		return
	}
	v.schedule.SetText(st.Schedule)
	v.retention.SetText(strconv.Itoa(st.RetentionDays))
	setNote(v.retNote, lang.L("Stories that matched no topic are deleted after this many days; matched stories stay."), false)
	v.notify.SetChecked(v.u.prefs.notifications())
	v.quiet.SetChecked(v.u.prefs.quietEnabled())
	v.quietFrom.SetText(v.u.prefs.quietFrom())
	v.quietTo.SetText(v.u.prefs.quietTo())
	v.tray.SetChecked(v.u.prefs.closeToTray())
	v.minimized.SetChecked(v.u.prefs.startMinimized())
	v.showAutostart()
	for _, l := range languages {
		if l.code == v.u.prefs.language() {
			v.language.SetSelected(languageLabel(l.code, l.name))
		}
	}
	v.checkSchedule(false)
}

func (v *settingsView) switchAutostart(on bool) error {
	if on {
		return v.u.opt.Autostart.Enable()
	}
	return v.u.opt.Autostart.Disable()
}

// showAutostart ticks the login checkbox as the autostart entry on disk says.
func (v *settingsView) showAutostart() {
	if v.autostart == nil {
		return
	}
	on, err := v.u.opt.Autostart.Enabled()
	if err != nil {
		setNote(v.autoNote, msg.Sentence(trErr(err)), true)
	}
	loading := v.loading
	v.loading = true
	v.autostart.SetChecked(on)
	v.loading = loading
}

// checkSchedule validates the schedule as it is typed, shows its next
// run, and saves it when asked to.
func (v *settingsView) checkSchedule(save bool) {
	spec := strings.TrimSpace(v.schedule.Text)
	now := v.u.opt.Now()
	s, err := monitor.ParseSchedule(spec)
	if err != nil {
		setNote(v.schedNote, msg.Sentence(trErr(err)), true)
		return
	}
	text := tf("Next check {{.When}}.", "When", relTime(s.Next(now), now))
	if save && !v.loading {
		if err := v.u.eng.SetSchedule(v.u.ctx, spec); err != nil {
			setNote(v.schedNote, msg.Sentence(trErr(err)), true)
			return
		}
		text = lang.L("Saved.") + " " + text
		v.u.updateStatus()
	}
	setNote(v.schedNote, text, false)
}

func (v *settingsView) saveRetention() {
	days, err := strconv.Atoi(strings.TrimSpace(v.retention.Text))
	if err == nil {
		err = v.u.eng.SetRetentionDays(v.u.ctx, days)
	} else {
		err = errNotANumber
	}
	if err != nil {
		setNote(v.retNote, msg.Sentence(trErr(err)), true)
	} else {
		setNote(v.retNote, nf("Saved: unmatched stories are kept for {{.N}} days.", days), false)
	}
}

// saveQuiet stores the quiet hours when both times read well.
func (v *settingsView) saveQuiet() {
	if v.loading {
		return
	}
	_, err1 := parseClock(v.quietFrom.Text)
	_, err2 := parseClock(v.quietTo.Text)
	switch {
	case err1 != nil:
		setNote(v.quietNote, msg.Sentence(trErr(err1)), true)
	case err2 != nil:
		setNote(v.quietNote, msg.Sentence(trErr(err2)), true)
	default:
		v.u.prefs.setQuiet(strings.TrimSpace(v.quietFrom.Text), strings.TrimSpace(v.quietTo.Text))
		setNote(v.quietNote, lang.L("New matches still appear in the timeline and the tray during quiet hours."), false)
	}
}

var errNotANumber = msg.Errorf(nil, msg.T("The number of days must be a whole number such as 30."))

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
