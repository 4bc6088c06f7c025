package monitor_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
)

// TestFullTextModes: automatic reads the pages of a feed of teasers and
// not of a feed that carries its stories' text; on reads them anyway, off
// never; the feed's details say what automatic decided.
func TestFullTextModes(t *testing.T) {
	clock := newClock()
	pages := &pageServer{hits: map[string]int{}, release: make(chan struct{})}
	psrv := serve(t, pages)
	long := strings.Repeat("Ein ganzer Absatz aus dem Artikel, wie ihn der Feed mitliefert. ", 20)
	teasers := &fakeFeed{title: "Anrisse"}
	whole := &fakeFeed{title: "Volltext"}
	svc := openService(t, t.TempDir(), clock)
	ctx := context.Background()
	ft := mustAddFeed(t, svc, serve(t, teasers).URL)
	fw := mustAddFeed(t, svc, serve(t, whole).URL)
	if got := ft.FullTextState().String(); got != "Full articles: automatic — decided when the feed is first read." {
		t.Errorf("before the first check: %q", got)
	}
	mustAddTopic(t, svc, "Lawrow", "")

	round := func(n int, wantPaths ...string) {
		t.Helper()
		teasers.add(testItem{GUID: fmt.Sprint("t", n), Title: "Genf", Description: "Die Minister trafen sich.", Link: psrv.URL + "/de/lawrow?t" + fmt.Sprint(n)})
		whole.add(testItem{GUID: fmt.Sprint("w", n), Title: "Harbour", Description: long, Link: psrv.URL + "/en/harbour?w" + fmt.Sprint(n)})
		before := pages.count("/de/lawrow") + pages.count("/en/harbour")
		mustCheck(t, svc)
		clock.Advance(10 * time.Minute)
		got := pages.count("/de/lawrow") + pages.count("/en/harbour") - before
		if got != len(wantPaths) {
			t.Errorf("round %d: %d pages read, want %v", n, got, wantPaths)
		}
	}
	round(1, "/de/lawrow")
	feeds, _ := svc.Feeds(ctx)
	for _, f := range feeds {
		want := map[string]string{
			"Anrisse":  "Full articles: automatic, on — this feed's stories are teasers (short summaries, no article text), so Newswatch reads their web pages.",
			"Volltext": "Full articles: automatic, off — this feed carries its stories' text.",
		}[f.Title]
		if got := f.FullTextState().String(); got != want {
			t.Errorf("%s: %q, want %q", f.Title, got, want)
		}
	}

	fw, _ = svc.FeedByURL(ctx, fw.URL)
	fw.FullText = monitor.FullTextOn
	if err := svc.UpdateFeed(ctx, fw); err != nil {
		t.Fatal(err)
	}
	round(2, "/de/lawrow", "/en/harbour")

	for _, f := range []*monitor.Feed{&ft, &fw} {
		*f, _ = svc.FeedByURL(ctx, f.URL)
		f.FullText = monitor.FullTextOff
		if err := svc.UpdateFeed(ctx, *f); err != nil {
			t.Fatal(err)
		}
	}
	round(3)
	if f, _ := svc.FeedByURL(ctx, ft.URL); f.FullText != monitor.FullTextOff ||
		f.FullTextState().String() != "Full articles: off — only what the feed carries is matched." {
		t.Errorf("after turning it off: %+v", f)
	}

	for _, in := range []string{"on", "OFF", "auto", ""} {
		if _, err := monitor.ParseFullTextMode(in); err != nil {
			t.Errorf("ParseFullTextMode(%q): %v", in, err)
		}
	}
	if _, err := monitor.ParseFullTextMode("sometimes"); err == nil || err.Error() != "“sometimes” is not a full-text setting; use on, off or auto." {
		t.Errorf("ParseFullTextMode(sometimes): %v", err)
	}
}

