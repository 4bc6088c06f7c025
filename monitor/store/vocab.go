package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// maxExpansion is the most indexed words an *infix term is turned into
// before the index is no help for it.
const maxExpansion = 400

// vocabulary is a copy of the index's distinct words, and the newest
// article it covers.
type vocabulary struct {
	words     []string
	watermark int64
}

// vocabStale is how many articles may arrive after the copy was taken
// before it is taken again (they are scanned in full until then); past
// vocabRebuildNow, a backtest takes the copy again before it runs.
const (
	vocabStale      = 5000
	vocabRebuildNow = 50000
)

// The vocabulary copy is kept in the database (fts_vocab, with the newest
// article it covers in fts_vocab_state), so only the first *infix
// backtest on a database waits for it; afterwards it is loaded in
// milliseconds, and taken again in the background when vocabStale newer
// articles were stored (see noteInserted). A database on which nobody
// ever used *infix pays nothing.

// wordsContaining returns the indexed words containing sub (up to
// maxExpansion) and the newest article the vocabulary copy covers.
func (s *Store) wordsContaining(ctx context.Context, sub string) ([]string, int64, error) {
	var newest int64
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM articles`).Scan(&newest); err != nil {
		return nil, 0, dbError(s.path, err)
	}
	s.vocabMu.Lock()
	defer s.vocabMu.Unlock()
	v := s.vocab
	if v == nil || newest < v.watermark || newest-v.watermark > vocabStale {
		loaded, err := s.loadVocab(ctx)
		if err != nil {
			return nil, 0, err
		}
		if loaded != nil && (v == nil || loaded.watermark > v.watermark) {
			v = loaded
		}
	}
	switch {
	case v == nil || newest < v.watermark || newest-v.watermark > vocabRebuildNow:
		built, err := s.buildVocab(ctx)
		if err != nil {
			return nil, 0, err
		}
		v = built
	case newest-v.watermark > vocabStale:
		s.refreshVocabLater()
	}
	s.vocab = v
	var out []string
	for _, w := range v.words {
		if strings.Contains(w, sub) {
			out = append(out, w)
			if len(out) >= maxExpansion {
				break
			}
		}
	}
	return out, v.watermark, nil
}

// loadVocab reads the kept vocabulary; nil when there is none.
func (s *Store) loadVocab(ctx context.Context) (*vocabulary, error) {
	v := &vocabulary{}
	err := s.db.QueryRowContext(ctx, `SELECT watermark FROM fts_vocab_state WHERE id = 1`).Scan(&v.watermark)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, dbError(s.path, err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT word FROM fts_vocab`)
	if err != nil {
		return nil, dbError(s.path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, err
		}
		v.words = append(v.words, w)
	}
	s.vocabMark.Store(v.watermark)
	return v, rows.Err()
}

// buildVocab copies the index's vocabulary (one read transaction: the
// words and the newest article they cover agree) and keeps it.
func (s *Store) buildVocab(ctx context.Context) (*vocabulary, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, dbError(s.path, err)
	}
	defer tx.Rollback()
	v := &vocabulary{}
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM articles`).Scan(&v.watermark); err != nil {
		return nil, dbError(s.path, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT term FROM articles_fts_words`)
	if err != nil {
		return nil, dbError(s.path, err)
	}
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			rows.Close()
			return nil, err
		}
		v.words = append(v.words, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	tx.Rollback()
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM fts_vocab`); err != nil {
			return err
		}
		st, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO fts_vocab (word) VALUES (?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, w := range v.words {
			if _, err := st.ExecContext(ctx, w); err != nil {
				return err
			}
		}
		// Articles pruned meanwhile may have lowered the newest ID (and
		// SQLite gives a new article the next free one): see Prune.
		_, err = tx.ExecContext(ctx, `INSERT INTO fts_vocab_state (id, watermark) VALUES (1, ?)
			ON CONFLICT (id) DO UPDATE SET watermark = excluded.watermark`, v.watermark)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.vocabMark.Store(v.watermark)
	return v, nil
}

// BuildVocabulary takes the copy of the index's vocabulary that *infix
// backtests use now and keeps it (what the first such backtest on a
// database does). It returns how many words it holds.
func (s *Store) BuildVocabulary(ctx context.Context) (int, error) {
	v, err := s.buildVocab(ctx)
	if err != nil {
		return 0, err
	}
	s.vocabMu.Lock()
	s.vocab = v
	s.vocabMu.Unlock()
	return len(v.words), nil
}

// refreshVocabLater takes the vocabulary copy again in the background
// (one at a time; Close waits for it).
func (s *Store) refreshVocabLater() {
	if !s.vocabBusy.CompareAndSwap(false, true) {
		return
	}
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		defer s.vocabBusy.Store(false)
		v, err := s.buildVocab(s.bgCtx)
		if err != nil {
			return // the next backtest tries again
		}
		s.vocabMu.Lock()
		if s.vocab == nil || v.watermark > s.vocab.watermark {
			s.vocab = v
		}
		s.vocabMu.Unlock()
	}()
}

// noteInserted is told the newest article a write stored; when a kept
// vocabulary lags vocabStale articles behind, it is taken again.
func (s *Store) noteInserted(newest int64) {
	if mark := s.vocabMark.Load(); mark >= 0 && newest-mark > vocabStale {
		s.refreshVocabLater()
	}
}
