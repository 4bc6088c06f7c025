//go:build !linux

package pgtest

import "errors"

// Start is implemented on Linux only; elsewhere point
// NEWSWATCH_TEST_POSTGRES at a server.
func Start() (*Server, error) {
	return nil, errors.New("starting a throw-away PostgreSQL is implemented on Linux only; set NEWSWATCH_TEST_POSTGRES to a server's URL")
}
