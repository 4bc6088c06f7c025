package pgstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"codeberg.org/newswatch/newswatch/monitor"
)

// Copying an analyst's SQLite database into the team database (newswatch
// migrate): feeds, topics, stories with their reports, matches, the
// analyst's read and starred state, alert history and alert state, topic
// volume and settings. What the team database has already is kept and
// joined: a feed by its address, a topic of the team by its name, an
// article by its key in its feed or its link (its story is then the
// team's story, which gains the analyst's other reports). The topics
// become the team's. Matches that were alerted in SQLite are copied
// unnumbered (no colleague is alerted of the past); those still pending
// are numbered and alerted as new. It runs in one transaction under the
// writer lock: all of it is copied, or nothing. Copying the same database
// again is idempotent: everything is found and joined, the analyst's
// alert history entries too, and nothing is added twice.

// CopyStats says what a copy added.
type CopyStats struct {
	Feeds, Topics, Articles, Stories, Matches, Alerts int
	// Joined counts articles the team database had already.
	Joined int
}

// CopyFromSQLite copies the SQLite database src (monitor/store's, at its
// schema) into the store, for the store's user. progress, when set, is
// told what is being copied.
func (s *Store) CopyFromSQLite(ctx context.Context, src *sql.DB, progress func(what string)) (CopyStats, error) {
	if progress == nil {
		progress = func(string) {}
	}
	var st CopyStats
	err := s.writeTx(ctx, func(tx pgx.Tx, w *writer) error {
		st = CopyStats{}
		if err := w.lock(ctx); err != nil {
			return err
		}
		c := &copier{s: s, tx: tx, w: w, src: src, st: &st, progress: progress,
			feeds: map[int64]int64{}, topics: map[int64]int64{}, articles: map[int64]int64{}, stories: map[int64]int64{}}
		for _, step := range []func(ctx context.Context) error{
			c.settings, c.copyFeeds, c.copyTopics, c.copyArticles, c.copyMatches, c.copyState, c.copyAlerts, c.finish,
		} {
			if err := step(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return CopyStats{}, err
	}
	s.storyMu.Lock()
	s.window.invalidate()
	s.storyMu.Unlock()
	return st, nil
}

// copier is one copy's state: the IDs of the source's rows in the team
// database.
type copier struct {
	s        *Store
	tx       pgx.Tx
	w        *writer
	src      *sql.DB
	st       *CopyStats
	progress func(string)

	feeds, topics, articles, stories map[int64]int64
	newArticles                      map[int64]bool // source IDs of the articles copied (not joined)
	touched                          []int64        // team stories that gained reports
}

// each runs q on the source and calls fn for each row.
func (c *copier) each(ctx context.Context, q string, fn func(rows *sql.Rows) error) error {
	rows, err := c.src.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("read the SQLite database: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ids takes n values of a table's identity sequence.
func (c *copier) ids(ctx context.Context, table string, n int) ([]int64, error) {
	if n == 0 {
		return nil, nil
	}
	rows, err := c.tx.Query(ctx, `SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)`, table, n)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// settings copies the team's settings the team database does not have
// yet, and the analyst's own.
func (c *copier) settings(ctx context.Context) error {
	c.progress("settings")
	return c.each(ctx, `SELECT key, value FROM settings WHERE key <> 'story_gen'`, func(rows *sql.Rows) error {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return err
		}
		var err error
		if monitor.PersonalSetting(k) {
			_, err = c.tx.Exec(ctx, `INSERT INTO user_settings (user_name, key, value) VALUES ($1, $2, $3)
				ON CONFLICT (user_name, key) DO UPDATE SET value = excluded.value`, c.s.user, k, v)
		} else {
			_, err = c.tx.Exec(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING`, k, v)
		}
		return err
	})
}

// copyFeeds copies the feeds, joining those the team has by address;
// the analyst's coverage state goes along.
func (c *copier) copyFeeds(ctx context.Context) error {
	c.progress("feeds")
	return c.each(ctx, `SELECT id, url, name, title, site_url, schedule, enabled, added, etag, last_modified, last_fetch,
		last_success, last_error, last_error_msg, failures, retry_at, gone, item_count, listed_at, full_text, teasers,
		pages_note, coverage_alerts, failing_since, newest, coverage, coverage_since FROM feeds ORDER BY id`, func(rows *sql.Rows) error {
		var id, added, lastFetch, lastSuccess, retryAt, listedAt, failingSince, newest, coverageSince int64
		var url, name, title, site, schedule, etag, lastMod, lastErr, lastErrMsg, fullText, note, coverage string
		var enabled, gone, teasers, coverageAlerts bool
		var failures, items int
		if err := rows.Scan(&id, &url, &name, &title, &site, &schedule, &enabled, &added, &etag, &lastMod, &lastFetch,
			&lastSuccess, &lastErr, &lastErrMsg, &failures, &retryAt, &gone, &items, &listedAt, &fullText, &teasers,
			&note, &coverageAlerts, &failingSince, &newest, &coverage, &coverageSince); err != nil {
			return err
		}
		var to int64
		err := c.tx.QueryRow(ctx, `SELECT id FROM feeds WHERE url = $1`, url).Scan(&to)
		if err == pgx.ErrNoRows {
			if err := c.tx.QueryRow(ctx, `INSERT INTO feeds (url, name, title, site_url, schedule, enabled, added, etag,
				last_modified, last_fetch, last_success, last_error, last_error_msg, failures, retry_at, gone, item_count,
				listed_at, full_text, teasers, pages_note, coverage_alerts, failing_since, newest)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
				RETURNING id`, url, name, title, site, schedule, enabled, added, etag, lastMod, lastFetch, lastSuccess, lastErr,
				lastErrMsg, failures, retryAt, gone, items, listedAt, fullText, teasers, note, coverageAlerts, failingSince,
				newest).Scan(&to); err != nil {
				return fmt.Errorf("copy feed %s: %w", url, err)
			}
			if _, err := c.tx.Exec(ctx, `INSERT INTO feed_leases (feed_id) VALUES ($1)`, to); err != nil {
				return err
			}
			c.st.Feeds++
		} else if err != nil {
			return err
		}
		c.feeds[id] = to
		if coverage == "" {
			return nil
		}
		_, err = c.tx.Exec(ctx, `INSERT INTO feed_coverage (user_name, feed_id, coverage, since) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_name, feed_id) DO UPDATE SET coverage = excluded.coverage, since = excluded.since`,
			c.s.user, to, coverage, coverageSince)
		return err
	})
}

// copyTopics copies the topics as the team's, joining those the team
// has by name; the analyst's alert state of each goes along.
func (c *copier) copyTopics(ctx context.Context) error {
	c.progress("topics")
	err := c.each(ctx, `SELECT id, name, query, enabled, notify, color, created, escalate, escalate_sources, escalate_minutes,
		priority, delivery, spikes FROM topics ORDER BY id`, func(rows *sql.Rows) error {
		var id, created int64
		var name, query, color, priority, delivery string
		var enabled, notify, escalate, spikes bool
		var sources, minutes int
		if err := rows.Scan(&id, &name, &query, &enabled, &notify, &color, &created, &escalate, &sources, &minutes,
			&priority, &delivery, &spikes); err != nil {
			return err
		}
		var to int64
		err := c.tx.QueryRow(ctx, `SELECT id FROM topics WHERE owner = '' AND lower(name) = lower($1)`, name).Scan(&to)
		if err == pgx.ErrNoRows {
			if err := c.tx.QueryRow(ctx, `INSERT INTO topics (name, query, enabled, notify, color, created, escalate,
				escalate_sources, escalate_minutes, priority, delivery, spikes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
				RETURNING id`, name, query, enabled, notify, color, created, escalate, sources, minutes, priority, delivery,
				spikes).Scan(&to); err != nil {
				return fmt.Errorf("copy topic %s: %w", name, err)
			}
			c.st.Topics++
		} else if err != nil {
			return err
		}
		c.topics[id] = to
		return nil
	})
	if err != nil {
		return err
	}
	return c.each(ctx, `SELECT topic_id, last_shown, spike_at, significant FROM topic_alerts`, func(rows *sql.Rows) error {
		var topic, shown, spike, sig int64
		if err := rows.Scan(&topic, &shown, &spike, &sig); err != nil {
			return err
		}
		_, err := c.tx.Exec(ctx, `INSERT INTO topic_alerts (user_name, topic_id, last_shown, spike_at, significant)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_name, topic_id) DO UPDATE SET last_shown = excluded.last_shown,
			spike_at = excluded.spike_at, significant = excluded.significant`, c.s.user, c.topics[topic], shown, spike, sig)
		return err
	})
}

// finish brings the stories that gained reports up to date, and the
// matches' story dates; every process loads its story window anew.
func (c *copier) finish(ctx context.Context) error {
	c.progress("stories")
	if err := recountStories(ctx, c.tx, c.touched); err != nil {
		return err
	}
	if _, err := c.tx.Exec(ctx, `UPDATE matches m SET published = st.last_seen FROM stories st
		WHERE st.id = m.story_id AND m.published <> st.last_seen`); err != nil {
		return err
	}
	if _, err := c.tx.Exec(ctx, `INSERT INTO settings (key, value) VALUES ('story_gen', $1)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, fmt.Sprint(time.Now().UnixNano())); err != nil {
		return err
	}
	_, err := c.tx.Exec(ctx, `ANALYZE`)
	return err
}
