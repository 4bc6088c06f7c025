package pgstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"codeberg.org/newswatch/newswatch/monitor"
)

// copyBatch is how many articles are copied at a time.
const copyBatch = 5000

// srcArticle is an article as the SQLite database holds it.
type srcArticle struct {
	id, feed                         int64
	feedName, key, link, title       string
	summary, content, author, cats   string
	fullText                         string
	published, firstSeen, lastListed int64
	known                            bool
}

// copyArticles copies the articles (joining those the team has), then
// their stories and reports, and the story keys of recent ones.
func (c *copier) copyArticles(ctx context.Context) error {
	c.progress("articles")
	if _, err := c.tx.Exec(ctx, `CREATE TEMP TABLE copy_articles (id bigint, feed_id bigint, feed_name text, key text,
		link text, title text, summary text, content text, author text, categories text, published bigint,
		published_known boolean, first_seen bigint, last_listed bigint, full_text text, doc text, partial boolean)
		ON COMMIT DROP`); err != nil {
		return err
	}
	c.newArticles = map[int64]bool{}
	links := map[string]int64{} // links copied so far (an old database may hold one twice)
	var batch []srcArticle
	flush := func() error {
		err := c.copyArticleBatch(ctx, batch, links)
		batch = batch[:0]
		return err
	}
	err := c.each(ctx, `SELECT id, coalesce(feed_id, 0), feed_name, key, link, title, summary, content, author, categories,
		published, published_known, first_seen, last_listed, full_text FROM articles ORDER BY id`, func(rows *sql.Rows) error {
		var a srcArticle
		if err := rows.Scan(&a.id, &a.feed, &a.feedName, &a.key, &a.link, &a.title, &a.summary, &a.content, &a.author,
			&a.cats, &a.published, &a.known, &a.firstSeen, &a.lastListed, &a.fullText); err != nil {
			return err
		}
		batch = append(batch, a)
		if len(batch) == copyBatch {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	return c.copyStories(ctx)
}

// copyArticleBatch copies one batch: articles the team has (by key in
// their feed, or by link) are joined, the others inserted with new IDs.
func (c *copier) copyArticleBatch(ctx context.Context, batch []srcArticle, links map[string]int64) error {
	if len(batch) == 0 {
		return nil
	}
	var feeds []int64
	var keys, ls []string
	for _, a := range batch {
		if f, ok := c.feeds[a.feed]; ok {
			feeds, keys = append(feeds, f), append(keys, a.key)
		}
		if a.link != "" {
			ls = append(ls, a.link)
		}
	}
	byKey := map[[2]string]int64{}
	rows, err := c.tx.Query(ctx, `SELECT a.id, a.feed_id::text, a.key FROM articles a
		JOIN unnest($1::bigint[], $2::text[]) k(feed_id, key) ON a.feed_id = k.feed_id AND a.key = k.key`, feeds, keys)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var f, k string
		if err := rows.Scan(&id, &f, &k); err != nil {
			rows.Close()
			return err
		}
		byKey[[2]string{f, k}] = id
	}
	rows.Close()
	byLink := map[string]int64{}
	rows, err = c.tx.Query(ctx, `SELECT id, link FROM articles WHERE link <> '' AND link = ANY($1)`, ls)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var l string
		if err := rows.Scan(&id, &l); err != nil {
			rows.Close()
			return err
		}
		byLink[l] = id
	}
	rows.Close()
	var fresh []srcArticle
	for _, a := range batch {
		id, ok := byKey[[2]string{fmt.Sprint(c.feeds[a.feed]), a.key}]
		if !ok && a.link != "" {
			if id, ok = byLink[a.link]; !ok {
				id, ok = links[a.link]
			}
		}
		if ok {
			c.articles[a.id] = id
			c.st.Joined++
			continue
		}
		fresh = append(fresh, a)
	}
	ids, err := c.ids(ctx, "articles", len(fresh))
	if err != nil {
		return err
	}
	i := 0
	_, err = c.tx.CopyFrom(ctx, pgx.Identifier{"copy_articles"}, []string{"id", "feed_id", "feed_name", "key", "link", "title",
		"summary", "content", "author", "categories", "published", "published_known", "first_seen", "last_listed", "full_text",
		"doc", "partial"}, pgx.CopyFromFunc(func() ([]any, error) {
		if i == len(fresh) {
			return nil, nil
		}
		a, id := fresh[i], ids[i]
		i++
		c.articles[a.id], c.newArticles[a.id] = id, true
		if a.link != "" {
			links[a.link] = id
		}
		art := monitor.Article{Title: a.title, Summary: a.summary, Content: a.content, FullText: a.fullText,
			Author: a.author, FeedName: a.feedName}
		_ = json.Unmarshal([]byte(a.cats), &art.Categories)
		doc, partial := ftsDoc(&art)
		var feed any
		if f, ok := c.feeds[a.feed]; ok {
			feed = f
		}
		return []any{id, feed, a.feedName, a.key, a.link, a.title, a.summary, a.content, a.author, a.cats, a.published,
			a.known, a.firstSeen, a.lastListed, a.fullText, doc, partial}, nil
	}))
	if err != nil {
		return fmt.Errorf("copy articles: %w", err)
	}
	if _, err := c.tx.Exec(ctx, `INSERT INTO articles (id, feed_id, feed_name, key, link, title, summary, content, author,
		categories, published, published_known, first_seen, last_listed, full_text, fts, fts_partial)
		SELECT id, feed_id, feed_name, key, link, title, summary, content, author, categories, published, published_known,
			first_seen, last_listed, full_text, to_tsvector('newswatch', doc), partial FROM copy_articles;
		TRUNCATE copy_articles`); err != nil {
		return fmt.Errorf("copy articles: %w", err)
	}
	c.st.Articles += len(fresh)
	return nil
}

// copyStories maps each story to the team's story of one of its joined
// reports, or copies it as a new one; then the reports of the articles
// copied, and their story keys.
func (c *copier) copyStories(ctx context.Context) error {
	c.progress("stories")
	// Stories with a joined report are the team's.
	err := c.each(ctx, `SELECT article_id, story_id FROM reports`, func(rows *sql.Rows) error {
		var aid, sid int64
		if err := rows.Scan(&aid, &sid); err != nil {
			return err
		}
		if _, mapped := c.stories[sid]; mapped || c.newArticles[aid] {
			return nil
		}
		var team int64
		err := c.tx.QueryRow(ctx, `SELECT story_id FROM reports WHERE article_id = $1`, c.articles[aid]).Scan(&team)
		if err == pgx.ErrNoRows {
			return nil
		}
		if err == nil {
			c.stories[sid] = team
			c.touched = append(c.touched, team)
		}
		return err
	})
	if err != nil {
		return err
	}
	type story struct {
		id, lead, first, last int64
		title                 string
		reports, sources      int
		devAt, devTopic       int64
		devSources            int
		devSpan               int64
	}
	var fresh []story
	err = c.each(ctx, `SELECT id, lead, title, first_seen, last_seen, reports, sources, developing_at, developing_topic,
		developing_sources, developing_span FROM stories ORDER BY id`, func(rows *sql.Rows) error {
		var s story
		if err := rows.Scan(&s.id, &s.lead, &s.title, &s.first, &s.last, &s.reports, &s.sources, &s.devAt, &s.devTopic,
			&s.devSources, &s.devSpan); err != nil {
			return err
		}
		if _, mapped := c.stories[s.id]; !mapped {
			fresh = append(fresh, s)
		}
		return nil
	})
	if err != nil {
		return err
	}
	ids, err := c.ids(ctx, "stories", len(fresh))
	if err != nil {
		return err
	}
	i := 0
	if _, err := c.tx.CopyFrom(ctx, pgx.Identifier{"stories"}, []string{"id", "lead", "title", "first_seen", "last_seen",
		"reports", "sources", "developing_at", "developing_topic", "developing_sources", "developing_span"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i == len(fresh) {
				return nil, nil
			}
			s, id := fresh[i], ids[i]
			i++
			c.stories[s.id] = id
			return []any{id, c.articles[s.lead], s.title, s.first, s.last, s.reports, s.sources, s.devAt,
				c.topics[s.devTopic], s.devSources, s.devSpan}, nil
		})); err != nil {
		return fmt.Errorf("copy stories: %w", err)
	}
	c.st.Stories = len(fresh)
	if err := c.copyReports(ctx); err != nil {
		return err
	}
	return c.copyFeats(ctx)
}

