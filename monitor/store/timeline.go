package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// filterConds turns a filter into conditions on matches m: each match
// carries its story (story_id) and the story's newest date (published).
func filterConds(f monitor.Filter) ([]string, []any) {
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
			conds = append(conds, `m.story_id IN (SELECT story_id FROM reports WHERE article_id IN
				(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?))`)
			args = append(args, expr)
		} else {
			conds = append(conds, "0") // searched for nothing findable
		}
	}
	if f.StoryIDs != nil {
		if len(f.StoryIDs) == 0 {
			conds = append(conds, "0")
		} else {
			conds = append(conds, "m.story_id IN (SELECT value FROM json_each(?))")
			args = append(args, idsJSON(f.StoryIDs))
		}
	}
	if !f.Since.IsZero() {
		conds, args = append(conds, "m.published >= ?"), append(args, toMillis(f.Since))
	}
	if !f.Until.IsZero() {
		conds, args = append(conds, "m.published < ?"), append(args, toMillis(f.Until))
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
// the matches_timeline index backwards: each match carries its story and
// the story's date, so no table is read and nothing is sorted.
func (s *Store) Timeline(ctx context.Context, f monitor.Filter) ([]monitor.TimelineEntry, error) {
	conds, args := filterConds(f)
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT m.story_id, m.published FROM matches m INDEXED BY matches_timeline`+
		where+` ORDER BY m.published DESC, m.story_id DESC`, args...)
	if err != nil {
		return nil, dbError(s.path, err)
	}
	defer rows.Close()
	var out []monitor.TimelineEntry
	var last int64 = -1
	for rows.Next() {
		var id, published int64
		if err := rows.Scan(&id, &published); err != nil {
			return nil, err
		}
		if id == last {
			continue // the same story through another report or topic
		}
		last = id
		out = append(out, monitor.TimelineEntry{StoryID: id, Published: fromMillis(published)})
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	return out, rows.Err()
}

// SetRead marks every match of the stories read or unread. A story read
// remembers its sources then: one that gains a source afterwards comes
// back as updated.
func (s *Store) SetRead(ctx context.Context, storyIDs []int64, read bool) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		ids := idsJSON(storyIDs)
		if _, err := tx.ExecContext(ctx, `UPDATE matches SET read = ? WHERE story_id IN (SELECT value FROM json_each(?))`,
			boolInt(read), ids); err != nil {
			return dbError(s.path, err)
		}
		_, err := tx.ExecContext(ctx, `UPDATE stories SET read_sources = CASE WHEN ? THEN sources ELSE 0 END
			WHERE id IN (SELECT value FROM json_each(?))`, read, ids)
		return dbError(s.path, err)
	})
}

// SetStarred stars or unstars the stories (every match of them).
func (s *Store) SetStarred(ctx context.Context, storyIDs []int64, starred bool) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE matches SET starred = ? WHERE story_id IN (SELECT value FROM json_each(?))`,
			boolInt(starred), idsJSON(storyIDs))
		return dbError(s.path, err)
	})
}

// DeleteStories removes the stories' matches: they leave the timeline.
func (s *Store) DeleteStories(ctx context.Context, storyIDs []int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM matches WHERE story_id IN (SELECT value FROM json_each(?))`, idsJSON(storyIDs))
		return dbError(s.path, err)
	})
}

// Counts counts unread and starred stories, and unread stories per topic,
// in one pass over the matches_timeline index (a story's matches are
// adjacent there).
func (s *Store) Counts(ctx context.Context) (monitor.Counts, error) {
	c := monitor.Counts{TopicUnread: map[int64]int{}}
	rows, err := s.db.QueryContext(ctx, `SELECT story_id, read, starred, topic_id FROM matches INDEXED BY matches_timeline
		ORDER BY published, story_id`)
	if err != nil {
		return c, dbError(s.path, err)
	}
	defer rows.Close()
	var last int64 = -1
	var unread, starred bool
	topics := map[int64]bool{} // topics the story is unread in
	flush := func() {
		if unread {
			c.Unread++
		}
		if starred {
			c.Starred++
		}
		for t := range topics {
			c.TopicUnread[t]++
		}
		clear(topics)
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
			topics[topic] = true
		}
	}
	flush()
	return c, rows.Err()
}
