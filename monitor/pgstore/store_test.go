package pgstore

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/internal/pgtest"
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// Processes that open a new database at once all succeed: the migration
// steps take turns under their advisory lock, and the users register.
func TestNewDatabaseOpenedByManyAtOnce(t *testing.T) {
	url := pgtest.URL(t)
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			s, err := Open(t.Context(), url, Options{User: []string{"alice", "bob"}[i%2], MaxConns: 2})
			if err != nil {
				t.Error(err)
				return
			}
			s.Close()
		})
	}
	wg.Wait()
	s := openTest(t, url, "carol")
	var v, users int
	s.pool.QueryRow(t.Context(), `SELECT version FROM newswatch_schema`).Scan(&v)
	s.pool.QueryRow(t.Context(), `SELECT count(*) FROM users`).Scan(&users)
	if v != SchemaVersion || users != 3 {
		t.Errorf("schema %d, %d users", v, users)
	}
}

// A database of a newer Newswatch is refused, untouched.
func TestNewerSchemaRefused(t *testing.T) {
	url := pgtest.URL(t)
	s := openTest(t, url, "alice")
	if _, err := s.pool.Exec(t.Context(), `UPDATE newswatch_schema SET version = 99`); err != nil {
		t.Fatal(err)
	}
	_, err := Open(t.Context(), url, Options{User: "alice"})
	if err == nil || !strings.Contains(err.Error(), "newer Newswatch") {
		t.Fatalf("err = %v", err)
	}
	var v int
	s.pool.QueryRow(t.Context(), `SELECT version FROM newswatch_schema`).Scan(&v)
	if v != 99 {
		t.Errorf("the newer database was changed: version %d", v)
	}
}

func TestBadAddressAndUser(t *testing.T) {
	for _, tt := range []struct{ url, user, want string }{
		{"postgres://[::1", "a", "address is not valid"},
		{"postgres:///nowhere?host=/nonexistent&connect_timeout=2", "a", "cannot be reached"},
		{"postgres:///x", " padded", "cannot be a user name"},
	} {
		_, err := Open(context.Background(), tt.url, Options{User: tt.user})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s as %q: %v; want %q", tt.url, tt.user, err, tt.want)
		}
	}
}

// The FTS5 expressions of query.Prefilter and query.SearchExpr become
// to_tsquery's syntax.
func TestTsQuery(t *testing.T) {
	for _, tt := range []struct {
		expr, want string
		all        bool
	}{
		{`"ukraine"`, `'ukraine'`, false},
		{`"nordk"*`, `'nordk':*`, false},
		{`"lawr"* AND "nordk"*`, `('lawr':* & 'nordk':*)`, false},
		{`("a" OR ("b" AND "c"*))`, `('a' | ('b' & 'c':*))`, false},
		{`"covid-19"`, `('covid' & '19')`, false},
		{`"say ""hi"""`, `('say' & 'hi')`, false},
		{`"!!" AND "x"`, `'x'`, false},
		{`"!!" OR "x"`, ``, true},
		{`"` + strings.Repeat("a", 2001) + `"`, ``, true},
		{`"unclosed`, ``, true},
	} {
		got, all := tsQuery(tt.expr)
		if got != tt.want || all != tt.all {
			t.Errorf("tsQuery(%.40s) = %q, %v; want %q, %v", tt.expr, got, all, tt.want, tt.all)
		}
	}
}

// An article's words are indexed once each, folded; one too large for a
// tsvector is marked partial (and read by every backtest).
func TestFtsDoc(t *testing.T) {
	a := monitor.Article{Title: "Außenminister trifft Außenminister", Summary: "Zürich, Élysée", FeedName: "Tagesblatt"}
	if doc, partial := ftsDoc(&a); doc != "aussenminister trifft zuerich elysee tagesblatt" || partial {
		t.Errorf("doc %q, partial %v", doc, partial)
	}
	var b strings.Builder
	for i := range 120000 {
		b.WriteString("w")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(string(rune('a' + i%26)))
		b.WriteString(" ")
		b.WriteString(itoa36(i))
		b.WriteString(" ")
	}
	big := monitor.Article{Title: "x", FullText: b.String()}
	if doc, partial := ftsDoc(&big); !partial || len(doc) > maxIndexed {
		t.Errorf("a huge article: %d bytes, partial %v", len(doc), partial)
	}
}

