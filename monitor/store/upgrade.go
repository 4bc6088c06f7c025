package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/story"
)

// upgradeStories assigns the articles stored before stories existed to
// stories, once, inside the migration's transaction: in the order of
// their dates, as they would have arrived, against an index in memory
// that keeps only the window; features are computed on every core. The
// results are written in bulk (narrow rows: reports, stories, the
// candidate postings of the recent articles), then the matches take
// their stories, and the indexes are built last.
func upgradeStories(ctx context.Context, tx *sql.Tx) error {
	// A one-off of many short-lived allocations: collect less often.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	rows, err := tx.QueryContext(ctx, `SELECT a.id, a.feed_name, a.link, a.title, a.summary, a.content, a.categories,
		a.published FROM articles a ORDER BY a.published, a.id`)
	if err != nil {
		return err
	}
	type item struct {
		id, published int64
		title, source string
		a             monitor.Article
		f             story.Features
	}
	const batchSize = 256
	batches := make(chan []item, 4)
	done := make(chan []item, 4)
	workers := max(1, runtime.GOMAXPROCS(0))
	// Features on every core, batches kept in order: worker i takes
	// every workers-th batch through its own channel.
	ins := make([]chan []item, workers)
	outs := make([]chan []item, workers)
	for i := range ins {
		ins[i], outs[i] = make(chan []item, 2), make(chan []item, 2)
		go func() {
			for b := range ins[i] {
				for j := range b {
					b[j].f = story.Extract(monitor.StoryText(&b[j].a))
					b[j].source = story.SourceOf(b[j].a.Link, b[j].a.FeedName)
					b[j].a = monitor.Article{} // the text is not needed any more
				}
				outs[i] <- b
			}
			close(outs[i])
		}()
	}
	go func() {
		n := 0
		for b := range batches {
			ins[n%workers] <- b
			n++
		}
		for _, c := range ins {
			close(c)
		}
	}()
	go func() {
		for n := 0; ; n++ {
			b, ok := <-outs[n%workers]
			if !ok {
				close(done)
				return
			}
			done <- b
		}
	}()
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		b := make([]item, 0, batchSize)
		for rows.Next() {
			var it item
			var cats string
			if err := rows.Scan(&it.id, &it.a.FeedName, &it.a.Link, &it.a.Title, &it.a.Summary, &it.a.Content, &cats, &it.published); err != nil {
				readErr <- err
				return
			}
			_ = json.Unmarshal([]byte(cats), &it.a.Categories)
			it.title = it.a.Title
			b = append(b, it)
			if len(b) == batchSize {
				batches <- b
				b = make([]item, 0, batchSize)
			}
		}
		if len(b) > 0 {
			batches <- b
		}
		readErr <- rows.Err()
	}()

	// Assign in order. Stories are numbered from 1 here.
	type storyRow struct {
		lead        int64
		title       string
		first, last int64
		reports     int
		sources     []uint32
	}
	type reportRow struct {
		article, story, published int64
		source                    string
	}
	type posting struct {
		f       story.Features
		article int64
		story   int64
		at      int64
		info    story.Info
	}
	var stories []storyRow
	var reports []reportRow
	var recent []posting // the postings of the last two windows, for the table
	idx := story.NewMemIndex()
	sources := map[string]string{} // interned
	forgotten := int64(0)
	for b := range done {
		for i := range b {
			it := &b[i]
			src, ok := sources[it.source]
			if !ok {
				sources[it.source], src = it.source, it.source
			}
			at := fromMillis(it.published)
			if at.IsZero() {
				at = time.UnixMilli(0)
			}
			d, err := story.Assign(idx, &it.f, at, src)
			if err != nil {
				return err
			}
			h := story.SourceHash(src)
			if d.Story == 0 {
				stories = append(stories, storyRow{lead: it.id, title: it.title, first: it.published, last: it.published, reports: 1, sources: []uint32{h}})
				d.Story = int64(len(stories))
			} else {
				st := &stories[d.Story-1]
				st.reports++
				st.first, st.last = min(st.first, it.published), max(st.last, it.published)
				if !containsHash(st.sources, h) {
					st.sources = append(st.sources, h)
				}
			}
			info := story.InfoOf(&it.f, src)
			idx.Add(it.f.Keys(), it.id, d.Story, at, info)
			reports = append(reports, reportRow{it.id, d.Story, it.published, src})
			recent = append(recent, posting{it.f, it.id, d.Story, it.published, info})
		}
		// Forget what no later article can join (they come in date order).
		now := b[len(b)-1].published
		if now-forgotten > 6*time.Hour.Milliseconds() {
			idx.Forget(fromMillis(now).Add(-story.Window - time.Hour))
			k := 0
			for k < len(recent) && recent[k].at < now-keysKept.Milliseconds() {
				k++
			}
			recent = append(recent[:0], recent[k:]...)
			forgotten = now
		}
	}
	if err := <-readErr; err != nil {
		return err
	}
	rows.Close()

	// Write: stories, reports, postings; then the matches, the indexes,
	// the leads and the read state.
	sourceCount := func(st *storyRow) int { return len(st.sources) }
	err = bulkInsert(ctx, tx, `INSERT INTO stories (id, lead, title, first_seen, last_seen, reports, sources) VALUES `, 7, len(stories),
		func(i int, args []any) []any {
			st := &stories[i]
			return append(args, i+1, st.lead, st.title, st.first, st.last, st.reports, sourceCount(st))
		})
	if err != nil {
		return fmt.Errorf("write stories: %w", err)
	}
	err = bulkInsert(ctx, tx, `INSERT INTO reports (article_id, story_id, source, published) VALUES `, 4, len(reports),
		func(i int, args []any) []any {
			r := &reports[i]
			return append(args, r.article, r.story, r.source, r.published)
		})
	if err != nil {
		return fmt.Errorf("write reports: %w", err)
	}
	err = bulkInsert(ctx, tx, `INSERT INTO story_feats (article_id, story_id, at, info, keys) VALUES `, 5, len(recent),
		func(i int, args []any) []any {
			p := &recent[i]
			return append(args, p.article, p.story, p.at, p.info.Pack(), packKeys(p.f.Keys()))
		})
	if err != nil {
		return fmt.Errorf("write the story keys: %w", err)
	}
	for _, q := range []string{
		`CREATE INDEX reports_story ON reports(story_id, source, published)`,
		`UPDATE matches SET story_id = r.story_id, published = s.last_seen
			FROM reports r JOIN stories s ON s.id = r.story_id WHERE r.article_id = matches.article_id`,
		`CREATE INDEX matches_timeline ON matches(published, story_id, read, starred, topic_id)`,
		`CREATE INDEX matches_story ON matches(story_id, topic_id)`,
		// The lead of a story in the timeline is its first matched report.
		`UPDATE stories SET lead = m.aid, title = a.title
			FROM (SELECT story_id, min(article_id) AS aid FROM matches GROUP BY story_id) m JOIN articles a ON a.id = m.aid
			WHERE stories.id = m.story_id AND NOT EXISTS (SELECT 1 FROM matches x WHERE x.article_id = stories.lead)`,
		// A story whose matches were all read counts as read with its sources.
		`UPDATE stories SET read_sources = sources
			WHERE id IN (SELECT story_id FROM matches GROUP BY story_id HAVING min(read) = 1)`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", strings.Fields(q)[0], err)
		}
	}
	return nil
}

func containsHash(hs []uint32, h uint32) bool {
	for _, x := range hs {
		if x == h {
			return true
		}
	}
	return false
}

// bulkInsert inserts n rows of cols values each, up to 100 rows per
// statement.
func bulkInsert(ctx context.Context, tx *sql.Tx, prefix string, cols, n int, row func(i int, args []any) []any) error {
	const per = 100
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + "),"
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, per*cols)
	for i := 0; i < n; i += per {
		k := min(per, n-i)
		args = args[:0]
		for j := i; j < i+k; j++ {
			args = row(j, args)
		}
		q := prefix + strings.TrimSuffix(strings.Repeat(one, k), ",")
		if k == per {
			if full == nil {
				var err error
				if full, err = tx.PrepareContext(ctx, q); err != nil {
					return err
				}
			}
			if _, err := full.ExecContext(ctx, args...); err != nil {
				return err
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}
