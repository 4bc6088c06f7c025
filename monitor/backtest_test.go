package monitor_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/store"
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
		if bt.Total != tt.total || len(bt.Newest) != tt.total {
			t.Errorf("%s since %v: %d matches, want %d", tt.query, tt.since, bt.Total, tt.total)
			continue
		}
		if tt.first != "" {
			m := bt.Newest[0]
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
	stored, _ := svc.Matches(ctx, monitor.Filter{TopicID: topic.ID})
	if len(stored) != 3 {
		t.Fatalf("timeline has %d matches", len(stored))
	}
	if ev := mustCheck(t, svc); len(ev.Matches) != 0 {
		t.Fatalf("applied matches were announced: %q", titles(ev.Matches))
	}
}

// Candidates are matched on several cores, yet the matches come back
// newest first, the count is exact, and the limit keeps the newest.
func TestBacktestOrderAndLimit(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc := monitor.New(monitor.Config{Store: st})
	defer svc.Close()
	f := monitor.Feed{URL: "https://news.example/feed", Enabled: true, Added: time.Now()}
	if err := st.AddFeed(ctx, &f); err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var arts []monitor.Article
	var want []string // matching titles, newest first
	for i := range 600 {
		title := fmt.Sprintf("Bericht %d", i)
		if i%3 == 0 {
			title = fmt.Sprintf("Ukraine Bericht %d", i)
		}
		// Dates out of insertion order, so the IDs do not give the order.
		pub := base.Add(time.Duration((i*7919)%600) * time.Hour)
		arts = append(arts, monitor.Article{FeedID: f.ID, FeedName: "N", Key: fmt.Sprint(i), Title: title,
			Published: pub, PublishedKnown: true, FirstSeen: base})
	}
	sorted := slices.Clone(arts)
	slices.SortFunc(sorted, func(a, b monitor.Article) int { return b.Published.Compare(a.Published) })
	for _, a := range sorted {
		if strings.HasPrefix(a.Title, "Ukraine") {
			want = append(want, a.Title)
		}
	}
	if _, err := st.SaveFetch(ctx, monitor.FetchResult{Feed: f, Articles: arts}); err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int{7, -1} {
		bt, err := svc.Backtest(ctx, "Ukraine", monitor.BacktestOptions{Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range bt.Newest {
			got = append(got, m.Article.Title)
			if len(m.Hits) == 0 {
				t.Errorf("%s: no hits", m.Article.Title)
			}
		}
		w := want
		if limit > 0 {
			w = want[:limit]
		}
		if bt.Total != len(want) || !slices.Equal(got, w) {
			t.Errorf("limit %d: total %d (want %d), matches %q, want %q", limit, bt.Total, len(want), got, w)
		}
	}
}
