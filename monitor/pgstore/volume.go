package pgstore

import (
	"context"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/alert"
)

// Topic volume is the team's: every match adds its story to topic_volume
// once per topic (insertMatches), as in the SQLite store.

// volumeReader reads topic volume inside a transaction or outside.
type volumeReader struct {
	ctx context.Context
	db  querier
}

// Arrivals lists a topic's arrivals after since, oldest first.
func (v volumeReader) Arrivals(topicID int64, since time.Time) ([]alert.Arrival, error) {
	rows, err := v.db.Query(v.ctx, `SELECT at, story_id, quiet FROM topic_volume
		WHERE topic_id = $1 AND at > $2 ORDER BY at`, topicID, toMillis(since))
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
		if err := v.db.QueryRow(v.ctx, `SELECT count(*) FROM topic_volume WHERE topic_id = $1 AND at >= $2 AND at < $3`,
			topicID, toMillis(from), toMillis(to)).Scan(&n); err != nil {
			return 0, time.Time{}, err
		}
	}
	var first *int64
	if err := v.db.QueryRow(v.ctx, `SELECT min(at) FROM topic_volume WHERE topic_id = $1`, topicID).Scan(&first); err != nil {
		return 0, time.Time{}, err
	}
	if first == nil {
		return n, time.Time{}, nil
	}
	return n, fromMillis(*first), nil
}

// Arrivals lists a topic's arrivals after since, oldest first.
func (s *Store) Arrivals(ctx context.Context, topicID int64, since time.Time) ([]alert.Arrival, error) {
	out, err := volumeReader{ctx: ctx, db: s.pool}.Arrivals(topicID, since)
	return out, s.explain(err)
}

// FeedDates lists the dates of a feed's stories after since, oldest
// first, and its newest story's date.
func (s *Store) FeedDates(ctx context.Context, feedID int64, since time.Time) ([]time.Time, time.Time, error) {
	var newest *int64
	if err := s.pool.QueryRow(ctx, `SELECT max(published) FROM articles WHERE feed_id = $1`, feedID).Scan(&newest); err != nil {
		return nil, time.Time{}, s.explain(err)
	}
	rows, err := s.pool.Query(ctx, `SELECT published FROM articles WHERE feed_id = $1 AND published > $2 ORDER BY published`,
		feedID, toMillis(since))
	if err != nil {
		return nil, time.Time{}, s.explain(err)
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
	var n time.Time
	if newest != nil {
		n = fromMillis(*newest)
	}
	return out, n, s.explain(rows.Err())
}
