package cli

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// tmpfs mounts a small file system for the test, or skips when this is
// not possible (not root, no mount).
func tmpfs(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a small file system")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

func remountReadOnly(t *testing.T, dir string) {
	t.Helper()
	if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
		t.Fatalf("remount read-only: %v %s", err, out)
	}
}

// integrity checks the database file.
func integrity(t *testing.T, dir string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "newswatch.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil {
		return err.Error()
	}
	return res
}

// bigFeedFile writes a feed with n long items to a file.
func bigFeedFile(t *testing.T, n int) string {
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>Viel</title>`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "<item><guid>g%d</guid><title>Ukraine Meldung %d</title><description>%s</description></item>",
			i, i, strings.Repeat(fmt.Sprintf("Wort%d ", i), 200))
	}
	b.WriteString("</channel></rss>")
	path := filepath.Join(t.TempDir(), "viel.xml")
	os.WriteFile(path, []byte(b.String()), 0o600)
	return path
}

func TestFullDisk(t *testing.T) {
	dir := filepath.Join(tmpfs(t, "2m"), "data")
	small := newNewsServer(t, "Ukraine: eins", "Ukraine: zwei")
	mustRun(t, dir, "feeds", "add", small.srv.URL, "--no-check")
	mustRun(t, dir, "topics", "add", "Ukraine")
	mustRun(t, dir, "check")
	mustRun(t, dir, "feeds", "add", bigFeedFile(t, 4000), "--no-check")

	r := runCLI(t, dir, "check")
	t.Logf("check on a full disk: exit %d\n%s%s", r.code, r.out, r.err)
	if !strings.Contains(r.out+r.err, "is full") {
		t.Fatalf("a full disk was not explained:\nstdout %s\nstderr %s", r.out, r.err)
	}
	if res := integrity(t, dir); res != "ok" {
		t.Fatalf("integrity after a full disk: %s", res)
	}
	// What was stored before is still there and can be read.
	out := mustRun(t, dir, "export")
	if !strings.Contains(out, "Ukraine: eins") || !strings.Contains(out, "Ukraine: zwei") {
		t.Fatalf("earlier stories lost:\n%s", out)
	}
}

func TestReadOnlyDataDir(t *testing.T) {
	mnt := tmpfs(t, "8m")
	dir := filepath.Join(mnt, "data")
	news := newNewsServer(t, "Ukraine: eins")
	mustRun(t, dir, "feeds", "add", news.srv.URL, "--no-check")
	mustRun(t, dir, "topics", "add", "Ukraine")
	mustRun(t, dir, "check")
	before, _ := os.ReadFile(filepath.Join(dir, "newswatch.db"))
	remountReadOnly(t, mnt)

	for _, args := range [][]string{{"topics", "add", "Nordkorea"}, {"check"}, {"feeds", "list"}} {
		r := runCLI(t, dir, args...)
		if r.code != 1 || !strings.Contains(r.err, "is read-only") {
			t.Errorf("newswatch %s on a read-only directory: exit %d, %q — want a message that says read-only", strings.Join(args, " "), r.code, r.err)
		}
	}
	after, _ := os.ReadFile(filepath.Join(dir, "newswatch.db"))
	if string(before) != string(after) {
		t.Error("the database changed")
	}
}
