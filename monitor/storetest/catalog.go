package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Feeds and topics are added, listed by name, changed and removed; a
// second one with the same address or name is refused.
func testFeedsAndTopics(t *testing.T, o Opener) {
	s, _ := o.New(t)
	now := base
	b := addFeed(t, s, "https://b.example/feed", now)
	a := monitor.Feed{URL: "https://a.example/feed", Name: "Alpha", Enabled: true, Added: now, FullText: monitor.FullTextOn}
	if err := s.AddFeed(ctx, &a); err != nil {
		t.Fatal(err)
	}
	if err := s.AddFeed(ctx, &monitor.Feed{URL: a.URL, Added: now}); !errors.Is(err, monitor.ErrExists) {
		t.Errorf("a second feed with the same address: %v", err)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil || len(feeds) != 2 || feeds[0].ID != a.ID || feeds[1].ID != b.ID {
		t.Fatalf("feeds %+v, %v", feeds, err)
	}
	if got := feeds[0]; got.Name != "Alpha" || !got.Enabled || !got.Added.Equal(now) || got.FullText != monitor.FullTextOn {
		t.Errorf("feed read back as %+v", got)
	}
	if got, err := s.FeedByURL(ctx, b.URL); err != nil || got.ID != b.ID {
		t.Errorf("by URL: %+v, %v", got, err)
	}
	if _, err := s.Feed(ctx, 99999); !errors.Is(err, monitor.ErrNotFound) {
		t.Errorf("a missing feed: %v", err)
	}
	// Disabled, then enabled: a gone, failing feed starts afresh.
	b.Gone, b.Failures, b.LastError, b.LastFetch = true, 3, msg.Literal("gone"), now
	if err := s.SaveFeedHealth(ctx, b); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Feed(ctx, b.ID); got.Enabled || !got.Gone || got.Failures != 3 {
		t.Errorf("a gone feed: enabled %v, gone %v, failures %d", got.Enabled, got.Gone, got.Failures)
	}
	b.Name, b.Schedule, b.Enabled = "Beta", "@every 30m", true
	if err := s.UpdateFeedSettings(ctx, b); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Feed(ctx, b.ID); got.Name != "Beta" || got.Schedule != "@every 30m" || !got.Enabled || got.Gone || got.Failures != 0 {
		t.Errorf("re-enabled: %+v", got)
	}
	if err := s.UpdateFeedSettings(ctx, monitor.Feed{ID: 99999}); !errors.Is(err, monitor.ErrNotFound) {
		t.Errorf("settings of a missing feed: %v", err)
	}
	if err := s.RemoveFeed(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveFeed(ctx, a.ID); !errors.Is(err, monitor.ErrNotFound) {
		t.Errorf("removed twice: %v", err)
	}

	z := addTopic(t, s, "zeitenwende", "Zeitenwende", now)
	u := monitor.Topic{Name: "Ukraine", Query: "Ukraine OR Kiew", Enabled: true, Color: "#aa0000", Created: now,
		Escalation: monitor.Escalation{Sources: 4, Within: 90 * time.Minute}}
	if err := s.AddTopic(ctx, &u); err != nil {
		t.Fatal(err)
	}
	if err := s.AddTopic(ctx, &monitor.Topic{Name: "Ukraine", Query: "x"}); !errors.Is(err, monitor.ErrExists) {
		t.Errorf("a second topic with the same name: %v", err)
	}
	topics, err := s.Topics(ctx)
	if err != nil || len(topics) != 2 || topics[0].ID != u.ID || topics[1].ID != z.ID {
		t.Fatalf("topics %+v, %v", topics, err)
	}
	if got := topics[0]; got.Query != u.Query || got.Notify || got.Color != "#aa0000" || got.Escalation != u.Escalation || !got.Created.Equal(now) {
		t.Errorf("topic read back as %+v", got)
	}
	// Renaming a topic renames its matches.
	saveMatches(t, s, b, u, "m", 1, now, false)
	u.Name = "Ukraine-Krieg"
	if err := s.UpdateTopic(ctx, u); err != nil {
		t.Fatal(err)
	}
	if ms, _ := s.Matches(ctx, monitor.Filter{}); len(ms) != 1 || ms[0].TopicName != "Ukraine-Krieg" {
		t.Errorf("matches after the rename: %+v", ms)
	}
	z.Name = "Ukraine-Krieg"
	if err := s.UpdateTopic(ctx, z); !errors.Is(err, monitor.ErrExists) {
		t.Errorf("renamed to a taken name: %v", err)
	}
	if err := s.RemoveTopic(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if ms, _ := s.Matches(ctx, monitor.Filter{}); len(ms) != 0 {
		t.Errorf("a removed topic's matches stayed: %d", len(ms))
	}
	if err := s.RemoveTopic(ctx, u.ID); !errors.Is(err, monitor.ErrNotFound) {
		t.Errorf("removed twice: %v", err)
	}
}

func testSettings(t *testing.T, o Opener) {
	s, _ := o.New(t)
	if _, ok, err := s.Setting(ctx, "schedule"); ok || err != nil {
		t.Fatalf("an unset setting: %v, %v", ok, err)
	}
	for _, v := range []string{"@every 5m", "@hourly"} {
		if err := s.SetSetting(ctx, "schedule", v); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := s.Setting(ctx, "schedule"); got != v || !ok || err != nil {
			t.Errorf("setting = %q, %v, %v; want %q", got, ok, err, v)
		}
	}
}

// A feed's last error is kept as a translatable message.
func testFeedErrorMessage(t *testing.T, o Opener) {
	s, _ := o.New(t)
	f := addFeed(t, s, "https://example.org/feed", base)
	f.LastError = msg.New("The server {{.Host}} answered {{.Status}}.", "Host", "example.org", "Status", "500 Internal Server Error")
	if err := s.SaveFeedHealth(ctx, f); err != nil {
		t.Fatal(err)
	}
	got, err := s.Feed(ctx, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.LastError.Tmpl != f.LastError.Tmpl || got.LastError.String() != "The server example.org answered 500 Internal Server Error." || got.Healthy() {
		t.Errorf("read back %#v", got.LastError)
	}
	f.LastError = msg.Message{}
	if err := s.SaveFeedHealth(ctx, f); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Feed(ctx, f.ID); !got.LastError.IsZero() || !got.Healthy() {
		t.Errorf("cleared error read as %#v", got.LastError)
	}
}

// Topic policies and feed coverage settings are stored; failing_since
// follows the failures; coverage alerts switched off clear the state.
func testPolicyAndCoverage(t *testing.T, o Opener) {
	fx := newFixture(t, o, base)
	s, f, tp := fx.s, fx.feed, fx.topic
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
	}{{1, base}, {2, base}, {0, time.Time{}}, {1, base.Add(3 * time.Hour)}} {
		f.Failures, f.LastFetch = tt.failures, base.Add(time.Duration(i)*time.Hour)
		if err := s.SaveFeedHealth(ctx, f); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Feed(ctx, f.ID); !got.FailingSince.Equal(tt.want) {
			t.Errorf("after %d failures at %s: failing since %s, want %s", tt.failures, f.LastFetch, got.FailingSince, tt.want)
		}
	}
	dead := map[int64]alert.FeedState{f.ID: {Coverage: alert.CoverageDead, Since: base}}
	if _, err := s.DecideAlerts(ctx, base, false, func(monitor.AlertRound) (alert.Output, error) {
		return alert.Output{Coverage: dead}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Feed(ctx, f.ID); got.Coverage != alert.CoverageDead || !got.CoverageSince.Equal(base) {
		t.Errorf("coverage decided: %q since %s", got.Coverage, got.CoverageSince)
	}
	f.CoverageOff = true
	if err := s.UpdateFeedSettings(ctx, f); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Feed(ctx, f.ID); !got.CoverageOff || got.Coverage != alert.CoverageOK {
		t.Errorf("coverage alerts off: %+v", got)
	}
}
