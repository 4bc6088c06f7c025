package instance

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"

	"golang.org/x/sys/windows"
)

// On Windows the lock is a LockFileEx byte-range lock, and the instance
// answers on a loopback TCP port with a key. AF_UNIX sockets (Windows 10
// and later) would do, but Wine 8, under which the tests run, has none,
// and named pipes served through go-winio hang there. TCP bound to
// 127.0.0.1 only works on every Windows, is not reachable from the
// network, and can be tested.
// The lock file (in the user's data directory, which by default only the
// user can read) holds "127.0.0.1:PORT KEY"; a client must send the key
// before its command, so other users of the machine, who can reach the
// port but not read the file, are not answered.

// lockOffset is where the locked byte lies: far beyond the lock file's
// text, because Windows locks are mandatory and a later instance must
// still read the text.
const lockOffset = 1 << 32

// keyLen is the length of the key in hex digits.
const keyLen = 32

// tryLock takes the lock with LockFileEx without waiting. Windows drops it
// when the handle is closed, also when the process ends however it ends.
func tryLock(f *os.File) (busy bool, err error) {
	ol := &windows.Overlapped{Offset: lockOffset & 0xffffffff, OffsetHigh: lockOffset >> 32}
	err = windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	switch {
	case err == nil:
		return false, nil
	case errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING):
		return true, nil
	case errors.Is(err, windows.ERROR_NOT_SUPPORTED) || errors.Is(err, windows.ERROR_INVALID_FUNCTION):
		return false, noLocks{err}
	}
	return false, err
}

// unlock gives the lock up before the handle is closed, as Windows asks.
func unlock(f *os.File) {
	ol := &windows.Overlapped{Offset: lockOffset & 0xffffffff, OffsetHigh: lockOffset >> 32}
	windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, ol)
}

// listen listens on a free loopback port, with a new random key.
func listen(string) (*endpoint, error) {
	var raw [keyLen / 2]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, fmt.Errorf("cannot make a key for other instances: %w", err)
	}
	key := hex.EncodeToString(raw[:])
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("cannot listen for other instances: %w", err)
	}
	admit := func(c net.Conn) bool {
		got := make([]byte, keyLen+1)
		if _, err := io.ReadFull(c, got); err != nil {
			return false
		}
		return subtle.ConstantTimeCompare(got, []byte(key+"\n")) == 1
	}
	return &endpoint{l: l, address: l.Addr().String() + " " + key, admit: admit}, nil
}

// dial connects to the instance at "127.0.0.1:PORT KEY" and sends the key.
// It connects to nothing but the loopback interface, whatever the lock
// file says.
func dial(address string) (net.Conn, error) {
	hostPort, key, ok := strings.Cut(address, " ")
	host, _, err := net.SplitHostPort(hostPort)
	if !ok || len(key) != keyLen || err != nil {
		return nil, fmt.Errorf("the lock file names no instance (%q)", address)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("the lock file names %s, which is not this computer", host)
	}
	c, err := net.DialTimeout("tcp", hostPort, ioTimeout)
	if err != nil {
		return nil, err
	}
	if _, err := io.WriteString(c, key+"\n"); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}
