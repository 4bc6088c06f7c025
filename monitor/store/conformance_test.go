package store

import (
	"path/filepath"
	"testing"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/storetest"
)

// TestConformance runs the store conformance suite on SQLite: a new
// data directory per test, other processes as other stores on it.
func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Opener{New: func(t *testing.T) (monitor.Store, storetest.Reopen) {
		dir := filepath.Join(t.TempDir(), "data")
		reopen := func(t *testing.T, _ string) monitor.Store { return openTest(t, dir) }
		return reopen(t, ""), reopen
	}})
}
