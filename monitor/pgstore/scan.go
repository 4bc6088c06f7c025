package pgstore

import (
	"context"
	"fmt"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// ScanQuery calls fn for each stored article published at or after since
// (zero: all) that the query might match, newest first, until fn returns
// false. The tsvector index narrows the articles (query.Prefilter
// translated by tsQuery); an *infix term is looked up in the kept
// vocabulary, and the articles indexed after it was taken are always
// passed on, as are those too large to index whole: the narrowing never
// loses a match. fn does the exact matching.
func (s *Store) ScanQuery(ctx context.Context, q *query.Query, since time.Time, fn func(a *monitor.Article) bool) error {
	watermark := ""
	expr, all, none := q.Prefilter(func(sub string) ([]string, bool) {
		words, mark, err := s.wordsContaining(ctx, sub)
		if err != nil || len(words) >= maxExpansion {
			return nil, false
		}
		watermark = mark
		return words, true
	})
	args := []any{toMillis(since)}
	where := `a.published >= $1`
	newer := ""
	if watermark != "" {
		args = append(args, watermark)
		newer = ` OR a.indexed_xid >= $2::text::xid8`
	}
	tsq, tsAll := "", all
	if !all && !none {
		tsq, tsAll = tsQuery(expr)
	}
	switch {
	case tsAll:
	case none && newer == "":
		return nil
	case none:
		where += ` AND (a.fts_partial` + newer + `)`
	default:
		args = append(args, tsq)
		where += fmt.Sprintf(` AND (a.fts @@ to_tsquery('newswatch', $%d) OR a.fts_partial%s)`, len(args), newer)
	}
	ids, err := s.candidateIDs(ctx, where, args)
	if err != nil {
		return err
	}
	// Pages are read ahead on connections of their own, while fn works
	// through the one before.
	return monitor.ScanPages(ctx, ids, s.articlesByID, fn)
}

// candidateIDs returns the IDs of the articles where holds, newest first.
func (s *Store) candidateIDs(ctx context.Context, where string, args []any) ([]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT a.id FROM articles a WHERE `+where+` ORDER BY a.published DESC, a.id DESC`, args...)
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, s.explain(rows.Err())
}

func (s *Store) articlesByID(ctx context.Context, ids []int64) (map[int64]*monitor.Article, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+articleColumns+` FROM articles a WHERE a.id = ANY($1)`, ids)
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	out := make(map[int64]*monitor.Article, len(ids))
	for rows.Next() {
		a := new(monitor.Article)
		var sc articleScan
		if err := rows.Scan(sc.dest(a)...); err != nil {
			return nil, err
		}
		sc.finish()
		out[a.ID] = a
	}
	return out, s.explain(rows.Err())
}
