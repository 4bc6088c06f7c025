package pgstore

import (
	"testing"

	"codeberg.org/newswatch/newswatch/internal/pgtest"
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/storetest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// openTest opens the database at url for user; closed when the test ends.
func openTest(t *testing.T, url, user string) *Store {
	t.Helper()
	s, err := Open(t.Context(), url, Options{User: user, MaxConns: 6})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestConformance runs the store conformance suite on PostgreSQL: a new
// database per test (pgtest), other processes and users as other stores
// on it.
func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Opener{New: func(t *testing.T) (monitor.Store, storetest.Reopen) {
		url := pgtest.URL(t)
		reopen := func(t *testing.T, user string) monitor.Store {
			if user == "" {
				user = "analyst"
			}
			return openTest(t, url, user)
		}
		return reopen(t, ""), reopen
	}})
}
