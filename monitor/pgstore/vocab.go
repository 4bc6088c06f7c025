package pgstore

import (
	"context"
	"errors"
	"sync"

	"github.com/jackc/pgx/v5"
)

// The vocabulary of *infix backtests. "*krieg*" cannot be looked up in a
// tsvector index; the words of the index that contain "krieg" can. They
// come from a copy of the index's vocabulary (ts_stat over every
// article's tsvector: seconds at a million stories), kept in fts_vocab
// with the oldest transaction its snapshot did not see (fts_vocab_state
// xmin). Articles indexed by that transaction or a later one
// (indexed_xid >= xmin: a superset of what the copy missed) are always
// passed on by backtests, so the copy never loses a match. The copy is
// taken by the first *infix backtest, and again in the background once
// vocabStale articles were indexed after it (before the backtest when
// vocabRebuildNow were).

// maxExpansion is the most words an *infix term is turned into before
// the index is no help for it.
const maxExpansion = 400

const (
	vocabStale      = 5000
	vocabRebuildNow = 50000
)

// vocabCache runs one rebuild at a time in the background.
type vocabCache struct {
	ctx  context.Context // ends with the store
	mu   sync.Mutex
	busy bool
}

// wordsContaining returns the kept words containing sub (up to
// maxExpansion) and the vocabulary's watermark (an xid8 as text).
func (s *Store) wordsContaining(ctx context.Context, sub string) ([]string, string, error) {
	mark, err := s.vocabMark(ctx)
	if err != nil {
		return nil, "", err
	}
	if mark != "" {
		var since int
		if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM articles WHERE indexed_xid >= $1::text::xid8
			LIMIT $2) n`, mark, vocabRebuildNow+1).Scan(&since); err != nil {
			return nil, "", s.explain(err)
		}
		switch {
		case since > vocabRebuildNow:
			mark = ""
		case since > vocabStale:
			s.refreshVocabLater()
		}
	}
	if mark == "" {
		if _, err := s.BuildVocabulary(ctx); err != nil {
			return nil, "", err
		}
		if mark, err = s.vocabMark(ctx); err != nil {
			return nil, "", err
		}
	}
	rows, err := s.pool.Query(ctx, `SELECT word FROM fts_vocab WHERE strpos(word, $1) > 0 LIMIT $2`, sub, maxExpansion+1)
	if err != nil {
		return nil, "", s.explain(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, "", err
		}
		out = append(out, w)
	}
	return out, mark, s.explain(rows.Err())
}

// vocabMark is the kept vocabulary's watermark ("" when there is none).
func (s *Store) vocabMark(ctx context.Context) (string, error) {
	var mark string
	err := s.pool.QueryRow(ctx, `SELECT snapshot_xmin::text FROM fts_vocab_state WHERE id = 1`).Scan(&mark)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return mark, s.explain(err)
}

// BuildVocabulary takes the copy of the index's vocabulary that *infix
// backtests use and keeps it; it returns how many words it holds.
func (s *Store) BuildVocabulary(ctx context.Context) (int, error) {
	var words []string
	var xmin string
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT pg_snapshot_xmin(pg_current_snapshot())::text`).Scan(&xmin); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT word FROM ts_stat('SELECT fts FROM articles')`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var w string
			if err := rows.Scan(&w); err != nil {
				return err
			}
			words = append(words, w)
		}
		return rows.Err()
	})
	if err != nil {
		return 0, s.explain(err)
	}
	err = s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM fts_vocab`); err != nil {
			return err
		}
		rows := make([][]any, len(words))
		for i, w := range words {
			rows[i] = []any{w}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"fts_vocab"}, []string{"word"}, pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO fts_vocab_state (id, snapshot_xmin, words) VALUES (1, $1::text::xid8, $2)
			ON CONFLICT (id) DO UPDATE SET snapshot_xmin = excluded.snapshot_xmin, words = excluded.words`, xmin, len(words))
		return err
	})
	return len(words), err
}

// refreshVocabLater takes the vocabulary again in the background (one
// at a time; Close waits for it).
func (s *Store) refreshVocabLater() {
	s.vocab.mu.Lock()
	if s.vocab.busy {
		s.vocab.mu.Unlock()
		return
	}
	s.vocab.busy = true
	s.vocab.mu.Unlock()
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		defer func() {
			s.vocab.mu.Lock()
			s.vocab.busy = false
			s.vocab.mu.Unlock()
		}()
		_, _ = s.BuildVocabulary(s.vocab.ctx)
	}()
}
