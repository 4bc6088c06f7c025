package pgstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// copyMatches copies the matches (those the team has are kept), the
// alerted ones unnumbered, the pending ones numbered; and the topics'
// volume.
func (c *copier) copyMatches(ctx context.Context) error {
	c.progress("matches")
	if _, err := c.tx.Exec(ctx, `CREATE TEMP TABLE copy_matches (article_id bigint, topic_id bigint, topic_name text,
		hits text, matched_at bigint, backlog boolean, pending boolean, story_id bigint) ON COMMIT DROP`); err != nil {
		return err
	}
	rows, err := c.src.QueryContext(ctx, `SELECT m.article_id, m.topic_id, m.topic_name, m.hits, m.matched_at, m.backlog,
		m.alert_id IS NULL, m.story_id FROM matches m ORDER BY m.id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	_, err = c.tx.CopyFrom(ctx, pgx.Identifier{"copy_matches"}, []string{"article_id", "topic_id", "topic_name", "hits",
		"matched_at", "backlog", "pending", "story_id"}, pgx.CopyFromFunc(func() ([]any, error) {
		for rows.Next() {
			var aid, tid, at, sid int64
			var name, hits string
			var backlog, pending bool
			if err := rows.Scan(&aid, &tid, &name, &hits, &at, &backlog, &pending, &sid); err != nil {
				return nil, err
			}
			a, okA := c.articles[aid]
			t, okT := c.topics[tid]
			if !okA || !okT {
				continue
			}
			return []any{a, t, name, hits, at, backlog, pending, c.stories[sid]}, nil
		}
		return nil, rows.Err()
	}))
	if err != nil {
		return fmt.Errorf("copy matches: %w", err)
	}
	tag, err := c.tx.Exec(ctx, `INSERT INTO matches (article_id, topic_id, topic_name, hits, matched_at, backlog, seq, story_id)
		SELECT article_id, topic_id, topic_name, hits, matched_at, backlog,
			CASE WHEN pending THEN nextval('event_seq') END, coalesce(story_id, 0)
		FROM copy_matches ORDER BY pending, article_id ON CONFLICT (article_id, topic_id) DO NOTHING`)
	if err != nil {
		return fmt.Errorf("copy matches: %w", err)
	}
	c.st.Matches = int(tag.RowsAffected())
	return c.each(ctx, `SELECT topic_id, story_id, at, quiet FROM topic_volume`, func(rows *sql.Rows) error {
		var tid, sid, at int64
		var quiet bool
		if err := rows.Scan(&tid, &sid, &at, &quiet); err != nil {
			return err
		}
		story, ok := c.stories[sid]
		if !ok {
			story, ok = c.articles[sid] // a match kept out of stories counted by its article
		}
		t, okT := c.topics[tid]
		if !ok || !okT {
			return nil
		}
		_, err := c.tx.Exec(ctx, `INSERT INTO topic_volume (topic_id, story_id, at, quiet) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING`, t, story, at, quiet)
		return err
	})
}

// copyState copies the analyst's read and starred stories.
func (c *copier) copyState(ctx context.Context) error {
	c.progress("read and starred")
	return c.each(ctx, `SELECT m.story_id, min(m.read), max(m.starred), coalesce(s.read_sources, 0), coalesce(s.sources, 0)
		FROM matches m LEFT JOIN stories s ON s.id = m.story_id WHERE m.story_id <> 0 GROUP BY m.story_id`, func(rows *sql.Rows) error {
		var sid, readSources, sources int64
		var read, starred bool
		if err := rows.Scan(&sid, &read, &starred, &readSources, &sources); err != nil {
			return err
		}
		story, ok := c.stories[sid]
		if !ok || (!read && !starred && readSources == 0) {
			return nil
		}
		if read && readSources == 0 {
			readSources = sources
		}
		_, err := c.tx.Exec(ctx, `INSERT INTO story_state (user_name, story_id, read_sources, starred) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_name, story_id) DO UPDATE SET read_sources = excluded.read_sources, starred = excluded.starred`,
			c.s.user, story, readSources, starred)
		return err
	})
}

// copyAlerts copies the analyst's alert history, its summaries and
// stories renumbered.
func (c *copier) copyAlerts(ctx context.Context) error {
	c.progress("alert history")
	type row struct {
		id, at, topic, feed, due, summary int64
		kind, topicName, feedName         string
		coverage, priority, title, body   string
		stories, sound, status, reason    string
		urgency                           int
	}
	var all []row
	err := c.each(ctx, `SELECT id, at, kind, topic_id, topic_name, feed_id, feed_name, coverage, priority, title, body,
		stories, urgency, sound, status, reason, due, summary_id FROM alert_history ORDER BY id`, func(rows *sql.Rows) error {
		var r row
		if err := rows.Scan(&r.id, &r.at, &r.kind, &r.topic, &r.topicName, &r.feed, &r.feedName, &r.coverage, &r.priority,
			&r.title, &r.body, &r.stories, &r.urgency, &r.sound, &r.status, &r.reason, &r.due, &r.summary); err != nil {
			return err
		}
		all = append(all, r)
		return nil
	})
	if err != nil || len(all) == 0 {
		return err
	}
	// The analyst's entries the team database has (an earlier copy of
	// the same database) are kept, not copied twice.
	have := map[string]int64{}
	rows, err := c.tx.Query(ctx, `SELECT id, at, kind, title, body FROM alert_history WHERE user_name = $1`, c.s.user)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, at int64
		var kind, title, body string
		if err := rows.Scan(&id, &at, &kind, &title, &body); err != nil {
			rows.Close()
			return err
		}
		have[fmt.Sprint(at, "\x00", kind, "\x00", title, "\x00", body)] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	newID := make(map[int64]int64, len(all))
	fresh := all[:0]
	for _, r := range all {
		if id, ok := have[fmt.Sprint(r.at, "\x00", r.kind, "\x00", r.title, "\x00", r.body)]; ok {
			newID[r.id] = id
			continue
		}
		fresh = append(fresh, r)
	}
	all = fresh
	ids, err := c.ids(ctx, "alert_history", len(all))
	if err != nil {
		return err
	}
	for i, r := range all {
		newID[r.id] = ids[i]
	}
	i := 0
	_, err = c.tx.CopyFrom(ctx, pgx.Identifier{"alert_history"}, []string{"id", "user_name", "at", "kind", "topic_id",
		"topic_name", "feed_id", "feed_name", "coverage", "priority", "title", "body", "stories", "urgency", "sound", "status",
		"reason", "due", "summary_id"}, pgx.CopyFromFunc(func() ([]any, error) {
		if i == len(all) {
			return nil, nil
		}
		r := all[i]
		i++
		var stories []int64
		_ = json.Unmarshal([]byte(r.stories), &stories)
		for j, id := range stories {
			if to, ok := c.stories[id]; ok {
				stories[j] = to
			}
		}
		js, _ := json.Marshal(nonNilIDs(stories))
		return []any{newID[r.id], c.s.user, r.at, r.kind, c.topics[r.topic], r.topicName, c.feeds[r.feed], r.feedName,
			r.coverage, r.priority, r.title, r.body, string(js), r.urgency, r.sound, r.status, r.reason, r.due,
			newID[r.summary]}, nil
	}))
	c.st.Alerts = len(all)
	return err
}
