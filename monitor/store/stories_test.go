package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
)

// agency is an agency text two outlets carry nearly word for word.
const agency = "Bei einem Brand in einer Lagerhalle im Hamburger Hafen sind in der Nacht zwei Feuerwehrleute verletzt worden. " +
	"Die Halle mit Kaffeesäcken brannte vollständig aus, teilte die Feuerwehr Hamburg am Morgen mit. " +
	"Mehr als 150 Einsatzkräfte waren stundenlang im Einsatz, die Brandursache ist noch unklar."

func article(key, host, title, summary string, at time.Time) monitor.Article {
	return monitor.Article{Key: key, Link: "https://www." + host + "/" + key, Title: title, Summary: summary,
		Published: at, PublishedKnown: true, FirstSeen: at, FeedName: host}
}

func storyOf(t *testing.T, s *Store, articleID int64) int64 {
	t.Helper()
	var id int64
	if err := s.db.QueryRow(`SELECT story_id FROM reports WHERE article_id = ?`, articleID).Scan(&id); err != nil {
		t.Fatalf("story of article %d: %v", articleID, err)
	}
	return id
}

// TestUpgradeAssignsStories: a database of the schema before stories (8)
// gets its stories when it is opened, once, and the timeline shows them.
func TestUpgradeAssignsStories(t *testing.T) {
	dir := t.TempDir()
	SchemaVersion = 8
	s7, err := Open(dir)
	SchemaVersion = len(migrations)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)
	db := s7.DB()
	mustExec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	mustExec(`INSERT INTO feeds (id, url, added) VALUES (1, 'https://feed.example/rss', 0)`)
	mustExec(`INSERT INTO topics (id, name, query, created) VALUES (1, 'Hamburg', 'Hamburg', 0)`)
	for i, a := range []monitor.Article{
		article("a1", "ndr.de", "Brand im Hamburger Hafen: zwei Feuerwehrleute verletzt", agency, at),
		article("a2", "mopo.de", "Feuer in Lagerhalle im Hafen", agency+" Die Polizei ermittelt.", at.Add(40*time.Minute)),
		article("b1", "ndr.de", "Wetter: Sonniger Sonntag im Norden", "Die Sonne scheint am Sonntag von Flensburg bis Göttingen, bei bis zu 14 Grad.", at.Add(time.Hour)),
	} {
		mustExec(`INSERT INTO articles (id, feed_id, feed_name, key, link, title, summary, content, author, categories,
			published, published_known, first_seen, last_listed) VALUES (?, 1, ?, ?, ?, ?, ?, '', '', '[]', ?, 1, ?, ?)`,
			i+1, a.FeedName, a.Key, a.Link, a.Title, a.Summary, toMillis(a.Published), toMillis(a.Published), toMillis(a.Published))
	}
	// The second report matched, and was read.
	mustExec(`INSERT INTO matches (article_id, topic_id, topic_name, hits, matched_at, read, published) VALUES (2, 1, 'Hamburg', '[]', 0, 1, ?)`,
		toMillis(at.Add(40*time.Minute)))
	s7.Close()

	s := openTest(t, dir)
	if storyOf(t, s, 1) != storyOf(t, s, 2) || storyOf(t, s, 1) == storyOf(t, s, 3) {
		t.Fatalf("stories after the upgrade: %d, %d, %d; want the fire's two reports together, the weather apart",
			storyOf(t, s, 1), storyOf(t, s, 2), storyOf(t, s, 3))
	}
	fire := storyOf(t, s, 1)
	es, err := s.Timeline(context.Background(), monitor.Filter{})
	if err != nil || len(es) != 1 || es[0].StoryID != fire || !es[0].Published.Equal(at.Add(40*time.Minute)) {
		t.Fatalf("timeline after the upgrade: %+v, %v", es, err)
	}
	st, err := s.Stories(context.Background(), []int64{fire})
	if err != nil || len(st) != 1 {
		t.Fatal(err)
	}
	if got := st[0]; got.Sources != 2 || got.ReportCount != 2 || got.Article.ID != 2 || !got.Read || got.Updated {
		t.Errorf("the fire's story: %d sources, %d reports, lead %d, read %v, updated %v; want 2, 2, the matched report 2, read, not updated",
			got.Sources, got.ReportCount, got.Article.ID, got.Read, got.Updated)
	}
	var keys int
	s.db.QueryRow(`SELECT count(*) FROM story_feats`).Scan(&keys)
	if keys != 3 {
		t.Errorf("the candidate index holds %d articles, want 3 (all are recent)", keys)
	}
}

