//go:build e2e

package e2e

import (
	"database/sql"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// TestKillDuringChecks kills `newswatch check` with SIGKILL at random
// moments — before, during and after its database writes, sometimes with
// a second check running on the same data directory — while its feeds
// keep gaining stories, and then checks Newswatch's promises: the
// database is intact, every story the feeds published is stored, every
// story about a topic is a match, and no match is printed twice.
//
// NEWSWATCH_KILLS sets the number of iterations (default 25; the long run
// is e.g. NEWSWATCH_KILLS=500), NEWSWATCH_KILL_SEED the random seed (the
// kill timings still vary from run to run). Only the command line runs:
// no X server or D-Bus is needed. On failure the data directory is kept
// and its path logged.
func TestKillDuringChecks(t *testing.T) {
	kills := 25
	if s := os.Getenv("NEWSWATCH_KILLS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("NEWSWATCH_KILLS=%q: want a positive number", s)
		}
		kills = n
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("NEWSWATCH_KILL_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("NEWSWATCH_KILL_SEED=%q: want a number", s)
		}
		seed = n
	}
	t.Logf("%d iterations, seed %d (rerun with NEWSWATCH_KILL_SEED=%d)", kills, seed, seed)

	bin := newswatchBinary(t)
	root, err := os.MkdirTemp("", "newswatch-crash-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { // runs last: after every process is gone
		if t.Failed() {
			t.Logf("the data directory is kept for inspection: %s", filepath.Join(root, "data"))
			return
		}
		os.RemoveAll(root)
	})
	home, data := filepath.Join(root, "home"), filepath.Join(root, "data")
	env := childEnv(home)
	dbPath := filepath.Join(data, "newswatch.db")

	news := newCrashNews(t, seed, 6, 3)
	for _, f := range news.feeds {
		runCLI(t, bin, env, "--data", data, "feeds", "add", f.url(), "--no-check")
	}
	runCLI(t, bin, env, "--data", data, "topics", "add", "Ukraine")

	var runs []*crashRun
	var cycle ewma // a normal check's duration, start to exit
	rng := rand.New(rand.NewPCG(seed^0xc0ffee, seed))

	// A few normal cycles first: the first takes in the backlog; they
	// tell how long a check takes.
	for i := range 3 {
		r := startCrashRun(t, bin, env, data, fmt.Sprintf("warm-up %d", i+1), -1)
		r.wait()
		runs = append(runs, r)
		if r.killed || r.hung || r.code != 0 {
			t.Fatalf("a normal check failed:\n%s", r.describe())
		}
		cycle.add(r.elapsed)
		t.Logf("warm-up check %d took %v: %s", i+1, r.elapsed.Round(time.Millisecond), r.summaryLine())
	}

	// The kills.
	var singles, pairs, unkilled, lifted int
	deadline, hasDeadline := t.Deadline()
	for k := 1; k <= kills; k++ {
		if hasDeadline && time.Until(deadline) < 90*time.Second {
			t.Logf("STOPPING EARLY after %d of %d iterations: the test's -timeout is near (raise it, e.g. -timeout 30m)", k-1, kills)
			break
		}
		// A check killed while reading a feed paused it (see
		// TestCrashWhileReadingDoesNotLoop); time passes between rounds.
		lifted += liftCrashPauses(t, dbPath)
		typical := cycle.value()
		killAt := func() time.Duration { return time.Duration(rng.Float64() * 1.5 * float64(typical)) }
		var iter []*crashRun
		wal := stampWAL(dbPath)
		switch x := rng.Float64(); {
		case x < 0.15: // one check, not killed
			unkilled++
			iter = append(iter, startCrashRun(t, bin, env, data, fmt.Sprintf("%d", k), -1))
		case x < 0.40: // two checks at once; one or both killed
			pairs++
			a, b := killAt(), killAt()
			switch rng.IntN(3) {
			case 0:
				b = -1
			case 1:
				a = -1
			}
			iter = append(iter, startCrashRun(t, bin, env, data, fmt.Sprintf("%da", k), a))
			time.Sleep(time.Duration(rng.Float64() * 0.5 * float64(typical)))
			iter = append(iter, startCrashRun(t, bin, env, data, fmt.Sprintf("%db", k), b))
		default: // one check, killed
			singles++
			iter = append(iter, startCrashRun(t, bin, env, data, fmt.Sprintf("%d", k), killAt()))
		}
		var wg sync.WaitGroup
		for _, r := range iter {
			wg.Go(r.wait)
		}
		wg.Wait()
		if len(iter) == 1 {
			iter[0].wal = "no"
			if wroteWAL(wal, stampWAL(dbPath)) {
				iter[0].wal = "yes"
			}
		}
		for _, r := range iter {
			runs = append(runs, r)
			switch {
			case r.hung:
				t.Fatalf("a check hung:\n%s", r.describe())
			case !r.killed && r.code != 0:
				t.Errorf("a check that was not killed failed:\n%s", r.describe())
			case !r.killed && strings.Contains(r.summaryLine(), "failed"):
				t.Errorf("a check that was not killed reports failed feeds:\n%s", r.describe())
			case !r.killed && len(iter) == 1:
				cycle.add(r.elapsed) // follows the checks getting slower as the feeds grow
			}
			if kills <= 50 {
				wrote := ""
				if r.wal != "" {
					wrote = "; wrote to the WAL: " + r.wal
				}
				t.Logf("run %s: %s; %d match lines%s", r.label, r.outcome(), len(r.matchLines()), wrote)
			}
		}
		if t.Failed() {
			break
		}
	}

	// A check to completion turns the marks of the last killed checks into
	// pauses; once they are over, one last check, to completion:
	// everything published before it started must be stored afterwards.
	settle := startCrashRun(t, bin, env, data, "settle", -1)
	settle.wait()
	runs = append(runs, settle)
	if settle.killed || settle.hung || settle.code != 0 {
		t.Fatalf("the settling check failed:\n%s", settle.describe())
	}
	lifted += liftCrashPauses(t, dbPath)
	t.Logf("%d feeds were paused because a check was killed while reading them", lifted)
	final := time.Now()
	last := startCrashRun(t, bin, env, data, "final", -1)
	last.wait()
	runs = append(runs, last)
	if last.killed || last.hung || last.code != 0 {
		t.Fatalf("the final check failed:\n%s", last.describe())
	}
	t.Logf("final check: %s", last.summaryLine())

	// Where the kills of lone checks landed: before the first database
	// write, after writing (during a feed's transaction or between them,
	// or after claiming the matches), or while printing them.
	var killed, beforeWrite, afterWrite, whilePrinting int
	for _, r := range runs {
		if !r.killed {
			continue
		}
		killed++
		switch {
		case len(r.matchLines()) > 0:
			whilePrinting++
		case r.wal == "no":
			beforeWrite++
		case r.wal == "yes":
			afterWrite++
		}
	}
	t.Logf("%d checks: %d iterations with one check to be killed, %d with two checks at once, %d with one check not to be killed; "+
		"%d checks killed; of the lone ones %d before writing to the database, %d after writing to it but before printing, "+
		"and %d (of all) while printing matches; typical cycle at the end %v; %s",
		len(runs), singles, pairs, unkilled, killed, beforeWrite, afterWrite, whilePrinting,
		cycle.value().Round(time.Millisecond), news.stats())

	checkCrashDatabase(t, dbPath, news, runs, final)
}

