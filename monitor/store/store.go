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

	vocabMu sync.Mutex
	vocab   *vocabulary // for *infix backtests; see wordsContaining
}

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
	dsn := "file:" + path + "?_pragma=busy_timeout(15000)&_pragma=foreign_keys(1)" +
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: db, path: path}
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		_ = os.Chmod(path+suffix, 0o600)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DB gives tests and tools direct access to the database.
func (s *Store) DB() *sql.DB { return s.db }

// Path is the database file.
func (s *Store) Path() string { return s.path }

// write runs fn in one write transaction.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
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
	return nil
}

// writeDurable is write with the commit synced to disk (synchronous=FULL)
// instead of at the next checkpoint.
func (s *Store) writeDurable(ctx context.Context, fn func(tx *sql.Tx) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return dbError(s.path, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = FULL"); err != nil {
		return dbError(s.path, err)
	}
	defer conn.ExecContext(context.Background(), "PRAGMA synchronous = NORMAL")
	tx, err := conn.BeginTx(ctx, nil)
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
	return nil
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
