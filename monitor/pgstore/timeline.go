package pgstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// Each user's timeline: the stories with matches of the topics they see
// (the team's and their own, or only their own with MineOnly), less those
// they deleted, read and starred by their own story_state. A story is
// read while its read_sources is set and it has no more sources than
// that; one that gains a source comes back unread and "updated", as in
// the SQLite store.

// timelineFrom joins a match m with its topic t, story st and the
// user's state ss ($1 is the user); timelineWhere keeps what the user
// sees.
const timelineFrom = ` FROM matches m JOIN topics t ON t.id = m.topic_id JOIN stories st ON st.id = m.story_id
	LEFT JOIN story_state ss ON ss.story_id = m.story_id AND ss.user_name = $1`

// unreadCond is true for a match of a story the user has not read.
const unreadCond = `NOT (coalesce(ss.read_sources, 0) > 0 AND ss.read_sources >= st.sources)`

// visible is the condition on t of the topics the user sees.
func (s *Store) visible() string {
	if s.mineOnly.Load() {
		return `t.owner = $1`
	}
	return `t.owner IN ('', $1)`
}

// filterConds turns a filter into conditions on the timeline's join;
// args starts with the user.
func (s *Store) filterConds(f monitor.Filter) ([]string, []any) {
	conds := []string{s.visible(), `NOT coalesce(ss.hidden, false)`}
	args := []any{s.user}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.TopicID != 0 {
		conds = append(conds, "m.topic_id = "+arg(f.TopicID))
	}
	if f.Unread {
		conds = append(conds, unreadCond)
	}
	if f.Starred {
		conds = append(conds, "coalesce(ss.starred, false)")
	}
	if search := strings.TrimSpace(f.Search); search != "" {
		tsq, all := "", true
		if expr := query.SearchExpr(search); expr != "" {
			tsq, all = tsQuery(expr)
		}
		if all || tsq == "" {
			conds = append(conds, "false") // searched for nothing findable
		} else {
			conds = append(conds, `m.story_id IN (SELECT r.story_id FROM reports r JOIN articles a ON a.id = r.article_id
				WHERE a.fts @@ to_tsquery('newswatch', `+arg(tsq)+`))`)
		}
	}
	if f.StoryIDs != nil {
		conds = append(conds, "m.story_id = ANY("+arg(f.StoryIDs)+")")
	}
	if !f.Since.IsZero() {
		conds = append(conds, "m.published >= "+arg(toMillis(f.Since)))
	}
	if !f.Until.IsZero() {
		conds = append(conds, "m.published < "+arg(toMillis(f.Until)))
	}
	return conds, args
}

// Timeline lists the stories the filter selects, newest first.
func (s *Store) Timeline(ctx context.Context, f monitor.Filter) ([]monitor.TimelineEntry, error) {
	conds, args := s.filterConds(f)
	q := `SELECT m.story_id, max(m.published)` + timelineFrom + ` WHERE ` + strings.Join(conds, " AND ") +
		` GROUP BY m.story_id ORDER BY max(m.published) DESC, m.story_id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	var out []monitor.TimelineEntry
	for rows.Next() {
		var id, published int64
		if err := rows.Scan(&id, &published); err != nil {
			return nil, err
		}
		out = append(out, monitor.TimelineEntry{StoryID: id, Published: fromMillis(published)})
	}
	return out, s.explain(rows.Err())
}

// SetRead marks the stories read or unread for the user. A story read
// remembers its sources: one that gains a source afterwards comes back
// as updated.
func (s *Store) SetRead(ctx context.Context, storyIDs []int64, read bool) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO story_state (user_name, story_id, read_sources)
			SELECT $1, id, CASE WHEN $3 THEN sources ELSE 0 END FROM stories WHERE id = ANY($2)
			ON CONFLICT (user_name, story_id) DO UPDATE SET read_sources = excluded.read_sources`, s.user, storyIDs, read)
		return err
	})
}

// SetStarred stars or unstars the stories for the user.
func (s *Store) SetStarred(ctx context.Context, storyIDs []int64, starred bool) error {
	return s.setState(ctx, storyIDs, "starred", starred)
}

// DeleteStories removes the stories from the user's timeline (a new
// match brings a story back, as it does in the SQLite store).
func (s *Store) DeleteStories(ctx context.Context, storyIDs []int64) error {
	return s.setState(ctx, storyIDs, "hidden", true)
}

func (s *Store) setState(ctx context.Context, storyIDs []int64, column string, v bool) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO story_state (user_name, story_id, `+column+`)
			SELECT $1, id, $3 FROM stories WHERE id = ANY($2)
			ON CONFLICT (user_name, story_id) DO UPDATE SET `+column+` = excluded.`+column, s.user, storyIDs, v)
		return err
	})
}

// Counts counts the user's unread and starred stories, and unread
// stories per topic.
func (s *Store) Counts(ctx context.Context) (monitor.Counts, error) {
	c := monitor.Counts{TopicUnread: map[int64]int{}}
	rows, err := s.pool.Query(ctx, `WITH v AS (SELECT m.story_id, m.topic_id, `+unreadCond+` AS unread,
			coalesce(ss.starred, false) AS starred`+timelineFrom+`
			WHERE `+s.visible()+` AND NOT coalesce(ss.hidden, false))
		SELECT GROUPING(topic_id), coalesce(topic_id, 0), count(DISTINCT story_id) FILTER (WHERE unread),
			count(DISTINCT story_id) FILTER (WHERE starred)
		FROM v GROUP BY GROUPING SETS ((topic_id), ())`, s.user)
	if err != nil {
		return c, s.explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var total int
		var topic int64
		var unread, starred int
		if err := rows.Scan(&total, &topic, &unread, &starred); err != nil {
			return c, err
		}
		if total == 1 {
			c.Unread, c.Starred = unread, starred
		} else if unread > 0 {
			c.TopicUnread[topic] = unread
		}
	}
	return c, s.explain(rows.Err())
}
