// Package pgtest starts a throw-away PostgreSQL server for tests: a
// cluster made with initdb in a temporary directory, listening only on a
// Unix socket there, run by a user that is not root (PostgreSQL refuses
// root: as root the server runs as the "postgres" user Debian's package
// creates, or "nobody"), with fsync off (nothing in it outlives the test).
// The server stops when the test binary ends (Main), and also when the
// test process dies without stopping it (the server is its child and is
// sent SIGTERM when its parent goes: see start_linux.go).
//
// Tests get a database of their own from URL; when no server can be
// started they are skipped with the reason, unless
// NEWSWATCH_REQUIRE_POSTGRES=1 (make test sets it when the postgresql
// package is installed), which makes that a failure. NEWSWATCH_TEST_POSTGRES
// names an existing server to use instead (a postgres:// URL of a user
// that may create databases).
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//	func TestX(t *testing.T) { url := pgtest.URL(t); ... }
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Server is a running PostgreSQL server.
type Server struct {
	// Admin is the URL of a superuser's connection to its "postgres"
	// database.
	Admin string
	stop  func() error
	dir   string
}

var (
	once    sync.Once
	shared  *Server
	failure error
	dbSeq   atomic.Int64
)

// Shared starts the package's server on first use (or connects to
// NEWSWATCH_TEST_POSTGRES) and returns it.
func Shared() (*Server, error) {
	once.Do(func() {
		if u := os.Getenv("NEWSWATCH_TEST_POSTGRES"); u != "" {
			shared = &Server{Admin: u, stop: func() error { return nil }}
			failure = shared.ping()
		} else {
			shared, failure = Start()
		}
		if failure != nil && !Required() {
			// Seen without -v too: the package's PostgreSQL tests are
			// skipped, not passed.
			fmt.Fprintf(os.Stderr, "pgtest: PostgreSQL cannot be started here, so the tests that need it are SKIPPED: %v\n", failure)
		}
	})
	return shared, failure
}

// Main runs the package's tests and stops the server, if one was
// started, before exiting.
func Main(m *testing.M) {
	code := m.Run()
	if shared != nil {
		if err := shared.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: stop PostgreSQL: %v\n", err)
		}
	}
	os.Exit(code)
}

// Required reports whether the tests must have PostgreSQL (make test
// sets NEWSWATCH_REQUIRE_POSTGRES=1 where the server is installed).
func Required() bool { return os.Getenv("NEWSWATCH_REQUIRE_POSTGRES") == "1" }

// URL returns the URL of a new, empty database for the test (dropped
// when it ends), or skips the test, saying why, when PostgreSQL cannot
// be started here.
func URL(t testing.TB) string {
	t.Helper()
	srv, err := Shared()
	if err != nil {
		if Required() {
			t.Fatalf("PostgreSQL is required (NEWSWATCH_REQUIRE_POSTGRES=1) but could not be started: %v", err)
		}
		t.Skipf("PostgreSQL is not available, so this test is skipped: %v", err)
	}
	u, drop, err := srv.NewDatabase()
	if err != nil {
		t.Fatalf("create a test database: %v", err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Logf("drop the test database: %v", err)
		}
	})
	return u
}

// NewDatabase creates an empty database and returns its URL and a
// function that drops it.
func (s *Server) NewDatabase() (string, func() error, error) {
	name := fmt.Sprintf("nwtest_%d_%d", os.Getpid(), dbSeq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.Admin)
	if err != nil {
		return "", nil, err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		return "", nil, err
	}
	u, err := withDatabase(s.Admin, name)
	if err != nil {
		return "", nil, err
	}
	drop := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		conn, err := pgx.Connect(ctx, s.Admin)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		return err
	}
	return u, drop, nil
}

// withDatabase is the URL u with another database name.
func withDatabase(u, name string) (string, error) {
	p, err := url.Parse(u)
	if err != nil {
		return "", err
	}
	p.Path = "/" + name
	return p.String(), nil
}

// Stop stops the server and removes its directory.
func (s *Server) Stop() error {
	err := s.stop()
	if s.dir != "" {
		if rerr := os.RemoveAll(s.dir); err == nil {
			err = rerr
		}
	}
	return err
}

// ping checks that the server answers.
func (s *Server) ping() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.Admin)
	if err != nil {
		return err
	}
	return conn.Close(ctx)
}

// errUnavailable says why no server could be started.
var errUnavailable = errors.New("PostgreSQL is not installed (no initdb in PATH or /usr/lib/postgresql/*/bin)")

// socketURL is the URL of database db as user on the Unix socket in dir.
func socketURL(dir, user, db string) string {
	q := url.Values{"host": {dir}, "user": {user}, "sslmode": {"disable"}}
	return "postgres:///" + db + "?" + strings.ReplaceAll(q.Encode(), "+", "%20")
}
