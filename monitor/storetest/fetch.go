package storetest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
)

// A fetch is saved whole: the feed's state, its new articles and their
// matches; items stored before (by key in the feed, by link in any feed)
// are known, and are not stored again.
func testSaveFetch(t *testing.T, o Opener) {
	fx := newFixture(t, o, base)
	s, f, tp := fx.s, fx.feed, fx.topic
	other := addFeed(t, s, "https://y.example/feed", base)
	a := article("a", "x.example", "Ukraine: Waffenruhe", "Kiew meldet eine Waffenruhe.", base)
	b := article("b", "x.example", "Wetter", "Sonne.", base)
	dup := article("b-again", "x.example", "Wetter", "Sonne.", base)
	dup.Link = b.Link // the same link twice in one body
	f.ETag, f.Title, f.ItemCount, f.URL = `"v1"`, "X News", 3, "https://x.example/moved"
	saved := save(t, s, f, tp, base, []monitor.Article{a, b, dup}, "a")
	if len(saved.Matches) != 1 || saved.Matches[0].ID == 0 || saved.Matches[0].Article.ID == 0 || len(saved.Stories) != 1 {
		t.Fatalf("saved %+v", saved)
	}
	got, _ := s.Feed(ctx, f.ID)
	if got.ETag != `"v1"` || got.Title != "X News" || got.ItemCount != 3 || got.URL != "https://x.example/moved" || !got.LastSuccess.Equal(base) {
		t.Errorf("feed state %+v", got)
	}
	unknown, err := s.UnknownItems(ctx, f.ID, []monitor.ItemRef{{Key: "a"}, {Key: "c"}, {Key: "d", Link: b.Link}})
	if err != nil || len(unknown) != 1 || !unknown["c"] {
		t.Errorf("unknown = %v, %v; want only c", unknown, err)
	}
	// Another feed: the key is its own, the link is everyone's.
	unknown, _ = s.UnknownItems(ctx, other.ID, []monitor.ItemRef{{Key: "a"}, {Key: "x", Link: a.Link}})
	if len(unknown) != 1 || !unknown["a"] {
		t.Errorf("unknown in another feed = %v; want only a", unknown)
	}
	// Saving the same articles again (another process stored them
	// meanwhile) stores nothing twice.
	again := save(t, s, f, tp, base.Add(time.Minute), []monitor.Article{a, b}, "a")
	if len(again.Matches) != 0 {
		t.Errorf("saved again: %+v", again)
	}
	if ms, _ := s.Matches(ctx, monitor.Filter{}); len(ms) != 1 {
		t.Errorf("%d matches stored, want 1", len(ms))
	}
	// A permanent redirect to another feed's address does not move it.
	other.URL = "https://x.example/moved"
	if err := s.SaveFeedHealth(ctx, other); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Feed(ctx, other.ID); got.URL != "https://y.example/feed" {
		t.Errorf("moved onto another feed's address: %s", got.URL)
	}
}

// Two processes store the same story through two feeds at once: it is
// stored once, under one of them.
func testSameLinkAcrossProcesses(t *testing.T, o Opener) {
	s1, re := o.New(t)
	s2 := re(t, "")
	tp := addTopic(t, s1, "Hafen", "Hafen", base)
	const n = 40
	var feeds [2]monitor.Feed
	for i := range feeds {
		feeds[i] = addFeed(t, s1, fmt.Sprintf("https://f%d.example/rss", i), base)
	}
	var wg sync.WaitGroup
	stored := make([]int, 2)
	for i, s := range []monitor.Store{s1, s2} {
		wg.Go(func() {
			for j := range n {
				a := article(fmt.Sprintf("k%d-%d", i, j), "hafen.example", fmt.Sprintf("Hafen %d", j), agency, base)
				a.Link = fmt.Sprintf("https://hafen.example/story/%d", j) // the same in both feeds
				f := feeds[i]
				f.LastFetch = base
				a.FeedID = f.ID
				saved, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f, Articles: []monitor.Article{a}, Body: true,
					Matches: []monitor.Match{{Article: a, TopicID: tp.ID, TopicName: tp.Name, MatchedAt: base}}})
				if err != nil {
					t.Error(err)
					return
				}
				stored[i] += len(saved.Matches)
			}
		})
	}
	wg.Wait()
	ms, err := s1.Matches(ctx, monitor.Filter{})
	if err != nil || len(ms) != n || stored[0]+stored[1] != n {
		t.Fatalf("%d matches stored (%d + %d returned), want %d: %v", len(ms), stored[0], stored[1], n, err)
	}
	links := map[string]bool{}
	for _, m := range ms {
		if links[m.Article.Link] {
			t.Errorf("%s stored twice", m.Article.Link)
		}
		links[m.Article.Link] = true
	}
}

