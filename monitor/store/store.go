// Package store keeps Newswatch's data in one SQLite database (through the
// pure-Go modernc.org/sqlite) in WAL mode, so the desktop app and the
// command line can share it. The schema is versioned with PRAGMA
// user_version and migrated forward on open; a database from a newer
// Newswatch is refused untouched.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// FileName is the database file inside the data directory.
const FileName = "newswatch.db"

// Store is the SQLite implementation of monitor.Store.
type Store struct {
	db   *sql.DB
	path string
	// writeMu serializes this process's write transactions; other
	// processes are waited for by SQLite's busy timeout.
	writeMu sync.Mutex
	// pending are fetches waiting to be saved together (see SaveFetch).
	pendMu  sync.Mutex
	pending []*saveJob
	// checkpoint asks the checkpointer to copy the WAL into the
	// database (see checkpointer); closed by Close.
	checkpoint chan struct{}
	ckptDone   chan struct{}
	closeOnce  sync.Once
	closed     bool // under writeMu: Close was called

	stmtMu  sync.Mutex
	stmts   map[string]*sql.Stmt // see prepared
	dbStmts map[string]*sql.Stmt // see preparedDB

	vocabMu   sync.Mutex
	vocab     *vocabulary  // for *infix backtests; see wordsContaining
	vocabMark atomic.Int64 // the kept vocabulary's watermark; -1: none
	vocabBusy atomic.Bool  // a refresh runs

	// Background work (the vocabulary refresh) stops with bgCtx and is
	// waited for by Close.
	bg       sync.WaitGroup
	bgCtx    context.Context
	bgCancel context.CancelFunc

	noStories bool        // see WithoutStories
	window    storyWindow // the candidate index of recent articles (writeMu)
	// drafted counts the articles given stories, redrafted those whose
	// draft had to be decided again inside the write lock.
	drafted, redrafted atomic.Int64
}

// StoryDrafts says how many articles this store gave stories, and of
// those how many were decided inside the write lock (their draft was
// overtaken, or there was none): for cmd/bench.
func (s *Store) StoryDrafts() (assigned, inLock int64) {
	return s.drafted.Load(), s.redrafted.Load()
}

// WithoutStories makes the store keep new articles out of stories: only
// for measuring what stories cost (cmd/bench); never in use.
func (s *Store) WithoutStories() { s.noStories = true }

var _ monitor.Store = (*Store)(nil)

// Open opens (creating if needed) the database in dir, which is created
// with mode 0700; the database file gets mode 0600.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil && !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("create database %s: %w", path, err)
		}
		if f != nil {
			f.Close()
		}
	}
	st, err := OpenFile(path)
	if err != nil {
		if werr := writable(dir); werr != nil {
			return nil, msg.Errorf(err, msg.T("The data directory {{.Dir}} is read-only ({{.Reason}}); Newswatch needs to write there."), "Dir", dir, "Reason", werr.Error())
		}
		return nil, err
	}
	return st, nil
}

// writable checks that files can be created in dir.
func writable(dir string) error {
	f, err := os.CreateTemp(dir, ".newswatch-write-test-*")
	if err != nil {
		return msg.Cause(err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// OpenFile opens the database at path.
func OpenFile(path string) (*Store, error) {
	dsn := fileURI(path) + "?_pragma=busy_timeout(15000)&_pragma=foreign_keys(1)" +
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=wal_autocheckpoint(0)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: db, path: path, checkpoint: make(chan struct{}, 1), ckptDone: make(chan struct{})}
	s.bgCtx, s.bgCancel = context.WithCancel(context.Background())
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	var mark int64 = -1
	_ = db.QueryRow(`SELECT watermark FROM fts_vocab_state WHERE id = 1`).Scan(&mark)
	s.vocabMark.Store(mark)
	go s.checkpointer()
	for _, suffix := range []string{"-wal", "-shm"} {
		_ = os.Chmod(path+suffix, 0o600)
	}
	return s, nil
}

// errClosed is a write after Close.
var errClosed = msg.Errorf(nil, msg.T("Newswatch is closing its database; the change was not saved."))

// Close closes the database, after a last checkpoint. A write in flight
// finishes first; writes after Close fail (with errClosed) and never
// panic.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.writeMu.Lock()
		s.closed = true
		s.writeMu.Unlock()
		s.window.stopLoads() // no s.bg.Add after this: Wait sees every one
		s.bgCancel()
		s.bg.Wait()
		close(s.checkpoint)
		<-s.ckptDone
		s.stmtMu.Lock()
		for _, st := range s.stmts {
			st.Close()
		}
		for _, st := range s.dbStmts {
			st.Close()
		}
		s.stmts, s.dbStmts = nil, nil
		s.stmtMu.Unlock()
	})
	return s.db.Close()
}

// checkpointer copies the write-ahead log into the database file after
// writes, on a connection of its own and outside writeMu: SQLite's
// automatic checkpoint (off: wal_autocheckpoint(0)) would run inside
// the commit that crosses its threshold, and its fsyncs would hold up
// every writer. Requests that come while one runs are folded into the
// next; a PASSIVE checkpoint never waits for readers or writers.
func (s *Store) checkpointer() {
	defer close(s.ckptDone)
	for range s.checkpoint {
		time.Sleep(checkpointDelay) // let a burst of commits finish first
		_, _ = s.db.Exec("PRAGMA wal_checkpoint(PASSIVE)")
	}
	// Closing: a last one, so the WAL is small for the next start.
	_, _ = s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
}

