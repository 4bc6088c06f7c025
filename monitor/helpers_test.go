package monitor_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/store"
)

// testItem is one item a fake feed serves.
type testItem struct {
	GUID, Title, Description, Link string
	Published                      time.Time
}

// fakeFeed is an RSS feed on a loopback server that answers conditional
// requests like a well-behaved server.
type fakeFeed struct {
	mu       sync.Mutex
	title    string
	items    []testItem
	version  int
	requests int
	full     int // 200 responses with a body
	status   int // when non-zero, answer with this status
	lastReq  *http.Request
}

func (f *fakeFeed) add(items ...testItem) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.items = append(items, f.items...)
	f.version++
}

func (f *fakeFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	f.lastReq = r
	if f.status != 0 {
		w.WriteHeader(f.status)
		return
	}
	etag := fmt.Sprintf(`"v%d"`, f.version)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	f.full++
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	fmt.Fprint(w, rssDoc(f.title, f.items))
}

func rssDoc(title string, items []testItem) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>`)
	fmt.Fprintf(&b, "<title>%s</title><link>https://news.example/</link>", title)
	for _, it := range items {
		b.WriteString("<item>")
		if it.GUID != "" {
			fmt.Fprintf(&b, "<guid>%s</guid>", it.GUID)
		}
		fmt.Fprintf(&b, "<title>%s</title><description><![CDATA[%s]]></description>", it.Title, it.Description)
		if it.Link != "" {
			fmt.Fprintf(&b, "<link>%s</link>", it.Link)
		}
		if !it.Published.IsZero() {
			fmt.Fprintf(&b, "<pubDate>%s</pubDate>", it.Published.Format(time.RFC1123Z))
		}
		b.WriteString("</item>")
	}
	b.WriteString("</channel></rss>")
	return b.String()
}

// testClock is a settable clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *testClock {
	return &testClock{t: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// openService opens an engine on dir; closing is left to t.Cleanup.
func openService(t *testing.T, dir string, clock *testClock) *monitor.Service {
	t.Helper()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	svc := monitor.New(monitor.Config{Store: st, Now: clock.Now})
	t.Cleanup(func() { svc.Close() })
	return svc
}

func mustAddFeed(t *testing.T, svc *monitor.Service, url string) monitor.Feed {
	t.Helper()
	f, err := svc.AddFeed(context.Background(), url, monitor.AddFeedOptions{})
	if err != nil {
		t.Fatalf("add feed %s: %v", url, err)
	}
	return f
}

func mustAddTopic(t *testing.T, svc *monitor.Service, name, query string) monitor.Topic {
	t.Helper()
	tp, err := svc.AddTopic(context.Background(), monitor.Topic{Name: name, Query: query, Enabled: true, Notify: true})
	if err != nil {
		t.Fatalf("add topic %s: %v", name, err)
	}
	return tp
}

func mustCheck(t *testing.T, svc *monitor.Service) monitor.CycleEvent {
	t.Helper()
	ev, err := svc.Check(context.Background(), monitor.CheckOptions{})
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	return ev
}

func serve(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func titles(ms []monitor.Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.TopicName+": "+m.Article.Title)
	}
	return out
}

// rawDB opens the data directory's database directly, for tests that
// simulate what a crash leaves behind.
func rawDB(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName)+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
