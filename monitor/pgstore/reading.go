package pgstore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"codeberg.org/newswatch/newswatch/monitor"
)

// MarkReading records that owner (a process) is reading the feed's body
// now (see monitor's crash marks).
func (s *Store) MarkReading(ctx context.Context, feedID int64, owner string, at time.Time) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO reading (feed_id, owner, since) VALUES ($1, $2, $3)
			ON CONFLICT (feed_id, owner) DO UPDATE SET since = excluded.since`, feedID, owner, toMillis(at))
		return err
	})
}

// ReleaseReading clears owner's mark on the feed and reports whether
// there was one: of two processes that find the same mark, one releases it.
func (s *Store) ReleaseReading(ctx context.Context, feedID int64, owner string) (bool, error) {
	var n int64
	err := s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM reading WHERE feed_id = $1 AND owner = $2`, feedID, owner)
		n = tag.RowsAffected()
		return err
	})
	return n > 0, err
}

// Readings lists every mark.
func (s *Store) Readings(ctx context.Context) ([]monitor.ReadMark, error) {
	rows, err := s.pool.Query(ctx, `SELECT feed_id, owner, since FROM reading ORDER BY since`)
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	var out []monitor.ReadMark
	for rows.Next() {
		var m monitor.ReadMark
		var since int64
		if err := rows.Scan(&m.FeedID, &m.Owner, &since); err != nil {
			return nil, err
		}
		m.Since = fromMillis(since)
		out = append(out, m)
	}
	return out, s.explain(rows.Err())
}
