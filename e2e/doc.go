//go:build e2e

// Package e2e holds Newswatch's end-to-end test: it starts the real
// desktop binary under a virtual X server (Xvfb) on a private D-Bus
// session bus whose org.freedesktop.Notifications is a fake daemon in the
// test, serves a news feed on loopback that gains a story about Ukraine,
// and checks that exactly one desktop notification about the topic
// arrives ("Ukraine — 1 new story"), and that the app quits on SIGTERM.
//
// The files build only with the e2e tag, so `go test ./...` skips them.
// Run the test with
//
//	make e2e
//
// which installs Xvfb and D-Bus (Debian packages xvfb and dbus) if
// needed, builds bin/newswatch and runs
//
//	NEWSWATCH_BIN=$PWD/bin/newswatch dbus-run-session -- go test -tags e2e -count=1 -v ./e2e/
//
// Without NEWSWATCH_BIN the test builds the binary itself; without a
// session bus (DBUS_SESSION_BUS_ADDRESS) it skips.
package e2e
