package storetest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
)

// feedServer serves an RSS feed on loopback that grows, answering
// conditional requests.
type feedServer struct {
	mu    sync.Mutex
	items []string // "title|text", newest first
	gets  int
}

func (f *feedServer) add(title string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.items = append([]string{title}, f.items...)
}

func (f *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gets++
	etag := fmt.Sprintf(`"%d"`, len(f.items))
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "application/rss+xml")
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Tagesblatt</title>`)
	for i, item := range f.items {
		n := len(f.items) - i
		title, text, _ := strings.Cut(item, "|")
		fmt.Fprintf(&b, "<item><guid>g%d</guid><title>%s</title><link>https://news.example/%d</link>"+
			"<description>%s</description><pubDate>%s</pubDate></item>", n, title, n, text,
			time.Now().Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z))
	}
	b.WriteString("</channel></rss>")
	fmt.Fprint(w, b.String())
}

// The engine on the store: a check stores a feed's stories and announces
// its matches once; a check that finds nothing new announces nothing; a
// new story is one new match, claimed once, its alert recorded.
func testEngineCycle(t *testing.T, o Opener) {
	s, _ := o.New(t)
	feed := &feedServer{}
	feed.add("Ukraine: Gespräche in Genf|Die Außenminister treffen sich am Montag zu Gesprächen über eine Waffenruhe.")
	feed.add("Wetter: Schnee im Harz|Im Oberharz fallen bis zu zwanzig Zentimeter Neuschnee, der Brocken ist gesperrt.")
	srv := httptest.NewServer(feed)
	defer srv.Close()
	svc := monitor.New(monitor.Config{Store: s})
	if _, err := svc.AddFeed(ctx, srv.URL+"/feed.xml", monitor.AddFeedOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddTopic(ctx, monitor.Topic{Name: "Ukraine", Enabled: true, Notify: true}); err != nil {
		t.Fatal(err)
	}
	ev, err := svc.Check(ctx, monitor.CheckOptions{})
	if err != nil || ev.NewArticles != 2 || len(ev.Matches) != 1 || !ev.Matches[0].Backlog || len(ev.Stories) != 1 {
		t.Fatalf("first check: %d articles, matches %+v, stories %v, %v", ev.NewArticles, ev.Matches, ev.Stories, err)
	}
	ev, err = svc.Check(ctx, monitor.CheckOptions{})
	if err != nil || ev.NewArticles != 0 || len(ev.Matches) != 0 || !ev.Feeds[0].NotModified {
		t.Fatalf("second check: %+v, %v", ev, err)
	}
	feed.add("Hafenbrand in Odessa: Ukraine meldet Drohnenangriff|Im Hafen von Odessa brennt ein Getreidesilo nach einem nächtlichen Angriff mit Drohnen.")
	ev, err = svc.Check(ctx, monitor.CheckOptions{})
	if err != nil || ev.NewArticles != 1 || len(ev.Matches) != 1 || ev.Matches[0].Backlog || len(ev.NewStories) != 1 {
		t.Fatalf("third check: %d articles, matches %+v, %v", ev.NewArticles, ev.Matches, err)
	}
	shown := 0
	for _, a := range ev.Alerts {
		if a.Status == alert.Shown {
			shown++
		}
	}
	if shown != 1 {
		t.Errorf("alerts of the new story: %+v", ev.Alerts)
	}
	if hist, _ := svc.AlertHistory(ctx, monitor.AlertFilter{}); len(hist) < 1 {
		t.Error("the alert was not recorded")
	}
	if c, _ := svc.Counts(ctx); c.Unread != 2 {
		t.Errorf("counts %+v", c)
	}
}
