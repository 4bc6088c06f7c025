package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// TeamStartError is the window the desktop app shows when its team
// database cannot be opened at start (the server is down, the address or
// password is wrong): the app started from the menu has no terminal to
// say so in. It says why in one sentence and offers to go back to the
// computer's own database (removing the data directory's team.json) or
// to quit. Show it with ShowAndRun.
func TeamStartError(a fyne.App, err error, dataDir string) fyne.Window {
	_ = loadTranslations(prefs{a.Preferences()}.language()) // without them: English
	w := a.NewWindow("Newswatch")
	heading := widget.NewLabelWithStyle(lang.L("Newswatch cannot open its team database."), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	why := widget.NewLabel(msg.Sentence(trErr(err)))
	why.Wrapping = fyne.TextWrapWord
	hint := widget.NewLabel(lang.L("Check the address and the server, then start Newswatch again; or use this computer's own database until the team database is back (its stories stay where they are)."))
	hint.Wrapping = fyne.TextWrapWord
	note := newNote()
	var own *widget.Button
	own = widget.NewButton(lang.L("Use this computer's own database"), func() {
		if err := monitor.SaveTeamConfig(dataDir, monitor.TeamConfig{}); err != nil {
			setNote(note, msg.Sentence(trErr(err)), true)
			return
		}
		own.Disable()
		setNote(note, lang.L("Done: Newswatch uses this computer's own database from its next start."), false)
	})
	quit := widget.NewButton(lang.L("Quit"), a.Quit)
	quit.Importance = widget.HighImportance
	w.SetContent(container.NewPadded(container.NewVBox(heading, why, hint, note,
		container.NewHBox(layout.NewSpacer(), own, quit))))
	w.Resize(fyne.NewSize(620, w.Content().MinSize().Height))
	w.SetOnClosed(a.Quit)
	return w
}
