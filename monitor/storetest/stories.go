package storetest

import (
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
)

// Reports of one event from two outlets are one story; another event is
// another story. A story read comes back unread and updated when it
// gains a source, not when it gains a report of a source it has.
func testStories(t *testing.T, o Opener) {
	s, _ := o.New(t)
	f := addFeed(t, s, "https://feed.example/rss", base)
	tp := addTopic(t, s, "Hamburg", "Hamburg OR Hafen OR Wetter", base)
	at := time.Now().UTC().Add(-2 * time.Hour).Truncate(time.Millisecond)
	saved := save(t, s, f, tp, at, []monitor.Article{
		article("x1", "ndr.de", "Brand im Hamburger Hafen: zwei Feuerwehrleute verletzt", agency, at),
		article("y1", "ndr.de", "Wetter: Sonniger Sonntag im Norden", "Die Sonne scheint am Sonntag von Flensburg bis Göttingen, bei bis zu 14 Grad.", at),
	}, "x1", "y1")
	x, y := storyOfKey(t, saved, "x1"), storyOfKey(t, saved, "y1")
	if x == y {
		t.Fatal("two events in one story")
	}
	if err := s.SetRead(ctx, []int64{x}, true); err != nil {
		t.Fatal(err)
	}
	saved = save(t, s, f, tp, at.Add(10*time.Minute), []monitor.Article{
		article("x2", "mopo.de", "Feuer in Lagerhalle im Hafen", agency+" Die Polizei ermittelt.", at.Add(10*time.Minute)),
	}, "x2")
	if storyOfKey(t, saved, "x2") != x || len(saved.Stories) != 1 || saved.Stories[0] != x {
		t.Fatalf("the second report is in story %d (saved %v), want %d", storyOfKey(t, saved, "x2"), saved.Stories, x)
	}
	st := loadStory(t, s, x)
	if st == nil || st.Sources != 2 || len(st.Reports) != 2 || st.Read || !st.Updated || st.NewSources != 1 {
		t.Fatalf("the story after a new source: %+v", st)
	}
	if !st.LastSeen.Equal(at.Add(10*time.Minute)) || !st.FirstSeen.Equal(at) || st.Report.Article.Key != "x1" {
		t.Errorf("dates %s–%s, lead %s", st.FirstSeen, st.LastSeen, st.Report.Article.Key)
	}
	if err := s.SetRead(ctx, []int64{x}, true); err != nil {
		t.Fatal(err)
	}
	// A report of a source it has: still read.
	save(t, s, f, tp, at.Add(20*time.Minute), []monitor.Article{
		article("x3", "ndr.de", "Hafenbrand: Feuerwehr nennt Details", agency+" Ergänzt um Details der Feuerwehr.", at.Add(20*time.Minute)),
	}, "x3")
	if st := loadStory(t, s, x); st == nil || !st.Read || st.Updated || len(st.Reports) != 3 || st.Sources != 2 {
		t.Errorf("the story after a report of a known source: %+v", st)
	}
	if ids := timelineIDs(t, s, monitor.Filter{}); len(ids) != 2 || ids[0] != x || ids[1] != y {
		t.Errorf("timeline %v, want [%d %d] (newest report first)", ids, x, y)
	}
}