// A mark is listed until the fetch saved with it clears it, or it is
// released (once).
func testReadingMarks(t *testing.T, o Opener) {
	s, _ := o.New(t)
	f := addFeed(t, s, "https://news.example/feed", base)
	for _, owner := range []string{"host 1 a", "host 2 b"} {
		if err := s.MarkReading(ctx, f.ID, owner, base); err != nil {
			t.Fatal(err)
		}
	}
	marks, err := s.Readings(ctx)
	if err != nil || len(marks) != 2 || marks[0].FeedID != f.ID || !marks[0].Since.Equal(base) {
		t.Fatalf("marks = %+v, %v", marks, err)
	}
	if _, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f, Body: true, ReadMark: "host 1 a"}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.ReleaseReading(ctx, f.ID, "host 1 a"); ok {
		t.Error("the save did not clear its mark")
	}
	if ok, _ := s.ReleaseReading(ctx, f.ID, "host 2 b"); !ok {
		t.Error("the other process's mark was not there")
	}
	if ok, _ := s.ReleaseReading(ctx, f.ID, "host 2 b"); ok {
		t.Error("a mark released twice")
	}
}

// Pruning deletes old unmatched articles, keeping those still listed.
func testPruneKeepsMatchedAndListed(t *testing.T, o Opener) {
	s, _ := o.New(t)
	f := addFeed(t, s, "https://x.example/feed", base)
	tp := addTopic(t, s, "Ukraine", "Ukraine", base)
	old := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	mk := func(key, title string) monitor.Article {
		return monitor.Article{FeedID: f.ID, FeedName: "X", Key: key, Link: "https://x.example/" + key, Title: title, FirstSeen: old, Published: old}
	}
	arts := []monitor.Article{mk("matched", "Ukraine"), mk("unmatched", "Wetter"), mk("listed", "Sport")}
	f.LastFetch = old
	if _, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f, Articles: arts,
		Matches: []monitor.Match{{Article: arts[0], TopicID: tp.ID, TopicName: "Ukraine", MatchedAt: old}}}); err != nil {
		t.Fatal(err)
	}
	later := old.AddDate(0, 2, 0)
	f.LastFetch = later
	if _, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f, Listed: []monitor.ItemRef{{Key: "listed", Link: "https://x.example/listed"}}}); err != nil {
		t.Fatal(err)
	}
	n, err := s.Prune(ctx, later.AddDate(0, 0, -30))
	if err != nil || n != 1 {
		t.Fatalf("pruned %d, err %v; want only the unmatched, unlisted story", n, err)
	}
	unknown, _ := s.UnknownItems(ctx, f.ID, []monitor.ItemRef{{Key: "matched"}, {Key: "unmatched"}, {Key: "listed"}})
	if !unknown["unmatched"] || unknown["matched"] || unknown["listed"] || len(unknown) != 1 {
		t.Fatalf("unknown after prune = %v", unknown)
	}
}

// Closing a store while fetches are saved lets the save in flight
// finish; a save after Close fails in a sentence and never panics.
func testCloseWhileSaving(t *testing.T, o Opener) {
	first, re := o.New(t)
	f := addFeed(t, first, "https://news.example/feed", base)
	for round := range 5 {
		s := re(t, "")
		var wg sync.WaitGroup
		start := make(chan struct{})
		for g := range 4 {
			wg.Go(func() {
				<-start
				for i := range 10 {
					a := monitor.Article{FeedID: f.ID, FeedName: "N", Key: fmt.Sprintf("guid:%d-%d-%d", round, g, i), Title: "T",
						Published: base, FirstSeen: base}
					_, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f, Articles: []monitor.Article{a}, Body: true})
					if err != nil && !strings.Contains(err.Error(), "closing") && !strings.Contains(err.Error(), "closed") {
						t.Errorf("a save around Close: %v", err)
					}
				}
			})
		}
		close(start)
		time.Sleep(time.Duration(round*2) * time.Millisecond)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		_, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f})
		if err == nil || err.Error() != "Newswatch is closing its database; the change was not saved." {
			t.Fatalf("a save after Close: %v", err)
		}
		var e interface{ Unwrap() error }
		_ = errors.As(err, &e)
	}
}
