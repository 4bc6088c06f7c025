package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

type result struct {
	out, err string
	code     int
}

func runCLI(t *testing.T, dir string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(append([]string{"--data", dir}, args...), Env{Stdout: &out, Stderr: &errb})
	return result{out.String(), errb.String(), code}
}

func mustRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	r := runCLI(t, dir, args...)
	if r.code != 0 {
		t.Fatalf("newswatch %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.out, r.err)
	}
	return r.out
}

// newsServer serves an RSS feed whose items can grow.
type newsServer struct {
	mu    sync.Mutex
	items []string // titles, newest first
	srv   *httptest.Server
}

func newNewsServer(t *testing.T, titles ...string) *newsServer {
	n := &newsServer{items: titles}
	n.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.mu.Lock()
		defer n.mu.Unlock()
		etag := fmt.Sprintf(`"%d"`, len(n.items))
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Morgenpost</title><link>https://morgenpost.example/</link>`)
		for i, title := range n.items {
			fmt.Fprintf(&b, `<item><guid>%d</guid><title>%s</title><link>https://morgenpost.example/%d</link><pubDate>%s</pubDate></item>`,
				len(n.items)-i, title, len(n.items)-i, time.Date(2026, 11, 20+i%5, 8, 0, 0, 0, time.UTC).Format(time.RFC1123Z))
		}
		b.WriteString(`</channel></rss>`)
		w.Write([]byte(b.String()))
	}))
	t.Cleanup(n.srv.Close)
	return n
}

func (n *newsServer) publish(title string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.items = append([]string{title}, n.items...)
}

func TestFeedsAndCheck(t *testing.T) {
	dir := t.TempDir()
	news := newNewsServer(t, "Ukraine: Waffenruhe gebrochen", "Wetter: Sturm an der Küste")
	out := mustRun(t, dir, "feeds", "add", news.srv.URL+"/rss", "--schedule", "@every 15m")
	if !strings.Contains(out, `Added "Morgenpost"`) || !strings.Contains(out, "lists 2 stories") {
		t.Fatalf("feeds add said %q", out)
	}
	mustRun(t, dir, "topics", "add", "Ukraine")
	mustRun(t, dir, "topics", "add", "Sturm", "Sturm Küste")

	out = mustRun(t, dir, "check")
	for _, want := range []string{"[Ukraine] Morgenpost — Ukraine: Waffenruhe gebrochen", "https://morgenpost.example/2",
		"[Sturm] Morgenpost — Wetter: Sturm an der Küste", "checked 1 feed", "2 new articles, 2 new matches, 2 new stories"} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	out = mustRun(t, dir, "check")
	if !strings.Contains(out, "0 new matches, 1 unchanged") || strings.Contains(out, "[Ukraine]") {
		t.Errorf("second check:\n%s", out)
	}
	news.publish("Selenskyj: Ukraine braucht Luftabwehr")
	out = mustRun(t, dir, "check")
	if strings.Count(out, "[Ukraine]") != 1 || !strings.Contains(out, "Luftabwehr") {
		t.Errorf("third check:\n%s", out)
	}

	// Stories: three matched, newest first, one source each.
	out = mustRun(t, dir, "stories")
	if strings.Count(out, "\n") != 4 || !strings.Contains(out, "STORY") || !strings.Contains(out, "Selenskyj: Ukraine braucht Luftabwehr") {
		t.Errorf("stories:\n%s", out)
	}
	out = mustRun(t, dir, "stories", "--topic", "sturm", "--json")
	var listed []struct {
		Story   int64
		Title   string
		Sources int
		Reports []struct{ Feed, Source string }
	}
	if err := json.Unmarshal([]byte(out), &listed); err != nil || len(listed) != 1 || listed[0].Title != "Wetter: Sturm an der Küste" ||
		listed[0].Sources != 1 || len(listed[0].Reports) != 1 || listed[0].Reports[0].Source != "morgenpost.example" {
		t.Errorf("stories --topic sturm --json: %v\n%s", err, out)
	}
	out = mustRun(t, dir, "topics", "escalate", "Ukraine", "4", "90m")
	if !strings.Contains(out, "developing at 4 sources within 90m") {
		t.Errorf("topics escalate: %s", out)
	}
	if out = mustRun(t, dir, "topics", "list"); !strings.Contains(out, "developing at 4 sources within 90m") ||
		!strings.Contains(out, "developing at 3 sources within 2h") {
		t.Errorf("topics list after escalate:\n%s", out)
	}
	if r := runCLI(t, dir, "topics", "escalate", "Ukraine", "1", "2h"); r.code != 1 || !strings.Contains(r.err, "2 to 50 sources") {
		t.Errorf("escalate at 1 source: exit %d, %s", r.code, r.err)
	}

	out = mustRun(t, dir, "feeds", "list")
	if !strings.Contains(out, "Morgenpost") || !strings.Contains(out, "@every 15m") || !strings.Contains(out, "ok") {
		t.Errorf("feeds list:\n%s", out)
	}
	out = mustRun(t, dir, "topics", "list")
	if !strings.Contains(out, "Sturm Küste") {
		t.Errorf("topics list:\n%s", out)
	}
	mustRun(t, dir, "feeds", "remove", news.srv.URL+"/rss")
	if out := mustRun(t, dir, "feeds", "list"); !strings.Contains(out, "No feeds yet") {
		t.Errorf("after remove:\n%s", out)
	}
	// The matched stories stay.
	if out := mustRun(t, dir, "export"); strings.Count(out, "\n") != 4 {
		t.Errorf("export after feed removal:\n%s", out)
	}
}

