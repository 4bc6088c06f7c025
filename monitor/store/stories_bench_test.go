package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/internal/newsgen"
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/feed"
	"codeberg.org/newswatch/newswatch/monitor/story"
)

// benchFetches are fetches of generated news as the engine saves them
// (features computed), feeds × items articles published over two days.
func benchFetches(feeds, items int) []monitor.FetchResult {
	now := time.Now().UTC().Truncate(time.Second)
	out := make([]monitor.FetchResult, feeds)
	for f := range out {
		g := newsgen.New(uint64(1000 + f))
		r := monitor.FetchResult{Feed: monitor.Feed{URL: fmt.Sprintf("https://news%d.example/rss", f), Enabled: true, LastFetch: now, LastSuccess: now}, Body: true}
		step := time.Duration(7+f%53) * time.Minute
		for i := range items {
			s := g.Story(now.Add(-time.Duration(i) * step))
			a := monitor.Article{FeedName: fmt.Sprintf("News %d", f), Key: fmt.Sprintf("%d-%d", f, i),
				Link: fmt.Sprintf("https://www.news%d.example/%d.html", f, s.ID), Title: s.Title,
				Summary: feed.HTMLToText(s.Summary), Content: feed.HTMLToText(s.Content), Author: s.Author,
				Categories: s.Categories, Published: s.Published, PublishedKnown: true, FirstSeen: now}
			a.Source = story.SourceOf(a.Link, a.FeedName)
			r.Articles = append(r.Articles, a)
			r.Features = append(r.Features, story.Extract(monitor.StoryText(&a)))
			r.Listed = append(r.Listed, monitor.ItemRef{Key: a.Key, Link: a.Link})
		}
		out[f] = r
	}
	return out
}

// BenchmarkSaveFetches saves 10,000 new articles (200 fetches of 50, as
// the engine gives them: with their story features) one fetch after the
// other, with stories and without: what stories cost a fetch's save, in
// all (the drafts are made in the saving goroutine, before the write
// lock). in-lock/article is the share of articles decided again inside
// the lock (the later articles of a fetch that join an earlier one).
func BenchmarkSaveFetches(b *testing.B) {
	fetches := benchFetches(200, 50)
	for _, without := range []bool{false, true} {
		name := "stories"
		if without {
			name = "without"
		}
		b.Run(name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				s, err := Open(b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				if without {
					s.WithoutStories()
				}
				ctx := context.Background()
				rs := make([]monitor.FetchResult, len(fetches))
				for i, r := range fetches {
					f := r.Feed
					if err := s.AddFeed(ctx, &f); err != nil {
						b.Fatal(err)
					}
					r.Feed = f
					r.Articles = append([]monitor.Article(nil), r.Articles...)
					for k := range r.Articles {
						r.Articles[k].FeedID = f.ID
					}
					if without {
						r.Features = nil
					}
					rs[i] = r
				}
				b.StartTimer()
				for _, r := range rs {
					if _, err := s.SaveFetch(ctx, r); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				all, inLock := s.StoryDrafts()
				if all > 0 {
					b.ReportMetric(float64(inLock)/float64(all), "in-lock/article")
				}
				s.Close()
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*200*50), "µs/article")
		})
	}
}

// BenchmarkLoadWindow loads the story window of 20,000 articles, as a
// process that starts and saves does first.
func BenchmarkLoadWindow(b *testing.B) {
	s, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for _, r := range benchFetches(400, 50) {
		f := r.Feed
		if err := s.AddFeed(ctx, &f); err != nil {
			b.Fatal(err)
		}
		r.Feed = f
		if _, err := s.SaveFetch(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		w, err := loadWindow(ctx, tx)
		tx.Rollback()
		if err != nil || w.idx.Len() != 20000 {
			b.Fatalf("loaded %v, %v", w, err)
		}
	}
}
