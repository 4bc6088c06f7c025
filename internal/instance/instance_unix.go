//go:build unix

package instance

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

const (
	socketName = "desktop.sock"
	// maxSocketPath is the longest path a Unix socket can have: sun_path
	// holds 108 bytes with the terminating NUL on Linux (104 on the BSDs
	// and macOS, whose limit is checked by bind itself).
	maxSocketPath = 107
)

// tryLock takes an exclusive flock(2) on the lock file without waiting.
func tryLock(f *os.File) (busy bool, err error) {
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err != syscall.EINTR {
			break
		}
	}
	switch {
	case err == nil:
		return false, nil
	case errors.Is(err, syscall.EWOULDBLOCK):
		return true, nil
	case errors.Is(err, syscall.ENOLCK) || errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, syscall.ENOSYS):
		return false, noLocks{err}
	}
	return false, err
}

// unlock does nothing: closing the file drops the lock.
func unlock(*os.File) {}

// dial connects to the instance's socket.
func dial(sock string) (net.Conn, error) {
	return net.DialTimeout("unix", sock, ioTimeout)
}

// socketPath is where the instance on dir listens: in dir when the path
// fits into sun_path, else in $XDG_RUNTIME_DIR or a private directory in
// $TMPDIR (or /tmp), named by a hash of dir.
func socketPath(dir string) (string, error) {
	if p := filepath.Join(dir, socketName); len(p) <= maxSocketPath {
		return p, nil
	}
	sum := sha256.Sum256([]byte(dir))
	name := "newswatch-" + hex.EncodeToString(sum[:8]) + ".sock"
	if rd := os.Getenv("XDG_RUNTIME_DIR"); filepath.IsAbs(rd) {
		if p := filepath.Join(rd, name); len(p) <= maxSocketPath {
			if fi, err := os.Stat(rd); err == nil && fi.IsDir() {
				return p, nil
			}
		}
	}
	private := "newswatch-" + strconv.Itoa(os.Getuid())
	tmp := filepath.Join(os.TempDir(), private)
	if len(filepath.Join(tmp, name)) > maxSocketPath {
		tmp = filepath.Join("/tmp", private)
	}
	if err := privateDir(tmp); err != nil {
		return "", err
	}
	return filepath.Join(tmp, name), nil
}

// privateDir makes dir, or checks that it is a real directory of this
// user that only this user may use, so no one else can take the socket's
// name or listen in its place.
func privateDir(dir string) error {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("cannot make a directory for the desktop app's socket: %w", err)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("cannot make a directory for the desktop app's socket: %w", err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.IsDir() || !ok || int(st.Uid) != os.Getuid() {
		return fmt.Errorf("%s is not a directory of yours; remove it so Newswatch can make its own", dir)
	}
	if fi.Mode().Perm() != 0o700 {
		return os.Chmod(dir, 0o700)
	}
	return nil
}

// listen listens on the socket, which only this user may use, after
// removing one a crashed instance left: this process holds the lock.
func listen(dir string) (*endpoint, error) {
	sock, err := socketPath(dir)
	if err != nil {
		return nil, err
	}
	if err := os.Remove(sock); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("cannot remove the old socket: %w", err)
	}
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: sock, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("cannot listen for other instances: %w", err)
	}
	l.SetUnlinkOnClose(true)
	if err := os.Chmod(sock, 0o600); err != nil {
		l.Close()
		return nil, fmt.Errorf("cannot protect the socket: %w", err)
	}
	admit := func(c net.Conn) bool {
		uc, ok := c.(*net.UnixConn)
		return ok && sameUser(uc)
	}
	return &endpoint{l: l, address: sock, admit: admit}, nil
}