// Pruning keeps the unmatched reports of a story in the timeline; other
// stories lose old reports and are recounted, or go.
func testPruneKeepsStoriesRight(t *testing.T, o Opener) {
	s, _ := o.New(t)
	f := addFeed(t, s, "https://feed.example/rss", base)
	tp := addTopic(t, s, "Hamburg", "Hamburg", base)
	old := time.Date(2026, 1, 1, 6, 0, 0, 0, time.UTC)
	first := save(t, s, f, tp, old, []monitor.Article{
		article("x1", "ndr.de", "Brand im Hamburger Hafen: zwei Feuerwehrleute verletzt", agency, old),
		article("x2", "mopo.de", "Feuer in Lagerhalle im Hafen", agency+" Die Polizei ermittelt.", old.Add(time.Hour)),
		article("y1", "ndr.de", "Wetter: Sonniger Sonntag im Norden", "Die Sonne scheint am Sonntag von Flensburg bis Göttingen, bei bis zu 14 Grad.", old),
		article("z1", "zeit.de", "Bahnstreik legt Fernverkehr lahm", "Die GDL hat zum Streik aufgerufen, ab Montag fallen 80 Prozent der Fernzüge der Deutschen Bahn aus, teilte die Gewerkschaft in Frankfurt mit.", old.Add(24*time.Hour)),
	}, "x1")
	x := storyOfKey(t, first, "x1")
	recent := old.Add(40 * time.Hour)
	save(t, s, f, tp, recent, []monitor.Article{
		article("z2", "taz.de", "GDL-Streik: 80 Prozent der Fernzüge fallen aus", "Ab Montag streikt die GDL, die Deutsche Bahn rechnet mit dem Ausfall von 80 Prozent der Fernzüge, hieß es in Frankfurt.", old.Add(25*time.Hour)),
	})
	n, err := s.Prune(ctx, old.Add(30*time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("pruned %d, %v; want 2 (y1, z1)", n, err)
	}
	if st := loadStory(t, s, x); st == nil || len(st.Reports) != 2 || st.Sources != 2 {
		t.Errorf("the matched story lost reports: %+v", st)
	}
	unknown, _ := s.UnknownItems(ctx, f.ID, []monitor.ItemRef{{Key: "x2"}, {Key: "y1"}, {Key: "z1"}, {Key: "z2"}})
	if len(unknown) != 2 || !unknown["y1"] || !unknown["z1"] {
		t.Errorf("unknown after pruning: %v", unknown)
	}
	// What is left of the strike's story: one report, one source, its
	// headline (seen once a topic matches it).
	z2 := monitor.Article{ID: idOf(t, s, f, "z2"), Key: "z2", Title: "GDL-Streik"}
	strike := addTopic(t, s, "Streik", "Streik", base)
	if n, err := s.AddMatches(ctx, []monitor.Match{{Article: z2, TopicID: strike.ID, TopicName: strike.Name, MatchedAt: recent}}); err != nil || n != 1 {
		t.Fatalf("applied: %d, %v", n, err)
	}
	ids := timelineIDs(t, s, monitor.Filter{TopicID: strike.ID})
	if len(ids) != 1 {
		t.Fatalf("strike stories %v", ids)
	}
	st := loadStory(t, s, ids[0])
	if st == nil || len(st.Reports) != 1 || st.Sources != 1 || st.Report.Article.Title != "GDL-Streik: 80 Prozent der Fernzüge fallen aus" {
		t.Errorf("the strike's story after pruning: %+v", st)
	}
}

// idOf finds a stored article's ID through a backtest of its key's
// story: every article is scanned.
func idOf(t *testing.T, s monitor.Store, f monitor.Feed, key string) int64 {
	t.Helper()
	var id int64
	err := s.ScanQuery(ctx, mustParse(t, "/./"), time.Time{}, func(a *monitor.Article) bool {
		if a.Key == key && a.FeedID == f.ID {
			id = a.ID
			return false
		}
		return true
	})
	if err != nil || id == 0 {
		t.Fatalf("article %s not found: %v", key, err)
	}
	return id
}

// Two stores on one database (two processes): each one's story window
// takes in what the other stored before it decides, and a report of a
// story whose reports another one pruned starts a story of its own.
func testStoryWindowShared(t *testing.T, o Opener) {
	a, re := o.New(t)
	b := re(t, "")
	tp := addTopic(t, a, "Hafen", "Hafen OR Streik", base)
	at := time.Now().UTC().Add(-time.Hour)
	saveIn := func(s monitor.Store, url string, art monitor.Article, matched bool) monitor.Saved {
		t.Helper()
		f := addFeed(t, s, url, at)
		if matched {
			return save(t, s, f, tp, at, []monitor.Article{art}, art.Key)
		}
		return save(t, s, f, tp, at, []monitor.Article{art})
	}
	// b loads its window first; a stores the fire; b's copy joins it.
	saveIn(b, "https://b.example/rss", article("other", "b.example", "Wetter: Sonniger Sonntag im Norden",
		"Die Sonne scheint am Sonntag von Flensburg bis Göttingen, bei bis zu 14 Grad.", at), false)
	saveIn(a, "https://a.example/rss", article("x1", "ndr.de", "Brand im Hamburger Hafen: zwei Feuerwehrleute verletzt", agency, at), false)
	saved := saveIn(b, "https://c.example/rss", article("x2", "mopo.de", "Feuer in Lagerhalle im Hafen", agency+" Die Polizei ermittelt.", at.Add(time.Minute)), true)
	if st := loadStory(t, a, storyOfKey(t, saved, "x2")); st == nil || len(st.Reports) != 2 {
		t.Fatalf("the copy stored by the other store did not join the original: %+v", st)
	}
	// a stores a strike and prunes it; b's report of it starts a story.
	strike := "Die GDL hat zum Streik aufgerufen, ab Montag fallen 80 Prozent der Fernzüge der Deutschen Bahn aus, teilte die Gewerkschaft in Frankfurt mit."
	saveIn(a, "https://d.example/rss", article("z1", "zeit.de", "Bahnstreik legt Fernverkehr lahm", strike, at), false)
	if n, err := a.Prune(ctx, time.Now().Add(48*time.Hour)); err != nil || n != 2 {
		t.Fatalf("pruned %d, %v; want 2 (other, z1)", n, err)
	}
	saved = saveIn(b, "https://e.example/rss", article("z2", "taz.de", "GDL-Streik: Fernverkehr steht", strike, at.Add(2*time.Minute)), true)
	if st := loadStory(t, b, storyOfKey(t, saved, "z2")); st == nil || len(st.Reports) != 1 || st.Sources != 1 {
		t.Errorf("a report joined a story whose reports were all pruned: %+v", st)
	}
}

func testDeveloping(t *testing.T, o Opener) {
	s, _ := o.New(t)
	f := addFeed(t, s, "https://feed.example/rss", base)
	tp := addTopic(t, s, "Hafen", "Hafen", base)
	tp.Escalation = monitor.Escalation{Sources: 3, Within: 2 * time.Hour}
	if err := s.UpdateTopic(ctx, tp); err != nil {
		t.Fatal(err)
	}
	at := time.Now().UTC().Add(-time.Hour).Truncate(time.Millisecond)
	hosts := []string{"ndr.de", "mopo.de", "abendblatt.de"}
	titles := []string{"Brand im Hamburger Hafen", "Feuer in Lagerhalle im Hafen", "Hafenbrand in Hamburg"}
	var story int64
	for i, h := range hosts {
		a := article("r"+h, h, titles[i], agency, at.Add(time.Duration(i)*10*time.Minute))
		saved := save(t, s, f, tp, at.Add(time.Duration(i)*10*time.Minute), []monitor.Article{a}, a.Key)
		story = storyOfKey(t, saved, a.Key)
		claimed, err := s.ClaimAlerts(ctx, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if want := i == 2; (len(claimed.Developing) == 1) != want {
			t.Fatalf("after %d sources: developing %+v", i+1, claimed.Developing)
		}
		if i == 2 {
			d := claimed.Developing[0]
			if d.StoryID != story || d.TopicID != tp.ID || d.TopicName != "Hafen" || d.Sources != 3 || d.Span != 20*time.Minute || d.Lead.Key != "rndr.de" {
				t.Errorf("developing %+v", d)
			}
		}
	}
	// Once per story, ever.
	a := article("r4", "taz.de", "Hafenbrand: vierte Quelle", agency, at.Add(40*time.Minute))
	save(t, s, f, tp, at.Add(40*time.Minute), []monitor.Article{a}, a.Key)
	if claimed, _ := s.ClaimAlerts(ctx, time.Now()); len(claimed.Developing) != 0 {
		t.Errorf("announced as developing twice: %+v", claimed.Developing)
	}
}
