// Package app is the Newswatch desktop app, built with Fyne on the engine
// in monitor/. It holds screens and wiring only, one file per screen: every
// decision about feeds, topics, matches and alerts is the engine's (or, for
// when to notify, notify.go's pure planNotes).
//
// It never imports fyne.io/fyne/v2/app: main hands it a fyne.App, so the
// tests run with Fyne's headless test driver (go test -tags ci).
package app

import (
	"context"
	"log/slog"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/assets"
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Engine is what the desktop app needs from the engine; *monitor.Service
// provides it, and tests may use a real one on a temporary directory.
type Engine interface {
	Run(ctx context.Context) error
	Check(ctx context.Context, opt monitor.CheckOptions) (monitor.CycleEvent, error)
	Subscribe(fn func(monitor.CycleEvent)) (cancel func())

	Timeline(ctx context.Context, f monitor.TimelineFilter) ([]monitor.TimelineEntry, error)
	Stories(ctx context.Context, ids []int64) ([]monitor.Story, error)
	SetRead(ctx context.Context, read bool, articleIDs ...int64) error
	MarkAllRead(ctx context.Context, f monitor.TimelineFilter) error
	SetStarred(ctx context.Context, articleID int64, starred bool) error
	DeleteStory(ctx context.Context, articleID int64) error
	Counts(ctx context.Context) (monitor.Counts, error)
	Matches(ctx context.Context, f monitor.MatchFilter) ([]monitor.Match, error)

	Topics(ctx context.Context) ([]monitor.Topic, error)
	AddTopic(ctx context.Context, t monitor.Topic) (monitor.Topic, error)
	UpdateTopic(ctx context.Context, t monitor.Topic) error
	RemoveTopic(ctx context.Context, id int64) error
	ApplyTopic(ctx context.Context, topicID int64, since time.Time) (int, error)
	Backtest(ctx context.Context, q string, opt monitor.BacktestOptions) (monitor.Backtest, error)

	Feeds(ctx context.Context) ([]monitor.Feed, error)
	AddFeed(ctx context.Context, rawURL string, opt monitor.AddFeedOptions) (monitor.Feed, error)
	UpdateFeed(ctx context.Context, f monitor.Feed) error
	RemoveFeed(ctx context.Context, id int64) error
	ImportFeeds(ctx context.Context, feeds []monitor.Feed) (monitor.ImportResult, error)
	NextRun(ctx context.Context, f monitor.Feed) time.Time

	Settings(ctx context.Context) (monitor.Settings, error)
	SetSchedule(ctx context.Context, spec string) error
	SetRetentionDays(ctx context.Context, days int) error
}

var _ Engine = (*monitor.Service)(nil)

// Options change how the app runs.
type Options struct {
	// Title is the window title; empty: "Newswatch" (or, for the demo,
	// "Newswatch — demo" in the app's language).
	Title string
	// Demo says the app shows the demo's made-up data.
	Demo bool
	// Notify sends a desktop notification; nil uses the fyne.App's.
	Notify func(title, body string)
	// Now is the clock; nil is time.Now.
	Now    func() time.Time
	Logger *slog.Logger
	// NoWelcome skips the first-run welcome (the demo sets itself up).
	NoWelcome bool
	// Synchronous runs background work at once on the calling goroutine
	// (tests use it with Fyne's test driver, which has no event loop).
	Synchronous bool
	// TraceStartup, when set, is called once the first timeline is on
	// screen, with how many stories it holds (for the benchmarks).
	TraceStartup func(stories int)
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
}

// Autostart reads and switches whether Newswatch starts at login; main
// wires internal/autostart.
type Autostart struct {
	Enabled func() (bool, error)
	Enable  func() error
	Disable func() error
}

// UI is the whole desktop app: the main window, its screens, the tray.
type UI struct {
	trimPending atomic.Bool // a trimMemory is scheduled

	app    fyne.App
	eng    Engine
	prefs  prefs
	opt    Options
	ctx    context.Context
	cancel context.CancelFunc
	log    *slog.Logger

	runDone chan struct{} // closed when the engine's Run has returned

	win      fyne.Window
	tabs     *container.AppTabs
	timeline *timelineView
	story    *storyView
	topics   *topicsView
	feeds    *feedsView
	settings *settingsView
	tray     *tray

	status   *widget.Label
	progress *widget.Label

	mu        sync.Mutex
	lastCheck monitor.CycleEvent
	checking  bool
	topicList []monitor.Topic // cached for notifications and chips
}

// New builds the app's window and screens on the engine.
func New(a fyne.App, eng Engine, opt Options) *UI {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	u := &UI{app: a, eng: eng, prefs: prefs{a.Preferences()}, opt: opt, log: opt.Logger}
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
		var once sync.Once
		present := false
		u.opt.Notify = func(title, body string) {
			once.Do(func() {
				if present = notificationServicePresent(); !present {
					u.log.Info("this desktop shows no notifications; new matches appear in the timeline and the tray")
				}
			})
			if present {
				a.SendNotification(fyne.NewNotification(title, body))
			}
		}
	}
	u.ctx, u.cancel = context.WithCancel(context.Background())
	a.SetIcon(assets.Icon)
	u.win = a.NewWindow(u.opt.Title)
	u.win.SetMaster()
	u.buildUI()
	u.win.Resize(u.prefs.windowSize())
	return u
}

