//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"codeberg.org/newswatch/newswatch/internal/pgtest"
)

// TestTeamPollers runs a team on one PostgreSQL database with the real
// binary: three `newswatch run --no-alerts` pollers share 300 loopback
// feeds that keep gaining stories (every feed due each minute), and one
// of them is killed with SIGKILL in the middle of its checks; two
// desktops' users follow with `newswatch run --no-poll --user a|b`.
// Then: every story is stored once; every feed was fetched by one poller
// per due time, counted by the feed server (a feed the killed poller was
// fetching may be fetched again by the poller that takes it over, once);
// the feeds the killed poller held are taken over (or paused, as a feed
// a process died reading is); and each user was told of each match
// exactly once.
func TestTeamPollers(t *testing.T) {
	url := pgtest.URL(t)
	bin := newswatchBinary(t)
	home := t.TempDir()
	env := childEnv(home)
	const feeds = 300
	news := newPollNews(t, feeds, 150*time.Millisecond)
	cli := func(user string, args ...string) string {
		return runCLI(t, bin, env, append([]string{"--data", filepath.Join(home, "cli"), "--store", url, "--user", user}, args...)...)
	}
	cli("admin", "settings", "schedule", "* * * * *")
	opml := filepath.Join(home, "team.opml")
	if err := os.WriteFile(opml, []byte(news.opml()), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := cli("admin", "feeds", "import", opml); !strings.Contains(out, fmt.Sprintf("Imported %d feeds", feeds)) {
		t.Fatalf("feeds import said: %s", out)
	}
	cli("admin", "topics", "add", "Ukraine")

	ctx := t.Context()
	db, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())

	run := func(name string, args ...string) *process {
		cmd := exec.Command(bin, append([]string{"--data", filepath.Join(home, name), "--store", url}, args...)...)
		cmd.Env = env
		p, err := start(cmd)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.stop(10 * time.Second) })
		return p
	}
	waitFor := func(what string, limit time.Duration, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(limit)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("waited %s for %s", limit, what)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	followers := map[string]*process{}
	for _, user := range []string{"a", "b"} {
		followers[user] = run("desktop-"+user, "--user", user, "run", "--no-poll")
	}
	for user, p := range followers {
		waitFor(user+"'s start", 30*time.Second, func() bool { return strings.Contains(p.stdout.String(), "is checking") || p.exited() })
		if p.exited() {
			t.Fatalf("%s's newswatch run ended:\n%s", user, p.output())
		}
	}
	// The first checks (all feeds are due) and the kill; the feeds are
	// due again at the next minute (the first checks may run into it:
	// a feed checked after it is due at the minute after).
	started := time.Now()
	next := started.Truncate(time.Minute).Add(time.Minute) // the second due time
	stopGrowing := make(chan struct{})
	go news.grow(stopGrowing, 100*time.Millisecond, 3)
	var pollers []*process
	for i := range 3 {
		pollers = append(pollers, run(fmt.Sprintf("poller-%d", i), "--user", "server", "run", "--no-alerts", "--lease-timeout", "5s"))
	}

	// Kill the first poller with SIGKILL while it holds leases of feeds
	// it is fetching.
	victim := pollers[0]
	pid := strconv.Itoa(victim.cmd.Process.Pid)
	heldBy := func() []int64 {
		rows, err := db.Query(ctx, `SELECT feed_id FROM feed_leases WHERE split_part(owner, ' ', 2) = $1 ORDER BY feed_id`, pid)
		if err != nil {
			t.Fatal(err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	waitFor("the first poller to fetch its feeds", 60*time.Second, func() bool {
		return news.requests() >= 30 && len(heldBy()) > 0
	})
	_ = victim.cmd.Process.Signal(syscall.SIGKILL)
	<-victim.done
	killed := time.Now()
	news.setMark()
	held := heldBy()
	t.Logf("killed poller %s at %s holding %d feeds, after %d requests", pid, killed.Format("15:04:05.000"), len(held), news.requests())

	// The feeds are due again at the next minute: all of them are
	// fetched then, but those the killed poller held that were paused.
	deadline := time.Now().Add(90 * time.Second)
	for !time.Now().After(next) || news.feedsRequestedSince(next) < feeds-len(held) {
		if time.Now().After(deadline) {
			var dues []string
			rows, _ := db.Query(ctx, `SELECT to_char(to_timestamp(due / 1000.0), 'HH24:MI:SS.MS') || ' ' || spec || ' ' || owner, count(*)
				FROM feed_leases GROUP BY 1 ORDER BY 1`)
			for rows.Next() {
				var d string
				var n int
				_ = rows.Scan(&d, &n)
				dues = append(dues, fmt.Sprintf("%s: %d", d, n))
			}
			rows.Close()
			_ = pollers[1].cmd.Process.Signal(syscall.SIGQUIT)
			<-pollers[1].done
			t.Fatalf("%d feeds fetched since %s, want %d; leases due:\n%s\na poller's output:\n%s", news.feedsRequestedSince(next),
				next.Format("15:04:05"), feeds-len(held), strings.Join(dues, "\n"), pollers[1].output())
		}
		time.Sleep(50 * time.Millisecond)
	}
	waitFor("no more requests", 30*time.Second, func() bool { // the checks end
		n := news.requests()
		time.Sleep(2 * time.Second)
		return news.requests() == n
	})
	close(stopGrowing)
	for i, p := range pollers[1:] {
		if !p.stop(30 * time.Second) {
			t.Errorf("poller %d did not stop on SIGTERM:\n%s", i+1, p.output())
		}
	}

	// Every story served to a live poller is stored, and once.
	rows, err := db.Query(ctx, `SELECT link, count(*) FROM articles GROUP BY link`)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]int{}
	for rows.Next() {
		var l string
		var n int
		if err := rows.Scan(&l, &n); err != nil {
			t.Fatal(err)
		}
		stored[l] = n
	}
	rows.Close()
	news.mu.Lock()
	after := maps.Clone(news.after)
	reqs := slices.Clone(news.reqs)
	news.mu.Unlock()
	if len(after) < feeds {
		t.Errorf("only %d stories were served after the kill", len(after))
	}
	missing := 0
	for l := range after {
		if stored[l] == 0 {
			if missing++; missing <= 5 {
				t.Errorf("story %s was served but is not stored", l)
			}
		}
	}
	for l, n := range stored {
		if n != 1 {
			t.Errorf("story %s is stored %d times", l, n)
		}
	}

	// One poller per feed and due time, as the feed server counts.
	wasHeld := map[int64]bool{}
	for _, id := range held {
		wasHeld[id] = true
	}
	feedID := map[string]int64{}
	rows, _ = db.Query(ctx, `SELECT id, url FROM feeds`)
	for rows.Next() {
		var id int64
		var u string
		_ = rows.Scan(&id, &u)
		feedID[u] = id
	}
	rows.Close()
	var paused int
	for i, rs := range reqs {
		id := feedID[news.url(i)]
		type slot struct {
			minute    time.Time
			afterKill bool
		}
		per := map[slot]int{}
		inNext := 0
		for _, r := range rs {
			s := slot{minute: r.Truncate(time.Minute)}
			if wasHeld[id] { // before the kill its poller may have fetched it
				s.afterKill = r.After(killed)
			}
			if per[s]++; per[s] == 2 {
				t.Errorf("feed %d was fetched more than once for the due time %s: %v", i, s.minute.Format("15:04"), rs)
			}
			if !r.Before(next) {
				inNext++
			}
		}
		switch {
		case len(rs) == 0:
			t.Errorf("feed %d was never fetched", i)
		case inNext == 0 && !wasHeld[id]:
			t.Errorf("feed %d was not fetched at its second due time %s: %v", i, next.Format("15:04"), rs)
		case inNext == 0:
			var retry int64
			_ = db.QueryRow(ctx, `SELECT retry_at FROM feeds WHERE id = $1`, id).Scan(&retry)
			if time.UnixMilli(retry).Before(time.Now()) {
				t.Errorf("feed %d, held by the killed poller, was neither taken over nor paused: %v", i, rs)
			}
			paused++
		}
	}
	t.Logf("%d requests for %d feeds; %d stories stored, %d served after the kill; %d feeds paused after the kill",
		news.requests(), feeds, len(stored), len(after), paused)

	// Each user is told of each match once.
	var want []string
	rows, err = db.Query(ctx, `SELECT a.link FROM matches m JOIN articles a ON a.id = m.article_id
		JOIN topics t ON t.id = m.topic_id WHERE t.name = 'Ukraine' AND m.seq IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	if want, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		t.Fatal(err)
	}
	if len(want) < feeds {
		t.Fatalf("only %d matches stored", len(want))
	}
	for user, p := range followers {
		waitFor(user+"'s claims", 60*time.Second, func() bool { return len(printedMatches(p.stdout.String(), "Ukraine")) >= len(want) })
		if !p.stop(30 * time.Second) {
			t.Errorf("%s's newswatch run did not stop on SIGTERM", user)
		}
		got := printedMatches(p.stdout.String(), "Ukraine")
		for _, l := range want {
			if got[l] != 1 {
				t.Errorf("%s was told of the match %s %d times", user, l, got[l])
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s was told of %d matches, the database has %d", user, len(got), len(want))
		}
	}
	if t.Failed() {
		t.Logf("a poller's output:\n%s", pollers[1].output())
	}
}
