package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Four claimers at once: every match is claimed exactly once; a match
// of a story claimed before is not a new story.
func testClaimAlertsOnce(t *testing.T, o Opener) {
	fx := newFixture(t, o, base)
	s := fx.s
	saved := saveMatches(t, s, fx.feed, fx.topic, "a", 50, base, false)
	if len(saved.Matches) != 50 {
		t.Fatalf("stored %d", len(saved.Matches))
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	newStories := 0
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			got, err := s.ClaimAlerts(ctx, base)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			for i, m := range got.Matches {
				seen[m.ID]++
				if i > 0 && m.ID < got.Matches[i-1].ID {
					t.Error("not oldest first")
				}
			}
			newStories += len(got.NewStories)
		})
	}
	wg.Wait()
	if len(seen) != 50 {
		t.Fatalf("claimed %d distinct matches, want 50", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("match %d claimed %d times", id, n)
		}
	}
	if newStories != 50 {
		t.Errorf("%d new stories among 50 matches of 50 stories", newStories)
	}
	// A second topic matching a report of an announced story: a new
	// story for that topic; the first topic matching it: not.
	other := addTopic(t, s, "Hafen", "Hafen", base)
	at := time.Now().UTC().Add(-time.Hour)
	save(t, s, fx.feed, other, at, []monitor.Article{
		article("h1", "ndr.de", "Brand im Hamburger Hafen: zwei Feuerwehrleute verletzt", agency, at)}, "h1")
	if got, _ := s.ClaimAlerts(ctx, at); len(got.NewStories) != 1 {
		t.Fatalf("the fire: %+v", got.NewStories)
	}
	h2 := article("h2", "mopo.de", "Feuer in Lagerhalle im Hafen", agency+" Die Polizei ermittelt.", at.Add(time.Minute))
	h2.FeedID = fx.feed.ID
	f := fx.feed
	f.LastFetch = at.Add(time.Minute)
	if _, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f, Articles: []monitor.Article{h2}, Matches: []monitor.Match{
		{Article: h2, TopicID: fx.topic.ID, TopicName: fx.topic.Name, MatchedAt: f.LastFetch},
		{Article: h2, TopicID: other.ID, TopicName: other.Name, MatchedAt: f.LastFetch},
	}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.ClaimAlerts(ctx, f.LastFetch)
	if err != nil || len(got.Matches) != 2 {
		t.Fatalf("claimed %+v, %v", got.Matches, err)
	}
	if len(got.NewStories) != 1 || got.NewStories[0].TopicID != fx.topic.ID {
		t.Errorf("new stories %+v; want the Ukraine topic's only (the fire was announced for Hafen)", got.NewStories)
	}
}

// oneAlertPerMatch records one alert per claimed match.
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
func testDecideAlertsOnce(t *testing.T, o Opener) {
	fx := newFixture(t, o, base)
	saveMatches(t, fx.s, fx.feed, fx.topic, "a", 40, base, false)
	a, b := fx.s, fx.re(t, "")
	failed, err := a.DecideAlerts(ctx, base, true, func(r monitor.AlertRound) (alert.Output, error) {
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
		s := []monitor.Store{a, b}[i%2]
		wg.Go(func() {
			res, err := s.DecideAlerts(ctx, base, true, oneAlertPerMatch)
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
func testAlertRecords(t *testing.T, o Opener) {
	fx := newFixture(t, o, base)
	s, f, tp := fx.s, fx.feed, fx.topic
	now := base
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
	for _, tt := range []struct {
		f    monitor.AlertFilter
		want int
	}{
		{monitor.AlertFilter{Kinds: []alert.Kind{alert.KindCoverage}}, 1},
		{monitor.AlertFilter{TopicID: tp.ID}, 1},
		{monitor.AlertFilter{FeedID: f.ID}, 1},
		{monitor.AlertFilter{Since: now.Add(time.Minute)}, 0},
		{monitor.AlertFilter{Until: now.Add(time.Minute), Limit: 1}, 1},
	} {
		if got, err := s.AlertHistory(ctx, tt.f); err != nil || len(got) != tt.want {
			t.Errorf("history %+v: %d, %v; want %d", tt.f, len(got), err, tt.want)
		}
	}
	if feed, _ := s.Feed(ctx, f.ID); feed.Coverage != alert.CoverageDead || !feed.CoverageSince.Equal(now.Add(-6*time.Hour)) {
		t.Errorf("feed coverage %q since %s", feed.Coverage, feed.CoverageSince)
	}
	if n, err := s.DeleteAlerts(ctx, []int64{pending.ID, cov.ID}); n != 1 || err != nil {
		t.Errorf("deleted %d, %v", n, err)
	}
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
	if _, err := s.DecideAlerts(ctx, due, false, func(r monitor.AlertRound) (alert.Output, error) {
		if _, ok := r.Topics[tp.ID]; ok {
			t.Error("a removed topic's alert state stayed")
		}
		return alert.Output{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if hist, _ = s.AlertHistory(ctx, monitor.AlertFilter{}); len(hist) != 2 {
		t.Error("a removed topic's alert history went with it")
	}
}

// Every match adds its story to the topic's volume once, at its date but
// never after it was matched; backlog and applied matches are quiet.
func testTopicVolume(t *testing.T, o Opener) {
	now := base
	fx := newFixture(t, o, now)
	s, f, tp := fx.s, fx.feed, fx.topic
	saveMatches(t, s, f, tp, "a", 3, now, false)
	saveMatches(t, s, f, tp, "b", 2, now.Add(-48*time.Hour), true)
	later := now.Add(time.Hour)
	a := monitor.Article{FeedID: f.ID, FeedName: "X", Key: "future", Title: "Ukraine in der Zukunft", FirstSeen: later, Published: later.Add(3 * time.Hour)}
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
	if _, err := s.DecideAlerts(ctx, now, false, func(r monitor.AlertRound) (alert.Output, error) {
		n, first, err := r.Volume.CountArrivals(tp.ID, now.Add(-time.Hour), now.Add(time.Minute))
		if err != nil || n != 3 || !first.Equal(now.Add(-48*time.Hour-time.Minute)) {
			t.Errorf("count %d, first %s, %v", n, first, err)
		}
		return alert.Output{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if feed, _ := s.Feed(ctx, f.ID); !feed.Newest.Equal(later.Add(3 * time.Hour)) {
		t.Errorf("the feed's newest story %s", feed.Newest)
	}
	dates, newest, err := s.FeedDates(ctx, f.ID, now.Add(-time.Hour))
	if err != nil || len(dates) != 4 || !newest.Equal(later.Add(3*time.Hour)) {
		t.Errorf("feed dates %v, newest %s, %v", dates, newest, err)
	}
}