// checkCrashDatabase checks the database and the printed matches against
// what the feeds served.
func checkCrashDatabase(t *testing.T, path string, news *crashNews, runs []*crashRun, final time.Time) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer db.Close()
	strs := func(q string) []string {
		t.Helper()
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			out = append(out, fmt.Sprint(vals...))
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return out
	}

	// The database is intact.
	if got := strs("PRAGMA integrity_check"); len(got) != 1 || got[0] != "ok" {
		t.Errorf("PRAGMA integrity_check on %s:\n%s", path, strings.Join(got, "\n"))
	}
	if got := strs("PRAGMA foreign_key_check"); len(got) != 0 {
		t.Errorf("PRAGMA foreign_key_check on %s finds %d rows:\n%s", path, len(got), strings.Join(got, "\n"))
	}

	// Articles: every story published before the final check is stored,
	// none twice.
	stored := map[string]int{} // article key → rows
	rows, err := db.Query(`SELECT key, count(*) FROM articles GROUP BY key`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var key string
		var n int
		if err := rows.Scan(&key, &n); err != nil {
			t.Fatal(err)
		}
		stored[key] = n
	}
	rows.Close()
	items := news.items()
	var before, lost, twice int
	for _, it := range items {
		n := stored[it.key()]
		if it.published.Before(final) {
			before++
			if n == 0 {
				lost++
				t.Errorf("story lost: %q (%s in feed %s, published %s, %v before the final check started) is not in the articles table",
					it.title, it.key(), news.feeds[it.feed].name, it.published.Format("15:04:05.000"), final.Sub(it.published).Round(time.Millisecond))
			}
		}
		if n > 1 {
			twice++
			t.Errorf("story stored %d times: %q (%s)", n, it.title, it.key())
		}
	}
	if len(stored) > len(items) {
		t.Errorf("the articles table holds %d stories, the feeds served only %d", len(stored), len(items))
	}

	// Matches: every story about Ukraine is one, claimed for announcement.
	type matchRow struct {
		id, alert int64 // alert 0: not claimed
		key       string
		title     string
	}
	var matches []matchRow
	byTitle := map[string]matchRow{}
	rows, err = db.Query(`SELECT m.id, coalesce(m.alert_id, 0), a.key, a.title FROM matches m
		JOIN articles a ON a.id = m.article_id JOIN topics t ON t.id = m.topic_id
		WHERE t.name = 'Ukraine' ORDER BY m.id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var m matchRow
		if err := rows.Scan(&m.id, &m.alert, &m.key, &m.title); err != nil {
			t.Fatal(err)
		}
		if _, dup := byTitle[m.title]; dup {
			t.Errorf("story %q matched Ukraine twice in the matches table", m.title)
		}
		matches = append(matches, m)
		byTitle[m.title] = m
	}
	rows.Close()
	var wantMatches int
	for _, it := range items {
		_, ok := byTitle[it.title]
		switch {
		case it.ukraine && !ok && it.published.Before(final):
			t.Errorf("match lost: %q (%s, about Ukraine, published %v before the final check) is not in the matches table (stored as an article: %v)",
				it.title, it.key(), final.Sub(it.published).Round(time.Millisecond), stored[it.key()] > 0)
		case !it.ukraine && ok:
			t.Errorf("%q (%s) is not about Ukraine but is stored as a match", it.title, it.key())
		}
		if it.ukraine && it.published.Before(final) {
			wantMatches++
		}
	}
	var pending int
	if err := db.QueryRow(`SELECT count(*) FROM matches WHERE alert_id IS NULL`).Scan(&pending); err != nil {
		t.Fatal(err)
	}
	if pending != 0 {
		t.Errorf("%d matches were never claimed for announcement (alert_id IS NULL) after the final check", pending)
	}

	// The printouts: no match twice; each check prints the matches it
	// claimed, in order — all of them unless it was killed.
	alerts := map[int64][]string{} // alert → titles of its matches, by match id
	for _, m := range matches {
		alerts[m.alert] = append(alerts[m.alert], m.title)
	}
	printedBy := map[string][]*crashRun{}
	var printed int
	alertPrinted := map[int64]bool{}
	for _, r := range runs {
		lines := r.matchLines()
		var titles []string
		claim := int64(-1)
		for _, l := range lines {
			printed++
			printedBy[l.title] = append(printedBy[l.title], r)
			titles = append(titles, l.title)
			it := news.item(l.title)
			if it == nil {
				t.Errorf("run %s printed a match for a story the feeds never served: [%s] %s — %s", r.label, l.topic, l.feed, l.title)
				continue
			}
			if l.topic != "Ukraine" || l.feed != news.feeds[it.feed].name {
				t.Errorf("run %s printed [%s] %s — %s; want topic Ukraine and feed %q", r.label, l.topic, l.feed, l.title, news.feeds[it.feed].name)
			}
			m, ok := byTitle[l.title]
			switch {
			case !ok:
				t.Errorf("run %s printed a match that is not in the matches table: %q", r.label, l.title)
			case claim == -1:
				claim = m.alert
			case m.alert != claim:
				t.Errorf("run %s printed matches of two claims (alerts %d and %d): %q belongs to alert %d", r.label, claim, m.alert, l.title, m.alert)
			}
		}
		if claim < 0 {
			continue
		}
		alertPrinted[claim] = true
		want := alerts[claim]
		if !r.killed {
			if !slices.Equal(titles, want) {
				t.Errorf("run %s finished but printed %d matches, not the %d of its claim (alert %d):\nprinted: %q\nclaimed: %q",
					r.label, len(titles), len(want), claim, titles, want)
			}
		} else if len(titles) > len(want) || !slices.Equal(titles, want[:len(titles)]) {
			t.Errorf("run %s (killed) printed %q, not the start of its claim (alert %d) %q", r.label, titles, claim, want)
		}
	}
	dups := 0
	for _, title := range slices.Sorted(maps.Keys(printedBy)) {
		rs := printedBy[title]
		if len(rs) < 2 {
			continue
		}
		dups++
		var b strings.Builder
		for _, r := range rs {
			b.WriteString(r.describe())
			b.WriteString("\n")
		}
		m := byTitle[title]
		t.Errorf("match printed %d times: %q (match %d, alert %d), by runs %s:\n%s",
			len(rs), title, m.id, m.alert, runLabels(rs), b.String())
	}

	// Matches whose printout was lost: claimed by a check killed before it
	// printed any of them. There cannot be more such claims than checks
	// killed without printing a match.
	var lostAlerts []int64
	var lostMatches int
	for id, titles := range alerts {
		if id != 0 && !alertPrinted[id] {
			lostAlerts = append(lostAlerts, id)
			lostMatches += len(titles)
		}
	}
	var silentKills int
	for _, r := range runs {
		if r.killed && len(r.matchLines()) == 0 {
			silentKills++
		}
	}
	if len(lostAlerts) > silentKills {
		slices.Sort(lostAlerts)
		t.Errorf("%d claims (alerts %v) were printed by no check, but only %d checks were killed before printing a match",
			len(lostAlerts), lostAlerts, silentKills)
	}

	t.Logf("%d stories published before the final check, %d lost, %d stored twice; %d matches stored (%d expected at least), %d unclaimed; "+
		"%d match lines printed, %d matches printed twice, %d matches in %d claims never printed (their check was killed after claiming)",
		before, lost, twice, len(matches), wantMatches, pending, printed, dups, lostMatches, len(lostAlerts))
}

func runLabels(rs []*crashRun) string {
	var ls []string
	for _, r := range rs {
		ls = append(ls, r.label)
	}
	return strings.Join(ls, ", ")
}

// ewma is a moving average of durations.
type ewma struct {
	v time.Duration
	n int
}

func (e *ewma) add(d time.Duration) {
	if e.n == 0 {
		e.v = d
	} else {
		e.v = (3*e.v + d) / 4
	}
	e.n++
}

func (e *ewma) value() time.Duration { return e.v }
