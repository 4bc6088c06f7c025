//go:build unix

package instance

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	lockName   = "desktop.lock"
	socketName = "desktop.sock"
	// maxSocketPath is the longest path a Unix socket can have: sun_path
	// holds 108 bytes with the terminating NUL on Linux (104 on the BSDs
	// and macOS, whose limit is checked by bind itself).
	maxSocketPath = 107
)

// Timing; the tests shorten them.
var (
	// handoffTimeout is how long a later instance keeps trying to reach
	// the first (or to take its place) before it gives up.
	handoffTimeout = 5 * time.Second
	// retryInterval is the pause between tries.
	retryInterval = 50 * time.Millisecond
	// ioTimeout bounds one connection, on both sides.
	ioTimeout = 2 * time.Second
)

func acquire(dataDir string, onShow func(), cmd string) (func(), error) {
	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, err
	}
	if d, err := filepath.EvalSymlinks(dir); err == nil {
		dir = d
	}
	lockPath := filepath.Join(dir, lockName)
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o600) // O_CLOEXEC: Go sets it
	if err != nil {
		return nil, fmt.Errorf("cannot open the desktop app's lock: %w", err)
	}
	deadline := time.Now().Add(handoffTimeout)
	var lastErr error
	for {
		err := flock(f)
		if err == nil {
			release, err := serve(f, dir, onShow)
			if err != nil {
				f.Close() // drops the lock
				return nil, err
			}
			return release, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			if errors.Is(err, syscall.ENOLCK) || errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, syscall.ENOSYS) {
				err = noLocks{err}
			}
			return nil, fmt.Errorf("cannot lock %s: %w", lockPath, err)
		}
		pid, sock := readLock(f)
		if sock != "" {
			if lastErr = ask(sock, cmd); lastErr == nil {
				f.Close()
				return nil, ErrRunning
			}
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, noAnswer(dir, pid, lastErr)
		}
		time.Sleep(retryInterval)
	}
}

// flock takes the exclusive lock without waiting.
func flock(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err != syscall.EINTR {
			return err
		}
	}
}

// noLocks is a lock error of a file system without locks.
type noLocks struct{ err error }

func (e noLocks) Error() string        { return e.err.Error() + " (the file system has no locks)" }
func (e noLocks) Unwrap() error        { return e.err }
func (e noLocks) Is(target error) bool { return target == errors.ErrUnsupported }

// readLock reads what the holder wrote into the lock file: its process ID
// on the first line, the socket's path on the second. A holder that has
// not written it yet gives "".
func readLock(f *os.File) (pid int, sock string) {
	buf := make([]byte, 4096)
	n, _ := f.ReadAt(buf, 0)
	first, rest, ok := strings.Cut(string(buf[:n]), "\n")
	if !ok {
		return 0, ""
	}
	pid, _ = strconv.Atoi(first)
	sock, ok = strings.CutSuffix(rest, "\n")
	if !ok {
		return pid, "" // half written
	}
	return pid, sock
}

// ask sends one command to the running instance and waits for its "ok".
func ask(sock, cmd string) error {
	c, err := net.DialTimeout("unix", sock, ioTimeout)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(ioTimeout))
	if _, err := io.WriteString(c, cmd+"\n"); err != nil {
		return err
	}
	line, err := bufio.NewReader(io.LimitReader(c, 64)).ReadString('\n')
	if err != nil {
		return fmt.Errorf("no answer: %w", err)
	}
	if line != replyOK+"\n" {
		return fmt.Errorf("unexpected answer %q", line)
	}
	return nil
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

// serve makes this process the instance, holding the lock in f: it
// listens on the socket, writes where into the lock file and answers
// later instances until released.
func serve(f *os.File, dir string, onShow func()) (func(), error) {
	sock, err := socketPath(dir)
	if err != nil {
		return nil, err
	}
	// A socket left here was a crashed instance's: we hold the lock.
	if err := os.Remove(sock); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("cannot remove the old socket: %w", err)
	}
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: sock, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("cannot listen for other instances: %w", err)
	}
	l.SetUnlinkOnClose(true)
	fail := func(err error) (func(), error) {
		l.Close()
		return nil, err
	}
	if err := os.Chmod(sock, 0o600); err != nil {
		return fail(fmt.Errorf("cannot protect the socket: %w", err))
	}
	if err := f.Truncate(0); err != nil {
		return fail(fmt.Errorf("cannot write the desktop app's lock: %w", err))
	}
	if _, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"+sock+"\n"), 0); err != nil {
		return fail(fmt.Errorf("cannot write the desktop app's lock: %w", err))
	}
	s := &server{l: l, onShow: onShow, conns: map[net.Conn]bool{}}
	s.wg.Add(1)
	go s.accept()
	return sync.OnceFunc(func() {
		s.close()
		f.Truncate(0)
		f.Close() // drops the lock
	}), nil
}

// server answers later instances.
type server struct {
	l      *net.UnixListener
	onShow func()
	showMu sync.Mutex // one onShow at a time
	wg     sync.WaitGroup

	mu     sync.Mutex
	closed bool
	conns  map[net.Conn]bool
}

func (s *server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.l.AcceptUnix()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil { // out of descriptors, say: try again soon
			time.Sleep(100 * time.Millisecond)
			continue
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = true
		s.wg.Add(1)
		s.mu.Unlock()
		go s.handle(c)
	}
}

func (s *server) handle(c *net.UnixConn) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		c.Close()
	}()
	if !sameUser(c) {
		return
	}
	c.SetDeadline(time.Now().Add(ioTimeout))
	line, err := bufio.NewReader(io.LimitReader(c, 64)).ReadString('\n')
	if err != nil {
		return
	}
	switch strings.TrimSuffix(line, "\n") {
	case cmdShow:
		s.show()
	case cmdPing:
	default:
		return
	}
	io.WriteString(c, replyOK+"\n")
}

func (s *server) show() {
	if s.onShow == nil {
		return
	}
	s.showMu.Lock()
	defer s.showMu.Unlock()
	s.onShow()
}

// close stops listening (which removes the socket), ends the open
// connections and waits until no handler runs any more.
func (s *server) close() {
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.l.Close()
	s.wg.Wait()
}
