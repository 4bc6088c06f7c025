package store

import (
	"context"
	"database/sql"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
)

// MarkReading records that owner (a process) is reading the feed's body
// now. SaveFetch of a result with its ReadMark clears it.
func (s *Store) MarkReading(ctx context.Context, feedID int64, owner string, at time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO reading (feed_id, owner, since) VALUES (?, ?, ?)
			ON CONFLICT (feed_id, owner) DO UPDATE SET since = excluded.since`, feedID, owner, toMillis(at))
		return err
	})
}

// ReleaseReading clears owner's mark on the feed and reports whether
// there was one: of two processes that find the same mark, one releases it.
func (s *Store) ReleaseReading(ctx context.Context, feedID int64, owner string) (bool, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM reading WHERE feed_id = ? AND owner = ?`, feedID, owner)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n > 0, err
}

// Readings lists every mark.
func (s *Store) Readings(ctx context.Context) ([]monitor.ReadMark, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT feed_id, owner, since FROM reading ORDER BY since`)
	if err != nil {
		return nil, dbError(s.path, err)
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
	return out, rows.Err()
}

// clearReading removes owner's mark on the feed inside tx.
func (s *Store) clearReading(ctx context.Context, tx *sql.Tx, feedID int64, owner string) error {
	st, err := s.prepared(ctx, tx, `DELETE FROM reading WHERE feed_id = ? AND owner = ?`)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, feedID, owner)
	return err
}
