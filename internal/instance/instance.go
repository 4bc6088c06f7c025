// Package instance keeps one desktop Newswatch per data directory: starting
// the desktop app again on the same directory brings the running window to
// the front instead of opening a second window and a second poller. The
// command line (check, run, export, …) does not take part; it shares the
// directory with the desktop app as before.
//
// # How
//
// A lock decides who is first: an exclusive flock(2) on <data dir>/desktop.lock,
// held for the life of the desktop app. The kernel drops it when the process
// ends, however it ends (a crash, SIGKILL, a power cut), so a stale lock can
// never keep the app from starting. The file itself stays: removing a file
// others may have open and be waiting to lock would let two processes hold
// "the" lock at once. The descriptor is close-on-exec, so a browser the app
// starts does not inherit (and keep) the lock.
//
// The first instance listens on a Unix socket, <data dir>/desktop.sock, and
// writes its process ID and the socket's path into the lock file. Paths of
// Unix sockets are limited to 107 bytes (sun_path), so for a deep data
// directory the socket is $XDG_RUNTIME_DIR/newswatch-<hash>.sock instead,
// else $TMPDIR/newswatch-<uid>/newswatch-<hash>.sock in a private directory,
// where the hash is of the data directory's path. Only the lock's holder
// creates the socket, after removing a stale one a crashed instance left;
// it is made 0600, and the first instance also answers only processes of
// its own user (SO_PEERCRED).
//
// A later instance that cannot take the lock reads the socket's path from
// the lock file, connects, sends one line, "show", and waits for "ok". The
// first instance calls its onShow callback and answers; the later instance
// then gets ErrRunning and exits. While the first instance is still starting
// (it holds the lock but is not listening yet) or is just quitting (it
// no longer listens but still holds the lock), the later one tries again,
// the lock and the socket, for a few seconds; it then reports that the
// running instance does not answer (a stopped or hung process).
//
// On Windows the lock is a LockFileEx lock on the same file, which Windows
// also drops when the process ends, and the first instance listens on a
// loopback TCP port instead of a socket file: the lock file names the
// port and a random key, which a later instance sends before its command
// (instance_windows.go says why). The command line is the same.
package instance

import (
	"errors"
	"fmt"
)

// ErrRunning is what Acquire returns when another desktop app holds the
// data directory and was asked to show its window (or, for AcquireQuietly,
// answered): this process should exit.
var ErrRunning = errors.New("Newswatch is already running on this data directory")

// Acquire makes this process the data directory's desktop instance and
// returns the function that gives that up (release is safe to call more
// than once and from any goroutine). Until release returns, onShow is
// called whenever another instance starts on the directory; it runs on its
// own goroutine, never twice at once and never after release returned, and
// must return promptly (with Fyne: hand the work to fyne.Do, which does
// not wait).
//
// When another process is the instance, Acquire asks it to show its window
// and returns ErrRunning once it did. Other errors mean neither happened;
// one wrapping errors.ErrUnsupported says the file system of the data
// directory has no locks, and the app may run without the guarantee.
func Acquire(dataDir string, onShow func()) (release func(), err error) {
	return acquire(dataDir, onShow, cmdShow)
}

// AcquireQuietly is Acquire for a start that should not bring a running
// instance's window up (the app started minimized at login): when another
// instance runs, it only checks that it answers before returning ErrRunning.
func AcquireQuietly(dataDir string, onShow func()) (release func(), err error) {
	return acquire(dataDir, onShow, cmdPing)
}

// The protocol: one line from the client, one line back.
const (
	cmdShow = "show"
	cmdPing = "ping"
	replyOK = "ok"
)

func noAnswer(dir string, pid int, err error) error {
	who := "another Newswatch"
	if pid > 0 {
		who = fmt.Sprintf("another Newswatch (process %d)", pid)
	}
	if err == nil {
		return fmt.Errorf("%s is using %s but does not answer", who, dir)
	}
	return fmt.Errorf("%s is using %s but does not answer: %w", who, dir, err)
}
