package store

import (
	"context"
	"database/sql"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
)

// Topic volume: every match adds its story to topic_volume once per topic
// (insertMatches), at the story's date — never later than when it was
// matched — and quiet when it is a new feed's backlog or was added by
// applying the topic to the past. The index topic_volume_at answers every
// question of the spikes and the charts with a range of one topic.

// volumeReader reads topic volume inside a transaction or outside.
type volumeReader struct {
	ctx context.Context
	db  interface {
		querier
		QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	}
}

// Arrivals lists a topic's arrivals after since, oldest first.
func (v volumeReader) Arrivals(topicID int64, since time.Time) ([]alert.Arrival, error) {
	rows, err := v.db.QueryContext(v.ctx, `SELECT at, story_id, quiet FROM topic_volume
		WHERE topic_id = ? AND at > ? ORDER BY at`, topicID, toMillis(since))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []alert.Arrival
	for rows.Next() {
		var at int64
		var a alert.Arrival
		if err := rows.Scan(&at, &a.StoryID, &a.Quiet); err != nil {
			return nil, err
		}
		a.At = fromMillis(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// CountArrivals counts a topic's arrivals in [from, to) (none when to is
// zero) and returns its first arrival.
func (v volumeReader) CountArrivals(topicID int64, from, to time.Time) (int, time.Time, error) {
	var n int
	if !to.IsZero() {
		if err := v.db.QueryRowContext(v.ctx, `SELECT count(*) FROM topic_volume WHERE topic_id = ? AND at >= ? AND at < ?`,
			topicID, toMillis(from), toMillis(to)).Scan(&n); err != nil {
			return 0, time.Time{}, err
		}
	}
	var first sql.NullInt64
	if err := v.db.QueryRowContext(v.ctx, `SELECT min(at) FROM topic_volume WHERE topic_id = ?`, topicID).Scan(&first); err != nil {
		return 0, time.Time{}, err
	}
	return n, fromMillis(first.Int64), nil
}

// Arrivals lists a topic's arrivals after since, oldest first.
func (s *Store) Arrivals(ctx context.Context, topicID int64, since time.Time) ([]alert.Arrival, error) {
	out, err := volumeReader{ctx: ctx, db: s.db}.Arrivals(topicID, since)
	return out, dbError(s.path, err)
}

// FeedDates lists the dates of a feed's stories after since, oldest
// first, and its newest story's date (on the index articles_feed_published).
func (s *Store) FeedDates(ctx context.Context, feedID int64, since time.Time) ([]time.Time, time.Time, error) {
	var newest sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT max(published) FROM articles WHERE feed_id = ?`, feedID).Scan(&newest); err != nil {
		return nil, time.Time{}, dbError(s.path, err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT published FROM articles WHERE feed_id = ? AND published > ? ORDER BY published`,
		feedID, toMillis(since))
	if err != nil {
		return nil, time.Time{}, dbError(s.path, err)
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var p int64
		if err := rows.Scan(&p); err != nil {
			return nil, time.Time{}, err
		}
		out = append(out, fromMillis(p))
	}
	return out, fromMillis(newest.Int64), rows.Err()
}

// addVolume notes the stories of newly stored matches in their topics'
// volume.
func addVolume(ctx context.Context, tx *sql.Tx, stored []volumeRow) error {
	if len(stored) == 0 {
		return nil
	}
	st, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO topic_volume (topic_id, story_id, at, quiet) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, r := range stored {
		if _, err := st.ExecContext(ctx, r.topic, r.story, toMillis(r.at), boolInt(r.quiet)); err != nil {
			return err
		}
	}
	return nil
}

// volumeRow is one story of a topic's volume.
type volumeRow struct {
	topic, story int64
	at           time.Time
	quiet        bool
}

// noteNewest keeps the date of a feed's newest story (feeds.newest), so
// that its silence is known without reading its stories.
func (s *Store) noteNewest(ctx context.Context, tx *sql.Tx, r monitor.FetchResult, ids map[string]int64) error {
	var newest int64
	for _, a := range r.Articles {
		if _, ok := ids[a.Key]; ok {
			newest = max(newest, toMillis(a.Published))
		}
	}
	if newest == 0 {
		return nil
	}
	st, err := s.prepared(ctx, tx, `UPDATE feeds SET newest = max(newest, ?) WHERE id = ?`)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, newest, r.Feed.ID)
	return err
}
