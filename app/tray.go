package app

import (
	"fmt"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"

	"codeberg.org/newswatch/newswatch/assets"
	"codeberg.org/newswatch/newswatch/monitor"
)

// tray is the system tray icon and its menu: open the window, check now,
// pause alerts, the five newest matches, quit. The icon changes while
// unread matches exist. Without a tray (or a tray host) the app works the
// same from its window.
type tray struct {
	u     *UI
	desk  desktop.App
	alert bool
}

func newTray(u *UI) *tray {
	t := &tray{u: u}
	desk, ok := u.app.(desktop.App)
	if !ok || !trayHostPresent() {
		return t // no tray on this desktop: the window is the app
	}
	t.desk = desk
	desk.SetSystemTrayIcon(assets.Tray)
	desk.SetSystemTrayWindow(u.win)
	t.refresh()
	return t
}

// available reports whether a tray icon can be seen, so hiding the window
// to it does not lose the app.
func (t *tray) available() bool { return t.desk != nil && trayHostPresent() }

// refresh rebuilds the menu and picks the icon.
func (t *tray) refresh() {
	if t.desk == nil {
		return
	}
	u := t.u
	counts, err := u.eng.Counts(u.ctx)
	if err == nil && (counts.Unread > 0) != t.alert {
		t.alert = counts.Unread > 0
		if t.alert {
			t.desk.SetSystemTrayIcon(assets.TrayAlert)
		} else {
			t.desk.SetSystemTrayIcon(assets.Tray)
		}
	}
	open := fyne.NewMenuItem(lang.L("Open Newswatch"), func() { fyne.Do(u.showWindow) })
	check := fyne.NewMenuItem(lang.L("Check now"), func() { fyne.Do(u.checkNow) })
	pauseLabel := lang.L("Pause alerts")
	if u.prefs.paused() {
		pauseLabel = lang.L("Resume alerts")
	}
	pause := fyne.NewMenuItem(pauseLabel, func() { fyne.Do(func() { u.setPaused(!u.prefs.paused()) }) })
	items := []*fyne.MenuItem{open, check, pause, fyne.NewMenuItemSeparator()}
	newest := t.newest(5)
	if len(newest) == 0 {
		none := fyne.NewMenuItem(lang.L("No matches yet"), nil)
		none.Disabled = true
		items = append(items, none)
	}
	for _, s := range newest {
		id := s.Article.ID
		label := shorten(s.Article.Title, 60)
		if len(s.Topics) > 0 {
			label = fmt.Sprintf("%s — %s", s.Topics[0].Name, label)
		}
		if !s.Read {
			label = "● " + label
		}
		items = append(items, fyne.NewMenuItem(label, func() { fyne.Do(func() { u.openStory(id) }) }))
	}
	items = append(items, fyne.NewMenuItemSeparator())
	quit := fyne.NewMenuItem(lang.L("Quit"), func() { fyne.Do(u.quit) })
	quit.IsQuit = true
	items = append(items, quit)
	t.desk.SetSystemTrayMenu(fyne.NewMenu("Newswatch", items...))
}

func (t *tray) newest(n int) []monitor.Story {
	entries, err := t.u.eng.Timeline(t.u.ctx, monitor.TimelineFilter{})
	if err != nil || len(entries) == 0 {
		return nil
	}
	ids := make([]int64, 0, n)
	for _, e := range entries[:min(n, len(entries))] {
		ids = append(ids, e.ArticleID)
	}
	stories, err := t.u.eng.Stories(t.u.ctx, ids)
	if err != nil {
		return nil
	}
	return stories
}

// shorten cuts s to n characters with an ellipsis.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
