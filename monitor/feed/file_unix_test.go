//go:build unix

package feed

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestFileThatIsNotRegular: a named pipe nobody writes to, a device and a
// folder are refused at once, instead of blocking the cycle or reading
// forever.
func TestFileThatIsNotRegular(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "feed.xml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("cannot make a named pipe: %v", err)
	}
	tests := []struct{ path, want string }{
		{fifo, "is not a regular file (but a named pipe, a device or a socket)"},
		{"/dev/zero", "is not a regular file"},
		{t.TempDir(), "is a folder, not a feed file"},
	}
	for _, tt := range tests {
		done := make(chan error, 1)
		go func() {
			_, err := testFetcher().Fetch(context.Background(), Request{URL: tt.path})
			done <- err
		}()
		select {
		case err := <-done:
			var fe *Error
			if !errors.As(err, &fe) || fe.Kind != KindFile || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: %v, want %q", tt.path, err, tt.want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("fetching %s blocks", tt.path)
		}
	}
}
