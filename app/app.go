// Package app is the Newswatch desktop app, built with Fyne on the engine
// in monitor/. It holds screens and wiring only: every decision about
// feeds, topics, matches and alerts is the engine's (the alerts too:
// notify.go only delivers what the engine decided to show).
//
// The timeline model (model.go) owns what the timeline shows and does all
// its reading and writing off the UI goroutine; the screens (timeline,
// story, topics, feeds, settings), the tray and the status bar are each
// built from the small part of the engine they need (engine.go) and never
// call each other. The app's own actions (check now, pause alerts, open a
// link) are in actions.go.
//
// It never imports fyne.io/fyne/v2/app: main hands it a fyne.App, so the
// tests run with Fyne's headless test driver (go test -tags ci).
package app

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"codeberg.org/newswatch/newswatch/assets"
	"codeberg.org/newswatch/newswatch/internal/notifier"
	"codeberg.org/newswatch/newswatch/monitor"
)

// Options change how the app runs.
type Options struct {
	// Title is the window title; empty: "Newswatch" (or, for the demo,
	// "Newswatch — demo" in the app's language).
	Title string
	// Demo says the app shows the demo's made-up data.
	Demo bool
	// Notify sends a plain desktop notification; nil uses the fyne.App's.
	// Set, it is what the app uses (the tests record notifications so).
	Notify func(title, body string)
	// NewSender connects to a notification daemon with actions (clicks
	// and buttons); nil: notifier.New when Notify is not set.
	NewSender func(notifier.Handler) (notifier.Sender, error)
	// Now is the clock; nil is time.Now.
	Now    func() time.Time
	Logger *slog.Logger
	// NoWelcome skips the first-run welcome (the demo sets itself up).
	NoWelcome bool
	// Synchronous runs background work at once on the calling goroutine
	// (tests use it with Fyne's test driver, which has no event loop).
	Synchronous bool
	// Minimized starts with only the tray icon, whatever the "Start
	// minimized" setting says (--minimized: the app started at login).
	Minimized bool
	// BeforeQuit, when set, is called on the UI goroutine when the user
	// quits, before the window loop ends (main releases the data
	// directory's single-instance lock there).
	BeforeQuit func()
	// Autostart switches starting at login; nil hides the setting (the
	// demo, the tests).
	Autostart *Autostart
	// TeamDir is the data directory whose team.json the Team database
	// setting writes; "" hides the setting (the demo, the tests).
	TeamDir string
}

// Autostart reads and switches whether Newswatch starts at login; main
// wires internal/autostart.
type Autostart struct {
	Enabled func() (bool, error)
	Enable  func() error
	Disable func() error
}

// UI is the desktop app: the main window with its screens, the tray and
// the status bar, wired to the engine.
type UI struct {
	app    fyne.App
	eng    Engine
	prefs  prefs
	opt    Options
	ctx    context.Context
	cancel context.CancelFunc
	log    *slog.Logger
	run    *runner
	acts   *actions

	win   fyne.Window
	model *timelineModel
	tabs  *container.AppTabs

	timeline *timelineView
	story    *storyView
	topics   *topicsView
	feeds    *feedsView
	alertLog *alertsView
	settings *settingsView
	status   *statusBar
	tray     *tray
	screens  *hooks // what the current build of the screens listens to
	alerts   *deliverer

	scheduler sync.WaitGroup // the engine's Run, while it runs
}

// New builds the app's window and screens on the engine.
func New(a fyne.App, eng Engine, opt Options) *UI {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	u := &UI{app: a, eng: eng, prefs: prefs{a.Preferences()}, opt: opt, log: opt.Logger, run: &runner{sync: opt.Synchronous}}
	if u.log == nil {
		u.log = slog.New(slog.DiscardHandler)
	}
	if err := loadTranslations(u.prefs.language()); err != nil {
		u.log.Error("translations", slog.Any("err", err))
	}
	if u.opt.Title == "" {
		u.opt.Title = "Newswatch"
		if opt.Demo {
			u.opt.Title = lang.L("Newswatch — demo")
		}
	}
	if u.opt.Notify == nil {
		u.opt.Notify = fyneNotifier(a, u.log)
		if u.opt.NewSender == nil {
			u.opt.NewSender = notifier.New
		}
	}
	u.ctx, u.cancel = context.WithCancel(context.Background())
	a.SetIcon(assets.Icon)
	u.win = a.NewWindow(u.opt.Title)
	u.win.SetMaster()
	u.acts = &actions{app: a, win: u.win, eng: eng, alerts: eng, prefs: u.prefs, run: u.run, ctx: u.ctx, now: u.opt.Now, log: u.log,
		setLanguage: u.setLanguage}
	u.model = newTimelineModel(u.ctx, eng, u.run, u.acts.showError)
	u.model.countsChanged.listen(u.syncTitle)
	u.buildUI()
	u.win.Resize(u.prefs.windowSize())
	u.win.SetCloseIntercept(u.onClose)
	return u
}