// prepared returns the statement for query inside tx, prepared once per
// connection instead of parsed anew for every feed (for the statements
// every fetch runs; a cycle of 1,000 feeds spent a fifth of its time in
// SQLite's parser). Statements made with it belong to the transaction:
// do not close them.
func (s *Store) prepared(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	s.stmtMu.Lock()
	st, ok := s.stmts[query]
	if !ok {
		var err error
		if st, err = s.db.PrepareContext(ctx, query); err != nil {
			s.stmtMu.Unlock()
			return nil, err
		}
		if s.stmts == nil {
			s.stmts = map[string]*sql.Stmt{}
		}
		s.stmts[query] = st
	}
	s.stmtMu.Unlock()
	return tx.StmtContext(ctx, st), nil
}

// preparedDB is prepared for statements run outside transactions (on
// any connection of the pool).
func (s *Store) preparedDB(ctx context.Context, query string) (*sql.Stmt, error) {
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if st, ok := s.dbStmts[query]; ok {
		return st, nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if s.dbStmts == nil {
		s.dbStmts = map[string]*sql.Stmt{}
	}
	s.dbStmts[query] = st
	return st, nil
}

// checkpointDelay is how long the checkpointer lets writes gather.
const checkpointDelay = 200 * time.Millisecond

// committed asks for a checkpoint after a write.
func (s *Store) committed() {
	select {
	case s.checkpoint <- struct{}{}:
	default: // one is asked for already
	}
}

// DB gives tests and tools direct access to the database.
func (s *Store) DB() *sql.DB { return s.db }

// Path is the database file.
func (s *Store) Path() string { return s.path }

// write runs fn in one write transaction.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.writeLocked(ctx, fn)
}

// writeLocked is write with writeMu held.
func (s *Store) writeLocked(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.inTx(ctx, s.db, fn)
}

// inTx runs fn in a transaction begun on b (the pool, or one connection)
// and commits it; writeMu is held.
func (s *Store) inTx(ctx context.Context, b interface {
	BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
}, fn func(tx *sql.Tx) error) error {
	if s.closed {
		return errClosed
	}
	tx, err := b.BeginTx(ctx, nil)
	if err != nil {
		return dbError(s.path, err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return dbError(s.path, err)
	}
	if err := tx.Commit(); err != nil {
		return dbError(s.path, err)
	}
	s.committed()
	return nil
}

// writeDurable is write with the commit synced to disk (synchronous=FULL)
// instead of at the next checkpoint.
func (s *Store) writeDurable(ctx context.Context, fn func(tx *sql.Tx) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.closed {
		return errClosed
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return dbError(s.path, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = FULL"); err != nil {
		return dbError(s.path, err)
	}
	defer conn.ExecContext(context.Background(), "PRAGMA synchronous = NORMAL")
	return s.inTx(ctx, conn, fn)
}

// dbError explains the database failures a user can do something about,
// once (an explained error passes through unchanged).
func dbError(path string, err error) error {
	if err == nil {
		return nil
	}
	var known *storeError
	if errors.As(err, &known) {
		return err
	}
	text := err.Error()
	switch {
	case strings.Contains(text, "readonly") || strings.Contains(text, "read-only") || strings.Contains(text, "READONLY"):
		return explain(err, msg.T("The database {{.Path}} is read-only ({{.Reason}})."), path)
	case strings.Contains(text, "disk is full") || strings.Contains(text, "SQLITE_FULL") || strings.Contains(text, "no space left"):
		return explain(err, msg.T("The disk holding {{.Path}} is full ({{.Reason}})."), path)
	case strings.Contains(text, "not a database") || strings.Contains(text, "malformed"):
		return explain(err, msg.T("The database {{.Path}} is damaged ({{.Reason}})."), path)
	case strings.Contains(text, "locked") || strings.Contains(text, "busy"):
		return explain(err, msg.T("The database {{.Path}} is busy in another Newswatch process ({{.Reason}})."), path)
	}
	return err
}

// storeError is a database failure explained for the user.
type storeError struct{ e *msg.Error }

func (s *storeError) Error() string        { return s.e.Error() }
func (s *storeError) Unwrap() error        { return s.e.Err }
func (s *storeError) Message() msg.Message { return s.e.Message }

func explain(err error, tmpl, path string) error {
	return &storeError{msg.Errorf(err, tmpl, "Path", path, "Reason", err.Error())}
}

// Time columns hold Unix milliseconds; 0 is "never".
func toMillis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// inChunks calls fn with slices of at most 400 items, below SQLite's limit
// on bound parameters.
func inChunks[T any](items []T, fn func(part []T) error) error {
	const n = 400
	for len(items) > 0 {
		k := min(n, len(items))
		if err := fn(items[:k]); err != nil {
			return err
		}
		items = items[k:]
	}
	return nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}
