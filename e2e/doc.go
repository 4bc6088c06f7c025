//go:build e2e || winsmoke

// Package e2e holds Newswatch's end-to-end tests on the real binary.
//
// TestDesktopNotifiesNewMatch starts the desktop binary under a virtual X server (Xvfb) on a private D-Bus
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
// Without NEWSWATCH_BIN the tests build the binary themselves; without a
// session bus (DBUS_SESSION_BUS_ADDRESS) the desktop test skips.
//
// TestKillDuringChecks (crash_test.go) needs neither X nor D-Bus: it
// SIGKILLs `newswatch check` at random moments, also with two checks at
// once, against feeds that keep gaining stories, and checks that the
// database stays intact, no story is lost and no match is printed twice.
// NEWSWATCH_KILLS sets how often (default 25; `make killtest` runs 500).
//
// TestWindowsSmoke (windows_smoke_test.go, build tag winsmoke) runs the
// Windows build, bin/newswatch.exe, under Wine in a temporary Wine prefix:
// the command line on a loopback feed and a local feed file with German
// umlauts, output through the console a subcommand attaches to, the
// desktop app (a screenshot, closing to the tray, a second start, a clean
// end), and the Windows unit tests (TestWindows* of every package with a
// _windows_test.go file) compiled for Windows. `make windows-smoke` builds
// the exe and runs it on a virtual X server:
//
//	NEWSWATCH_EXE=$PWD/bin/newswatch.exe xvfb-run -a go test -tags winsmoke -count=1 -v -run TestWindows ./e2e/
package e2e
