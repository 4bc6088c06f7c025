package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"codeberg.org/newswatch/newswatch/monitor"
)

// The timeline rows and the story view are tested in the conformance
// suite (monitor/storetest, StoryRowsAndView).

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
