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
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/internal/wintest"
)

// A data directory with a space and letters beyond ASCII in its path, as
// under C:\Users\Jürgen Weiß.
func windowsDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(wintest.TempDir(t), "Jürgen Weiß", "Newswatch")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return dir
}

func lockText(t *testing.T, dir string) (pid int, address string) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, lockName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return readLock(f)
}

func TestWindowsSecondInstanceHandsOver(t *testing.T) {
	dir := windowsDir(t)
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
	if _, err := AcquireQuietly(dir, second.show); !errors.Is(err, ErrRunning) {
		t.Fatalf("AcquireQuietly: %v; want ErrRunning", err)
	}
	if first.count() != 3 || second.count() != 0 {
		t.Errorf("onShow calls: first %d (want 3), second %d (want 0)", first.count(), second.count())
	}
	// The lock file stays readable while locked, and names a loopback
	// port with a key.
	pid, address := lockText(t, dir)
	if pid != os.Getpid() || !regexp.MustCompile(`^127\.0\.0\.1:\d+ [0-9a-f]{32}$`).MatchString(address) {
		t.Errorf("lock file holds %d, %q; want %d and 127.0.0.1:PORT KEY", pid, address, os.Getpid())
	}
}

func TestWindowsReleaseThenAcquireAgain(t *testing.T) {
	dir := windowsDir(t)
	var first, second counter
	release := mustAcquire(t, dir, first.show)
	release()
	release()
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
func TestWindowsConcurrentStarts(t *testing.T) {
	dir := windowsDir(t)
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

// Another process holds the directory: a start hands over to it; once it
// is killed (TerminateProcess: no clean-up), its lock does not matter.
func TestWindowsKilledHolderDoesNotBlock(t *testing.T) {
	dir := windowsDir(t)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "NEWSWATCH_INSTANCE_CHILD="+dir)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	out := bufio.NewReader(stdout)
	if line := readLine(t, out); line != "ready" {
		t.Fatalf("child said %q", line)
	}
	if _, err := Acquire(dir, nil); !errors.Is(err, ErrRunning) {
		t.Fatalf("Acquire while the child holds the directory: %v; want ErrRunning", err)
	}
	if line := readLine(t, out); line != "shown" {
		t.Fatalf("child said %q, want shown", line)
	}
	if pid, _ := lockText(t, dir); pid != cmd.Process.Pid {
		t.Errorf("lock file names process %d, want the child's %d", pid, cmd.Process.Pid)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	var shown counter
	mustAcquire(t, dir, shown.show)
	if _, err := Acquire(dir, nil); !errors.Is(err, ErrRunning) || shown.count() != 1 {
		t.Errorf("after taking over: %v, %d shows; want ErrRunning, 1", err, shown.count())
	}
}

// A client without the key, or with a wrong one, is not answered and
// shows nothing.
func TestWindowsStrangerIsNotAnswered(t *testing.T) {
	defer func(i time.Duration) { ioTimeout = i }(ioTimeout)
	ioTimeout = 300 * time.Millisecond
	dir := windowsDir(t)
	var shown counter
	mustAcquire(t, dir, shown.show)
	_, address := lockText(t, dir)
	hostPort, key, _ := strings.Cut(address, " ")
	wrong := strings.Repeat("0", len(key))
	for _, hello := range []string{"show\n", wrong + "\nshow\n", key[:len(key)-1] + "\nshow\n"} {
		c, err := net.Dial("tcp", hostPort)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(c, hello)
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		b, err := io.ReadAll(c)
		c.Close()
		if len(b) != 0 {
			t.Errorf("%q got %q, %v; want the connection closed", hello, b, err)
		}
	}
	if shown.count() != 0 {
		t.Errorf("%d shows", shown.count())
	}
	// The right key is answered.
	if err := ask(address, cmdPing); err != nil {
		t.Errorf("ping with the key: %v", err)
	}
}

// A holder that does not answer is reported, not waited for forever; a
// lock file naming another computer is not followed.
func TestWindowsSilentHolderIsReported(t *testing.T) {
	defer func(h, i time.Duration) { handoffTimeout, ioTimeout = h, i }(handoffTimeout, ioTimeout)
	handoffTimeout, ioTimeout = 300*time.Millisecond, 200*time.Millisecond
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close() // accepted, never answered
		}
	}()
	key := strings.Repeat("ab", keyLen/2)
	for _, c := range []struct{ address, want string }{
		{silent.Addr().String() + " " + key, "does not answer"},
		{"192.0.2.1:80 " + key, "not this computer"},
	} {
		dir := windowsDir(t)
		f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		if busy, err := tryLock(f); busy || err != nil {
			t.Fatalf("tryLock: %v, %v", busy, err)
		}
		fmt.Fprintf(f, "4242\n%s\n", c.address)
		release, err := Acquire(dir, nil)
		if err == nil {
			release()
			t.Fatal("Acquire succeeded while another handle holds the lock")
		}
		if errors.Is(err, ErrRunning) || !strings.Contains(err.Error(), "process 4242") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %q; want one that says process 4242 does not answer, and %q", err, c.want)
		}
		unlock(f)
		f.Close()
	}
}
