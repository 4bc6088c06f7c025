package pgstore

import (
	"fmt"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/internal/pgtest"
	"codeberg.org/newswatch/newswatch/monitor"
)

// A store whose newest articles are not its last ones (a feed's back
// issues stored after today's news) loads only the window's articles,
// and the next save does not take the older ones in.
func TestWindowLeavesOutOldArticles(t *testing.T) {
	url := pgtest.URL(t)
	s := openTest(t, url, "alice")
	ctx := t.Context()
	f := monitor.Feed{URL: "https://news.example/feed", Enabled: true, Added: time.Now()}
	if err := s.AddFeed(ctx, &f); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	save := func(s *Store, prefix string, n int, at func(i int) time.Time) {
		t.Helper()
		var arts []monitor.Article
		for i := range n {
			arts = append(arts, monitor.Article{Key: fmt.Sprintf("%s%d", prefix, i), Link: fmt.Sprintf("https://news.example/%s%d", prefix, i),
				Title: fmt.Sprintf("Meldung %s %d über Ereignis %d", prefix, i, i*7919), Summary: fmt.Sprintf("Text %d zu Nummer %d.", i, i*104729),
				Published: at(i), PublishedKnown: true, FirstSeen: at(i), FeedName: "news.example"})
		}
		if _, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f, Articles: arts, Body: true}); err != nil {
			t.Fatal(err)
		}
	}
	save(s, "new", 20, func(i int) time.Time { return now.Add(-time.Duration(i) * time.Minute) })
	save(s, "old", 200, func(i int) time.Time { return now.AddDate(0, 0, -30).Add(-time.Duration(i) * time.Hour) })

	s2 := openTest(t, url, "bob") // another process: it loads the window
	save(s2, "next", 1, func(int) time.Time { return now })
	if n := s2.window.idx.Len(); n != 21 {
		t.Errorf("the window holds %d articles, want the 21 of the last days", n)
	}
}
