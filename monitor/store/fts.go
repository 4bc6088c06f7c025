package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// ftsTexts are an article's texts as the full-text index holds them:
// folded like topic queries fold them, so query.Prefilter expressions and
// searches find them.
func ftsTexts(a *monitor.Article) (title, body, extra string) {
	title = query.FoldString(a.Title)
	body = query.FoldString(a.Summary + "\n" + a.Content + "\n" + a.FullText)
	extra = query.FoldString(a.CategoriesText() + "\n" + a.Author + "\n" + a.FeedName)
	return
}

func indexArticle(ctx context.Context, stmt *sql.Stmt, id int64, a *monitor.Article) error {
	title, body, extra := ftsTexts(a)
	_, err := stmt.ExecContext(ctx, id, title, body, extra)
	return err
}

const ftsInsert = `INSERT INTO articles_fts (rowid, title, body, extra) VALUES (?, ?, ?, ?)`

// ftsRow is an article stored in a transaction whose full-text row is
// still to be written.
type ftsRow struct {
	id int64
	a  *monitor.Article
}

// indexArticles writes the full-text rows of the articles a transaction
// of fetches stored, last: FTS5 keeps what it is given in memory until
// the transaction ends, but writes it out into the index at every
// statement that may need undoing (a story's update does), so rows
// written among the other statements made many small writes and
// merges.
func (s *Store) indexArticles(ctx context.Context, tx *sql.Tx, ts *txState) error {
	if len(ts.fts) == 0 {
		return nil
	}
	stmt, err := s.prepared(ctx, tx, ftsInsert)
	if err != nil {
		return err
	}
	for _, r := range ts.fts {
		if err := indexArticle(ctx, stmt, r.id, r.a); err != nil {
			return fmt.Errorf("index article %q: %w", r.a.Title, err)
		}
	}
	ts.fts = nil
	return nil
}

// backfillFTS indexes the articles stored before the index existed.
func backfillFTS(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, feed_name, title, summary, content, author, categories FROM articles`)
	if err != nil {
		return err
	}
	type row struct {
		id int64
		a  monitor.Article
	}
	var all []row
	for rows.Next() {
		var r row
		var cats string
		if err := rows.Scan(&r.id, &r.a.FeedName, &r.a.Title, &r.a.Summary, &r.a.Content, &r.a.Author, &cats); err != nil {
			rows.Close()
			return err
		}
		_ = json.Unmarshal([]byte(cats), &r.a.Categories)
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, ftsInsert)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i := range all {
		if err := indexArticle(ctx, stmt, all[i].id, &all[i].a); err != nil {
			return err
		}
	}
	return nil
}

// ScanQuery calls fn for each stored article published at or after since
// (zero: all) that the query might match, newest first, until fn returns
// false. The full-text index narrows the articles (query.Prefilter); an
// *infix term is looked up in a cached copy of the index's vocabulary, and
// articles stored after that copy was taken are always passed on, so the
// narrowing never loses a match. fn does the exact matching.
func (s *Store) ScanQuery(ctx context.Context, q *query.Query, since time.Time, fn func(a *monitor.Article) bool) error {
	var watermark int64 = -1
	expr, all, none := q.Prefilter(func(sub string) ([]string, bool) {
		words, mark, err := s.wordsContaining(ctx, sub)
		if err != nil || len(words) >= maxExpansion {
			return nil, false
		}
		watermark = mark
		return words, true
	})
	where := `a.published >= ?`
	args := []any{toMillis(since)}
	switch {
	case all:
	case none && watermark >= 0:
		where += ` AND a.id > ?` // only articles newer than the vocabulary
		args = append(args, watermark)
	case watermark >= 0:
		where += ` AND (a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) OR a.id > ?)`
		args = append(args, expr, watermark)
	case none:
		return nil
	default:
		where += ` AND a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)`
		args = append(args, expr)
	}
	// First the candidates' IDs, newest first, from the index on
	// published alone (sorting whole rows, content and all, spilled to
	// temporary files); then their rows, a page at a time.
	ids, err := s.candidateIDs(ctx, where, args)
	if err != nil {
		return err
	}
	// Pages are read ahead on connections of their own, while fn works
	// through the one before.
	return monitor.ScanPages(ctx, ids, s.articlesByID, fn)
}

// candidateIDs returns the IDs of the articles where holds, newest
// first. The dates come from the index articles_id_published: one index
// lookup per candidate the full-text index names, never a row read.
func (s *Store) candidateIDs(ctx context.Context, where string, args []any) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.published FROM articles a INDEXED BY articles_id_published WHERE `+where, args...)
	if err != nil {
		return nil, dbError(s.path, err)
	}
	defer rows.Close()
	type cand struct{ id, published int64 }
	var cs []cand
	for rows.Next() {
		var c cand
		if err := rows.Scan(&c.id, &c.published); err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(cs, func(a, b cand) int {
		if c := cmp.Compare(b.published, a.published); c != 0 {
			return c
		}
		return cmp.Compare(b.id, a.id)
	})
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.id
	}
	return ids, nil
}

func (s *Store) articlesByID(ctx context.Context, ids []int64) (map[int64]*monitor.Article, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+articleColumns+` FROM articles a WHERE a.id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, dbError(s.path, err)
	}
	defer rows.Close()
	out := make(map[int64]*monitor.Article, len(ids))
	for rows.Next() {
		a := new(monitor.Article)
		var cats string
		var published, known, firstSeen int64
		if err := rows.Scan(scanArticle(nil, a, &cats, &published, &known, &firstSeen)...); err != nil {
			return nil, err
		}
		finishArticle(a, cats, published, known, firstSeen)
		out[a.ID] = a
	}
	return out, rows.Err()
}
