package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
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
