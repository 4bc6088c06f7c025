package store

import (
	"context"
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
	if got := st[0]; got.Sources != 2 || len(got.Reports) != 2 || got.Article.ID != 2 || !got.Read || got.Updated {
		t.Errorf("the fire's story: %d sources, %d reports, lead %d, read %v, updated %v; want 2, 2, the matched report 2, read, not updated",
			got.Sources, len(got.Reports), got.Article.ID, got.Read, got.Updated)
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