func (u *UI) buildUI() {
	u.status = widget.NewLabel("")
	u.status.Truncation = fyne.TextTruncateEllipsis
	u.progress = widget.NewLabel("")
	u.story = newStoryView(u)
	u.timeline = newTimelineView(u)
	u.topics = newTopicsView(u)
	u.feeds = newFeedsView(u)
	u.settings = newSettingsView(u)
	u.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("Timeline"), theme.ListIcon(), u.timeline.content),
		container.NewTabItemWithIcon(lang.L("Topics"), theme.SearchIcon(), u.topics.content),
		container.NewTabItemWithIcon(lang.L("Feeds"), theme.MailComposeIcon(), u.feeds.content),
		container.NewTabItemWithIcon(lang.L("Settings"), theme.SettingsIcon(), u.settings.content),
	)
	u.tabs.OnSelected = func(t *container.TabItem) {
		switch t.Content {
		case u.topics.content:
			u.topics.refresh()
		case u.feeds.content:
			u.feeds.refresh()
		case u.settings.content:
			u.settings.refresh()
		}
	}
	statusBar := container.NewBorder(widget.NewSeparator(), nil, nil, u.progress, u.status)
	u.win.SetContent(container.NewBorder(nil, statusBar, nil, nil, u.tabs))
	u.installShortcuts()
	u.win.SetCloseIntercept(u.onClose)
}

// Run shows the app (or only its tray icon, when set to start minimized),
// checks feeds on schedule, and returns when the user quits.
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
// data. Run calls it; tests call it without a window loop.
func (u *UI) Start() {
	u.attach()
	u.runDone = make(chan struct{})
	go func() {
		err := u.eng.Run(u.ctx)
		close(u.runDone)
		if err != nil {
			u.log.Error("scheduler stopped", slog.Any("err", err))
			fyne.Do(func() { u.status.SetText(tf("The scheduler stopped: {{.Reason}}", "Reason", trErr(err))) })
		}
	}()
	// A quiet tick keeps "next check in …" and relative times current.
	go func() {
		t := time.NewTicker(30 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-u.ctx.Done():
				return
			case <-t.C:
				fyne.Do(u.updateStatusLine)
			}
		}
	}()
	if !u.prefs.welcomed() && !u.opt.NoWelcome && u.isEmpty() {
		u.showWelcome()
	}
}

// isEmpty reports whether there is nothing yet: no feeds, no topics.
func (u *UI) isEmpty() bool {
	feeds, err1 := u.eng.Feeds(u.ctx)
	topics, err2 := u.eng.Topics(u.ctx)
	return err1 == nil && err2 == nil && len(feeds) == 0 && len(topics) == 0
}

// attach connects the window to the engine's events and shows the data,
// without starting the scheduler.
func (u *UI) attach() {
	u.tray = newTray(u)
	unsub := u.eng.Subscribe(u.onCycle)
	go func() {
		<-u.ctx.Done()
		unsub()
	}()
	u.reloadTopics()
	u.timeline.reload()
	u.updateStatus()
}

// Stop ends the scheduler and background work, and waits for the
// scheduler to return: the check running then has saved what it checked,
// and the store may be closed.
func (u *UI) Stop() {
	u.cancel()
	if u.runDone != nil {
		<-u.runDone
	}
}

// background runs work off the UI goroutine, then apply on it.
func (u *UI) background(work, apply func()) {
	if u.opt.Synchronous {
		work()
		apply()
		return
	}
	go func() {
		work()
		fyne.Do(apply)
	}()
}