// fyneNotifier sends notifications through Fyne when the desktop shows
// them at all.
func fyneNotifier(a fyne.App, log *slog.Logger) func(title, body string) {
	var once sync.Once
	present := false
	return func(title, body string) {
		once.Do(func() {
			if present = notificationServicePresent(); !present {
				log.Info("this desktop shows no notifications; new matches appear in the timeline and the tray")
			}
		})
		if present {
			a.SendNotification(fyne.NewNotification(title, body))
		}
	}
}

// buildUI makes the screens (again, after the language changed: the
// screens built before stop listening).
func (u *UI) buildUI() {
	if u.screens != nil {
		u.screens.release()
	}
	h := &hooks{}
	u.screens = h
	u.status = newStatusBar(u.eng, u.acts, h)
	u.story = newStoryView(u.model, u.acts, h)
	u.timeline = newTimelineView(u.model, u.acts, u.story.content, h)
	u.topics = newTopicsView(u.eng, u.acts, h)
	u.feeds = newFeedsView(u.eng, u.acts, h)
	u.alertLog = newAlertsView(u.eng, u.acts, u.showAlert, h)
	u.settings = newSettingsView(u.eng, u.acts, u.opt.Autostart, h)
	u.settings.showTeam(u.opt.TeamDir)
	u.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("Timeline"), theme.ListIcon(), u.timeline.content),
		container.NewTabItemWithIcon(lang.L("Topics"), theme.SearchIcon(), u.topics.content),
		container.NewTabItemWithIcon(lang.L("Feeds"), theme.MailComposeIcon(), u.feeds.content),
		container.NewTabItemWithIcon(lang.L("Alerts"), theme.WarningIcon(), u.alertLog.content),
		container.NewTabItemWithIcon(lang.L("Settings"), theme.SettingsIcon(), u.settings.content),
	)
	u.tabs.OnSelected = func(t *container.TabItem) {
		switch t.Content {
		case u.topics.content:
			u.topics.refresh()
		case u.feeds.content:
			u.feeds.refresh()
		case u.alertLog.content:
			u.alertLog.refresh()
		case u.settings.content:
			u.settings.refresh()
		}
	}
	u.win.SetContent(container.NewBorder(nil, u.status.content, nil, nil, u.tabs))
	u.installShortcuts()
}

// Run shows the app (or only its tray icon, when set to start minimized),
// checks feeds on schedule, and returns when the user quits, once the
// scheduler has finished its running check.
func (u *UI) Run() {
	u.Start()
	if (u.opt.Minimized || u.prefs.startMinimized()) && u.tray.available() {
		u.app.Run()
	} else {
		u.win.ShowAndRun()
	}
	u.Stop()
}

// Start wires the app to the engine: events, the scheduler, the first
// data. Run calls it; tests call attach without a scheduler.
func (u *UI) Start() {
	u.attach()
	u.scheduler.Add(1)
	go func() {
		defer u.scheduler.Done()
		if err := u.eng.Run(u.ctx); err != nil {
			u.log.Error("scheduler stopped", slog.Any("err", err))
			fyne.Do(func() { u.status.status.SetText(tf("The scheduler stopped: {{.Reason}}", "Reason", trErr(err))) })
		}
	}()
	startBenchHooks(u)
	if !u.prefs.welcomed() && !u.opt.NoWelcome {
		u.welcomeIfEmpty()
	}
}

// attach connects the window to the engine: the timeline model, the
// alerts, the status bar and the tray.
func (u *UI) attach() {
	u.acts.loadSwitches()
	u.alerts = newDeliverer(u.opt.NewSender, u.opt.Notify, u.onAlertAction, u.log)
	stop := u.alerts.watch(u.eng)
	go func() {
		<-u.ctx.Done()
		stop()
		u.alerts.close()
	}()
	u.model.attach()
	u.status.attach()
	u.tray = newTray(u.app, u.eng, u.model, u.acts, u.showWindow, u.showFeeds, u.showStory, u.quit)
}

// Stop ends the scheduler and background work, and waits for the
// scheduler's running check to end (the store may be closed after).
func (u *UI) Stop() {
	u.cancel()
	u.screens.release()
	u.scheduler.Wait()
}

