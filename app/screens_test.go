package app

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Each screen is built from the small interface it needs; these tests run
// screens against fakes of just that, with no engine or database.

// fakeEvents is an events source that tells its subscribers what the test
// says.
type fakeEvents struct{ subs []func(monitor.Event) }

func (f *fakeEvents) Subscribe(fn func(monitor.Event)) func() {
	f.subs = append(f.subs, fn)
	return func() {}
}

func (f *fakeEvents) send(ev monitor.Event) {
	for _, fn := range f.subs {
		fn(ev)
	}
}

// testActions are the app's actions on a test app, synchronous.
func testActions(t *testing.T) *actions {
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLanguage, "en")
	loadTranslations("en")
	return &actions{app: a, win: a.NewWindow("test"), prefs: prefs{a.Preferences()}, run: &runner{sync: true},
		ctx: context.Background(), now: func() time.Time { return testNow }, log: discardLogger(),
		notice: func(string) {}, setLanguage: func(string) {}, alerts: &fakeSettings{}}
}

// fakeTopics is a topicEditor that keeps topics in memory.
type fakeTopics struct {
	fakeEvents
	topics  []monitor.Topic
	applied []int64
}

func (f *fakeTopics) Topics(context.Context) ([]monitor.Topic, error) { return f.topics, nil }
func (f *fakeTopics) AddTopic(_ context.Context, t monitor.Topic) (monitor.Topic, error) {
	t.ID = int64(len(f.topics) + 1)
	f.topics = append(f.topics, t)
	f.send(monitor.Event{Changed: monitor.TopicsChanged})
	return t, nil
}
func (f *fakeTopics) UpdateTopic(context.Context, monitor.Topic) error { return nil }
func (f *fakeTopics) RemoveTopic(context.Context, int64) error         { return nil }
func (f *fakeTopics) ApplyTopic(_ context.Context, id int64, _ time.Time) (int, error) {
	f.applied = append(f.applied, id)
	return 4, nil
}
func (f *fakeTopics) TopicVolume(context.Context, int64) (monitor.Volume, error) {
	return monitor.Volume{Hours: make([]int, 48), Days: []int{1, 0, 4}, DayStarts: make([]time.Time, 3)}, nil
}
func (f *fakeTopics) CheckQuery(q string) monitor.QueryCheck {
	if strings.Contains(q, `"`) {
		return monitor.QueryCheck{Problem: msg.New("unclosed quote at column {{.C}}", "C", strings.Index(q, `"`)+1)}
	}
	return monitor.QueryCheck{Explain: []msg.Message{msg.Literal(q + ": words that start with " + strings.ToLower(q))}}
}
func (f *fakeTopics) Backtest(_ context.Context, q string, _ monitor.BacktestOptions) (monitor.Backtest, error) {
	return monitor.Backtest{Total: 2, Newest: []monitor.Report{{Article: monitor.Article{Title: q + " today", FeedName: "F"}}}}, nil
}

func TestTopicsScreenAgainstAFake(t *testing.T) {
	eng := &fakeTopics{}
	acts := testActions(t)
	v := newTopicsView(eng, acts, &hooks{})
	test.Type(v.name, "Nordkorea")
	if v.problem.Visible() || !strings.Contains(v.explain.Text, "words that start with nordkorea") || v.saveBtn.Disabled() {
		t.Fatalf("a good query: problem %q, explain %q, save disabled %v", v.problem.Text, v.explain.Text, v.saveBtn.Disabled())
	}
	if !strings.Contains(v.preview.Text, "2 stories in the last 30 days") || len(v.previewBox.Objects) != 1 {
		t.Fatalf("preview %q with %d reports", v.preview.Text, len(v.previewBox.Objects))
	}
	test.Type(v.query, `Nordkorea "Pj`)
	if !v.problem.Visible() || v.problem.Text != "Unclosed quote at column 11." || !v.saveBtn.Disabled() {
		t.Fatalf("a bad query: problem %q (visible %v), save disabled %v", v.problem.Text, v.problem.Visible(), v.saveBtn.Disabled())
	}
	v.query.SetText("")
	test.Tap(v.saveBtn)
	if len(eng.topics) != 1 || eng.topics[0].Query != "Nordkorea" || len(eng.applied) != 1 {
		t.Fatalf("saved %+v, applied %v: want the topic with its name as query, applied to past stories", eng.topics, eng.applied)
	}
	// The list follows the engine's event, not a call from the editor.
	if len(v.topics) != 1 || v.topics[0].Name != "Nordkorea" {
		t.Errorf("the list shows %+v", v.topics)
	}
}

// fakeSettings is a settingsStore in memory.
type fakeSettings struct {
	st       monitor.Settings
	schedErr error
}

