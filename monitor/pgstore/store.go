// Package pgstore keeps Newswatch's data in a PostgreSQL database that a
// team shares (through github.com/jackc/pgx/v5): the second
// implementation of monitor.Store, beside monitor/store's SQLite. Feeds,
// topics and stories are the team's; read, starred, deleted, alert claims,
// the alert history and the alert switches belong to the user the store
// is opened for (Options.User), so every analyst is alerted once of each
// match and keeps their own reading state. Topics are shared unless a
// user makes one personal (Topic.Owner): only its owner sees it and is
// alerted of it.
//
// Several `newswatch run` processes poll the same feeds: a due feed is
// leased by one of them (leases.go), whose save of the check completes
// the lease in the same transaction. Stories are assigned, and matches
// numbered, under one transaction-scoped advisory lock (the writer lock),
// so the numbers (seq) grow in commit order: a user's claim takes every
// match numbered after the last one it took, and a desktop learns of new
// matches through LISTEN/NOTIFY carrying the newest number (notify.go).
//
// Full-text search uses PostgreSQL's own: a tsvector of each article's
// text, folded by monitor/query as topics fold it, under the "newswatch"
// text search configuration (fts.go). The schema is versioned in
// newswatch_schema and migrated forward on open, one version per
// transaction, under an advisory lock (migrate.go).
package pgstore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/user"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Options say how a store is opened.
type Options struct {
	// User is the analyst whose state the store reads and writes; empty:
	// DefaultUser().
	User string
	// MineOnly shows only the user's personal topics (their matches in
	// the timeline and the counts); the others are still matched.
	MineOnly bool
	// MaxConns bounds the connections of the pool (0: 10).
	MaxConns int
}

// Store is the PostgreSQL implementation of monitor.Store.
type Store struct {
	pool     *pgxpool.Pool
	where    string // the server and database, for messages (no password)
	user     string
	mineOnly atomic.Bool

	// storyMu is held with the writer lock: the candidate window in
	// memory is this process's, and its goroutines take turns on it.
	storyMu sync.Mutex
	window  storyWindow

	vocab vocabCache // for *infix backtests (vocab.go)

	// Writes in flight finish before Close closes the pool; later ones
	// fail with errClosed.
	opMu      sync.Mutex
	closed    bool
	ops       sync.WaitGroup
	closeOnce sync.Once
	bgCancel  context.CancelFunc
	bg        sync.WaitGroup
}

var (
	_ monitor.Store     = (*Store)(nil)
	_ monitor.TeamStore = (*Store)(nil)
)