// syncTitle puts the number of unread stories in the window's title.
func (u *UI) syncTitle() {
	title := u.opt.Title
	if n := u.model.counts.Unread; n > 0 {
		title = fmt.Sprintf("%s (%d)", title, n)
	}
	if u.win.Title() != title {
		u.win.SetTitle(title)
	}
}

// setLanguage switches the app to another language (code "" for the
// system's) at once: the screens are built again in it.
func (u *UI) setLanguage(code string) {
	u.prefs.setLanguage(code)
	if err := loadTranslations(code); err != nil {
		u.log.Error("translations", slog.Any("err", err))
	}
	u.buildUI()
	u.status.attach()
	u.tray.buildMenu()
	u.model.rowsChanged.emit()
	u.model.topicsChanged.emit()
	u.model.countsChanged.emit()
	if s := u.model.openStory(); s != nil {
		u.story.show(s)
	}
	u.tabs.Select(u.tabs.Items[len(u.tabs.Items)-1])
}

// ShowWindow brings the main window up and to the front: for a second
// start of the app (main calls it through fyne.Do).
func (u *UI) ShowWindow() { u.showWindow() }

// showWindow brings the main window up (from the tray).
func (u *UI) showWindow() {
	u.win.Show()
	u.win.RequestFocus()
}

// onAlertAction does what the user asked of an alert's notification:
// a click shows what it named, "Mark read" marks its stories read.
func (u *UI) onAlertAction(a monitor.Alert, action string) {
	if action == actionRead {
		u.model.setRead(a.Stories, true)
		return
	}
	u.showAlert(a)
}

// showAlert brings the window up with what an alert named: a feed's
// alert shows the feed, one story opens it, several are shown together
// (the timeline says whose they are), the newest open.
func (u *UI) showAlert(a monitor.Alert) {
	u.showWindow()
	switch {
	case a.FeedID != 0 && len(a.Stories) == 0:
		u.tabs.Select(u.tabs.Items[2])
		u.feeds.showFeedID(a.FeedID)
	case len(a.Stories) == 1:
		u.showStory(a.Stories[0])
	case len(a.Stories) > 1:
		u.tabs.SelectIndex(0)
		u.timeline.showStories(a.Stories, trMsg(a.Title))
	}
}

// showFeeds shows the Feeds screen (from the tray).
func (u *UI) showFeeds() {
	u.showWindow()
	u.tabs.Select(u.tabs.Items[2])
}

// showStory shows a story in the timeline (from the tray or a
// notification).
func (u *UI) showStory(id int64) {
	u.showWindow()
	u.tabs.SelectIndex(0)
	u.timeline.showStory(id)
}

func (u *UI) onClose() {
	u.prefs.setWindowSize(u.win.Canvas().Size())
	if u.prefs.closeToTray() && u.tray.available() {
		u.win.Hide()
		return
	}
	u.quit()
}

func (u *UI) quit() {
	if u.win.Content().Visible() {
		u.prefs.setWindowSize(u.win.Canvas().Size())
	}
	if u.opt.BeforeQuit != nil {
		u.opt.BeforeQuit()
	}
	u.cancel()
	u.app.Quit()
}

// installShortcuts binds the keyboard: Ctrl+F search, Ctrl+R check now,
// Ctrl+E export; Up/Down, Enter and Space act on the timeline.
func (u *UI) installShortcuts() {
	c := u.win.Canvas()
	ctrl := func(k fyne.KeyName, fn func()) {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { fn() })
	}
	ctrl(fyne.KeyF, func() {
		u.tabs.SelectIndex(0)
		c.Focus(u.timeline.search)
	})
	ctrl(fyne.KeyR, u.acts.checkNow)
	ctrl(fyne.KeyE, u.timeline.exportCSV)
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if u.tabs.SelectedIndex() != 0 {
			return
		}
		t := u.timeline
		switch ev.Name {
		case fyne.KeyDown:
			t.moveCursor(1)
		case fyne.KeyUp:
			t.moveCursor(-1)
		case fyne.KeyPageDown:
			t.moveCursor(10)
		case fyne.KeyPageUp:
			t.moveCursor(-10)
		case fyne.KeyHome:
			t.moveCursorToEnd(false)
		case fyne.KeyEnd:
			t.moveCursorToEnd(true)
		case fyne.KeyReturn, fyne.KeyEnter:
			t.openCursor()
		case fyne.KeySpace:
			t.toggleCursorRead()
		}
	})
}
