package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// filterConds turns a filter into conditions on matches m (and the
// article a.id they belong to, when withArticle is set: Since and Until
// need the article's date).
func filterConds(f monitor.Filter, withArticle bool) ([]string, []any) {
	var conds []string
	var args []any
	if f.TopicID != 0 {
		conds, args = append(conds, "m.topic_id = ?"), append(args, f.TopicID)
	}
	if f.Unread {
		conds = append(conds, "m.read = 0")
	}
	if f.Starred {
		conds = append(conds, "m.starred <> 0")
	}
	if search := strings.TrimSpace(f.Search); search != "" {
		if expr := query.SearchExpr(search); expr != "" {
			conds = append(conds, "m.article_id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
			args = append(args, expr)
		} else {
			conds = append(conds, "0") // searched for nothing findable
		}
	}
	if f.ArticleIDs != nil {
		if len(f.ArticleIDs) == 0 {
			conds = append(conds, "0")
		} else {
			conds = append(conds, "m.article_id IN (SELECT value FROM json_each(?))")
			args = append(args, idsJSON(f.ArticleIDs))
		}
	}
	date := "m.published"
	if withArticle {
		date = "a.published"
	}
	if !f.Since.IsZero() {
		conds, args = append(conds, date+" >= ?"), append(args, toMillis(f.Since))
	}
	if !f.Until.IsZero() {
		conds, args = append(conds, date+" < ?"), append(args, toMillis(f.Until))
	}
	return conds, args
}

// idsJSON is a list of IDs as a JSON array, for json_each.
func idsJSON(ids []int64) string {
	b := make([]byte, 0, len(ids)*8+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// Timeline lists the stories the filter selects, newest first. It walks
// the matches_timeline index backwards: each match carries its story's
// date, so no table is read and nothing is sorted.
func (s *Store) Timeline(ctx context.Context, f monitor.Filter) ([]monitor.TimelineEntry, error) {
	conds, args := filterConds(f, false)
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT m.article_id, m.published FROM matches m INDEXED BY matches_timeline`+
		where+` ORDER BY m.published DESC, m.article_id DESC`, args...)
	if err != nil {
		return nil, dbError(s.path, err)
	}
	defer rows.Close()
	var out []monitor.TimelineEntry
	var last int64
	for rows.Next() {
		var id, published int64
		if err := rows.Scan(&id, &published); err != nil {
			return nil, err
		}
		if id == last {
			continue // the same story through another topic
		}
		last = id
		out = append(out, monitor.TimelineEntry{ArticleID: id, Published: fromMillis(published)})
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	return out, rows.Err()
}

// Stories loads stories by article ID, in the order given.
func (s *Store) Stories(ctx context.Context, ids []int64) ([]monitor.Story, error) {
	byID := make(map[int64]*monitor.Story, len(ids))
	err := inChunks(ids, func(part []int64) error {
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := s.db.QueryContext(ctx, `SELECT `+articleColumns+` FROM articles a WHERE a.id IN (`+placeholders(len(part))+`)`, args...)
		if err != nil {
			return dbError(s.path, err)
		}
		for rows.Next() {
			var st monitor.Story
			var cats string
			var published, known, firstSeen int64
			if err := rows.Scan(scanArticle(nil, &st.Article, &cats, &published, &known, &firstSeen)...); err != nil {
				rows.Close()
				return err
			}
			finishArticle(&st.Article, cats, published, known, firstSeen)
			st.Read = true
			byID[st.Article.ID] = &st
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = s.db.QueryContext(ctx, `SELECT m.article_id, m.topic_id, m.topic_name, coalesce(t.color, ''), m.hits,
			m.read, m.starred, m.matched_at FROM matches m LEFT JOIN topics t ON t.id = m.topic_id
			WHERE m.article_id IN (`+placeholders(len(part))+`) ORDER BY m.topic_name COLLATE NOCASE`, args...)
		if err != nil {
			return dbError(s.path, err)
		}
		defer rows.Close()
		for rows.Next() {
			var aid, matchedAt int64
			var ref monitor.TopicRef
			var hits string
			var read, starred int
			if err := rows.Scan(&aid, &ref.ID, &ref.Name, &ref.Color, &hits, &read, &starred, &matchedAt); err != nil {
				return err
			}
			st := byID[aid]
			if st == nil {
				continue
			}
			st.Topics = append(st.Topics, ref)
			var hs []query.Hit
			_ = json.Unmarshal([]byte(hits), &hs)
			for _, h := range hs {
				if !slices.Contains(st.Hits, h) {
					st.Hits = append(st.Hits, h)
				}
			}
			st.Read = st.Read && read != 0
			st.Starred = st.Starred || starred != 0
			if t := fromMillis(matchedAt); st.MatchedAt.IsZero() || t.Before(st.MatchedAt) {
				st.MatchedAt = t
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	out := make([]monitor.Story, 0, len(ids))
	for _, id := range ids {
		if st := byID[id]; st != nil && len(st.Topics) > 0 {
			out = append(out, *st)
		}
	}
	return out, nil
}

// SetRead marks the matches of the articles read or unread.
func (s *Store) SetRead(ctx context.Context, articleIDs []int64, read bool) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		return inChunks(articleIDs, func(part []int64) error {
			args := []any{boolInt(read)}
			for _, id := range part {
				args = append(args, id)
			}
			_, err := tx.ExecContext(ctx, `UPDATE matches SET read = ? WHERE article_id IN (`+placeholders(len(part))+`)`, args...)
			return dbError(s.path, err)
		})
	})
}

// SetStarred stars or unstars the matches of the articles.
func (s *Store) SetStarred(ctx context.Context, articleIDs []int64, starred bool) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE matches SET starred = ? WHERE article_id IN (SELECT value FROM json_each(?))`,
			boolInt(starred), idsJSON(articleIDs))
		return dbError(s.path, err)
	})
}

// DeleteStories removes the articles' matches.
func (s *Store) DeleteStories(ctx context.Context, articleIDs []int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM matches WHERE article_id IN (SELECT value FROM json_each(?))`, idsJSON(articleIDs))
		return dbError(s.path, err)
	})
}

// Counts counts unread and starred stories, and unread stories per topic,
// in one pass over the matches_timeline index (a story's matches are
// adjacent there).
func (s *Store) Counts(ctx context.Context) (monitor.Counts, error) {
	c := monitor.Counts{TopicUnread: map[int64]int{}}
	rows, err := s.db.QueryContext(ctx, `SELECT article_id, read, starred, topic_id FROM matches INDEXED BY matches_timeline
		ORDER BY published, article_id`)
	if err != nil {
		return c, dbError(s.path, err)
	}
	defer rows.Close()
	var last int64 = -1
	var unread, starred bool
	flush := func() {
		if unread {
			c.Unread++
		}
		if starred {
			c.Starred++
		}
	}
	for rows.Next() {
		var id, topic int64
		var read, star int
		if err := rows.Scan(&id, &read, &star, &topic); err != nil {
			return c, err
		}
		if id != last {
			flush()
			last, unread, starred = id, false, false
		}
		unread = unread || read == 0
		starred = starred || star != 0
		if read == 0 {
			c.TopicUnread[topic]++
		}
	}
	flush()
	return c, rows.Err()
}