// IsURL reports whether s names a PostgreSQL database (postgres:// or
// postgresql://).
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// DefaultUser is the name of the user running this process.
func DefaultUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		name := u.Username
		if i := strings.LastIndexAny(name, `\`); i >= 0 { // DOMAIN\name on Windows
			name = name[i+1:]
		}
		return name
	}
	for _, env := range []string{"USER", "USERNAME", "LOGNAME"} {
		if v := os.Getenv(env); v != "" {
			return v
		}
	}
	return "analyst"
}

// searchWorkMem is the work_mem of Newswatch's connections (unless the
// address sets one). With PostgreSQL 15's default of 4 MB, a GIN index
// scan of a prefix search ('ukrain':* & ('waffen':* | 'munition':*)) over
// a million articles lost 177 of 32,068 matching rows (its bitmap turned
// lossy midway; a sequential scan, or 8 MB, found them all): a backtest
// must never lose a story. 64 MB keeps the bitmap exact for about ten
// million articles; it is taken only as a query needs it.
const searchWorkMem = "64MB"

// Open connects to the database at rawURL, brings its schema up to date
// and registers the user.
func Open(ctx context.Context, rawURL string, opt Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, msg.Errorf(err, msg.T("The team database address is not valid ({{.Reason}})."), "Reason", err.Error())
	}
	if opt.MaxConns <= 0 {
		opt.MaxConns = 10
	}
	cfg.MaxConns = int32(opt.MaxConns)
	cfg.MaxConnIdleTime = 5 * time.Minute
	cfg.ConnConfig.RuntimeParams["application_name"] = "newswatch"
	if _, set := cfg.ConnConfig.RuntimeParams["work_mem"]; !set {
		cfg.ConnConfig.RuntimeParams["work_mem"] = searchWorkMem
	}
	if opt.User == "" {
		opt.User = DefaultUser()
	}
	s := &Store{where: describe(rawURL), user: opt.User}
	s.mineOnly.Store(opt.MineOnly)
	if err := validUser(opt.User); err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, s.explain(err)
	}
	s.pool = pool
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, s.explain(err)
	}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := s.register(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	var bgCtx context.Context
	bgCtx, s.bgCancel = context.WithCancel(context.Background())
	s.vocab.ctx = bgCtx
	return s, nil
}

// validUser checks a user name: a word a colleague recognizes, not
// anything that could pass for a command.
func validUser(name string) error {
	if name == "" || len(name) > 64 || strings.ContainsAny(name, "\x00\n\r\t") || strings.TrimSpace(name) != name {
		return msg.Errorf(nil, msg.T("“{{.User}}” cannot be a user name: use up to 64 characters without spaces at either end."), "User", name)
	}
	return nil
}

// describe is the database's address without its password, for messages.
func describe(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "the team database"
	}
	host := u.Host
	if host == "" {
		host = u.Query().Get("host")
	}
	db := strings.TrimPrefix(u.Path, "/")
	if db == "" {
		return host
	}
	return host + "/" + db
}

// User is the analyst the store is opened for.
func (s *Store) User() string { return s.user }

// SetMineOnly shows only the user's personal topics (true), or the
// team's and the user's (false), from now on.
func (s *Store) SetMineOnly(on bool) { s.mineOnly.Store(on) }

// Pool gives tests and tools direct access to the database.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Close closes the pool, once the writes in flight and background work
// have ended; writes after Close fail with errClosed.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.opMu.Lock()
		s.closed = true
		s.opMu.Unlock()
		s.bgCancel()
		s.ops.Wait()
		s.bg.Wait()
		s.pool.Close()
	})
	return nil
}

// begin counts a write in, unless the store is closed.
func (s *Store) begin() error {
	s.opMu.Lock()
	defer s.opMu.Unlock()
	if s.closed {
		return errClosed
	}
	s.ops.Add(1)
	return nil
}

func (s *Store) isClosed() bool {
	s.opMu.Lock()
	defer s.opMu.Unlock()
	return s.closed
}

// The advisory locks (transaction-scoped): schema migrations, and the
// writer lock under which stories are assigned and matches numbered.
const (
	lockMigrate int64 = 0x6e77_0001
	lockWriter  int64 = 0x6e77_0002
)

// tx runs fn in one transaction and commits it. A transaction that
// PostgreSQL aborted to resolve a deadlock or a serialization conflict
// is run again (fn must start from scratch each time); after Close it
// fails with errClosed.
func (s *Store) tx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	if err := s.begin(); err != nil {
		return err
	}
	defer s.ops.Done()
	for attempt := 0; ; attempt++ {
		err := pgx.BeginFunc(ctx, s.pool, fn)
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

// retryable is a transaction PostgreSQL aborted so that others could go on.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// isUnique reports a unique constraint violated.
func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// errClosed is a call after Close.
var errClosed = msg.Errorf(nil, msg.T("Newswatch is closing its database; the change was not saved."))

// explain turns the database failures a user can do something about into
// one sentence (an explained error passes through unchanged).
func (s *Store) explain(err error) error {
	if err == nil {
		return nil
	}
	var known *msg.Error
	if errors.As(err, &known) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, monitor.ErrNotFound) || errors.Is(err, monitor.ErrExists) || errors.Is(err, monitor.ErrLeaseLost) {
		return err
	}
	if s.isClosed() || strings.Contains(err.Error(), "closed pool") {
		return errClosed
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "28P01" || pe.Code == "28000":
			return msg.Errorf(err, msg.T("The team database {{.Where}} refused the login ({{.Reason}})."), "Where", s.where, "Reason", pe.Message)
		case pe.Code == "3D000":
			return msg.Errorf(err, msg.T("The team database {{.Where}} does not exist ({{.Reason}})."), "Where", s.where, "Reason", pe.Message)
		case pe.Code == "42501":
			return msg.Errorf(err, msg.T("The team database {{.Where}} does not allow this user to change it ({{.Reason}})."), "Where", s.where, "Reason", pe.Message)
		case pe.Code == "53100":
			return msg.Errorf(err, msg.T("The disk of the team database {{.Where}} is full ({{.Reason}})."), "Where", s.where, "Reason", pe.Message)
		case strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P03":
			return msg.Errorf(err, msg.T("The team database {{.Where}} cannot be reached ({{.Reason}})."), "Where", s.where, "Reason", pe.Message)
		}
		return fmt.Errorf("team database %s: %w", s.where, err)
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) || strings.Contains(err.Error(), "connect") {
		return msg.Errorf(err, msg.T("The team database {{.Where}} cannot be reached ({{.Reason}})."), "Where", s.where, "Reason", connectReason(err))
	}
	return fmt.Errorf("team database %s: %w", s.where, err)
}

// Time columns hold Unix milliseconds, as in the SQLite store; 0 is
// "never".
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

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// connectReason is why a connection failed, on one line: pgx's message
// without the address it names (the sentence says it), each attempt's
// error once (and not again when an earlier one says it).
func connectReason(err error) string {
	text := err.Error()
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		if inner := errors.Unwrap(ce); inner != nil {
			text = inner.Error()
		}
	}
	var parts []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line != "" && !slices.ContainsFunc(parts, func(p string) bool { return strings.Contains(p, line) }) {
			parts = append(parts, line)
		}
	}
	return strings.Join(parts, "; ")
}
