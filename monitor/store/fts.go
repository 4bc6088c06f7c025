package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// ftsTexts are an article's texts as the full-text index holds them:
// folded like topic queries fold them, so query.Prefilter expressions and
// searches find them.
func ftsTexts(a *monitor.Article) (title, body, extra string) {
	title = query.FoldString(a.Title)
	body = query.FoldString(a.Summary + "\n" + a.Content)
	extra = query.FoldString(a.CategoriesText() + "\n" + a.Author + "\n" + a.FeedName)
	return
}

func indexArticle(ctx context.Context, stmt *sql.Stmt, id int64, a *monitor.Article) error {
	title, body, extra := ftsTexts(a)
	_, err := stmt.ExecContext(ctx, id, title, body, extra)
	return err
}

const ftsInsert = `INSERT INTO articles_fts (rowid, title, body, extra) VALUES (?, ?, ?, ?)`

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
	rows, err := s.db.QueryContext(ctx, `SELECT `+articleColumns+` FROM articles a WHERE `+where+
		` ORDER BY a.published DESC, a.id DESC`, args...)
	if err != nil {
		return dbError(s.path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var a monitor.Article
		var cats string
		var published, known, firstSeen int64
		if err := rows.Scan(scanArticle(nil, &a, &cats, &published, &known, &firstSeen)...); err != nil {
			return err
		}
		finishArticle(&a, cats, published, known, firstSeen)
		if !fn(&a) {
			return nil
		}
	}
	return rows.Err()
}

// maxExpansion is the most indexed words an *infix term is turned into
// before the index is no help for it.
const maxExpansion = 400

// vocabulary is a copy of the index's distinct words, and the newest
// article it covers.
type vocabulary struct {
	words     []string
	watermark int64
}

// vocabStale is how many articles may arrive after the copy was taken
// before it is taken again (they are scanned in full until then).
const vocabStale = 5000

// wordsContaining returns the indexed words containing sub (up to
// maxExpansion) and the newest article the vocabulary copy covers.
func (s *Store) wordsContaining(ctx context.Context, sub string) ([]string, int64, error) {
	var newest int64
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM articles`).Scan(&newest); err != nil {
		return nil, 0, dbError(s.path, err)
	}
	s.vocabMu.Lock()
	defer s.vocabMu.Unlock()
	if s.vocab == nil || newest-s.vocab.watermark > vocabStale || newest < s.vocab.watermark {
		rows, err := s.db.QueryContext(ctx, `SELECT term FROM articles_fts_words`)
		if err != nil {
			return nil, 0, dbError(s.path, err)
		}
		v := &vocabulary{watermark: newest}
		for rows.Next() {
			var w string
			if err := rows.Scan(&w); err != nil {
				rows.Close()
				return nil, 0, err
			}
			v.words = append(v.words, w)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, 0, err
		}
		s.vocab = v
	}
	var out []string
	for _, w := range s.vocab.words {
		if strings.Contains(w, sub) {
			out = append(out, w)
			if len(out) >= maxExpansion {
				break
			}
		}
	}
	return out, s.vocab.watermark, nil
}
