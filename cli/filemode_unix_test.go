//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestExportFileMode: an export is created with the mode the user's
// umask gives new files, not made world-readable; one written over keeps
// its mode.
func TestExportFileMode(t *testing.T) {
	dir := t.TempDir()
	news := newNewsServer(t, "Ukraine: Gipfel in Genf")
	mustRun(t, dir, "feeds", "add", news.srv.URL)
	mustRun(t, dir, "topics", "add", "Ukraine")
	mustRun(t, dir, "check")
	out := t.TempDir()
	for _, tt := range []struct {
		umask int
		want  os.FileMode
	}{{0o077, 0o600}, {0o022, 0o644}, {0o027, 0o640}} {
		old := syscall.Umask(tt.umask)
		file := filepath.Join(out, "export.csv")
		os.Remove(file)
		r := runCLI(t, dir, "export", "-o", file)
		opml := filepath.Join(out, "feeds.opml")
		os.Remove(opml)
		r2 := runCLI(t, dir, "feeds", "export", "-o", opml)
		syscall.Umask(old)
		if r.code != 0 || r2.code != 0 {
			t.Fatalf("export: %+v %+v", r, r2)
		}
		for _, f := range []string{file, opml} {
			if st, err := os.Stat(f); err != nil || st.Mode().Perm() != tt.want {
				t.Errorf("umask %03o: %s has mode %v, want %v", tt.umask, filepath.Base(f), st.Mode().Perm(), tt.want)
			}
		}
	}
	file := filepath.Join(out, "export.csv")
	if err := os.Chmod(file, 0o604); err != nil {
		t.Fatal(err)
	}
	mustRun(t, dir, "export", "-o", file)
	if st, _ := os.Stat(file); st.Mode().Perm() != 0o604 {
		t.Errorf("an export written over has mode %v, want it kept (604)", st.Mode().Perm())
	}
}