func TestExport(t *testing.T) {
	dir := t.TempDir()
	news := newNewsServer(t, "=HYPERLINK(\"http://evil.example\") Ukraine", "Ukraine: Gipfel in Genf", "Sport: Derby")
	mustRun(t, dir, "feeds", "add", news.srv.URL)
	mustRun(t, dir, "topics", "add", "Ukraine")
	mustRun(t, dir, "topics", "add", "Derby")
	mustRun(t, dir, "check")

	file := filepath.Join(t.TempDir(), "report.csv")
	r := runCLI(t, dir, "export", "--topic", "ukraine", "--bom", "-o", file)
	if r.code != 0 || !strings.Contains(r.err, "Wrote 2 matches") {
		t.Fatalf("export: %+v", r)
	}
	data, _ := os.ReadFile(file)
	if !bytes.HasPrefix(data, []byte("\ufeff")) {
		t.Error("no BOM")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "published" {
		t.Fatalf("rows = %q", rows)
	}
	for _, row := range rows[1:] {
		if row[2] != "Ukraine" || row[3] != "Ukraine (title)" {
			t.Errorf("row = %q", row)
		}
		if strings.HasPrefix(row[5], "=") {
			t.Errorf("formula not neutralized: %q", row[5])
		}
	}

	out := mustRun(t, dir, "export", "--format", "json", "--since", "2026-11-21", "--until", "2026-11-21")
	var js []map[string]any
	if err := json.Unmarshal([]byte(out), &js); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(js) != 1 || js[0]["title"] != "Ukraine: Gipfel in Genf" {
		t.Fatalf("json with date filter = %s", out)
	}
}

func TestOPMLRoundTrip(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "feeds", "add", "https://a.example/rss", "--no-check", "--name", "A & B", "--schedule", "CRON_TZ=Europe/Berlin 0 7 * * *")
	mustRun(t, dir, "feeds", "add", "https://b.example/atom", "--no-check")
	file := filepath.Join(t.TempDir(), "feeds.opml")
	mustRun(t, dir, "feeds", "export", "-o", file)

	other := t.TempDir()
	out := mustRun(t, other, "feeds", "import", file)
	if !strings.Contains(out, "Imported 2 feeds") {
		t.Fatalf("import: %s", out)
	}
	out = mustRun(t, other, "feeds", "import", file)
	if !strings.Contains(out, "Imported 0 feeds; 2 were already there") {
		t.Fatalf("second import: %s", out)
	}
	list := mustRun(t, other, "feeds", "list")
	for _, want := range []string{"A & B", "CRON_TZ=Europe/Berlin 0 7 * * *", "https://b.example/atom"} {
		if !strings.Contains(list, want) {
			t.Errorf("imported list lacks %q:\n%s", want, list)
		}
	}
}

func TestImportRefusesLocalFiles(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(t.TempDir(), "list.opml")
	os.WriteFile(file, []byte(`<opml version="2.0"><body>
		<outline text="Passwd" xmlUrl="file:///etc/passwd"/>
		<outline text="Path" xmlUrl="/etc/shadow"/>
		<outline text="Web" xmlUrl="https://ok.example/rss"/>
		<outline text="FTP" xmlUrl="ftp://x.example/rss"/></body></opml>`), 0o600)
	out := mustRun(t, dir, "feeds", "import", file)
	for _, want := range []string{"Imported 1 feeds", "file:///etc/passwd: local files are not imported",
		"/etc/shadow: local files are not imported", "ftp://x.example/rss: “ftp://x.example/rss” uses ftp:"} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	if list := mustRun(t, dir, "feeds", "list"); strings.Contains(list, "file:") || !strings.Contains(list, "https://ok.example/rss") {
		t.Errorf("feeds after import:\n%s", list)
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	unwritable := filepath.Join(t.TempDir(), "no", "such", "dir", "x.csv")
	badOPML := filepath.Join(t.TempDir(), "bad.opml")
	os.WriteFile(badOPML, []byte(`<opml><body><outline xmlUrl="x"`), 0o600)
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"feeds", "add", "ftp://example.org/feed", "--no-check"}, 1, "does not fetch"},
		{[]string{"feeds", "add", "example.org/feed", "--no-check"}, 1, "needs http:// or https://"},
		{[]string{"feeds", "add", "https://x.example/", "--no-check", "--schedule", "CRON_TZ=UTC"}, 1, "must be followed by the schedule"},
		{[]string{"feeds", "add", "https://x.example/", "--no-check", "--schedule", "99 * * * *"}, 1, "not valid"},
		{[]string{"feeds", "add"}, 2, "exactly one URL"},
		{[]string{"feeds", "remove", "https://nope.example/"}, 1, "is not one of your feeds"},
		{[]string{"feeds", "import", filepath.Join(dir, "missing.opml")}, 1, "Cannot read"},
		{[]string{"feeds", "import", badOPML}, 1, "not valid XML"},
		{[]string{"topics", "add", "Kaputt", `"unclosed`}, 1, "unclosed quote at column 1"},
		{[]string{"topics", "remove", "Nichts"}, 1, `no topic named “Nichts”`},
		{[]string{"export", "--format", "xls"}, 2, "unknown export format"},
		{[]string{"export", "--since", "yesterday"}, 2, "--since"},
		{[]string{"export", "-o", unwritable}, 1, "Cannot write"},
		{[]string{"settings", "schedule", "@every 5s"}, 1, "more often"},
		{[]string{"check", "extra"}, 2, "takes no arguments"},
		{[]string{"feeds", "frob"}, 2, "unknown command"},
		{[]string{"--bogus"}, 2, "unknown option"},
	}
	for _, tt := range tests {
		r := runCLI(t, dir, tt.args...)
		if r.code != tt.code || !strings.Contains(r.err, tt.want) {
			t.Errorf("newswatch %s: exit %d, stderr %q; want exit %d with %q", strings.Join(tt.args, " "), r.code, r.err, tt.code, tt.want)
		}
	}
	// Nothing was stored half-way.
	if out := mustRun(t, dir, "feeds", "list"); !strings.Contains(out, "No feeds yet") {
		t.Errorf("refused input left feeds behind:\n%s", out)
	}
	if _, err := os.Stat(filepath.Dir(unwritable)); err == nil {
		t.Error("export created directories")
	}
}

