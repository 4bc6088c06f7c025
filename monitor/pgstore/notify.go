package pgstore

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// Live updates. Every transaction that numbers matches or developing
// stories sends NOTIFY newswatch_matches with the newest number when it
// commits (writer.go); PostgreSQL delivers notifications in commit
// order, and only of committed transactions. A desktop LISTENs on a
// connection of its own and, told a number, claims what is new since its
// own place (claim.go): the notification carries no data, so one that is
// lost (the desktop was offline, the connection broke) loses nothing —
// the next claim takes everything after the user's place.

// listenRetry is how long Listen waits before connecting again.
const listenRetry = 2 * time.Second

// Listen calls fn with the number of each notification until ctx ends;
// with 0 once it listens (at start, and again after a lost connection),
// so the caller catches up on what was stored meanwhile.
func (s *Store) Listen(ctx context.Context, fn func(seq int64)) error {
	for ctx.Err() == nil {
		err := s.listenOnce(ctx, fn)
		if ctx.Err() != nil {
			break
		}
		_ = err // the connection broke: connect again
		select {
		case <-ctx.Done():
		case <-time.After(listenRetry):
		}
	}
	return nil
}

func (s *Store) listenOnce(ctx context.Context, fn func(seq int64)) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// The connection is LISTENing: it never goes back to the pool.
	pc := conn.Hijack()
	defer pc.Close(context.Background())
	if _, err := pc.Exec(ctx, `LISTEN `+pgx.Identifier{channel}.Sanitize()); err != nil {
		return err
	}
	fn(0)
	for {
		n, err := pc.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		seq, _ := strconv.ParseInt(n.Payload, 10, 64)
		fn(seq)
	}
}
