//go:build unix

package instance

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestSecondInstanceHandsOver(t *testing.T) {
	dir := t.TempDir()
	var first, second counter
	mustAcquire(t, dir, first.show)
	for i := 1; i <= 3; i++ {
		release, err := Acquire(dir, second.show)
		if !errors.Is(err, ErrRunning) || release != nil {
			t.Fatalf("second Acquire: %v, %v; want ErrRunning", release != nil, err)
		}
		if first.count() != i {
			t.Fatalf("the first instance was asked to show itself %d times, want %d", first.count(), i)
		}
	}
	// A quiet start does not bring the window up.
	if _, err := AcquireQuietly(dir, second.show); !errors.Is(err, ErrRunning) {
		t.Fatalf("AcquireQuietly: %v; want ErrRunning", err)
	}
	if first.count() != 3 || second.count() != 0 {
		t.Errorf("onShow calls: first %d (want 3), second %d (want 0)", first.count(), second.count())
	}
	// The socket is the user's only; the lock file names it.
	sock := filepath.Join(dir, socketName)
	if fi, err := os.Stat(sock); err != nil || fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket %s: %v, %v; want a socket with mode 0600", sock, fi, err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, lockName))
	if want := fmt.Sprintf("%d\n%s\n", os.Getpid(), sock); string(data) != want {
		t.Errorf("lock file holds %q, want %q", data, want)
	}
}

func TestReleaseThenAcquireAgain(t *testing.T) {
	dir := t.TempDir()
	var first, second counter
	release := mustAcquire(t, dir, first.show)
	release()
	release() // twice is fine
	if _, err := os.Stat(filepath.Join(dir, socketName)); !os.IsNotExist(err) {
		t.Errorf("socket left after release: %v", err)
	}
	start := time.Now()
	mustAcquire(t, dir, second.show)
	if d := time.Since(start); d > time.Second {
		t.Errorf("acquiring a released directory took %v", d)
	}
	if _, err := Acquire(dir, nil); !errors.Is(err, ErrRunning) {
		t.Fatalf("third Acquire: %v; want ErrRunning", err)
	}
	if first.count() != 0 || second.count() != 1 {
		t.Errorf("onShow calls: released instance %d (want 0), new one %d (want 1)", first.count(), second.count())
	}
}

// Many starts at once: exactly one wins, every other one hands over.
func TestConcurrentStarts(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	var shown counter
	var wg sync.WaitGroup
	var won, handed atomic.Int32
	var mu sync.Mutex
	var releases []func()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, err := Acquire(dir, shown.show)
			switch {
			case err == nil:
				won.Add(1)
				mu.Lock()
				releases = append(releases, release)
				mu.Unlock()
			case errors.Is(err, ErrRunning):
				handed.Add(1)
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for _, r := range releases {
		r()
	}
	if won.Load() != 1 || handed.Load() != n-1 || shown.count() != n-1 {
		t.Errorf("%d won, %d handed over, %d shows; want 1, %d, %d", won.Load(), handed.Load(), shown.count(), n-1, n-1)
	}
}

// startChild starts a process that holds dir, and returns it with its
// output once it is ready.
func startChild(t *testing.T, dir string) (*exec.Cmd, *bufio.Reader) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "NEWSWATCH_INSTANCE_CHILD="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGCONT)
		cmd.Process.Kill()
		cmd.Wait()
	})
	r := bufio.NewReader(out)
	if line := readLine(t, r); line != "ready" {
		t.Fatalf("child said %q", line)
	}
	return cmd, r
}

