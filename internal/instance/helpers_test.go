//go:build unix || windows

package instance

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestMain lets the test binary be a second process holding the lock:
// with NEWSWATCH_INSTANCE_CHILD=DIR it acquires DIR, says "ready", says
// "shown" whenever asked to show itself, and waits to be killed.
func TestMain(m *testing.M) {
	if dir := os.Getenv("NEWSWATCH_INSTANCE_CHILD"); dir != "" {
		var mu sync.Mutex
		_, err := Acquire(dir, func() {
			mu.Lock()
			defer mu.Unlock()
			fmt.Println("shown")
		})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("ready")
		select {}
	}
	os.Exit(m.Run())
}

// counter counts onShow calls.
type counter struct{ n atomic.Int32 }

func (c *counter) show()      { c.n.Add(1) }
func (c *counter) count() int { return int(c.n.Load()) }

func mustAcquire(t *testing.T, dir string, onShow func()) func() {
	t.Helper()
	release, err := Acquire(dir, onShow)
	if err != nil {
		t.Fatalf("Acquire(%s): %v", dir, err)
	}
	t.Cleanup(release)
	return release
}

func readLine(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	type result struct {
		s   string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		s, err := r.ReadString('\n')
		ch <- result{strings.TrimSpace(s), err}
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			t.Fatalf("reading the child: %v", res.err)
		}
		return res.s
	case <-time.After(10 * time.Second):
		t.Fatal("the child said nothing for 10 s")
		return ""
	}
}