func itoa36(i int) string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	s := ""
	for {
		s = string(digits[i%36]) + s
		i /= 36
		if i == 0 {
			return "n" + s
		}
	}
}

// The vocabulary *infix backtests expand through is kept; articles
// indexed after it was taken (new ones, and old ones that gained their
// page's text) are found all the same.
func TestVocabularyKept(t *testing.T) {
	ctx := t.Context()
	s := openTest(t, pgtest.URL(t), "alice")
	f := monitor.Feed{URL: "https://x.example/feed", Enabled: true}
	if err := s.AddFeed(ctx, &f); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	save := func(key, title string) {
		t.Helper()
		a := monitor.Article{FeedID: f.ID, FeedName: "X", Key: key, Link: "https://x.example/" + key, Title: title, FirstSeen: now, Published: now}
		f.LastFetch = now
		if _, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f, Articles: []monitor.Article{a}, Pages: true}); err != nil {
			t.Fatal(err)
		}
	}
	count := func(q string) int {
		t.Helper()
		parsed, err := query.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		if err := s.ScanQuery(ctx, parsed, time.Time{}, func(a *monitor.Article) bool {
			if parsed.TestDoc(a.Doc()) {
				n++
			}
			return true
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	save("1", "Westukraine: Stromausfall")
	if n := count("*ukraine"); n != 1 {
		t.Fatalf("*ukraine found %d, want 1", n)
	}
	mark, _ := s.vocabMark(ctx)
	if mark == "" {
		t.Fatal("the vocabulary was not kept")
	}
	save("2", "Ostukraine: Angriffe")
	if n := count("*ukraine"); n != 2 {
		t.Errorf("*ukraine found %d, want 2 (one newer than the vocabulary)", n)
	}
	if _, err := s.BuildVocabulary(ctx); err != nil {
		t.Fatal(err)
	}
	jobs, _ := s.PendingPages(ctx, 10)
	if len(jobs) != 2 {
		t.Fatalf("pages %+v", jobs)
	}
	if ok, _ := s.ClaimPage(ctx, jobs[0].Article.ID, "me", now); !ok {
		t.Fatal("claim")
	}
	if _, err := s.SavePage(ctx, monitor.PageResult{ArticleID: jobs[0].Article.ID, Owner: "me", At: now, Text: "Die Zentralukraine meldet Ruhe."}); err != nil {
		t.Fatal(err)
	}
	if n := count("*zentralukr*"); n != 1 {
		t.Errorf("a word of a page read after the vocabulary: found %d, want 1", n)
	}
}

// Check says what is at an address without changing it, and names a
// bad address or an unreachable server in one sentence.
func TestCheck(t *testing.T) {
	url := pgtest.URL(t)
	p, err := Check(t.Context(), url, "alice")
	if err != nil || p.Server == "" || p.Schema != 0 || p.Users != 0 {
		t.Fatalf("an empty database: %+v, %v", p, err)
	}
	if p, _ := Check(t.Context(), url, ""); p.Schema != 0 {
		t.Errorf("Check created the schema: %+v", p)
	}
	openTest(t, url, "alice")
	if p, err := Check(t.Context(), url, "bob"); err != nil || p.Schema != SchemaVersion || p.Users != 1 {
		t.Errorf("after alice opened it: %+v, %v", p, err)
	}
	for _, bad := range []string{"postgres://%zz", "postgres:///nodb?host=/nonexistent-dir&connect_timeout=2"} {
		if _, err := Check(t.Context(), bad, ""); err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("Check(%s): %v", bad, err)
		}
	}
	if _, err := Check(t.Context(), url, " x"); err == nil {
		t.Error("a user name with a space in front was taken")
	}
}