// Another process holds the directory: a start hands over to it; once it
// is killed (SIGKILL: no clean-up), its lock and socket do not matter.
func TestKilledHolderDoesNotBlock(t *testing.T) {
	dir := t.TempDir()
	child, out := startChild(t, dir)
	if _, err := Acquire(dir, nil); !errors.Is(err, ErrRunning) {
		t.Fatalf("Acquire while the child holds the directory: %v; want ErrRunning", err)
	}
	if line := readLine(t, out); line != "shown" {
		t.Fatalf("child said %q, want shown", line)
	}
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	child.Wait()
	if _, err := os.Stat(filepath.Join(dir, socketName)); err != nil {
		t.Fatalf("the killed child left no socket (so this tests nothing): %v", err)
	}
	start := time.Now()
	var shown counter
	mustAcquire(t, dir, shown.show)
	if d := time.Since(start); d > time.Second {
		t.Errorf("acquiring after the holder was killed took %v", d)
	}
	if _, err := Acquire(dir, nil); !errors.Is(err, ErrRunning) || shown.count() != 1 {
		t.Errorf("after taking over: %v, %d shows; want ErrRunning, 1", err, shown.count())
	}
}

// A holder that does not answer (stopped) is reported, not waited for
// forever, and not taken for a successful handoff.
func TestStoppedHolderIsReported(t *testing.T) {
	defer func(h, i time.Duration) { handoffTimeout, ioTimeout = h, i }(handoffTimeout, ioTimeout)
	handoffTimeout, ioTimeout = 300*time.Millisecond, 200*time.Millisecond
	dir := t.TempDir()
	child, _ := startChild(t, dir)
	if err := child.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	waitStopped(t, child.Process.Pid)
	start := time.Now()
	release, err := Acquire(dir, nil)
	if err == nil {
		release()
		t.Fatal("Acquire succeeded while a stopped process holds the lock")
	}
	if errors.Is(err, ErrRunning) || !strings.Contains(err.Error(), "does not answer") ||
		!strings.Contains(err.Error(), fmt.Sprint(child.Process.Pid)) {
		t.Errorf("error %q; want one that says process %d does not answer", err, child.Process.Pid)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("gave up after %v", d)
	}
	t.Log(err)
}

// waitStopped waits until every thread of a process is stopped: the
// signal is delivered asynchronously, and a thread still running could
// answer. Without /proc (not Linux), it waits a little.
func waitStopped(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		stats, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/stat", pid))
		if len(stats) == 0 {
			time.Sleep(200 * time.Millisecond)
			return
		}
		stopped := true
		for _, p := range stats {
			b, err := os.ReadFile(p)
			// The state follows the command name in parentheses.
			if i := strings.LastIndexByte(string(b), ')'); err != nil || i < 0 || i+2 >= len(b) || (b[i+2] != 'T' && b[i+2] != 't') {
				stopped = false
			}
		}
		if stopped {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("process %d did not stop", pid)
}

// The data directory is deep: the socket moves to $XDG_RUNTIME_DIR, or
// else to a private directory in $TMPDIR.
func TestLongDataDirectory(t *testing.T) {
	deep := filepath.Join(t.TempDir(), strings.Repeat("a-rather-long-directory-name/", 5), "newswatch")
	if err := os.MkdirAll(deep, 0o700); err != nil {
		t.Fatal(err)
	}
	if len(filepath.Join(deep, socketName)) <= maxSocketPath {
		t.Fatal("the directory is not deep enough")
	}
	runtime, tmp := t.TempDir(), t.TempDir()
	for _, c := range []struct {
		name, runtimeDir, wantDir string
	}{
		{"runtime dir", runtime, runtime},
		{"no runtime dir", "", filepath.Join(tmp, fmt.Sprintf("newswatch-%d", os.Getuid()))},
		{"relative runtime dir", "run/user", filepath.Join(tmp, fmt.Sprintf("newswatch-%d", os.Getuid()))},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("XDG_RUNTIME_DIR", c.runtimeDir)
			t.Setenv("TMPDIR", tmp)
			var shown counter
			release := mustAcquire(t, deep, shown.show)
			sock := readLockSocket(t, deep)
			if filepath.Dir(sock) != c.wantDir || len(sock) > maxSocketPath {
				t.Errorf("socket at %s, want it in %s", sock, c.wantDir)
			}
			if fi, err := os.Stat(sock); err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("socket %s: %v, %v; want mode 0600", sock, fi, err)
			}
			if fi, err := os.Stat(c.wantDir); c.wantDir != runtime && (err != nil || fi.Mode().Perm() != 0o700) {
				t.Errorf("socket directory %s: %v, %v; want mode 0700", c.wantDir, fi, err)
			}
			if _, err := Acquire(deep, nil); !errors.Is(err, ErrRunning) || shown.count() != 1 {
				t.Errorf("second Acquire: %v, %d shows; want ErrRunning, 1", err, shown.count())
			}
			release()
			if _, err := os.Stat(sock); !os.IsNotExist(err) {
				t.Errorf("socket left after release: %v", err)
			}
		})
	}
}