// TestPageWhoseReaderDiedIsNotReadAgain: a page a process was reading
// when it died (the page may have killed it) is given up at the next
// check, with a note, and never fetched; the story keeps its teaser.
func TestPageWhoseReaderDiedIsNotReadAgain(t *testing.T) {
	clock := newClock()
	dir := t.TempDir()
	pages := &pageServer{hits: map[string]int{}, release: make(chan struct{})}
	psrv := serve(t, pages)
	news := &fakeFeed{title: "Tagesblatt", items: []testItem{
		{GUID: "de", Title: "Genf", Description: "Die Minister trafen sich.", Link: psrv.URL + "/de/lawrow"},
	}}
	svc := openService(t, dir, clock)
	ctx := context.Background()
	f := mustAddFeed(t, svc, serve(t, news).URL)
	f.FullText = monitor.FullTextOff // the first check reads no page...
	if err := svc.UpdateFeed(ctx, f); err != nil {
		t.Fatal(err)
	}
	mustAddTopic(t, svc, "Lawrow", "")
	mustCheck(t, svc)

	// ... so make its page look as if a process died reading it.
	host, _ := os.Hostname()
	db := rawDB(t, dir)
	if _, err := db.Exec(`INSERT INTO pages (article_id, feed_id, state, owner, at) SELECT id, feed_id, 1, ?, ? FROM articles`,
		fmt.Sprintf("%s 2147483646 gone/1", host), clock.Now().UnixMilli()); err != nil {
		t.Fatal(err)
	}
	f.FullText = monitor.FullTextOn
	if err := svc.UpdateFeed(ctx, f); err != nil {
		t.Fatal(err)
	}
	ev := mustCheck(t, svc)
	if n := pages.count("/de/lawrow"); n != 0 || len(ev.Matches) != 0 {
		t.Fatalf("the page a process died reading was fetched %d times; matches %q", n, titles(ev.Matches))
	}
	var state int
	var note string
	if err := db.QueryRow(`SELECT state, note FROM pages`).Scan(&state, &note); err != nil {
		t.Fatal(err)
	}
	if state != 3 || !strings.Contains(note, "Newswatch stopped while reading the page") {
		t.Errorf("page state %d, note %s", state, note)
	}
	stories, _ := svc.Matches(ctx, monitor.Filter{})
	if len(stories) != 0 {
		t.Errorf("stories %q", titles(stories))
	}
}

// TestFullTextInExportsAndOPML: the JSON export carries a story's full
// text (and says where its terms were found), the CSV stays one line per
// row with the summary; OPML keeps each feed's full-text setting.
func TestFullTextInExportsAndOPML(t *testing.T) {
	clock := newClock()
	pages := &pageServer{hits: map[string]int{}, release: make(chan struct{})}
	psrv := serve(t, pages)
	news := &fakeFeed{title: "Tagesblatt", items: []testItem{
		{GUID: "de", Title: "Außenminister beraten in Genf", Description: "Der russische Außenminister traf …", Link: psrv.URL + "/de/lawrow"},
	}}
	svc := openService(t, t.TempDir(), clock)
	ctx := context.Background()
	f := mustAddFeed(t, svc, serve(t, news).URL)
	mustAddTopic(t, svc, "Lawrow", "")
	mustCheck(t, svc)

	var js, csv strings.Builder
	if _, err := svc.Export(ctx, &js, monitor.ExportOptions{Format: monitor.JSON}); err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Summary string `json:"summary"`
		Text    string `json:"text"`
		Terms   []struct {
			Term, Field, Text string
		} `json:"matched_terms"`
	}
	if err := json.Unmarshal([]byte(js.String()), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || !strings.Contains(rows[0].Text, "Sergej Lawrow sagte anschließend") ||
		!strings.Contains(rows[0].Text, "\n\nBeobachter in Genf") || rows[0].Summary != "Der russische Außenminister traf …" ||
		len(rows[0].Terms) != 1 || rows[0].Terms[0].Field != "fulltext" || rows[0].Terms[0].Text != "Lawrow" {
		t.Fatalf("JSON export = %s", js.String())
	}
	if _, err := svc.Export(ctx, &csv, monitor.ExportOptions{Format: monitor.CSV}); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(csv.String()), "\r\n"); len(lines) != 2 ||
		!strings.Contains(lines[1], "Lawrow (fulltext)") || strings.Contains(lines[1], "Beobachter") {
		t.Fatalf("CSV export = %q", csv.String())
	}

	f.FullText = monitor.FullTextOn
	if err := svc.UpdateFeed(ctx, f); err != nil {
		t.Fatal(err)
	}
	var opml strings.Builder
	if _, err := svc.ExportOPML(ctx, &opml); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(opml.String(), `newswatch:fullText="on"`) {
		t.Fatalf("OPML = %s", opml.String())
	}
	other := openService(t, t.TempDir(), clock)
	if _, err := other.ImportOPML(ctx, strings.NewReader(opml.String())); err != nil {
		t.Fatal(err)
	}
	if feeds, _ := other.Feeds(ctx); len(feeds) != 1 || feeds[0].FullText != monitor.FullTextOn {
		t.Fatalf("imported feeds = %+v", feeds)
	}
}
