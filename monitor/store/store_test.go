package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

func openTest(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestOpenCreatesPrivateFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	openTest(t, dir)
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, FileName): 0o600} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%s mode = %o, want %o", path, got, want)
		}
	}
}

func TestNewerSchemaRefusedUntouched(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	if _, err := s.DB().Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	path := filepath.Join(dir, FileName)
	before, _ := os.ReadFile(path)
	_, err := Open(dir)
	if err == nil || !strings.Contains(err.Error(), "newer Newswatch") {
		t.Fatalf("err = %v", err)
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Error("the newer database was modified")
	}
}

func TestCorruptDatabase(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte(strings.Repeat("not a database ", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir)
	if err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("err = %v", err)
	}
}

// A feed's last error is kept as a translatable message (see the
// conformance suite); the English stays in last_error for older
// versions, and text they wrote still reads.
func TestFeedErrorMessage(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	f := monitor.Feed{URL: "https://example.org/feed", Enabled: true, Added: time.Now()}
	if err := s.AddFeed(ctx, &f); err != nil {
		t.Fatal(err)
	}
	f.LastError = msg.New("The server {{.Host}} answered {{.Status}}.", "Host", "example.org", "Status", "500 Internal Server Error")
	if err := s.SaveFeedHealth(ctx, f); err != nil {
		t.Fatal(err)
	}
	var english string
	if err := s.db.QueryRow(`SELECT last_error FROM feeds WHERE id = ?`, f.ID).Scan(&english); err != nil ||
		english != "The server example.org answered 500 Internal Server Error." {
		t.Errorf("last_error = %q, %v", english, err)
	}
	// As an older version leaves it: English only.
	if _, err := s.db.Exec(`UPDATE feeds SET last_error = 'Old {{text}}.', last_error_msg = '' WHERE id = ?`, f.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Feed(ctx, f.ID); got.LastError.String() != "Old {{text}}." || got.Healthy() {
		t.Errorf("older error read as %q (healthy %v)", got.LastError.String(), got.Healthy())
	}
}

// Every per-feed lookup reads an index, never the whole articles table
// (a scan per feed made a cycle of 1,000 feeds five times slower).
var tableScan = regexp.MustCompile(`SCAN [a-z]`)

func TestLookupsUseIndexes(t *testing.T) {
	s := openTest(t, t.TempDir())
	for _, q := range []string{knownKeysQuery(3), knownLinksQuery(3), listedKeysQuery(3), listedLinksQuery(3),
		// The story window: brought up to date by ID; forgotten by date.
		`SELECT article_id, story_id, at, info, keys FROM story_feats WHERE article_id > ?`,
		`DELETE FROM story_feats WHERE at < ?`,
		// Stories: sources known, stories changed since a draft, the
		// stories' and their matches' updates.
		knownPairsQuery(3), reportsSinceQuery, matchedStoriesQuery,
		`UPDATE stories SET reports = reports + u.column2 FROM (VALUES ` + valuesList(2, 2) + `) AS u WHERE stories.id = u.column1`,
		`UPDATE matches SET published = s.last_seen FROM (VALUES ` + valuesList(2, 2) + `) AS u JOIN stories s ON s.id = u.column1
			WHERE matches.story_id = u.column1`} {
		rows, err := s.db.Query("EXPLAIN QUERY PLAN "+q, make([]any, strings.Count(q, "?"))...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		p := strings.Join(plan, "; ")
		// A table scanned is a miss; a subquery's rows read as they come
		// ("SCAN (subquery-1)") and the list of keys given (json_each, a
		// virtual table) are not.
		scanned := false
		for _, d := range plan {
			if tableScan.MatchString(d) && !strings.Contains(d, "VIRTUAL TABLE") {
				scanned = true
			}
		}
		if scanned || !strings.Contains(p, "INDEX") && !strings.Contains(p, "PRIMARY KEY") {
			t.Errorf("%s\n  plan: %s", q, p)
		}
	}
}

// Fetches saved at the same time share transactions, yet each is saved
// whole and gets its own matches back; one that cannot be saved (its
// feed is gone) fails alone.
func TestSaveFetchGroupCommit(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	tp := monitor.Topic{Name: "Ukraine", Query: "Ukraine", Enabled: true}
	if err := s.AddTopic(ctx, &tp); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	const feeds, items = 24, 30
	results := make([]monitor.FetchResult, feeds)
	for i := range results {
		f := monitor.Feed{URL: fmt.Sprintf("https://x.example/%d", i), Enabled: true, Added: now, LastFetch: now}
		if err := s.AddFeed(ctx, &f); err != nil {
			t.Fatal(err)
		}
		if i == 7 {
			f.ID = 1 << 40 // no such feed: its articles break the foreign key
		}
		r := monitor.FetchResult{Feed: f}
		for j := range items {
			a := monitor.Article{FeedID: f.ID, FeedName: "X", Key: fmt.Sprintf("f%d-%d", i, j),
				Link: fmt.Sprintf("https://x.example/%d/%d", i, j), Title: "Ukraine", FirstSeen: now, Published: now}
			r.Articles = append(r.Articles, a)
			r.Listed = append(r.Listed, monitor.ItemRef{Key: a.Key, Link: a.Link})
			if j%3 == 0 {
				r.Matches = append(r.Matches, monitor.Match{Article: a, TopicID: tp.ID, TopicName: tp.Name, MatchedAt: now})
			}
		}
		results[i] = r
	}
	stored := make([]monitor.Saved, feeds)
	errs := make([]error, feeds)
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stored[i], errs[i] = s.SaveFetch(ctx, results[i])
		}()
	}
	wg.Wait()
	for i := range results {
		switch {
		case i == 7 && errs[i] == nil:
			t.Errorf("the fetch of a missing feed was saved")
		case i != 7 && errs[i] != nil:
			t.Errorf("feed %d: %v", i, errs[i])
		case i != 7 && len(stored[i].Matches) != items/3:
			t.Errorf("feed %d: %d matches back, want %d", i, len(stored[i].Matches), items/3)
		}
		for _, m := range stored[i].Matches {
			if m.Article.FeedID != results[i].Feed.ID || m.ID == 0 {
				t.Errorf("feed %d got a match of feed %d (id %d)", i, m.Article.FeedID, m.ID)
			}
		}
	}
	var n int
	s.db.QueryRow(`SELECT count(*) FROM articles`).Scan(&n)
	if n != (feeds-1)*items {
		t.Errorf("%d articles stored, want %d", n, (feeds-1)*items)
	}
}