func readLockSocket(t *testing.T, dir string) string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, lockName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, sock := readLock(f)
	return sock
}

// The same directory by another name (a symbolic link) is the same.
func TestSymlinkedDirectory(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	var shown counter
	mustAcquire(t, dir, shown.show)
	if _, err := Acquire(link, nil); !errors.Is(err, ErrRunning) || shown.count() != 1 {
		t.Errorf("Acquire by the link: %v, %d shows; want ErrRunning, 1", err, shown.count())
	}
}

// Whatever a crash left in the socket's place is removed; a client that
// sends something else gets no answer and shows nothing.
func TestStaleFilesAndStrangers(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, socketName), []byte("junk"), 0o600)
	os.WriteFile(filepath.Join(dir, lockName), []byte("12345\n/nonexistent/socket\n"), 0o600)
	var shown counter
	mustAcquire(t, dir, shown.show)
	c, err := net.Dial("unix", filepath.Join(dir, socketName))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "rm -rf /\n")
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if b, err := io.ReadAll(c); len(b) != 0 || err != nil {
		t.Errorf("a stranger's command got %q, %v; want the connection closed", b, err)
	}
	if shown.count() != 0 {
		t.Errorf("%d shows", shown.count())
	}
}

// A client that connects and says nothing does not hold up release.
func TestReleaseWithSilentClient(t *testing.T) {
	dir := t.TempDir()
	release := mustAcquire(t, dir, nil)
	c, err := net.Dial("unix", filepath.Join(dir, socketName))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	time.Sleep(50 * time.Millisecond) // let it be accepted
	start := time.Now()
	release()
	if d := time.Since(start); d > ioTimeout/2 {
		t.Errorf("release took %v", d)
	}
}

// onShow never runs after release returned.
func TestNoShowAfterRelease(t *testing.T) {
	dir := t.TempDir()
	var released atomic.Bool
	var late atomic.Int32
	release := mustAcquire(t, dir, func() {
		time.Sleep(time.Millisecond)
		if released.Load() {
			late.Add(1)
		}
	})
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				ask(filepath.Join(dir, socketName), cmdShow)
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	release()
	released.Store(true)
	time.Sleep(50 * time.Millisecond)
	close(stop)
	wg.Wait()
	if late.Load() != 0 {
		t.Errorf("onShow ran %d times after release returned", late.Load())
	}
}

// A private directory that is not ours is refused, not used.
func TestForeignPrivateDirectory(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to make a directory of another user")
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Setenv("XDG_RUNTIME_DIR", "")
	foreign := filepath.Join(tmp, "newswatch-0")
	if err := os.Mkdir(foreign, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(foreign, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	deep := filepath.Join(t.TempDir(), strings.Repeat("x", 120))
	if err := os.Mkdir(deep, 0o700); err != nil {
		t.Fatal(err)
	}
	release, err := Acquire(deep, nil)
	if err == nil {
		release()
		t.Fatal("Acquire used another user's directory")
	}
	t.Log(err)
	// The failed attempt left the lock free.
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	mustAcquire(t, deep, nil)
}
