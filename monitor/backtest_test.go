package monitor_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
)

func TestBacktestAndApply(t *testing.T) {
	clock := newClock()
	ff := &fakeFeed{title: "Welt", items: []testItem{
		{GUID: "1", Title: "Nordkoreanische Außenministerin in Moskau", Link: "https://news.example/1", Published: clock.Now().Add(-time.Hour)},
		{GUID: "2", Title: "Raketen aus Pjöngjang", Link: "https://news.example/2", Published: clock.Now().Add(-40 * 24 * time.Hour)},
		{GUID: "3", Title: "Westukraine: Stromausfälle", Link: "https://news.example/3", Published: clock.Now().Add(-2 * time.Hour)},
		{GUID: "4", Title: "Fußball: Nordkorea gewinnt", Link: "https://news.example/4", Published: clock.Now().Add(-3 * time.Hour)},
		{GUID: "5", Title: "Börse", Description: "Die EU und Nordkorea", Link: "https://news.example/5", Published: clock.Now().Add(-4 * time.Hour)},
	}}
	srv := serve(t, ff)
	svc := openService(t, t.TempDir(), clock)
	mustAddFeed(t, svc, srv.URL)
	mustCheck(t, svc) // no topics yet: articles stored, nothing matched
	ctx := context.Background()

	tests := []struct {
		query string
		since time.Duration
		total int
		first string
	}{
		{"Nordkorea OR Pjöngjang -Fußball", 0, 3, "[Nordkoreanische] Außenministerin"},
		{"Nordkorea OR Pjöngjang -Fußball", 30 * 24 * time.Hour, 2, ""},
		{"*ukraine", 0, 1, "[Westukraine]"},
		{"summary:EU", 0, 1, ""},
		{"Brasilien", 0, 0, ""},
	}
	for _, tt := range tests {
		opt := monitor.BacktestOptions{}
		if tt.since > 0 {
			opt.Since = clock.Now().Add(-tt.since)
		}
		bt, err := svc.Backtest(ctx, tt.query, opt)
		if err != nil {
			t.Fatalf("%s: %v", tt.query, err)
		}
		if bt.Total != tt.total || len(bt.Matches) != tt.total {
			t.Errorf("%s since %v: %d matches, want %d", tt.query, tt.since, bt.Total, tt.total)
			continue
		}
		if tt.first != "" {
			m := bt.Matches[0]
			got := monitor.Mark(m.Article.Title, monitor.HitSpans(m.Article.Title, m.Hits, 0), "[", "]")
			if !strings.Contains(got, tt.first) {
				t.Errorf("%s: newest = %q, want it to contain %q", tt.query, got, tt.first)
			}
		}
	}
	// A story stored after the vocabulary copy was taken is still found.
	ff.add(testItem{GUID: "6", Title: "Ostukrainische Städte ohne Strom", Link: "https://news.example/6", Published: clock.Now()})
	mustCheck(t, svc)
	if bt, _ := svc.Backtest(ctx, "*ukraine", monitor.BacktestOptions{}); bt.Total != 2 {
		t.Errorf("*ukraine after a new story: %d matches, want 2", bt.Total)
	}
	if bt, _ := svc.Backtest(ctx, "*ostukrain", monitor.BacktestOptions{}); bt.Total != 1 {
		t.Errorf("*ostukrain (a word only in the new story): %d matches, want 1", bt.Total)
	}
	if _, err := svc.Backtest(ctx, `Nordkorea "`, monitor.BacktestOptions{}); err == nil || !strings.Contains(err.Error(), "unclosed quote at column 11") {
		t.Errorf("broken query: %v", err)
	}

	// Applying a new topic fills the timeline without announcing anything.
	topic := mustAddTopic(t, svc, "Nordkorea", "Nordkorea OR Pjöngjang -Fußball")
	n, err := svc.ApplyTopic(ctx, topic.ID, time.Time{})
	if err != nil || n != 3 {
		t.Fatalf("applied %d, err %v; want 3", n, err)
	}
	if n, _ := svc.ApplyTopic(ctx, topic.ID, time.Time{}); n != 0 {
		t.Errorf("applying again added %d", n)
	}
	stored, _ := svc.Matches(ctx, monitor.MatchFilter{TopicID: topic.ID})
	if len(stored) != 3 {
		t.Fatalf("timeline has %d matches", len(stored))
	}
	if ev := mustCheck(t, svc); len(ev.Matches) != 0 {
		t.Fatalf("applied matches were announced: %q", titles(ev.Matches))
	}
}
