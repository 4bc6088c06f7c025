package monitor_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/internal/newsgen"
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/feed"
	"codeberg.org/newswatch/newswatch/monitor/store"
)

// benchStore returns a store holding n generated articles. The database is
// kept in the system's temp directory between runs (it takes a while to
// build); delete newswatch-bench-* there to rebuild it.
func benchStore(b *testing.B, n int) *store.Store {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("newswatch-bench-%d-v%d", n, store.SchemaVersion))
	if _, err := os.Stat(filepath.Join(dir, "complete")); err != nil {
		os.RemoveAll(dir)
		st, err := store.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		fillStore(b, st, n)
		st.Close()
		os.WriteFile(filepath.Join(dir, "complete"), nil, 0o600)
	}
	st, err := store.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

func fillStore(b *testing.B, st *store.Store, n int) {
	ctx := context.Background()
	g := newsgen.New(7)
	now := time.Now().UTC()
	const perFeed = 500
	for f := 0; f*perFeed < n; f++ {
		fd := monitor.Feed{URL: fmt.Sprintf("https://feed%d.example/rss", f), Title: fmt.Sprintf("Feed %d", f), Enabled: true, Added: now}
		if err := st.AddFeed(ctx, &fd); err != nil {
			b.Fatal(err)
		}
		fd.LastFetch = now
		var arts []monitor.Article
		for i := 0; i < perFeed && f*perFeed+i < n; i++ {
			k := f*perFeed + i
			s := g.Story(now.Add(-time.Duration(k) * time.Minute))
			arts = append(arts, monitor.Article{FeedID: fd.ID, FeedName: fd.Title, Key: fmt.Sprintf("guid:%d", k),
				Link: fmt.Sprintf("https://feed%d.example/%d", f, k), Title: s.Title, Summary: feed.HTMLToText(s.Summary),
				Content: feed.HTMLToText(s.Content), Author: s.Author, Categories: s.Categories,
				Published: s.Published, PublishedKnown: true, FirstSeen: s.Published})
		}
		if _, err := st.SaveFetch(ctx, monitor.FetchResult{Feed: fd, Articles: arts}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBacktest runs topic queries over 100,000 stored articles: the
// full-text index narrows them, then every candidate is matched exactly.
// Target: under one second per query. An *infix term first copies the
// index's vocabulary (reported as first-ms, the first query of a process);
// later queries reuse the copy.
func BenchmarkBacktest(b *testing.B) {
	st := benchStore(b, 100_000)
	for _, q := range []string{
		`"Sergej Lawrow"`,
		`Nordkorea OR Pjöngjang OR "North Korea"`,
		`Ukraine (Waffen OR Munition) -Fußball`,
		`Weißrussland`,
		`Grenzkontrollen OR Migration`,
		`*ukraine`,        // narrowed through the index vocabulary
		`/ukrain(e|ian)/`, // a regular expression: every article is matched
	} {
		b.Run(q, func(b *testing.B) {
			svc := monitor.New(monitor.Config{Store: reopen(b, st)})
			start := time.Now()
			bt, err := svc.Backtest(context.Background(), q, monitor.BacktestOptions{Limit: 20})
			if err != nil {
				b.Fatal(err)
			}
			first := time.Since(start)
			for b.Loop() {
				var err error
				bt, err = svc.Backtest(context.Background(), q, monitor.BacktestOptions{Limit: 20})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(first.Milliseconds()), "first-ms")
			b.ReportMetric(float64(bt.Total), "matches")
			b.ReportMetric(float64(bt.Scanned), "candidates")
		})
	}
}

// reopen opens a second store on the same database, with empty caches.
func reopen(b *testing.B, st *store.Store) *store.Store {
	s, err := store.OpenFile(st.Path())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}