// TestPruneKeepsStoriesRight: unmatched reports of a story in the
// timeline stay; other stories lose old reports and are recounted, or
// go when none is left.
func TestPruneKeepsStoriesRight(t *testing.T) {
	s := openTest(t, t.TempDir())
	ctx := context.Background()
	f := monitor.Feed{URL: "https://feed.example/rss", Enabled: true}
	if err := s.AddFeed(ctx, &f); err != nil {
		t.Fatal(err)
	}
	tp := monitor.Topic{Name: "Hamburg", Query: "Hamburg", Enabled: true}
	if err := s.AddTopic(ctx, &tp); err != nil {
		t.Fatal(err)
	}
	old := time.Date(2026, 1, 1, 6, 0, 0, 0, time.UTC)
	save := func(at time.Time, arts []monitor.Article, matched ...string) monitor.Saved {
		t.Helper()
		f.LastFetch, f.LastSuccess = at, at
		r := monitor.FetchResult{Feed: f, Articles: arts, Body: true}
		for _, a := range arts {
			for _, k := range matched {
				if a.Key == k {
					r.Matches = append(r.Matches, monitor.Match{Article: a, TopicID: tp.ID, TopicName: tp.Name, MatchedAt: at})
				}
			}
		}
		saved, err := s.SaveFetch(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		return saved
	}
	// x: matched story of two reports; y: unmatched, alone; z: unmatched,
	// one old report and one new.
	save(old, []monitor.Article{
		article("x1", "ndr.de", "Brand im Hamburger Hafen: zwei Feuerwehrleute verletzt", agency, old),
		article("x2", "mopo.de", "Feuer in Lagerhalle im Hafen", agency+" Die Polizei ermittelt.", old.Add(time.Hour)),
		article("y1", "ndr.de", "Wetter: Sonniger Sonntag im Norden", "Die Sonne scheint am Sonntag von Flensburg bis Göttingen, bei bis zu 14 Grad.", old),
		article("z1", "zeit.de", "Bahnstreik legt Fernverkehr lahm", "Die GDL hat zum Streik aufgerufen, ab Montag fallen 80 Prozent der Fernzüge der Deutschen Bahn aus, teilte die Gewerkschaft in Frankfurt mit.", old.Add(24*time.Hour)),
	}, "x1")
	recent := old.Add(40 * time.Hour)
	save(recent, []monitor.Article{
		article("z2", "taz.de", "GDL-Streik: 80 Prozent der Fernzüge fallen aus", "Ab Montag streikt die GDL, die Deutsche Bahn rechnet mit dem Ausfall von 80 Prozent der Fernzüge, hieß es in Frankfurt.", old.Add(25*time.Hour)),
	})
	var ids = map[string]int64{}
	rows, _ := s.db.Query(`SELECT key, id FROM articles`)
	for rows.Next() {
		var k string
		var id int64
		rows.Scan(&k, &id)
		ids[k] = id
	}
	rows.Close()
	x, z := storyOf(t, s, ids["x1"]), storyOf(t, s, ids["z1"])
	if storyOf(t, s, ids["x2"]) != x || storyOf(t, s, ids["z2"]) != z {
		t.Fatalf("stories: x %d/%d, z %d/%d", x, storyOf(t, s, ids["x2"]), z, storyOf(t, s, ids["z2"]))
	}
	n, err := s.Prune(ctx, old.Add(30*time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("pruned %d, %v; want 2 (y1, z1)", n, err)
	}
	var stories, reports, sources int
	var title string
	s.db.QueryRow(`SELECT count(*) FROM stories`).Scan(&stories)
	s.db.QueryRow(`SELECT reports, sources, title FROM stories WHERE id = ?`, z).Scan(&reports, &sources, &title)
	if stories != 2 || reports != 1 || sources != 1 || title != "GDL-Streik: 80 Prozent der Fernzüge fallen aus" {
		t.Errorf("after pruning: %d stories; z has %d reports, %d sources, headline %q", stories, reports, sources, title)
	}
	if st, _ := s.Story(ctx, x); len(st.Reports) != 2 || st.ReportCount != 2 {
		t.Errorf("the matched story lost reports: %+v", st)
	}
}

func TestDevelopingWindow(t *testing.T) {
	base := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	ms := func(mins ...int) []int64 {
		var out []int64
		for _, m := range mins {
			out = append(out, toMillis(base.Add(time.Duration(m)*time.Minute)))
		}
		return out
	}
	esc := monitor.Escalation{Sources: 3, Within: 2 * time.Hour}
	for _, c := range []struct {
		firsts []int64
		now    time.Time
		n      int
		span   time.Duration
		ok     bool
	}{
		{ms(0, 30, 95), base.Add(100 * time.Minute), 3, 95 * time.Minute, true},
		{ms(0, 30, 130), base.Add(130 * time.Minute), 0, 0, false},                     // spread over more than 2 h
		{ms(0, 150, 160, 200), base.Add(200 * time.Minute), 3, 50 * time.Minute, true}, // the later three
		{ms(0, 10, 20), base.Add(5 * time.Hour), 0, 0, false},                          // long ago
		{ms(0, 10), base.Add(20 * time.Minute), 0, 0, false},                           // two sources
	} {
		n, span, ok := developing(c.firsts, esc, c.now)
		if n != c.n || span != c.span || ok != c.ok {
			t.Errorf("developing(%v, now %v) = %d, %v, %v; want %d, %v, %v", c.firsts, c.now, n, span, ok, c.n, c.span, c.ok)
		}
	}
}

// TestStoryWindowSharedBetweenProcesses: two stores on one database (as
// the desktop app and the command line): each one's story window takes
// in what the other stored before it decides.
func TestStoryWindowSharedBetweenProcesses(t *testing.T) {
	dir := t.TempDir()
	a, b := openTest(t, dir), openTest(t, dir)
	ctx := context.Background()
	at := time.Now().UTC().Add(-time.Hour)
	save := func(s *Store, url string, art monitor.Article) int64 {
		t.Helper()
		f := monitor.Feed{URL: url, Enabled: true, LastFetch: at, LastSuccess: at}
		if err := s.AddFeed(ctx, &f); err != nil {
			t.Fatal(err)
		}
		art.FeedID = f.ID
		if _, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f, Articles: []monitor.Article{art}, Body: true}); err != nil {
			t.Fatal(err)
		}
		var id int64
		s.db.QueryRow(`SELECT id FROM articles WHERE key = ?`, art.Key).Scan(&id)
		return id
	}
	// b loads its (empty) window first; a stores the fire; b's copy joins it.
	save(b, "https://b.example/rss", article("other", "b.example", "Wetter: Sonniger Sonntag im Norden",
		"Die Sonne scheint am Sonntag von Flensburg bis Göttingen, bei bis zu 14 Grad.", at))
	x := save(a, "https://a.example/rss", article("x1", "ndr.de", "Brand im Hamburger Hafen: zwei Feuerwehrleute verletzt", agency, at))
	y := save(b, "https://c.example/rss", article("x2", "mopo.de", "Feuer in Lagerhalle im Hafen", agency+" Die Polizei ermittelt.", at.Add(time.Minute)))
	if storyOf(t, a, x) != storyOf(t, a, y) {
		t.Fatalf("the copy stored by the other store is in story %d, the original in %d", storyOf(t, a, y), storyOf(t, a, x))
	}
	// Articles deleted by one store make the other load its window anew.
	before := b.window.gen
	if _, err := a.Prune(ctx, time.Now().Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	z := save(b, "https://d.example/rss", article("x3", "abendblatt.de", "Hafenbrand in Hamburg", agency, at.Add(2*time.Minute)))
	if b.window.gen == before {
		t.Error("the window was not loaded again after articles were deleted")
	}
	var n int
	a.db.QueryRow(`SELECT count(*) FROM reports WHERE story_id = ?`, storyOf(t, a, z)).Scan(&n)
	if n != 1 {
		t.Errorf("a report joined a story whose reports were all pruned: %d reports", n)
	}
}

// TestDraftOvertaken: a fetch drafted outside the write lock whose story
// gains a report from the same source before the fetch is saved counts
// that source once: what the draft found out is asked again inside the
// lock for the stories that changed since.
func TestDraftOvertaken(t *testing.T) {
	s := openTest(t, t.TempDir())
	ctx := context.Background()
	at := time.Now().UTC().Add(-time.Hour)
	feed := func(url string) monitor.Feed {
		f := monitor.Feed{URL: url, Enabled: true, LastFetch: at, LastSuccess: at}
		if err := s.AddFeed(ctx, &f); err != nil {
			t.Fatal(err)
		}
		return f
	}
	fa, fb, fc := feed("https://a.example/rss"), feed("https://b.example/rss"), feed("https://c.example/rss")
	fetch := func(f monitor.Feed, a monitor.Article) monitor.FetchResult {
		a.FeedID = f.ID
		return monitor.FetchResult{Feed: f, Articles: []monitor.Article{a}, Body: true}
	}
	if _, err := s.SaveFetch(ctx, fetch(fa, article("a1", "ndr.de", "Brand im Hamburger Hafen", agency, at))); err != nil {
		t.Fatal(err)
	}
	// Drafted now: it joins the fire, from a source the fire has not.
	late := &saveJob{ctx: ctx, r: fetch(fb, article("b1", "mopo.de", "Feuer im Hafen", agency, at.Add(time.Minute)))}
	s.draftStories(late)
	if late.drafts == nil || late.drafts[0].Story == 0 || !late.knownOK {
		t.Fatalf("the draft: %+v, asked %v; want it to join the fire", late.drafts, late.knownOK)
	}
	// Another report from that source is saved first.
	if _, err := s.SaveFetch(ctx, fetch(fc, article("c1", "mopo.de", "Hafenbrand in Hamburg", agency, at.Add(2*time.Minute)))); err != nil {
		t.Fatal(err)
	}
	s.writeMu.Lock()
	s.saveBatch([]*saveJob{late})
	s.writeMu.Unlock()
	if late.err != nil {
		t.Fatal(late.err)
	}
	var reports, sources, distinct int
	s.db.QueryRow(`SELECT reports, sources, (SELECT count(DISTINCT source) FROM reports WHERE story_id = stories.id)
		FROM stories WHERE id = ?`, late.drafts[0].Story).Scan(&reports, &sources, &distinct)
	if reports != 3 || sources != 2 || distinct != 2 {
		t.Errorf("the fire: %d reports, %d sources (%d distinct); want 3 reports from 2 sources", reports, sources, distinct)
	}
}

// TestJoinedStoryGone: a report whose chosen story is gone from the
// table (the window had not heard) starts a story instead of failing.
func TestJoinedStoryGone(t *testing.T) {
	s := openTest(t, t.TempDir())
	ctx := context.Background()
	at := time.Now().UTC().Add(-time.Hour)
	f := monitor.Feed{URL: "https://a.example/rss", Enabled: true, LastFetch: at, LastSuccess: at}
	if err := s.AddFeed(ctx, &f); err != nil {
		t.Fatal(err)
	}
	save := func(a monitor.Article) int64 {
		t.Helper()
		a.FeedID = f.ID
		if _, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f, Articles: []monitor.Article{a}, Body: true}); err != nil {
			t.Fatal(err)
		}
		var id int64
		s.db.QueryRow(`SELECT id FROM articles WHERE key = ?`, a.Key).Scan(&id)
		return id
	}
	first := storyOf(t, s, save(article("a1", "ndr.de", "Brand im Hamburger Hafen", agency, at)))
	// The story and its report go, as pruning takes them, but behind the
	// window's back.
	if _, err := s.db.Exec(`DELETE FROM reports WHERE story_id = ?1; DELETE FROM stories WHERE id = ?1`, first); err != nil {
		t.Fatal(err)
	}
	copyID := save(article("a2", "mopo.de", "Feuer im Hafen", agency, at.Add(time.Minute)))
	var n, reports, sources, lead int64
	s.db.QueryRow(`SELECT count(*), coalesce(sum(reports), 0), coalesce(sum(sources), 0), coalesce(max(lead), 0)
		FROM stories WHERE id = ?`, storyOf(t, s, copyID)).Scan(&n, &reports, &sources, &lead)
	if n != 1 || reports != 1 || sources != 1 || lead != copyID {
		t.Errorf("the copy's story: %d rows, %d reports, %d sources, lead %d; want a story of its own led by it (%d)", n, reports, sources, lead, copyID)
	}
}