// The vocabulary *infix backtests expand through is kept in the
// database: a new process loads it instead of walking the index, and
// articles it does not cover yet (newer ones, and those that get the IDs
// of pruned ones) are still found.
func TestVocabularyKept(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir)
	f := monitor.Feed{URL: "https://x.example/feed", Enabled: true, Added: time.Now()}
	if err := s.AddFeed(ctx, &f); err != nil {
		t.Fatal(err)
	}
	old := time.Now().AddDate(0, 0, -90)
	save := func(s *Store, key, title string, seen time.Time) {
		t.Helper()
		a := monitor.Article{FeedID: f.ID, FeedName: "X", Key: key, Title: title, FirstSeen: seen, Published: seen}
		f.LastFetch = seen
		if _, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f, Articles: []monitor.Article{a}}); err != nil {
			t.Fatal(err)
		}
	}
	count := func(s *Store, q string) int {
		t.Helper()
		parsed, err := query.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		err = s.ScanQuery(ctx, parsed, time.Time{}, func(a *monitor.Article) bool {
			p := query.Prepare(a.Doc())
			if parsed.Test(p) {
				n++
			}
			p.Release()
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	save(s, "1", "Westukraine: Stromausfall", time.Now())
	save(s, "2", "Wetter im Harz", old) // the newest ID, and old: pruned below
	if n := count(s, "*ukraine"); n != 1 {
		t.Fatalf("*ukraine found %d, want 1", n)
	}
	var words int
	s.db.QueryRow(`SELECT count(*) FROM fts_vocab`).Scan(&words)
	if words == 0 || s.vocabMark.Load() != 2 {
		t.Fatalf("vocabulary not kept: %d words, watermark %d", words, s.vocabMark.Load())
	}
	s.Close()

	s2 := openTest(t, dir)
	if s2.vocabMark.Load() != 2 {
		t.Errorf("reopened: watermark %d, want 2", s2.vocabMark.Load())
	}
	if n, err := s2.Prune(ctx, time.Now().AddDate(0, 0, -30)); err != nil || n != 1 {
		t.Fatalf("pruned %d, %v", n, err)
	}
	if s2.vocabMark.Load() != 1 {
		t.Errorf("after pruning the newest article: watermark %d, want 1", s2.vocabMark.Load())
	}
	save(s2, "3", "Ostukraine: Angriffe", time.Now()) // gets ID 2 again; a word the vocabulary lacks
	if n := count(s2, "*ukraine"); n != 2 {
		t.Errorf("*ukraine found %d, want 2 (the article with the pruned one's ID)", n)
	}
}
