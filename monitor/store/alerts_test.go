package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// alertFixture is a store with a feed and a topic, and n matches pending.
func alertFixture(t *testing.T, dir string, n int, now time.Time) (*Store, monitor.Feed, monitor.Topic) {
	t.Helper()
	ctx := context.Background()
	s := openTest(t, dir)
	f := monitor.Feed{URL: "https://x.example/feed", Enabled: true, Added: now}
	if err := s.AddFeed(ctx, &f); err != nil {
		t.Fatal(err)
	}
	tp := monitor.Topic{Name: "Ukraine", Query: "Ukraine", Enabled: true, Notify: true, Created: now.Add(-72 * time.Hour)}
	if err := s.AddTopic(ctx, &tp); err != nil {
		t.Fatal(err)
	}
	saveMatches(t, s, f, tp, "a", n, now, false)
	return s, f, tp
}

// saveMatches stores n new articles of the feed matching the topic,
// published a minute apart up to now.
func saveMatches(t *testing.T, s *Store, f monitor.Feed, tp monitor.Topic, prefix string, n int, now time.Time, backlog bool) {
	t.Helper()
	var arts []monitor.Article
	var ms []monitor.Match
	for i := range n {
		pub := now.Add(-time.Duration(i) * time.Minute)
		a := monitor.Article{FeedID: f.ID, FeedName: "X", Key: fmt.Sprintf("%s%d", prefix, i), Title: "Ukraine " + prefix, FirstSeen: now, Published: pub}
		arts = append(arts, a)
		ms = append(ms, monitor.Match{Article: a, TopicID: tp.ID, TopicName: tp.Name, MatchedAt: now})
	}
	f.LastFetch = now
	if _, err := s.SaveFetch(context.Background(), monitor.FetchResult{Feed: f, Articles: arts, Matches: ms, Backlog: backlog}); err != nil {
		t.Fatal(err)
	}
}

// A round records one alert per claimed match, for the test.
func oneAlertPerMatch(r monitor.AlertRound) (alert.Output, error) {
	var out alert.Output
	for _, m := range r.Claimed.Matches {
		out.Alerts = append(out.Alerts, alert.Alert{At: m.MatchedAt, Kind: alert.KindStories, TopicID: m.TopicID,
			TopicName: m.TopicName, Title: msg.Literal(m.Article.Title), Stories: []int64{m.Article.ID}, Status: alert.Shown})
	}
	return out, nil
}

// Two stores on one database (two processes) decide at once: every match
// is claimed and decided on exactly once, and a round that fails claims
// and records nothing.
func TestDecideAlertsOnceAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	a, _, _ := alertFixture(t, dir, 40, now)
	b := openTest(t, dir)

	failed, err := a.DecideAlerts(ctx, now, true, func(r monitor.AlertRound) (alert.Output, error) {
		if len(r.Claimed.Matches) != 40 {
			t.Errorf("claimed %d", len(r.Claimed.Matches))
		}
		return alert.Output{}, errors.New("the decision failed")
	})
	if err == nil || len(failed.Claimed.Matches) != 0 {
		t.Fatalf("a failed round: %v, %d claimed", err, len(failed.Claimed.Matches))
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for i := range 4 {
		s := []*Store{a, b}[i%2]
		wg.Go(func() {
			res, err := s.DecideAlerts(ctx, now, true, oneAlertPerMatch)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			for i, m := range res.Claimed.Matches {
				seen[m.ID]++
				if res.Alerts[i].ID == 0 || res.Alerts[i].Stories[0] != m.Article.ID {
					t.Errorf("alert %+v for match %d", res.Alerts[i], m.ID)
				}
			}
		})
	}
	wg.Wait()
	if len(seen) != 40 {
		t.Fatalf("%d distinct matches decided, want 40", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("match %d decided %d times", id, n)
		}
	}
	hist, err := b.AlertHistory(ctx, monitor.AlertFilter{})
	if err != nil || len(hist) != 40 {
		t.Fatalf("history of %d, %v", len(hist), err)
	}
}

