package app

import (
	"context"
	"fmt"
	"slices"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"

	"codeberg.org/newswatch/newswatch/assets"
	"codeberg.org/newswatch/newswatch/monitor"
)

// traySource gives the tray the newest stories, and the feeds (those
// that are dead or silent are marked).
type traySource interface {
	events
	Newest(ctx context.Context, n int) ([]monitor.Story, error)
	Feeds(ctx context.Context) ([]monitor.Feed, error)
}

// tray is the system tray icon and its menu: open the window, check now,
// pause alerts, the five newest matches, quit. The icon has a dot while
// unread matches exist. It follows the timeline model (counts, new
// stories) and the alerts' pause. Without a tray (or a tray host) the app
// works the same from its window.
type tray struct {
	desk   desktop.App
	src    traySource
	model  *timelineModel
	acts   *actions
	open   func()         // shows the window
	feeds  func()         // shows the Feeds screen
	dead   []string       // the feeds that are dead or silent
	show   func(id int64) // shows a story
	quit   func()
	alert  bool
	newest []monitor.Story
}

func newTray(a fyne.App, src traySource, m *timelineModel, acts *actions, open, feeds func(), show func(int64), quit func()) *tray {
	// The tray stays when the screens are built again: its listeners last
	// as long as the app.
	t := &tray{src: src, model: m, acts: acts, open: open, feeds: feeds, show: show, quit: quit}
	desk, ok := a.(desktop.App)
	if !ok || !trayHostPresent() {
		return t // no tray on this desktop: the window is the app
	}
	t.desk = desk
	desk.SetSystemTrayIcon(assets.Tray)
	desk.SetSystemTrayWindow(acts.win)
	m.countsChanged.listen(t.syncIcon)
	m.rowsChanged.listen(t.loadNewest)
	m.storyChanged.listen(t.onStories)
	acts.pauseChanged.listen(t.buildMenu)
	stop := src.Subscribe(func(ev monitor.Event) {
		if ev.Cycle != nil || ev.Changed&monitor.FeedsChanged != 0 {
			acts.run.ui(t.loadCoverage)
		}
	})
	go func() { <-acts.ctx.Done(); stop() }()
	t.loadCoverage()
	t.buildMenu()
	return t
}

// loadCoverage reads which feeds are dead or silent.
func (t *tray) loadCoverage() {
	var dead []string
	var err error
	t.acts.run.bg(func() {
		var feeds []monitor.Feed
		if feeds, err = t.src.Feeds(t.acts.ctx); err != nil {
			return
		}
		for _, f := range feeds {
			if f.Uncovered() && !f.CoverageOff {
				dead = append(dead, f.DisplayName())
			}
		}
	}, func() {
		if err == nil && !slices.Equal(dead, t.dead) {
			t.dead = dead
			t.buildMenu()
		}
	})
}

// available reports whether a tray icon can be seen, so hiding the window
// to it does not lose the app.
func (t *tray) available() bool { return t.desk != nil && trayHostPresent() }

func (t *tray) syncIcon() {
	if unread := t.model.counts.Unread > 0; unread != t.alert {
		t.alert = unread
		if unread {
			t.desk.SetSystemTrayIcon(assets.TrayAlert)
		} else {
			t.desk.SetSystemTrayIcon(assets.Tray)
		}
	}
}

// loadNewest reads the five newest stories, then rebuilds the menu.
func (t *tray) loadNewest() {
	var newest []monitor.Story
	var err error
	t.acts.run.bg(func() {
		newest, err = t.src.Newest(t.acts.ctx, 5)
	}, func() {
		if err == nil {
			t.newest = newest
			t.buildMenu()
		}
	})
}

// onStories rebuilds the menu when one of its stories changed (was read).
func (t *tray) onStories(ids []int64) {
	for _, s := range t.newest {
		if slices.Contains(ids, s.ID) {
			t.buildMenu()
			return
		}
	}
}

// buildMenu makes the menu from what is known; a story read meanwhile in
// the window shows read here too.
func (t *tray) buildMenu() {
	items := []*fyne.MenuItem{
		fyne.NewMenuItem(lang.L("Open Newswatch"), func() { fyne.Do(t.open) }),
		fyne.NewMenuItem(lang.L("Check now"), func() { fyne.Do(t.acts.checkNow) }),
	}
	pause := lang.L("Pause alerts")
	if t.acts.paused() {
		pause = lang.L("Resume alerts")
	}
	items = append(items, fyne.NewMenuItem(pause, func() { fyne.Do(func() { t.acts.setPaused(!t.acts.paused()) }) }),
		fyne.NewMenuItemSeparator())
	if n := len(t.dead); n > 0 {
		label := "⚠ " + nf("{{.N}} feeds are dead or silent", n)
		if n == 1 {
			label = "⚠ " + tf("{{.Feed}} is dead or silent", "Feed", shorten(t.dead[0], 40))
		}
		items = append(items, fyne.NewMenuItem(label, func() { fyne.Do(t.feeds) }), fyne.NewMenuItemSeparator())
	}
	if len(t.newest) == 0 {
		none := fyne.NewMenuItem(lang.L("No matches yet"), nil)
		none.Disabled = true
		items = append(items, none)
	}
	for _, s := range t.newest {
		id, read := s.ID, s.Read
		if loaded := t.model.stories[id]; loaded != nil {
			read = loaded.Read
		}
		label := shorten(s.Article.Title, 60)
		if len(s.Topics) > 0 {
			label = fmt.Sprintf("%s — %s", s.Topics[0].Name, label)
		}
		if s.Sources > 1 {
			label += " · " + nf("{{.N}} sources", s.Sources)
		}
		if !read {
			label = "● " + label
		}
		items = append(items, fyne.NewMenuItem(label, func() { fyne.Do(func() { t.show(id) }) }))
	}
	quit := fyne.NewMenuItem(lang.L("Quit"), func() { fyne.Do(t.quit) })
	quit.IsQuit = true
	items = append(items, fyne.NewMenuItemSeparator(), quit)
	if t.desk != nil {
		t.desk.SetSystemTrayMenu(fyne.NewMenu("Newswatch", items...))
	}
}

// shorten cuts s to n characters with an ellipsis.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