// TestWindowLeavesOutOldArticles: a store whose newest articles are not
// its highest IDs (a feed's back issues stored after today's news) loads
// only the window's articles, and the next save does not take the older
// ones in as if another process had stored them.
func TestWindowLeavesOutOldArticles(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	ctx := context.Background()
	f := monitor.Feed{URL: "https://news.example/feed", Enabled: true, Added: time.Now()}
	if err := s.AddFeed(ctx, &f); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	save := func(prefix string, n int, at func(i int) time.Time) {
		t.Helper()
		var arts []monitor.Article
		for i := range n {
			arts = append(arts, article(fmt.Sprintf("%s%d", prefix, i), "news.example",
				fmt.Sprintf("Meldung %s %d über Ereignis %d", prefix, i, i*7919), fmt.Sprintf("Text %d zu Nummer %d.", i, i*104729), at(i)))
		}
		if _, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f, Articles: arts, Body: true}); err != nil {
			t.Fatal(err)
		}
	}
	save("new", 20, func(i int) time.Time { return now.Add(-time.Duration(i) * time.Minute) })
	save("old", 200, func(i int) time.Time { return now.AddDate(0, 0, -30).Add(-time.Duration(i) * time.Hour) })
	s.Close()

	s = openTest(t, dir) // a new process: it loads the window
	save("next", 1, func(int) time.Time { return now })
	if n := s.window.idx.Len(); n != 21 {
		t.Errorf("the window holds %d articles, want the 21 of the last days", n)
	}
}
