package pgstore

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"codeberg.org/newswatch/newswatch/monitor"
)

// Leases: many pollers, each feed checked once. feed_leases holds each
// feed's next check (due, computed by the engine from the schedule spec)
// and the poller that holds it; pollers holds when each poller was last
// seen, by the database's clock (their own clocks may differ). A poller
// leases due feeds that nobody holds, or whose holder was not seen for
// the timeout, with FOR UPDATE SKIP LOCKED: pollers leasing at once pass
// each other's rows by instead of waiting, and never get the same feed.
// Saving the check completes the lease in the same transaction, after
// making sure it is still the poller's (SaveFetch): a poller that was
// taken for dead and comes back saves nothing for that due time.

// Beat records that owner is alive now.
func (s *Store) Beat(ctx context.Context, owner string) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO pollers (owner, user_name) VALUES ($1, $2)
			ON CONFLICT (owner) DO UPDATE SET seen = now()`, owner, s.user)
		return err
	})
}

// Leave gives owner's leases back and forgets it.
func (s *Store) Leave(ctx context.Context, owner string) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE feed_leases SET owner = '', leased_at = NULL WHERE owner = $1`, owner); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM pollers WHERE owner = $1`, owner)
		return err
	})
}

// ProcessAlive reports whether owner was seen within timeout.
func (s *Store) ProcessAlive(ctx context.Context, owner string, timeout time.Duration) (alive, known bool, err error) {
	err = s.pool.QueryRow(ctx, `SELECT seen > now() - $2::interval FROM pollers WHERE owner = $1`, owner, timeout).Scan(&alive)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, false, nil
	}
	if err != nil {
		return false, false, s.explain(err)
	}
	return alive, true, nil
}

// free is the condition on feed_leases l of a lease nobody live holds
// ($1 is the timeout).
const free = `(l.owner = '' OR NOT EXISTS (SELECT 1 FROM pollers p WHERE p.owner = l.owner
	AND p.seen > now() - $1::interval))`

// LeaseDue leases to owner up to limit enabled feeds due at now.
func (s *Store) LeaseDue(ctx context.Context, owner string, now time.Time, limit int, timeout time.Duration) ([]monitor.Lease, error) {
	return s.lease(ctx, owner, `SELECT l.feed_id FROM feed_leases l JOIN feeds f ON f.id = l.feed_id
		WHERE l.due <= $2 AND f.enabled AND NOT f.gone AND `+free+`
		ORDER BY l.due, l.feed_id LIMIT $3 FOR UPDATE OF l SKIP LOCKED`, timeout, toMillis(now), limit)
}

// LeaseFeeds leases these feeds to owner whatever their due time.
func (s *Store) LeaseFeeds(ctx context.Context, owner string, ids []int64, timeout time.Duration) ([]monitor.Lease, error) {
	return s.lease(ctx, owner, `SELECT l.feed_id FROM feed_leases l
		WHERE l.feed_id = ANY($2) AND (`+free+` OR l.owner = $3)
		ORDER BY l.feed_id FOR UPDATE OF l SKIP LOCKED`, timeout, ids, owner)
}

// lease leases to owner what pick selects with args: a
// SELECT ... FOR UPDATE SKIP LOCKED of its own, whose rows stay locked
// until the transaction commits, then their update. (One UPDATE ... FROM
// the locking subquery may run the subquery again, and take a row that a
// lease committed meanwhile made busy.)
func (s *Store) lease(ctx context.Context, owner, pick string, args ...any) ([]monitor.Lease, error) {
	var out []monitor.Lease
	err := s.tx(ctx, func(tx pgx.Tx) error {
		out = nil
		rows, err := tx.Query(ctx, pick, args...)
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil || len(ids) == 0 {
			return err
		}
		rows, err = tx.Query(ctx, `UPDATE feed_leases SET owner = $1, leased_at = now()
			WHERE feed_id = ANY($2) RETURNING feed_id, due, spec`, owner, ids)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			l := monitor.Lease{Owner: owner}
			var due int64
			if err := rows.Scan(&l.FeedID, &due, &l.Spec); err != nil {
				return err
			}
			l.Due = fromMillis(due)
			out = append(out, l)
		}
		return rows.Err()
	})
	return out, err
}

// ReleaseLease gives a lease back unchecked, due again at due.
func (s *Store) ReleaseLease(ctx context.Context, l monitor.Lease, due time.Time) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE feed_leases SET owner = '', leased_at = NULL, due = $3
			WHERE feed_id = $1 AND owner = $2`, l.FeedID, l.Owner, toMillis(due))
		return err
	})
}

// Leases lists every feed's next check.
func (s *Store) Leases(ctx context.Context) ([]monitor.Lease, error) {
	rows, err := s.pool.Query(ctx, `SELECT feed_id, due, spec, owner FROM feed_leases ORDER BY feed_id`)
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	var out []monitor.Lease
	for rows.Next() {
		var l monitor.Lease
		var due int64
		if err := rows.Scan(&l.FeedID, &due, &l.Spec, &l.Owner); err != nil {
			return nil, err
		}
		l.Due = fromMillis(due)
		out = append(out, l)
	}
	return out, s.explain(rows.Err())
}

// Reschedule makes a feed that is not leased due at due, by spec.
func (s *Store) Reschedule(ctx context.Context, feedID int64, due time.Time, spec string) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE feed_leases SET due = $2, spec = $3 WHERE feed_id = $1 AND owner = ''`,
			feedID, toMillis(due), spec)
		return err
	})
}

// completeLease ends a lease whose check is saved (the lease row is
// locked by SaveFetch) and logs the check.
func completeLease(ctx context.Context, tx pgx.Tx, l *monitor.Lease, at time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE feed_leases SET owner = '', leased_at = NULL, due = $2, spec = $3
		WHERE feed_id = $1`, l.FeedID, toMillis(l.Next), l.NextSpec); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO feed_checks (feed_id, due, owner, at) VALUES ($1, $2, $3, $4)`,
		l.FeedID, toMillis(l.Due), l.Owner, toMillis(at))
	return err
}
