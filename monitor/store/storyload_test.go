package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// TestStoryRowsAndView: the timeline's rows (Stories) carry each story's
// lead report with its topics, hits and text, the counts and the topics
// of all reports, but not the other reports; the story view (Story)
// carries every report, oldest first, with its source, text, topics and
// hits. A story without a match is in neither.
func TestStoryRowsAndView(t *testing.T) {
	s := openTest(t, t.TempDir())
	ctx := context.Background()
	at := time.Now().UTC().Add(-3 * time.Hour).Truncate(time.Second)
	f := monitor.Feed{URL: "https://feed.example/rss", Enabled: true, LastFetch: at, LastSuccess: at}
	if err := s.AddFeed(ctx, &f); err != nil {
		t.Fatal(err)
	}
	hamburg := monitor.Topic{Name: "hamburg", Query: "Hamburg", Enabled: true}
	fire := monitor.Topic{Name: "Feuer", Query: "Feuer", Enabled: true, Color: "red"}
	for _, tp := range []*monitor.Topic{&hamburg, &fire} {
		if err := s.AddTopic(ctx, tp); err != nil {
			t.Fatal(err)
		}
	}
	x1 := article("x1", "ndr.de", "Brand im Hamburger Hafen", agency, at)
	x1.Content = "Der ganze Text des NDR."
	x2 := article("x2", "mopo.de", "Feuer in Lagerhalle im Hamburger Hafen", agency+" Die Polizei ermittelt.", at.Add(time.Hour))
	x2.Content = "Der ganze Text der Mopo."
	x3 := article("x3", "abendblatt.de", "Hafenbrand: Feuer in Hamburg", agency, at.Add(2*time.Hour))
	y1 := article("y1", "ndr.de", "Wetter: Sonniger Sonntag im Norden", "Die Sonne scheint am Sonntag von Flensburg bis Göttingen, bei bis zu 14 Grad.", at)
	hit := func(field query.Field, start, end int) []query.Hit {
		return []query.Hit{{Field: field, Start: start, End: end, Term: "x"}}
	}
	r := monitor.FetchResult{Feed: f, Articles: []monitor.Article{x1, x2, x3, y1}, Body: true, Matches: []monitor.Match{
		{Article: x2, TopicID: hamburg.ID, TopicName: hamburg.Name, Hits: hit(query.Title, 29, 37), MatchedAt: at},
		{Article: x3, TopicID: hamburg.ID, TopicName: hamburg.Name, Hits: hit(query.Title, 21, 28), MatchedAt: at},
		{Article: x3, TopicID: fire.ID, TopicName: fire.Name, Hits: hit(query.Title, 11, 16), MatchedAt: at},
	}}
	if _, err := s.SaveFetch(ctx, r); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, k := range []string{"x1", "x2", "x3", "y1"} {
		var id int64
		s.db.QueryRow(`SELECT id FROM articles WHERE key = ?`, k).Scan(&id)
		ids[k] = id
	}
	x, y := storyOf(t, s, ids["x1"]), storyOf(t, s, ids["y1"])
	if storyOf(t, s, ids["x2"]) != x || storyOf(t, s, ids["x3"]) != x || y == x {
		t.Fatalf("stories: %d %d %d, weather %d", x, storyOf(t, s, ids["x2"]), storyOf(t, s, ids["x3"]), y)
	}

	rows, err := s.Stories(ctx, []int64{y, x, 999})
	if err != nil || len(rows) != 1 {
		t.Fatalf("Stories: %d rows, %v; want the fire's only", len(rows), err)
	}
	row := rows[0]
	if row.ID != x || row.ReportCount != 3 || row.Sources != 3 || len(row.Reports) != 0 || row.Read || row.Starred {
		t.Errorf("row: story %d, %d reports, %d sources, %d loaded, read %v, starred %v; want %d, 3, 3, none loaded, unread",
			row.ID, row.ReportCount, row.Sources, len(row.Reports), row.Read, row.Starred, x)
	}
	if row.Article.ID != ids["x2"] || row.Article.Content != x2.Content || row.Article.Source != "mopo.de" ||
		len(row.Report.Topics) != 1 || row.Report.Topics[0].ID != hamburg.ID || len(row.Hits) != 1 {
		t.Errorf("row's lead: article %d %q from %q, topics %v, hits %v; want the first matched report (x2) whole",
			row.Article.ID, row.Article.Content, row.Article.Source, row.Report.Topics, row.Hits)
	}
	if len(row.Topics) != 2 || row.Topics[0].Name != "Feuer" || row.Topics[0].Color != "red" || row.Topics[1].Name != "hamburg" {
		t.Errorf("row's topics: %+v; want Feuer (red), hamburg", row.Topics)
	}
	if !row.FirstSeen.Equal(at) || !row.LastSeen.Equal(at.Add(2*time.Hour)) || row.MatchedAt.IsZero() {
		t.Errorf("row's dates: %v – %v, matched %v", row.FirstSeen, row.LastSeen, row.MatchedAt)
	}

	view, err := s.Story(ctx, x)
	if err != nil {
		t.Fatal(err)
	}
	if len(view.Reports) != 3 || view.ReportCount != 3 || view.Article.ID != ids["x2"] || len(view.Topics) != 2 {
		t.Fatalf("view: %d reports of %d, lead %d, topics %v", len(view.Reports), view.ReportCount, view.Article.ID, view.Topics)
	}
	for i, want := range []struct {
		key, source, content string
		topics, hits         int
	}{{"x1", "ndr.de", x1.Content, 0, 0}, {"x2", "mopo.de", x2.Content, 1, 1}, {"x3", "abendblatt.de", "", 2, 2}} {
		rep := view.Reports[i]
		if rep.Article.Key != want.key || rep.Article.Source != want.source || rep.Article.Content != want.content ||
			rep.Article.FeedName == "" || rep.Article.Link == "" || len(rep.Topics) != want.topics || len(rep.Hits) != want.hits ||
			rep.Article.StoryID != x {
			t.Errorf("report %d: %q from %q, text %q, feed %q, %d topics, %d hits, story %d; want %q from %q, %d topics, %d hits",
				i, rep.Article.Key, rep.Article.Source, rep.Article.Content, rep.Article.FeedName, len(rep.Topics), len(rep.Hits),
				rep.Article.StoryID, want.key, want.source, want.topics, want.hits)
		}
	}
	for _, id := range []int64{y, 999} {
		if _, err := s.Story(ctx, id); !errors.Is(err, monitor.ErrNotFound) {
			t.Errorf("Story(%d): %v; want not found (no match)", id, err)
		}
	}
}

