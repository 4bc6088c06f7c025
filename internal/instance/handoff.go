//go:build unix || windows

package instance

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// lockName is the lock file in the data directory.
const lockName = "desktop.lock"

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

// The system's part (instance_unix.go, instance_windows.go):
//
//	tryLock(f) (busy bool, err error)  takes the exclusive lock on the lock file without waiting;
//	                                   busy when another process holds it
//	unlock(f)                          gives it up (closing f does too)
//	listen(dir) (*endpoint, error)     starts answering for the instance on dir
//	dial(address) (net.Conn, error)    connects to the instance at address, ready for a command

// endpoint is where the instance answers later ones.
type endpoint struct {
	l net.Listener
	// address is written into the lock file; dial reads it back.
	address string
	// admit reports whether the peer of a new connection may send a
	// command; it runs under the connection's deadline.
	admit func(c net.Conn) bool
}

func acquire(dataDir string, onShow func(), cmd string) (func(), error) {
	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, err
	}
	if d, err := filepath.EvalSymlinks(dir); err == nil {
		dir = d
	}
	lockPath := filepath.Join(dir, lockName)
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o600) // not inherited: Go sets O_CLOEXEC
	if err != nil {
		return nil, fmt.Errorf("cannot open the desktop app's lock: %w", err)
	}
	deadline := time.Now().Add(handoffTimeout)
	var lastErr error
	for {
		busy, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("cannot lock %s: %w", lockPath, err)
		}
		if !busy {
			release, err := serve(f, dir, onShow)
			if err != nil {
				unlock(f)
				f.Close()
				return nil, err
			}
			return release, nil
		}
		pid, address := readLock(f)
		if address != "" {
			if lastErr = ask(address, cmd); lastErr == nil {
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

// noLocks is a lock error of a file system without locks.
type noLocks struct{ err error }

func (e noLocks) Error() string        { return e.err.Error() + " (the file system has no locks)" }
func (e noLocks) Unwrap() error        { return e.err }
func (e noLocks) Is(target error) bool { return target == errors.ErrUnsupported }

// readLock reads what the holder wrote into the lock file: its process ID
// on the first line, the address it answers on on the second. A holder
// that has not written it yet gives "".
func readLock(f *os.File) (pid int, address string) {
	buf := make([]byte, 4096)
	n, _ := f.ReadAt(buf, 0)
	first, rest, ok := strings.Cut(string(buf[:n]), "\n")
	if !ok {
		return 0, ""
	}
	pid, _ = strconv.Atoi(first)
	address, ok = strings.CutSuffix(rest, "\n")
	if !ok {
		return pid, "" // half written
	}
	return pid, address
}

// ask sends one command to the running instance and waits for its "ok".
func ask(address, cmd string) error {
	c, err := dial(address)
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

// serve makes this process the instance, holding the lock in f: it
// listens, writes where into the lock file and answers later instances
// until released.
func serve(f *os.File, dir string, onShow func()) (func(), error) {
	ep, err := listen(dir)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (func(), error) {
		ep.l.Close()
		return nil, err
	}
	if err := f.Truncate(0); err != nil {
		return fail(fmt.Errorf("cannot write the desktop app's lock: %w", err))
	}
	if _, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"+ep.address+"\n"), 0); err != nil {
		return fail(fmt.Errorf("cannot write the desktop app's lock: %w", err))
	}
	s := &server{ep: ep, onShow: onShow, conns: map[net.Conn]bool{}}
	s.wg.Add(1)
	go s.accept()
	return sync.OnceFunc(func() {
		s.close()
		f.Truncate(0)
		unlock(f)
		f.Close()
	}), nil
}

// server answers later instances.
type server struct {
	ep     *endpoint
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
		c, err := s.ep.l.Accept()
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

func (s *server) handle(c net.Conn) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		c.Close()
	}()
	c.SetDeadline(time.Now().Add(ioTimeout))
	if !s.ep.admit(c) {
		return
	}
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

// close stops listening (which removes a Unix socket), ends the open
// connections and waits until no handler runs any more.
func (s *server) close() {
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.ep.l.Close()
	s.wg.Wait()
}
