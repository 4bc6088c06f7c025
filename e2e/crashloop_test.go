//go:build e2e

package e2e

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// TestCrashWhileReadingDoesNotLoop: a `newswatch check` dies (SIGKILL,
// as the kernel's OOM killer would kill it) while it reads a feed's body.
// The next check must not read that feed again — it would die the same
// way, at every start — but finish, print the good feed's match, and
// report the feed as paused; so must the check after it.
func TestCrashWhileReadingDoesNotLoop(t *testing.T) {
	bin := newswatchBinary(t)

	// The heavy feed takes gofeed a while to read: the window in which
	// its reading mark is set. The good feed has a story about Ukraine.
	var heavy strings.Builder
	heavy.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Schwerer Feed</title>`)
	for i := range 90_000 {
		fmt.Fprintf(&heavy, "<item><guid>h%d</guid><title>Meldung %d aus aller Welt</title><description>Kurz.</description></item>", i, i)
	}
	heavy.WriteString(`</channel></rss>`)
	var heavyGets atomic.Int64
	heavySrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		heavyGets.Add(1)
		w.Write([]byte(heavy.String()))
	}))
	defer heavySrv.Close()
	good := newFeedServer(t, "Gute Nachrichten")
	good.add(story{title: "Ukraine erhält Hilfe", guid: "good-1", description: "Neue Zusagen.", published: time.Now()})

	var data string
	var env []string
	caught := false
	for attempt := 1; attempt <= 5 && !caught; attempt++ {
		home := t.TempDir()
		data, env = filepath.Join(home, "data"), childEnv(home)
		runCLI(t, bin, env, "--data", data, "feeds", "add", heavySrv.URL, "--no-check")
		runCLI(t, bin, env, "--data", data, "feeds", "add", good.feedURL(), "--no-check")
		runCLI(t, bin, env, "--data", data, "topics", "add", "Ukraine")
		caught = killAtMark(t, bin, env, data, heavySrv.URL)
	}
	if !caught {
		t.Fatal("in 5 attempts the check never was seen reading the heavy feed before it finished")
	}
	gets := heavyGets.Load()

	for i := 1; i <= 2; i++ {
		out := runCLI(t, bin, env, "--data", data, "check")
		t.Logf("check %d after the crash:\n%s", i, out)
		if n := heavyGets.Load(); n != gets {
			t.Fatalf("check %d read the feed the crashed process was reading (%d requests)", i, n-gets)
		}
		wantPaused := "waiting  " + heavySrv.URL + ": paused until "
		if !strings.Contains(out, wantPaused) || !strings.Contains(out, "after Newswatch stopped while reading it.") {
			t.Errorf("check %d does not report the feed as paused (%q)", i, wantPaused)
		}
		if i == 1 && !strings.Contains(out, "[Ukraine] Gute Nachrichten — Ukraine erhält Hilfe") {
			t.Errorf("the good feed's match was not printed")
		}
	}
	list := runCLI(t, bin, env, "--data", data, "feeds", "list")
	if !strings.Contains(list, "Newswatch stopped while reading this feed; it is paused until ") {
		t.Errorf("feeds list does not give the feed's health:\n%s", list)
	}
}

// killAtMark starts `newswatch check`, watches the database for the
// process's reading mark on the feed, and kills the process with SIGKILL
// while the mark is set. It reports false when the check finished first.
func killAtMark(t *testing.T, bin string, env []string, data, feedURL string) bool {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "newswatch.db")+"?_pragma=busy_timeout(5000)&mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const marked = `SELECT count(*) FROM reading r JOIN feeds f ON f.id = r.feed_id WHERE f.url = ?`
	cmd := exec.Command(bin, "--data", data, "check")
	cmd.Env = env
	p, err := start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if !p.exited() {
			p.cmd.Process.Kill()
			<-p.done
		}
	}()
	for !p.exited() {
		var n int
		if db.QueryRow(marked, feedURL).Scan(&n) == nil && n > 0 {
			_ = p.cmd.Process.Signal(syscall.SIGKILL)
			<-p.done
			ws, _ := p.cmd.ProcessState.Sys().(syscall.WaitStatus)
			if !ws.Signaled() {
				return false // it finished between the look and the kill
			}
			// Dead, and the mark is still there: it died reading.
			if db.QueryRow(marked, feedURL).Scan(&n); n == 0 {
				return false
			}
			t.Logf("killed the check while it read %s", feedURL)
			return true
		}
		time.Sleep(time.Millisecond)
	}
	t.Logf("the check finished before it was seen reading the feed:\n%s", p.output())
	return false
}

// liftCrashPauses ends the pauses of feeds that a check died reading, as
// the pause running out would: the kill test kills checks at random, also
// while they read a feed, and needs every feed checked again in the next
// round (and in the final check) instead of minutes later. It returns how
// many pauses it lifted.
func liftCrashPauses(t *testing.T, dbPath string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=busy_timeout(15000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Exec(`UPDATE feeds SET retry_at = 0, failures = 0, last_error = '', last_error_msg = ''
		WHERE last_error_msg LIKE '%stopped while reading this feed%'`)
	if err != nil {
		t.Fatalf("lift the crash pauses: %v", err)
	}
	n, _ := res.RowsAffected()
	return int(n)
}