// later runs fn on the UI goroutine after d (at once when synchronous),
// replacing what an earlier call with the same timer scheduled.
func (u *UI) later(t **time.Timer, d time.Duration, fn func()) {
	if *t != nil {
		(*t).Stop()
	}
	if u.opt.Synchronous {
		fn()
		return
	}
	*t = time.AfterFunc(d, func() { fyne.Do(fn) })
}

// onCycle receives each check cycle's event on the engine's goroutine:
// notifications go out from here, the window is updated through fyne.Do.
func (u *UI) onCycle(ev monitor.CycleEvent) {
	u.mu.Lock()
	u.lastCheck = ev
	topics := u.topicList
	u.mu.Unlock()
	for _, n := range planNotes(ev, topics, u.prefs, u.opt.Now()) {
		u.opt.Notify(n.title, n.body)
	}
	fyne.Do(func() {
		u.timeline.reload()
		u.updateStatus()
		if u.tabs.Selected().Content == u.feeds.content {
			u.feeds.refresh()
		}
	})
	u.trimMemory(5 * time.Second) // once the timeline has reloaded
}

// trimMemory returns the memory a burst of work (the first timeline, a
// check cycle) left behind to the system after a while, so an app that
// idles in the tray all day holds no more than it uses. Calls while one
// is pending are folded into it.
func (u *UI) trimMemory(after time.Duration) {
	if !u.trimPending.CompareAndSwap(false, true) {
		return
	}
	time.AfterFunc(after, func() {
		u.trimPending.Store(false)
		debug.FreeOSMemory()
	})
}

// reloadTopics reads the topics again (after an edit) for the side list,
// the chips and the notifications.
func (u *UI) reloadTopics() {
	topics, err := u.eng.Topics(u.ctx)
	if err != nil {
		u.showError(err)
		return
	}
	u.mu.Lock()
	u.topicList = topics
	u.mu.Unlock()
	u.timeline.setTopics(topics)
}

// checkNow runs a check cycle with progress in the status bar.
func (u *UI) checkNow() {
	u.mu.Lock()
	if u.checking {
		u.mu.Unlock()
		return
	}
	u.checking = true
	u.mu.Unlock()
	u.progress.SetText(lang.L("Checking feeds…"))
	u.timeline.checkBtn.Disable()
	var err error
	u.background(func() {
		_, err = u.eng.Check(u.ctx, monitor.CheckOptions{Progress: func(done, total int) {
			if !u.opt.Synchronous {
				fyne.Do(func() {
					u.progress.SetText(tf("Checking {{.Done}} of {{.Total}} feeds…", "Done", done, "Total", total))
				})
			}
		}})
		u.mu.Lock()
		u.checking = false
		u.mu.Unlock()
	}, func() {
		u.progress.SetText("")
		u.timeline.checkBtn.Enable()
		if err != nil && u.ctx.Err() == nil {
			u.showError(err)
		}
	})
}

// updateStatus writes the status line and brings the tray up to date.
func (u *UI) updateStatus() {
	u.updateStatusLine()
	u.tray.refresh()
}

// updateStatusLine writes the status line: last check, next check, feeds
// with errors. The quiet tick calls only this: the tray changes with
// events (a check, a story read), and counting 100,000 stories twice a
// minute for nothing was most of the app's own idle work.
func (u *UI) updateStatusLine() {
	u.mu.Lock()
	ev := u.lastCheck
	u.mu.Unlock()
	now := u.opt.Now()
	feeds, err := u.eng.Feeds(u.ctx)
	if err != nil {
		u.status.SetText(tf("Cannot read the feeds: {{.Reason}}", "Reason", trErr(err)))
		return
	}
	var next time.Time
	broken := 0
	var lastFetch time.Time
	for _, f := range feeds {
		if f.LastFetch.After(lastFetch) {
			lastFetch = f.LastFetch
		}
		if !f.Healthy() {
			broken++
		}
		if n := u.eng.NextRun(u.ctx, f); !n.IsZero() && (next.IsZero() || n.Before(next)) {
			next = n
		}
	}
	if !ev.Finished.IsZero() {
		lastFetch = ev.Finished
	}
	var parts []string
	switch {
	case len(feeds) == 0:
		parts = append(parts, lang.L("No feeds yet — add some on the Feeds tab."))
	case lastFetch.IsZero():
		parts = append(parts, lang.L("Not checked yet."))
	default:
		parts = append(parts, tf("Last check {{.When}}", "When", relTime(lastFetch, now)))
	}
	if !next.IsZero() {
		parts = append(parts, tf("next {{.When}}", "When", relTime(next, now)))
	}
	if broken > 0 {
		parts = append(parts, nf("{{.N}} feeds have problems", broken))
	}
	if u.prefs.paused() {
		parts = append(parts, lang.L("alerts paused"))
	}
	u.status.SetText(strings.Join(parts, " · "))
}