// BenchmarkStoriesPage loads a page of 60 timeline rows whose stories
// have 20 reports each, one of them 2,000, every report with 5 KB of
// text; and the story view of the big one.
func BenchmarkStoriesPage(b *testing.B) {
	s, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	tp := monitor.Topic{Name: "Ukraine", Query: "Ukraine", Enabled: true}
	if err := s.AddTopic(ctx, &tp); err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat("Ein Satz über die Lage in der Ukraine und die Gespräche in Genf. ", 80)
	tx, err := s.db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	var ids []int64
	article := int64(0)
	for st := int64(1); st <= 60; st++ {
		n := 20
		if st == 30 {
			n = 2000
		}
		for i := range n {
			article++
			exec := func(q string, args ...any) {
				if _, err := tx.Exec(q, args...); err != nil {
					b.Fatal(err)
				}
			}
			exec(`INSERT INTO articles (id, feed_name, key, link, title, summary, content, author, categories, published,
				published_known, first_seen, last_listed) VALUES (?, 'Feed', ?, ?, 'Gespräche in Genf', ?, ?, '', '[]', ?, 1, ?, ?)`,
				article, fmt.Sprint(article), fmt.Sprintf("https://x%d.example/%d", i, article), text[:300], text, article, article, article)
			exec(`INSERT INTO reports (article_id, story_id, source, published) VALUES (?, ?, ?, ?)`, article, st, fmt.Sprintf("x%d.example", i), article)
			exec(`INSERT INTO matches (article_id, topic_id, topic_name, hits, matched_at, story_id, published) VALUES (?, ?, 'Ukraine', '[]', ?, ?, ?)`,
				article, tp.ID, article, st, article)
			if i == 0 {
				exec(`INSERT INTO stories (id, lead, title, first_seen, last_seen, reports, sources) VALUES (?, ?, 'Gespräche in Genf', ?, ?, ?, ?)`,
					st, article, article, article+int64(n), n, n)
			}
		}
		ids = append(ids, st)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	b.Run("rows", func(b *testing.B) {
		for range b.N {
			if st, err := s.Stories(ctx, ids); err != nil || len(st) != 60 {
				b.Fatal(len(st), err)
			}
		}
	})
	b.Run("view", func(b *testing.B) {
		for range b.N {
			if st, err := s.Story(ctx, 30); err != nil || len(st.Reports) != 2000 {
				b.Fatal(len(st.Reports), err)
			}
		}
	})
}