// Everything a round records reads back: the alerts with every field,
// pending ones gathered into their summary, topic states and feed
// coverage; deleting keeps the pending; a topic's state goes with it.
func TestAlertRecordsReadBack(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	s, f, tp := alertFixture(t, t.TempDir(), 0, now)
	due := now.Add(time.Hour)
	pending := alert.Alert{At: now, Kind: alert.KindStories, TopicID: tp.ID, TopicName: tp.Name, Priority: alert.High,
		Title: msg.NewCountOne("{{.Topic}} — {{.N}} new stories", "{{.Topic}} — 1 new story", 1, "Topic", "Ukraine"),
		Body:  msg.Literal("Ukraine: eins — X"), Stories: []int64{7, 3}, Urgency: alert.UrgencyNormal, Sound: alert.Sound,
		Status: alert.Pending, Reason: alert.Digested, Due: due}
	cov := alert.Alert{At: now, Kind: alert.KindCoverage, FeedID: f.ID, FeedName: "X", Coverage: alert.CoverageDead,
		Title: msg.Literal("X is dead"), Urgency: alert.UrgencyNormal, Status: alert.Held, Reason: alert.QuietHours}
	res, err := s.DecideAlerts(ctx, now, false, func(r monitor.AlertRound) (alert.Output, error) {
		return alert.Output{Alerts: []alert.Alert{pending, cov},
			State:    map[int64]alert.TopicState{tp.ID: {LastShown: now, SpikeAt: now.Add(-time.Hour), Significant: now}},
			Coverage: map[int64]alert.FeedState{f.ID: {Coverage: alert.CoverageDead, Since: now.Add(-6 * time.Hour)}}}, nil
	})
	if err != nil || len(res.Alerts) != 2 || res.Alerts[0].ID == 0 {
		t.Fatalf("%+v %v", res, err)
	}
	if d, err := s.NextDue(ctx); err != nil || !d.Equal(due) {
		t.Errorf("next due %v %v", d, err)
	}
	hist, _ := s.AlertHistory(ctx, monitor.AlertFilter{})
	pending.ID, cov.ID = res.Alerts[0].ID, res.Alerts[1].ID
	if len(hist) != 2 || fmt.Sprint(hist[0]) != fmt.Sprint(cov) || fmt.Sprint(hist[1]) != fmt.Sprint(pending) {
		t.Fatalf("read back:\n%+v\nwant\n%+v\n%+v", hist, cov, pending)
	}
	if hist[1].Title.String() != "Ukraine — 1 new story" {
		t.Errorf("title %q", hist[1].Title)
	}
	if feed, _ := s.Feed(ctx, f.ID); feed.Coverage != alert.CoverageDead || !feed.CoverageSince.Equal(now.Add(-6*time.Hour)) {
		t.Errorf("feed coverage %q since %s", feed.Coverage, feed.CoverageSince)
	}
	// Pending alerts are not deleted; the held one is.
	if n, err := s.DeleteAlerts(ctx, []int64{pending.ID, cov.ID}); n != 1 || err != nil {
		t.Errorf("deleted %d, %v", n, err)
	}

	// The next round sees the state, and gathers the pending alert.
	res, err = s.DecideAlerts(ctx, due, false, func(r monitor.AlertRound) (alert.Output, error) {
		if len(r.Pending) != 1 || r.Pending[0].ID != pending.ID || r.Topics[tp.ID].LastShown.IsZero() ||
			r.Coverage[f.ID].Coverage != alert.CoverageDead {
			t.Errorf("round read %+v", r)
		}
		return alert.Output{Alerts: []alert.Alert{{At: due, Kind: alert.KindStories, TopicID: tp.ID, Title: msg.Literal("summary"),
			Status: alert.Shown}}, Gathered: map[int64]int{pending.ID: 0}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	hist, _ = s.AlertHistory(ctx, monitor.AlertFilter{})
	if len(hist) != 2 || hist[1].Status != alert.Gathered || hist[1].SummaryID != res.Alerts[0].ID {
		t.Fatalf("gathered: %+v", hist)
	}
	if d, _ := s.NextDue(ctx); !d.IsZero() {
		t.Errorf("still due at %s", d)
	}
	if err := s.RemoveTopic(ctx, tp.ID); err != nil {
		t.Fatal(err)
	}
	var n int
	s.db.QueryRow(`SELECT count(*) FROM topic_alerts`).Scan(&n)
	if n != 0 {
		t.Error("a removed topic's alert state stayed")
	}
	if hist, _ = s.AlertHistory(ctx, monitor.AlertFilter{}); len(hist) != 2 {
		t.Error("a removed topic's alert history went with it")
	}
}

// Every match adds its story to the topic's volume once, at its date but
// never after it was matched; backlog and applied matches are quiet.
func TestTopicVolume(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	s, f, tp := alertFixture(t, t.TempDir(), 3, now)
	saveMatches(t, s, f, tp, "b", 2, now.Add(-48*time.Hour), true)
	// A story dated in the future counts when it was matched.
	later := now.Add(time.Hour)
	a := monitor.Article{FeedID: f.ID, FeedName: "X", Key: "future", Title: "Ukraine", FirstSeen: later, Published: later.Add(3 * time.Hour)}
	f.LastFetch = later
	if _, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f, Articles: []monitor.Article{a},
		Matches: []monitor.Match{{Article: a, TopicID: tp.ID, TopicName: tp.Name, MatchedAt: later}}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Arrivals(ctx, tp.ID, time.Time{})
	if err != nil || len(got) != 6 {
		t.Fatalf("%d arrivals, %v", len(got), err)
	}
	var quiet int
	for i, a := range got {
		if i > 0 && a.At.Before(got[i-1].At) {
			t.Error("not oldest first")
		}
		if a.Quiet {
			quiet++
		}
	}
	if quiet != 2 || !got[5].At.Equal(later) {
		t.Errorf("quiet %d, last at %s", quiet, got[5].At)
	}
	v := volumeReader{ctx: ctx, db: s.db}
	n, first, err := v.CountArrivals(tp.ID, now.Add(-time.Hour), now.Add(time.Minute))
	if err != nil || n != 3 || !first.Equal(now.Add(-48*time.Hour-time.Minute)) {
		t.Errorf("count %d, first %s, %v", n, first, err)
	}
	if feed, _ := s.Feed(ctx, f.ID); !feed.Newest.Equal(later.Add(3 * time.Hour)) {
		t.Errorf("the feed's newest story %s", feed.Newest)
	}
	dates, newest, err := s.FeedDates(ctx, f.ID, now.Add(-time.Hour))
	if err != nil || len(dates) != 4 || !newest.Equal(later.Add(3*time.Hour)) {
		t.Errorf("feed dates %v, newest %s, %v", dates, newest, err)
	}
}

// Stored matches get their volume and failing feeds the start of their
// failures on the upgrade to schema 11.
func TestUpgradeToAlertSchema(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	s, f, tp := alertFixture(t, dir, 4, now)
	f.LastFetch, f.Failures, f.LastError = now, 2, msg.Literal("down")
	if err := s.SaveFeedHealth(ctx, f); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(undoSchema11 + ` PRAGMA user_version = 10`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openTest(t, dir)
	if got, _ := s.Arrivals(ctx, tp.ID, time.Time{}); len(got) != 4 || got[0].Quiet {
		t.Errorf("volume after the upgrade: %+v", got)
	}
	if feed, _ := s.Feed(ctx, f.ID); !feed.FailingSince.Equal(now) || feed.CoverageOff || !feed.Newest.Equal(now) {
		t.Errorf("feed after the upgrade: failing since %s, coverage off %v, newest %s", feed.FailingSince, feed.CoverageOff, feed.Newest)
	}
	if got, _ := s.Topics(ctx); fmt.Sprint(got[0].Policy) != fmt.Sprint(alert.Policy{}) {
		t.Errorf("topic policy %+v", got[0].Policy)
	}
}

// Topic policies and feed coverage settings are stored; failing_since
// follows the failures.
func TestPolicyAndCoverageColumns(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	s, f, tp := alertFixture(t, t.TempDir(), 0, now)
	tp.Policy = alert.Policy{Priority: alert.Critical, SpikesOff: true}
	tp.Policy.Delivery, _ = alert.ParseDelivery("digest:16:00,08:00")
	if err := s.UpdateTopic(ctx, tp); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Topics(ctx); fmt.Sprint(got[0].Policy) != fmt.Sprint(tp.Policy) {
		t.Errorf("policy %+v, want %+v", got[0].Policy, tp.Policy)
	}
	for i, tt := range []struct {
		failures int
		want     time.Time
	}{{1, now}, {2, now}, {0, time.Time{}}, {1, now.Add(3 * time.Hour)}} {
		f.Failures, f.LastFetch = tt.failures, now.Add(time.Duration(i)*time.Hour)
		if err := s.SaveFeedHealth(ctx, f); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Feed(ctx, f.ID); !got.FailingSince.Equal(tt.want) {
			t.Errorf("after %d failures at %s: failing since %s, want %s", tt.failures, f.LastFetch, got.FailingSince, tt.want)
		}
	}
	s.db.Exec(`UPDATE feeds SET coverage = 'dead', coverage_since = 1`)
	f.CoverageOff = true
	if err := s.UpdateFeedSettings(ctx, f); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Feed(ctx, f.ID); !got.CoverageOff || got.Coverage != alert.CoverageOK {
		t.Errorf("coverage alerts off: %+v", got)
	}
}

// The alert queries read their indexes.
func TestAlertQueriesUseIndexes(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "d"))
	for q, want := range map[string]string{
		`SELECT min(due) FROM alert_history WHERE status = 'pending'`:                            "alert_history_pending",
		`SELECT id FROM alert_history WHERE status = 'pending' ORDER BY due, id`:                 "alert_history_pending",
		`SELECT at, story_id, quiet FROM topic_volume WHERE topic_id = ? AND at > ? ORDER BY at`: "topic_volume_at",
		`SELECT count(*) FROM topic_volume WHERE topic_id = ? AND at >= ? AND at < ?`:            "topic_volume_at",
		`SELECT published FROM articles WHERE feed_id = ? AND published > ? ORDER BY published`:  "articles_feed_published",
		`SELECT max(published) FROM articles WHERE feed_id = ?`:                                  "articles_feed_published",
		`SELECT id FROM alert_history WHERE at >= ? ORDER BY at DESC, id DESC LIMIT 10`:          "alert_history_at",
	} {
		rows, err := s.db.Query("EXPLAIN QUERY PLAN "+q, make([]any, strings.Count(q, "?"))...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			rows.Scan(&id, &parent, &unused, &detail)
			plan = append(plan, detail)
		}
		rows.Close()
		if p := strings.Join(plan, "; "); !strings.Contains(p, want) || strings.Contains(p, "TEMP B-TREE") {
			t.Errorf("%s\n  plan: %s", q, p)
		}
	}
}