// setPaused pauses or resumes alerts (toolbar, tray, and status agree).
func (u *UI) setPaused(p bool) {
	u.prefs.setPaused(p)
	u.timeline.syncPause()
	u.updateStatus()
}

// setLanguage switches the app to another language (code "" for the
// system's) at once: the screens are built again in it.
func (u *UI) setLanguage(code string) {
	u.prefs.setLanguage(code)
	if err := loadTranslations(code); err != nil {
		u.log.Error("translations", slog.Any("err", err))
	}
	u.buildUI()
	u.reloadTopics()
	u.timeline.reload()
	u.updateStatus()
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

// openStory shows a story in the timeline (from the tray or a notification).
func (u *UI) openStory(articleID int64) {
	u.showWindow()
	u.tabs.SelectIndex(0)
	u.timeline.openArticle(articleID)
}

// openLink opens a story's link in the browser: http and https only.
func (u *UI) openLink(link string) {
	target, err := url.Parse(link)
	if err != nil || (target.Scheme != "http" && target.Scheme != "https") || target.Host == "" {
		u.showError(msg.Errorf(nil, msg.T("“{{.Link}}” is not a web address; Newswatch opens only http and https links."), "Link", link))
		return
	}
	if err := u.app.OpenURL(target); err != nil {
		u.showError(msg.Errorf(err, msg.T("The browser could not be opened ({{.Reason}})."), "Reason", err.Error()))
	}
}

func (u *UI) showError(err error) {
	if err == nil {
		return
	}
	u.log.Warn("error shown", slog.Any("err", err))
	showErrorDialog(u.win, err)
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
	ctrl(fyne.KeyR, u.checkNow)
	ctrl(fyne.KeyE, u.timeline.exportCSV)
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if u.tabs.SelectedIndex() != 0 {
			return
		}
		switch ev.Name {
		case fyne.KeyDown:
			u.timeline.moveCursor(1)
		case fyne.KeyUp:
			u.timeline.moveCursor(-1)
		case fyne.KeyPageDown:
			u.timeline.moveCursor(10)
		case fyne.KeyPageUp:
			u.timeline.moveCursor(-10)
		case fyne.KeyHome:
			u.timeline.moveCursor(-len(u.timeline.rows))
		case fyne.KeyEnd:
			u.timeline.moveCursor(len(u.timeline.rows))
		case fyne.KeyReturn, fyne.KeyEnter:
			u.timeline.openCursor()
		case fyne.KeySpace:
			u.timeline.toggleCursorRead()
		}
	})
}

// relTime says when t is relative to now, in the app's language: "just
// now", "in 7 min", "12 min ago", "at 14:05", "yesterday 09:12",
// "3 Nov 09:12", "3 Nov 2024".
func relTime(t, now time.Time) string {
	d := t.Sub(now)
	switch {
	case d > -45*time.Second && d < 45*time.Second:
		if d > 0 {
			return lang.L("in a moment")
		}
		return lang.L("just now")
	case d > 0 && d < time.Hour:
		return nf("in {{.N}} min", int(d.Round(time.Minute)/time.Minute))
	case d < 0 && d > -time.Hour:
		return nf("{{.N}} min ago", int((-d).Round(time.Minute)/time.Minute))
	}
	lt, ln := t.Local(), now.Local()
	switch {
	case sameDay(lt, ln):
		return tf("at {{.Time}}", "Time", clock(lt))
	case sameDay(lt, ln.AddDate(0, 0, -1)):
		return tf("yesterday {{.Time}}", "Time", clock(lt))
	case sameDay(lt, ln.AddDate(0, 0, 1)):
		return tf("tomorrow {{.Time}}", "Time", clock(lt))
	case lt.Year() == ln.Year():
		return tf("{{.Day}} {{.Month}} {{.Time}}", "Day", lt.Day(), "Month", monthShort(lt.Month()), "Time", clock(lt))
	}
	return shortDate(lt)
}

func sameDay(a, b time.Time) bool {
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}
