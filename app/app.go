// Package app is the Newswatch desktop app, built with Fyne on the engine
// in monitor/. It holds screens and wiring only: every decision about
// feeds, topics and matches is the engine's.
//
// This first version is a small window over the engine: the newest matched
// stories, a "Check now" button and the state of the last check. It runs
// the engine's scheduler while the window is open.
package app

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/assets"
	"codeberg.org/newswatch/newswatch/monitor"
)

// Engine is what the desktop app needs from the engine.
type Engine interface {
	Run(ctx context.Context) error
	Check(ctx context.Context, opt monitor.CheckOptions) (monitor.CycleEvent, error)
	Subscribe(fn func(monitor.CycleEvent)) (cancel func())
	Matches(ctx context.Context, f monitor.MatchFilter) ([]monitor.Match, error)
}

// UI is the main window and its widgets.
type UI struct {
	app     fyne.App
	eng     Engine
	win     fyne.Window
	list    *widget.List
	status  *widget.Label
	check   *widget.Button
	matches []monitor.Match
}

// New builds the main window.
func New(a fyne.App, eng Engine) *UI {
	u := &UI{app: a, eng: eng}
	a.SetIcon(assets.Icon)
	u.win = a.NewWindow("Newswatch")
	u.status = widget.NewLabel("Not checked yet.")
	u.check = widget.NewButton("Check now", u.onCheck)
	u.list = widget.NewList(
		func() int { return len(u.matches) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			m := u.matches[i]
			o.(*widget.Label).SetText(fmt.Sprintf("%s  [%s]  %s — %s",
				m.Article.Published.Local().Format("02.01. 15:04"), m.TopicName, m.Article.Title, m.Article.FeedName))
		})
	u.win.SetContent(container.NewBorder(container.NewHBox(u.check, u.status), nil, nil, nil, u.list))
	u.win.Resize(fyne.NewSize(900, 600))
	u.refresh()
	return u
}

// Run shows the window and checks feeds on schedule until it closes.
func (u *UI) Run() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	unsub := u.eng.Subscribe(func(ev monitor.CycleEvent) {
		fyne.Do(func() {
			u.status.SetText(fmt.Sprintf("Last check %s: %d new stories, %d new matches, %d feeds failed.",
				ev.Finished.Local().Format("15:04"), ev.NewArticles, len(ev.Matches), ev.Failed()))
			u.refresh()
		})
	})
	defer unsub()
	go u.eng.Run(ctx)
	u.win.ShowAndRun()
}

func (u *UI) onCheck() {
	u.check.Disable()
	u.status.SetText("Checking…")
	go func() {
		_, err := u.eng.Check(context.Background(), monitor.CheckOptions{})
		fyne.Do(func() {
			u.check.Enable()
			if err != nil {
				u.status.SetText("Check failed: " + err.Error())
			}
		})
	}()
}

func (u *UI) refresh() {
	ms, err := u.eng.Matches(context.Background(), monitor.MatchFilter{Limit: 500})
	if err != nil {
		u.status.SetText("Cannot read stored matches: " + err.Error())
		return
	}
	u.matches = ms
	u.list.Refresh()
}