// copyReports copies the reports of the articles copied.
func (c *copier) copyReports(ctx context.Context) error {
	rows, err := c.src.QueryContext(ctx, `SELECT article_id, story_id, source, published FROM reports ORDER BY article_id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	_, err = c.tx.CopyFrom(ctx, pgx.Identifier{"reports"}, []string{"article_id", "story_id", "source", "published"},
		pgx.CopyFromFunc(func() ([]any, error) {
			for rows.Next() {
				var aid, sid, pub int64
				var source string
				if err := rows.Scan(&aid, &sid, &source, &pub); err != nil {
					return nil, err
				}
				if !c.newArticles[aid] {
					continue
				}
				return []any{c.articles[aid], c.stories[sid], source, pub}, nil
			}
			return nil, rows.Err()
		}))
	if err != nil {
		return fmt.Errorf("copy reports: %w", err)
	}
	return nil
}

// copyFeats copies the story keys of the recent articles copied, numbered
// after everything the team's processes hold in their windows.
func (c *copier) copyFeats(ctx context.Context) error {
	type feat struct {
		aid, sid, at, info int64
		keys               []byte
	}
	var feats []feat
	err := c.each(ctx, `SELECT article_id, story_id, at, info, keys FROM story_feats ORDER BY at`, func(rows *sql.Rows) error {
		var f feat
		if err := rows.Scan(&f.aid, &f.sid, &f.at, &f.info, &f.keys); err != nil {
			return err
		}
		if c.newArticles[f.aid] {
			feats = append(feats, f)
		}
		return nil
	})
	if err != nil || len(feats) == 0 {
		return err
	}
	rows, err := c.tx.Query(ctx, `SELECT nextval('event_seq') FROM generate_series(1, $1)`, len(feats))
	if err != nil {
		return err
	}
	seqs, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	i := 0
	_, err = c.tx.CopyFrom(ctx, pgx.Identifier{"story_feats"}, []string{"article_id", "story_id", "at", "info", "keys", "seq"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i == len(feats) {
				return nil, nil
			}
			f := feats[i]
			i++
			return []any{c.articles[f.aid], c.stories[f.sid], f.at, f.info, f.keys, seqs[i-1]}, nil
		}))
	return err
}