func TestFeedsAddRefusesNonFeed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<html><head><link rel="alternate" type="application/atom+xml" href="/atom"></head><body></body></html>`))
	}))
	defer srv.Close()
	dir := t.TempDir()
	r := runCLI(t, dir, "feeds", "add", srv.URL)
	if r.code != 1 || !strings.Contains(r.err, "names its feed at "+srv.URL+"/atom") {
		t.Fatalf("%+v", r)
	}
}

func TestSettings(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "settings", "schedule", "CRON_TZ=Europe/Berlin", "*/20", "6-22", "*", "*", "*")
	mustRun(t, dir, "settings", "retention", "14")
	out := mustRun(t, dir, "settings")
	if !strings.Contains(out, "CRON_TZ=Europe/Berlin */20 6-22 * * *") || !strings.Contains(out, "14 days") {
		t.Fatalf("settings:\n%s", out)
	}
}

func TestRunChecksUntilCancelled(t *testing.T) {
	dir := t.TempDir()
	news := newNewsServer(t, "Nordkorea: Raketentest")
	mustRun(t, dir, "feeds", "add", news.srv.URL, "--no-check")
	mustRun(t, dir, "topics", "add", "Nordkorea")
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan int)
	go func() {
		done <- Run([]string{"--data", dir, "run"}, Env{Stdout: &out, Stderr: &out, Context: ctx})
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "[Nordkorea]") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("run exited %d:\n%s", code, out.String())
	}
	if s := out.String(); !strings.Contains(s, "[Nordkorea] Morgenpost — Nordkorea: Raketentest") || !strings.Contains(s, "Stopped.") {
		t.Fatalf("run output:\n%s", s)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestTopicsTestAndApply(t *testing.T) {
	dir := t.TempDir()
	news := newNewsServer(t, "Nordkoreanische Außenministerin in Moskau", "Raketen aus Pjöngjang", "Wetter")
	mustRun(t, dir, "feeds", "add", news.srv.URL, "--no-check")
	mustRun(t, dir, "check")

	out := mustRun(t, dir, "topics", "test", "Nordkorea", "OR", "Pjöngjang", "--since", "all")
	for _, want := range []string{"2 stories would have matched among all stored stories.", "Morgenpost — [Nordkoreanische] Außenministerin", "— Raketen aus [Pjöngjang]"} {
		if !strings.Contains(out, want) {
			t.Errorf("topics test lacks %q:\n%s", want, out)
		}
	}
	if r := runCLI(t, dir, "topics", "test", `Nordkorea (`); r.code != 1 || !strings.Contains(r.err, "Unclosed parenthesis at column 11") {
		t.Errorf("broken query: %+v", r)
	}
	out = mustRun(t, dir, "topics", "add", "Nordkorea", "Nordkorea OR Pjöngjang")
	if !strings.Contains(out, "2 stories already stored match it") {
		t.Errorf("topics add:\n%s", out)
	}
	out = mustRun(t, dir, "topics", "apply", "nordkorea")
	if !strings.Contains(out, "Added 2 past stories") {
		t.Errorf("topics apply:\n%s", out)
	}
	if out := mustRun(t, dir, "check"); strings.Contains(out, "[Nordkorea]") {
		t.Errorf("applied stories were announced:\n%s", out)
	}
	if out := mustRun(t, dir, "export"); !strings.Contains(out, "Nordkorea (title)") {
		t.Errorf("export lacks matched_terms:\n%s", out)
	}
}
