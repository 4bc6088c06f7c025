package monitor_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
	"codeberg.org/newswatch/newswatch/monitor/store"
)

// alertLines renders alerts as "kind status reason: title | body".
func alertLines(as []monitor.Alert) string {
	var b strings.Builder
	for _, a := range as {
		fmt.Fprintf(&b, "%s %s", a.Kind, a.Status)
		if a.Reason != "" {
			fmt.Fprintf(&b, " %s", a.Reason)
		}
		fmt.Fprintf(&b, ": %s | %s\n", a.Title, a.Body)
	}
	return b.String()
}

func item(id, title string, pub time.Time) testItem {
	return testItem{GUID: id, Title: title, Link: "https://news.example/" + id, Published: pub}
}

// The engine decides and records: the default policy announces one alert
// per topic and cycle; a silenced topic and quiet hours hold back (a
// critical topic passes); every decision is in the history, with the
// stories it named, and reaches the subscribers.
func TestCycleAlertsAreDecidedAndRecorded(t *testing.T) {
	clock := newClock() // 09:00 UTC
	ctx := context.Background()
	ff := &fakeFeed{title: "Morgenpost", items: []testItem{item("a0", "Ukraine: alt", clock.Now().Add(-time.Hour))}}
	svc := openService(t, t.TempDir(), clock)
	mustAddFeed(t, svc, serve(t, ff).URL)
	mustAddTopic(t, svc, "Ukraine", "")
	nk := mustAddTopic(t, svc, "Nordkorea", "")
	nk.Policy.Priority = alert.Critical
	if err := svc.UpdateTopic(ctx, nk); err != nil {
		t.Fatal(err)
	}
	leise, _ := svc.AddTopic(ctx, monitor.Topic{Name: "Leise", Query: "Wetter", Enabled: true})
	var events []monitor.Event
	var mu sync.Mutex
	cancel := svc.Subscribe(func(e monitor.Event) {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
	})
	defer cancel()

	ev := mustCheck(t, svc)
	if got := alertLines(ev.Alerts); got != "backlog shown: Newswatch — 1 story in your new feeds | It matches Ukraine. You find it in the timeline.\n" {
		t.Fatalf("first check:\n%s", got)
	}
	clock.Advance(10 * time.Minute)
	ff.add(item("a1", "Ukraine: eins", clock.Now()), item("a2", "Ukraine: zwei", clock.Now().Add(-time.Minute)),
		item("n1", "Nordkorea droht", clock.Now()), item("w1", "Wetter: Sturm", clock.Now()))
	ev = mustCheck(t, svc)
	want := "stories held silenced: Leise — 1 new story | Wetter: Sturm — Morgenpost\n" +
		"stories shown: Nordkorea — 1 new story | Nordkorea droht — Morgenpost\n" +
		"stories shown: Ukraine — 2 new stories | Ukraine: eins — Morgenpost\n"
	if got := alertLines(ev.Alerts); got != want {
		t.Fatalf("second check:\n%s\nwant\n%s", got, want)
	}
	if a := ev.Alerts[1]; a.Urgency != alert.UrgencyCritical || a.Sound != alert.Sound || a.TopicID != nk.ID || a.ID == 0 {
		t.Errorf("critical alert: %+v", a)
	}
	if a := ev.Alerts[0]; a.TopicID != leise.ID || len(a.Stories) != 1 {
		t.Errorf("silenced alert: %+v", a)
	}

	// Quiet hours from 09:00 to 10:00 hold back Ukraine, not Nordkorea.
	if err := svc.SetQuietHours(ctx, alert.Quiet{On: true, From: 9 * 60, To: 10 * 60}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(10 * time.Minute)
	ff.add(item("a3", "Ukraine: drei", clock.Now()), item("n2", "Nordkorea: Rakete", clock.Now()))
	ev = mustCheck(t, svc)
	want = "stories shown: Nordkorea — 1 new story | Nordkorea: Rakete — Morgenpost\n" +
		"stories held quiet-hours: Ukraine — 1 new story | Ukraine: drei — Morgenpost\n"
	if got := alertLines(ev.Alerts); got != want {
		t.Fatalf("quiet hours:\n%s\nwant\n%s", got, want)
	}

	hist, err := svc.AlertHistory(ctx, monitor.AlertFilter{})
	if err != nil || len(hist) != 6 {
		t.Fatalf("history: %d, %v\n%s", len(hist), err, alertLines(hist))
	}
	if hist[0].ID != ev.Alerts[1].ID || hist[0].Reason != alert.QuietHours || len(hist[0].Stories) != 1 {
		t.Errorf("newest first: %+v", hist[0])
	}
	stories, err := svc.Stories(ctx, hist[0].Stories)
	if err != nil || len(stories) != 1 || stories[0].Article.Title != "Ukraine: drei" {
		t.Errorf("the stories it named: %+v %v", stories, err)
	}
	if h, _ := svc.AlertHistory(ctx, monitor.AlertFilter{TopicID: nk.ID}); len(h) != 2 {
		t.Errorf("by topic: %s", alertLines(h))
	}
	if h, _ := svc.AlertHistory(ctx, monitor.AlertFilter{Kinds: []alert.Kind{alert.KindBacklog}}); len(h) != 1 {
		t.Errorf("by kind: %s", alertLines(h))
	}
	if h, _ := svc.AlertHistory(ctx, monitor.AlertFilter{Since: clock.Now().Add(-5 * time.Minute), Limit: 1}); len(h) != 1 || h[0].ID != hist[0].ID {
		t.Errorf("since, limit: %s", alertLines(h))
	}
	if n, err := svc.DeleteAlerts(ctx, []int64{hist[0].ID, hist[1].ID}); n != 2 || err != nil {
		t.Errorf("deleted %d, %v", n, err)
	}
	if h, _ := svc.AlertHistory(ctx, monitor.AlertFilter{}); len(h) != 4 {
		t.Errorf("after deleting two: %d", len(h))
	}

	mu.Lock()
	defer mu.Unlock()
	var cycleAlerts, changed int
	for _, e := range events {
		if e.Cycle != nil {
			cycleAlerts += len(e.Alerts)
		}
		if e.Changed&monitor.AlertsChanged != 0 {
			changed++
		}
	}
	if cycleAlerts != 6 || changed != 4 {
		t.Errorf("events: %d alerts in cycles, %d with AlertsChanged (3 cycles, a deletion)", cycleAlerts, changed)
	}
}

// The alerts' switches are engine settings: defaults, changes (told to
// the subscribers) and refusals.
func TestAlertSettings(t *testing.T) {
	ctx := context.Background()
	svc := openService(t, t.TempDir(), newClock())
	st, err := svc.Settings(ctx)
	if err != nil || !st.Notifications || st.Paused || st.QuietHours != alert.DefaultSettings.Quiet || st.DeadAfter != 6*time.Hour {
		t.Fatalf("defaults: %+v %v", st, err)
	}
	var changes int
	defer svc.Subscribe(func(e monitor.Event) {
		if e.Changed&monitor.SettingsChanged != 0 {
			changes++
		}
	})()
	q := alert.Quiet{On: true, From: 23 * 60, To: 6*60 + 30}
	for _, err := range []error{svc.SetNotifications(ctx, false), svc.SetPaused(ctx, true), svc.SetQuietHours(ctx, q),
		svc.SetDeadAfter(ctx, 90*time.Minute)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	st, _ = svc.Settings(ctx)
	if st.Notifications || !st.Paused || st.QuietHours != q || st.DeadAfter != 90*time.Minute || changes != 4 {
		t.Fatalf("after setting: %+v, %d changes", st, changes)
	}
	for _, err := range []error{svc.SetDeadAfter(ctx, time.Minute), svc.SetDeadAfter(ctx, 8*24*time.Hour),
		svc.SetQuietHours(ctx, alert.Quiet{From: 25 * 60})} {
		if err == nil {
			t.Error("a bad setting was taken")
		}
	}
	if _, err := svc.AddTopic(ctx, monitor.Topic{Name: "X", Policy: alert.Policy{Priority: "urgent"}}); err == nil {
		t.Error("a topic with a bad priority was added")
	}
}

// A digest's stories wait, durably, for its time: a restart loses none,
// two processes releasing at once announce the summary once, and a
// process without a scheduler (newswatch check) releases it with its
// next check.
func TestDigestSurvivesRestartAndIsShownOnce(t *testing.T) {
	clock := newClock() // 09:00 UTC
	ctx := context.Background()
	dir := t.TempDir()
	ff := &fakeFeed{title: "Morgenpost", items: []testItem{item("a0", "Ukraine: alt", clock.Now().Add(-time.Hour))}}
	srv := serve(t, ff)
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	svc := monitor.New(monitor.Config{Store: st, Now: clock.Now, Location: time.UTC})
	mustAddFeed(t, svc, srv.URL)
	ukr := mustAddTopic(t, svc, "Ukraine", "")
	ukr.Policy.Delivery, _ = alert.ParseDelivery("digest:10:00,16:00")
	if err := svc.UpdateTopic(ctx, ukr); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, svc)
	clock.Advance(5 * time.Minute)
	ff.add(item("a1", "Ukraine: eins", clock.Now()), item("a2", "Ukraine: zwei", clock.Now()))
	ev := mustCheck(t, svc)
	if len(ev.Alerts) != 1 || ev.Alerts[0].Status != alert.Pending || !ev.Alerts[0].Due.Equal(clock.Now().Truncate(time.Hour).Add(time.Hour)) {
		t.Fatalf("09:05: %s due %v", alertLines(ev.Alerts), ev.Alerts)
	}
	svc.Close() // a restart

	open := func() *monitor.Service {
		st, err := store.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		s := monitor.New(monitor.Config{Store: st, Now: clock.Now, Location: time.UTC})
		t.Cleanup(func() { s.Close() })
		return s
	}
	app, cli := open(), open()
	clock.Advance(50 * time.Minute) // 09:55
	if got, err := app.ReleaseDue(ctx); len(got) != 0 || err != nil {
		t.Fatalf("released early: %s %v", alertLines(got), err)
	}
	clock.Advance(5 * time.Minute) // 10:00
	var wg sync.WaitGroup
	results := make([][]monitor.Alert, 2)
	for i, s := range []*monitor.Service{app, cli} {
		wg.Go(func() {
			var err error
			if results[i], err = s.ReleaseDue(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got := alertLines(append(results[0], results[1]...))
	if got != "stories shown: Ukraine digest — 2 new stories since 09:05 | Ukraine: eins — Morgenpost\n" {
		t.Fatalf("10:00, two processes released:\n%s", got)
	}
	hist, _ := app.AlertHistory(ctx, monitor.AlertFilter{})
	if len(hist) != 3 || hist[1].Status != alert.Gathered || hist[1].SummaryID != hist[0].ID || len(hist[0].Stories) != 2 {
		t.Fatalf("history:\n%s%+v", alertLines(hist), hist[1])
	}

	// The next batch is released by a check, without a scheduler.
	clock.Advance(time.Hour)
	ff.add(item("a3", "Ukraine: drei", clock.Now()))
	mustCheck(t, cli)
	clock.Advance(5 * time.Hour) // 16:00
	ev = mustCheck(t, cli)
	if got := alertLines(ev.Alerts); got != "stories shown: Ukraine digest — 1 new story since 11:00 | Ukraine: drei — Morgenpost\n" {
		t.Fatalf("16:00 check:\n%s", got)
	}
	if got, _ := app.ReleaseDue(ctx); len(got) != 0 {
		t.Fatalf("released twice: %s", alertLines(got))
	}
}

// A feed served dead raises one coverage alert once it has failed for the
// limit, is marked dead, and brings one quiet note when it works again; a
// feed whose coverage alerts are off raises none.
func TestCoverageAlertForADeadFeed(t *testing.T) {
	clock := newClock()
	ctx := context.Background()
	ff := &fakeFeed{title: "Morgenpost", items: []testItem{item("a0", "Wetter", clock.Now().Add(-time.Hour))}}
	other := &fakeFeed{title: "Abendblatt", status: 500}
	svc := openService(t, t.TempDir(), clock)
	f := mustAddFeed(t, svc, serve(t, ff).URL)
	o := mustAddFeed(t, svc, serve(t, other).URL)
	o.CoverageOff = true
	if err := svc.UpdateFeed(ctx, o); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, svc)
	ff.mu.Lock()
	ff.status = 503
	ff.mu.Unlock()
	var coverage []monitor.Alert
	for i := range 16 { // failing from 09:30, checked every half hour until 17:00
		clock.Advance(30 * time.Minute)
		ev, _ := svc.Check(ctx, monitor.CheckOptions{})
		coverage = append(coverage, ev.Alerts...)
		if i == 10 { // 15:00: failing for 5 h 30 min
			if len(coverage) != 0 {
				t.Fatalf("before the limit: %s", alertLines(coverage))
			}
		}
	}
	if got := alertLines(coverage); !strings.HasPrefix(got, "coverage shown: Morgenpost has not worked for 6 hours | ") || len(coverage) != 1 {
		t.Fatalf("coverage alerts:\n%s", got)
	}
	if coverage[0].FeedID != f.ID || coverage[0].Coverage != alert.CoverageDead {
		t.Errorf("%+v", coverage[0])
	}
	feeds, _ := svc.Feeds(ctx)
	for _, fd := range feeds {
		if (fd.ID == f.ID) != fd.Uncovered() {
			t.Errorf("%s: coverage %q", fd.DisplayName(), fd.Coverage)
		}
		if fd.ID == f.ID && !strings.HasPrefix(fd.CoverageState(clock.Now()).String(), "dead since") {
			t.Errorf("state %q", fd.CoverageState(clock.Now()))
		}
	}
	ff.mu.Lock()
	ff.status = 0
	ff.mu.Unlock()
	clock.Advance(30 * time.Minute)
	ev := mustCheck(t, svc)
	if len(ev.Alerts) != 1 || ev.Alerts[0].Title.String() != "Morgenpost works again" || ev.Alerts[0].Urgency != alert.UrgencyLow {
		t.Fatalf("recovery: %s", alertLines(ev.Alerts))
	}
	if ev = mustCheck(t, svc); len(ev.Alerts) != 0 {
		t.Fatalf("a second note: %s", alertLines(ev.Alerts))
	}
	feeds, _ = svc.Feeds(ctx)
	for _, fd := range feeds {
		if fd.Uncovered() {
			t.Errorf("%s still marked %q", fd.DisplayName(), fd.Coverage)
		}
	}
}

// headlineNo is the n-th of headlines about Nordkorea that share no
// other word, so that each is a story of its own.
func headlineNo(n int) string {
	syl := []string{"ka", "lo", "mi", "ru", "te", "sa", "po", "ne", "di", "gu"}
	word := func(k int) string {
		return syl[k%10] + syl[k/10%10] + syl[k/100%10] + "x"
	}
	return fmt.Sprintf("Nordkorea: %s %s %s", word(3*n), word(3*n+1), word(3*n+2))
}

// A burst of stories on a loopback feed raises one spike alert, against
// the topic's own history; more stories of the same burst raise none.
func TestSpikeOnABurst(t *testing.T) {
	clock := newClock()
	ctx := context.Background()
	now := clock.Now()
	var history []testItem
	for i := range 36 { // three days, one story every two hours
		history = append(history, item(fmt.Sprintf("h%d", i), headlineNo(i), now.Add(-time.Duration(2*i+1)*time.Hour)))
	}
	ff := &fakeFeed{title: "Agentur", items: history}
	svc := openService(t, t.TempDir(), clock)
	mustAddFeed(t, svc, serve(t, ff).URL)
	nk := mustAddTopic(t, svc, "Nordkorea", "")
	mustCheck(t, svc) // the history arrives as backlog

	var burst []testItem
	for i := range 12 {
		burst = append(burst, item(fmt.Sprintf("b%d", i), headlineNo(100+i), now.Add(-time.Duration(i*4)*time.Minute)))
	}
	clock.Advance(5 * time.Minute)
	ff.add(burst...)
	ev := mustCheck(t, svc)
	var spikes []monitor.Alert
	for _, a := range ev.Alerts {
		if a.Kind == alert.KindSpike {
			spikes = append(spikes, a)
		}
	}
	if len(spikes) != 1 || spikes[0].Title.String() != "Nordkorea — 12 stories in the last hour, usually 1" || len(spikes[0].Stories) != 12 {
		t.Fatalf("spikes:\n%s", alertLines(ev.Alerts))
	}
	clock.Advance(10 * time.Minute)
	ff.add(item("b12", headlineNo(200), clock.Now()), item("b13", headlineNo(201), clock.Now()))
	ev = mustCheck(t, svc)
	for _, a := range ev.Alerts {
		if a.Kind == alert.KindSpike {
			t.Fatalf("the same burst again: %s", alertLines(ev.Alerts))
		}
	}

	v, err := svc.TopicVolume(ctx, nk.ID)
	if err != nil {
		t.Fatal(err)
	}
	sum := func(xs []int) (n int) {
		for _, x := range xs {
			n += x
		}
		return n
	}
	// 09:15 now: the last 48 hours hold the history's last 24 (it is
	// three days long), the burst and the two after it; the hour running
	// now holds b0 (09:00) and the two (09:15).
	if len(v.Hours) != 48 || len(v.Days) != 30 || sum(v.Days) != 36+14 || sum(v.Hours) != 24+14 {
		t.Fatalf("volume: hours %v (%d), days %v (%d)", v.Hours, sum(v.Hours), v.Days, sum(v.Days))
	}
	if !v.HoursFrom.Equal(clock.Now().Truncate(time.Hour).Add(-47*time.Hour)) || v.Hours[47] != 3 {
		t.Errorf("hours from %s, this hour %d", v.HoursFrom, v.Hours[47])
	}
}

// Alerts count stories: two outlets' reports of one event are "1 new
// story"; a third source within two hours makes it a developing story,
// announced once as an alert of its own.
func TestAlertsCountStoriesAndAnnounceDeveloping(t *testing.T) {
	clock := newClock()
	svc := openService(t, t.TempDir(), clock)
	feeds := make([]*fakeFeed, 3)
	for i, r := range genevaReports[:3] {
		feeds[i] = &fakeFeed{title: r.host}
		mustAddFeed(t, svc, serve(t, feeds[i]).URL)
	}
	mustAddTopic(t, svc, "Ukraine", "")
	mustCheck(t, svc)
	publish := func(i int, at time.Time) {
		r := genevaReports[i]
		feeds[i].add(testItem{GUID: r.host + "/1", Title: r.title, Description: r.summary,
			Link: "https://www." + r.host + "/geneva", Published: at})
	}
	publish(0, clock.Now().Add(-50*time.Minute))
	publish(1, clock.Now().Add(-30*time.Minute))
	ev := mustCheck(t, svc)
	if len(ev.Alerts) != 1 || !strings.HasPrefix(ev.Alerts[0].Title.String(), "Ukraine — 1 new story") || len(ev.Alerts[0].Stories) != 1 {
		t.Fatalf("two reports of one event:\n%s", alertLines(ev.Alerts))
	}
	story := ev.Alerts[0].Stories[0]
	clock.Advance(10 * time.Minute)
	publish(2, clock.Now().Add(-5*time.Minute))
	ev = mustCheck(t, svc)
	if len(ev.Alerts) != 1 || ev.Alerts[0].Kind != alert.KindDeveloping || ev.Alerts[0].Status != alert.Shown ||
		!strings.HasPrefix(ev.Alerts[0].Title.String(), "Developing: ") || !strings.HasSuffix(ev.Alerts[0].Title.String(), "— 3 sources in 55 min") ||
		!strings.HasPrefix(ev.Alerts[0].Body.String(), "Ukraine — ") ||
		len(ev.Alerts[0].Stories) != 1 || ev.Alerts[0].Stories[0] != story {
		t.Fatalf("a third source:\n%s%+v", alertLines(ev.Alerts), ev.Alerts)
	}
	if ev = mustCheck(t, svc); len(ev.Alerts) != 0 {
		t.Fatalf("again:\n%s", alertLines(ev.Alerts))
	}
}

// A topic's volume by local hour and day, across the night the clocks go
// forward (Berlin, 29 March 2026: a day of 23 hours).
func TestTopicVolumeAcrossDST(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	clock := &testClock{t: time.Date(2026, 3, 30, 12, 30, 0, 0, loc)}
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc := monitor.New(monitor.Config{Store: st, Now: clock.Now, Location: loc})
	t.Cleanup(func() { svc.Close() })
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, loc) }
	ff := &fakeFeed{title: "Agentur", items: []testItem{
		item("a", headlineNo(1), at(28, 23, 30)), // Saturday, CET
		item("b", headlineNo(2), at(29, 1, 30)),  // Sunday, CET
		item("c", headlineNo(3), at(29, 3, 30)),  // Sunday, CEST
		item("d", headlineNo(4), at(30, 0, 10)),  // Monday
		item("e", headlineNo(5), at(30, 12, 5)),  // this hour
		item("f", headlineNo(6), at(1, 12, 0)),   // 1 March: a month ago
	}}
	mustAddFeed(t, svc, serve(t, ff).URL)
	nk := mustAddTopic(t, svc, "Nordkorea", "")
	mustCheck(t, svc)
	v, err := svc.TopicVolume(ctx, nk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !v.DayStarts[29].Equal(at(30, 0, 0)) || v.DayStarts[29].Sub(v.DayStarts[28]) != 23*time.Hour || !v.DayStarts[0].Equal(at(1, 0, 0)) {
		t.Errorf("day starts %v … %v, %v", v.DayStarts[0], v.DayStarts[28], v.DayStarts[29])
	}
	if got := v.Days[26:]; fmt.Sprint(got) != "[0 1 2 2]" || v.Days[0] != 1 {
		t.Errorf("days %v", v.Days)
	}
	if !v.HoursFrom.Equal(at(30, 12, 0).Add(-47*time.Hour)) || v.Hours[47] != 1 {
		t.Errorf("hours from %s, this hour %d", v.HoursFrom, v.Hours[47])
	}
	// The first hour is 28 March 12:00 CET: 23:30 falls into the 12th;
	// 01:30 CET and 03:30 CEST are neighbouring hours (02:00 never came).
	if sum := fmt.Sprint(v.Hours[11], v.Hours[12], v.Hours[13], v.Hours[14]); sum != "1 0 1 1" {
		t.Errorf("hours %v", v.Hours)
	}
}

// A feed that works but publishes nothing for much longer than its own
// rhythm (hourly here: 12 hours is the floor) raises one coverage alert;
// a new story brings one quiet note.
func TestCoverageAlertForASilentFeed(t *testing.T) {
	clock := newClock()
	now := clock.Now()
	var items []testItem
	for i := range 48 { // two days, hourly
		items = append(items, item(fmt.Sprintf("w%d", i), headlineNo(i), now.Add(-time.Duration(i)*time.Hour)))
	}
	ff := &fakeFeed{title: "Wetterdienst", items: items}
	svc := openService(t, t.TempDir(), clock)
	mustAddFeed(t, svc, serve(t, ff).URL)
	var coverage []monitor.Alert
	for range 14 { // checked every hour, nothing new
		ev := mustCheck(t, svc)
		coverage = append(coverage, ev.Alerts...)
		clock.Advance(time.Hour)
	}
	if len(coverage) != 1 || coverage[0].Title.String() != "Wetterdienst has published nothing for 13 hours" ||
		coverage[0].Body.String() != "Its stories usually come at most 60 minutes apart." || coverage[0].Coverage != alert.CoverageSilent {
		t.Fatalf("coverage alerts:\n%s", alertLines(coverage))
	}
	feeds, _ := svc.Feeds(context.Background())
	if !feeds[0].Uncovered() || !strings.HasPrefix(feeds[0].CoverageState(clock.Now()).String(), "silent since") {
		t.Errorf("feed %q since %s", feeds[0].Coverage, feeds[0].CoverageSince)
	}
	ff.add(item("new", headlineNo(99), clock.Now()))
	ev := mustCheck(t, svc)
	if len(ev.Alerts) != 1 || ev.Alerts[0].Title.String() != "Wetterdienst publishes again" || ev.Alerts[0].Urgency != alert.UrgencyLow {
		t.Fatalf("back:\n%s", alertLines(ev.Alerts))
	}
}
