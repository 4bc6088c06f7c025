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
