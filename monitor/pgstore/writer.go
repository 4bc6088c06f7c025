package pgstore

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// The writer lock. Stories are assigned against the candidate window as
// it stands, and the numbers that claims follow (event_seq) must grow in
// commit order; so every transaction that assigns stories, adds matches
// or developing stories, or deletes articles takes one advisory lock
// (pg_advisory_xact_lock, released at commit) for that part of its work.
// Rows it touches before (feed state, articles, listed marks) are written
// without it, so pollers insert articles in parallel. Taken while the
// transaction holds the lock, storyMu is never waited for long: it only
// hands this process's window from one goroutine to the next.

// channel is the LISTEN/NOTIFY channel of new matches; the payload is
// the newest match's number.
const channel = "newswatch_matches"

// writer is one write transaction's part in the writer lock.
type writer struct {
	s      *Store
	tx     pgx.Tx
	locked bool
	notify int64 // the newest match numbered, to NOTIFY at commit
}

// lock takes the writer lock (once).
func (w *writer) lock(ctx context.Context) error {
	if w.locked {
		return nil
	}
	if _, err := w.tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockWriter); err != nil {
		return err
	}
	w.s.storyMu.Lock()
	w.locked = true
	return nil
}

// nextSeq numbers an event (the writer lock is held).
func (w *writer) nextSeq(ctx context.Context) (int64, error) {
	var seq int64
	err := w.tx.QueryRow(ctx, `SELECT nextval('event_seq')`).Scan(&seq)
	return seq, err
}

// writeTx runs fn in a write transaction, as tx does (run again after a
// deadlock), with the writer lock for fn to take; the desktops are
// notified of the matches it numbered when it commits. A transaction that
// fails after taking the lock leaves this process's window to be loaded
// anew.
func (s *Store) writeTx(ctx context.Context, fn func(tx pgx.Tx, w *writer) error) error {
	if err := s.begin(); err != nil {
		return err
	}
	defer s.ops.Done()
	for attempt := 0; ; attempt++ {
		w := &writer{s: s}
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			w.tx = tx
			if err := fn(tx, w); err != nil {
				return err
			}
			if w.notify > 0 {
				_, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, channel, strconv.FormatInt(w.notify, 10))
				return err
			}
			return nil
		})
		if w.locked {
			if err != nil {
				s.window.invalidate()
			}
			s.storyMu.Unlock()
		}
		if err == nil {
			return nil
		}
		if retryable(err) && attempt < 8 && ctx.Err() == nil {
			time.Sleep(time.Duration(attempt+1) * 20 * time.Millisecond)
			continue
		}
		return s.explain(err)
	}
}