func (f *fakeSettings) Settings(context.Context) (monitor.Settings, error) { return f.st, nil }
func (f *fakeSettings) SetSchedule(_ context.Context, spec string) error {
	if f.schedErr != nil {
		return f.schedErr
	}
	f.st.Schedule = spec
	return nil
}
func (f *fakeSettings) SetRetentionDays(_ context.Context, days int) error {
	f.st.RetentionDays = days
	return nil
}
func (f *fakeSettings) SetNotifications(_ context.Context, on bool) error {
	f.st.Notifications = on
	return nil
}
func (f *fakeSettings) SetPaused(_ context.Context, p bool) error { f.st.Paused = p; return nil }
func (f *fakeSettings) SetQuietHours(_ context.Context, q alert.Quiet) error {
	f.st.QuietHours = q
	return nil
}

func TestSettingsScreenAgainstAFake(t *testing.T) {
	eng := &fakeSettings{st: monitor.Settings{Schedule: "@every 10m", RetentionDays: 30, Notifications: true,
		QuietHours: alert.Quiet{On: true, From: 22 * 60, To: 7 * 60}}}
	acts := testActions(t)
	acts.alerts = eng
	acts.prefs.p.SetBool(prefAlertsInEngine, true) // no old preferences to copy
	v := newSettingsView(eng, acts, nil, &hooks{})
	v.refresh()
	if v.schedule.Text != "@every 10m" || v.retention.Text != "30" || !v.quiet.Checked || v.quietFrom.Text != "22:00" {
		t.Fatalf("shows schedule %q, retention %q, quiet %v from %q", v.schedule.Text, v.retention.Text, v.quiet.Checked, v.quietFrom.Text)
	}
	// Showing the settings changed none of them.
	if !eng.st.QuietHours.On || eng.st.Schedule != "@every 10m" {
		t.Fatal("refresh changed a setting")
	}
	v.schedule.SetText("*/20 * * * *")
	v.checkSchedule(true)
	if eng.st.Schedule != "*/20 * * * *" || !strings.HasPrefix(v.schedNote.Text, "Saved.") {
		t.Errorf("schedule %q, note %q", eng.st.Schedule, v.schedNote.Text)
	}
	eng.schedErr = errors.New("the database is read-only")
	v.checkSchedule(true)
	if v.schedNote.Importance != widget.DangerImportance || !strings.Contains(v.schedNote.Text, "read-only") {
		t.Errorf("a failed save says %q", v.schedNote.Text)
	}
	v.retention.SetText("zehn")
	v.saveRetention()
	if eng.st.RetentionDays != 30 || !strings.Contains(v.retNote.Text, "whole number") {
		t.Errorf("retention %d, note %q", eng.st.RetentionDays, v.retNote.Text)
	}
	test.Tap(v.quiet)
	if eng.st.QuietHours.On || eng.st.QuietHours.From != 22*60 {
		t.Errorf("unticking quiet hours: the engine has %+v", eng.st.QuietHours)
	}
	test.Tap(v.notify)
	if eng.st.Notifications {
		t.Error("unticking notifications did not switch them off in the engine")
	}
}

// fakeHealth is a feedHealth with fixed feeds.
type fakeHealth struct {
	fakeEvents
	feeds []monitor.Feed
	reads int
}

func (f *fakeHealth) Feeds(context.Context) ([]monitor.Feed, error) { f.reads++; return f.feeds, nil }
func (f *fakeHealth) NextRun(context.Context, monitor.Feed) time.Time {
	return testNow.Add(7 * time.Minute)
}

func TestStatusBarAgainstAFake(t *testing.T) {
	eng := &fakeHealth{feeds: []monitor.Feed{
		{LastFetch: testNow.Add(-3 * time.Minute)},
		{LastFetch: testNow.Add(-3 * time.Minute), LastError: msg.New("The server said no.")},
	}}
	acts := testActions(t)
	h := &hooks{}
	defer h.release()
	b := newStatusBar(eng, acts, h)
	b.attach()
	if got, want := b.status.Text, "Last check 3 min ago · next in 7 min · 1 feed has problems"; got != want {
		t.Errorf("status %q, want %q", got, want)
	}
	eng.send(monitor.Event{Cycle: &monitor.CycleEvent{Finished: testNow}})
	if got := b.status.Text; !strings.HasPrefix(got, "Last check just now") {
		t.Errorf("after a cycle: %q", got)
	}
	reads := eng.reads
	eng.send(monitor.Event{Changed: monitor.TopicsChanged})
	if eng.reads != reads {
		t.Error("a topic change made the status bar read the feeds")
	}
	acts.setPaused(true)
	if !strings.HasSuffix(b.status.Text, "alerts paused") {
		t.Errorf("paused: %q", b.status.Text)
	}
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
