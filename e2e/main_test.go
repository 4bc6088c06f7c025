//go:build e2e

package e2e

import (
	"testing"

	"codeberg.org/newswatch/newswatch/internal/pgtest"
)

// TestMain stops the throw-away PostgreSQL server of the team tests
// (pollers_test.go), if one was started, when the tests end.
func TestMain(m *testing.M) { pgtest.Main(m) }
