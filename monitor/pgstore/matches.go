package pgstore

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"codeberg.org/newswatch/newswatch/monitor"
)

// matchSelect reads matches m with their article a, story st, report r
// and topic t, read and starred as the user ($1) left them.
const matchSelect = `SELECT m.id, m.topic_id, m.topic_name, m.hits, m.matched_at,
	coalesce(ss.read_sources, 0) > 0 AND ss.read_sources >= coalesce(st.sources, 0), coalesce(ss.starred, false),
	m.backlog, m.story_id, coalesce(st.title, ''), coalesce(st.sources, 0), coalesce(st.first_seen, 0),
	coalesce(r.source, ''), t.owner, coalesce(m.seq, 0), ` + articleColumns + `
	FROM matches m JOIN articles a ON a.id = m.article_id JOIN topics t ON t.id = m.topic_id
	LEFT JOIN stories st ON st.id = m.story_id LEFT JOIN reports r ON r.article_id = m.article_id
	LEFT JOIN story_state ss ON ss.story_id = m.story_id AND ss.user_name = $1`

// matchRow is a match as read, with its topic's owner and its number.
type matchRow struct {
	monitor.Match
	owner string
	seq   int64
}

func queryMatches(ctx context.Context, db querier, where string, args []any, tail string) ([]matchRow, error) {
	q := matchSelect
	if where != "" {
		q += ` WHERE ` + where
	}
	rows, err := db.Query(ctx, q+` `+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []matchRow
	for rows.Next() {
		var m matchRow
		var hits string
		var matchedAt, storyFirst int64
		var sc articleScan
		dest := sc.dest(&m.Article, &m.ID, &m.TopicID, &m.TopicName, &hits, &matchedAt, &m.Read, &m.Starred, &m.Backlog,
			&m.Story.ID, &m.Story.Title, &m.Story.Sources, &storyFirst, &m.Article.Source, &m.owner, &m.seq)
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		sc.finish()
		m.Story.FirstSeen = fromMillis(storyFirst)
		m.Article.StoryID = m.Story.ID
		_ = json.Unmarshal([]byte(hits), &m.Hits)
		m.MatchedAt = fromMillis(matchedAt)
		out = append(out, m)
	}
	return out, rows.Err()
}

func plain(rows []matchRow) []monitor.Match {
	out := make([]monitor.Match, len(rows))
	for i := range rows {
		out[i] = rows[i].Match
	}
	return out
}

// Matches lists the matches of the stories the filter selects, newest
// story first, a story's reports newest first.
func (s *Store) Matches(ctx context.Context, f monitor.Filter) ([]monitor.Match, error) {
	conds, args := s.filterConds(f)
	tail := `ORDER BY m.published DESC, m.story_id DESC, a.published DESC, a.id DESC, lower(m.topic_name)`
	if f.Limit > 0 {
		args = append(args, f.Limit)
		tail += ` LIMIT $` + strconv.Itoa(len(args))
	}
	rows, err := queryMatches(ctx, s.pool, strings.Join(conds, " AND "), args, tail)
	if err != nil {
		return nil, s.explain(err)
	}
	return plain(rows), nil
}

// AddMatches stores matches of stored articles (a topic applied to the
// past) unnumbered, so that no one is alerted of them.
func (s *Store) AddMatches(ctx context.Context, ms []monitor.Match) (int, error) {
	var n int
	err := s.writeTx(ctx, func(tx pgx.Tx, w *writer) error {
		n = 0
		if len(ms) == 0 {
			return nil
		}
		if err := w.lock(ctx); err != nil {
			return err
		}
		keyed := make([]monitor.Match, len(ms))
		ids := make(map[string]int64, len(ms))
		for i, m := range ms {
			m.Article.Key = idKey(m.Article.ID)
			ids[m.Article.Key] = m.Article.ID
			keyed[i] = m
		}
		stored, err := w.insertMatches(ctx, tx, keyed, ids, false, true)
		if err != nil {
			return err
		}
		n = len(stored)
		var touched []int64
		for _, m := range stored {
			if m.Article.StoryID != 0 && !slices.Contains(touched, m.Article.StoryID) {
				touched = append(touched, m.Article.StoryID)
			}
		}
		_, err = afterMatches(ctx, tx, touched)
		return err
	})
	return n, err
}
