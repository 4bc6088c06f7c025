package monitor_test

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
)

func TestCheckStoresThenNotModified(t *testing.T) {
	clock := newClock()
	ff := &fakeFeed{title: "Tagesblatt", items: []testItem{
		{GUID: "a1", Title: "Ukraine: Gespräche in Genf", Link: "https://news.example/a1", Published: clock.Now().Add(-time.Hour)},
		{GUID: "a2", Title: "Wetter: Schnee im Harz", Link: "https://news.example/a2", Published: clock.Now().Add(-2 * time.Hour)},
	}}
	srv := serve(t, ff)
	svc := openService(t, t.TempDir(), clock)
	mustAddFeed(t, svc, srv.URL+"/feed.xml")
	mustAddTopic(t, svc, "Ukraine", "")

	ev := mustCheck(t, svc)
	if ev.NewArticles != 2 {
		t.Fatalf("first check: %d new articles, want 2", ev.NewArticles)
	}
	if got := titles(ev.Matches); !reflect.DeepEqual(got, []string{"Ukraine: Ukraine: Gespräche in Genf"}) {
		t.Fatalf("first check matches = %q", got)
	}
	if !ev.Matches[0].Backlog {
		t.Error("matches of a feed's first fetch should be marked as backlog")
	}
	feeds, _ := svc.Feeds(context.Background())
	if f := feeds[0]; f.Title != "Tagesblatt" || f.ItemCount != 2 || f.LastSuccess.IsZero() || f.ETag == "" {
		t.Fatalf("feed after first check = %+v", f)
	}

	clock.Advance(10 * time.Minute)
	ev = mustCheck(t, svc)
	if ev.NewArticles != 0 || len(ev.Matches) != 0 {
		t.Fatalf("second check created %d articles and %d matches", ev.NewArticles, len(ev.Matches))
	}
	if !ev.Feeds[0].NotModified {
		t.Fatalf("second check was not a 304: %+v", ev.Feeds[0])
	}
	if got := ff.lastReq.Header.Get("If-None-Match"); got == "" {
		t.Error("second request sent no If-None-Match")
	}
	if ff.full != 1 {
		t.Errorf("server sent the body %d times, want 1", ff.full)
	}
}

func TestNewItemMakesExactlyOneMatch(t *testing.T) {
	clock := newClock()
	ff := &fakeFeed{title: "Welt", items: []testItem{{GUID: "x1", Title: "Nordkorea testet Rakete", Link: "https://news.example/x1"}}}
	srv := serve(t, ff)
	svc := openService(t, t.TempDir(), clock)
	mustAddFeed(t, svc, srv.URL)
	mustAddTopic(t, svc, "Nordkorea", "")
	mustCheck(t, svc)

	clock.Advance(10 * time.Minute)
	ff.add(testItem{GUID: "x2", Title: "Nordkoreanische Außenministerin in Moskau", Link: "https://news.example/x2"},
		testItem{GUID: "x3", Title: "Börse schließt fester", Link: "https://news.example/x3"})
	ev := mustCheck(t, svc)
	if got := titles(ev.Matches); !reflect.DeepEqual(got, []string{"Nordkorea: Nordkoreanische Außenministerin in Moskau"}) {
		t.Fatalf("matches = %q", got)
	}
	if ev.Matches[0].Backlog {
		t.Error("a match from a later fetch is not backlog")
	}
	if ev.NewArticles != 2 {
		t.Errorf("new articles = %d, want 2", ev.NewArticles)
	}
	if h := ev.Matches[0].Hits; len(h) == 0 || h[0].Field.String() != "title" {
		t.Errorf("hits = %+v", h)
	}

	// The feed changes (new ETag) but brings nothing new: no match.
	clock.Advance(10 * time.Minute)
	ff.add()
	if ev := mustCheck(t, svc); len(ev.Matches) != 0 || ev.NewArticles != 0 {
		t.Fatalf("unchanged items came back as %d articles, %d matches", ev.NewArticles, len(ev.Matches))
	}
}

func TestNewProcessNeverReportsOldMatches(t *testing.T) {
	clock := newClock()
	dir := t.TempDir()
	ff := &fakeFeed{title: "Welt", items: []testItem{{GUID: "u1", Title: "Ukraine-Krieg: Lage im Osten", Link: "https://news.example/u1"}}}
	srv := serve(t, ff)

	first := openService(t, dir, clock)
	mustAddFeed(t, first, srv.URL)
	mustAddTopic(t, first, "Ukraine", "")
	if ev := mustCheck(t, first); len(ev.Matches) != 1 {
		t.Fatalf("first process: %d matches, want 1", len(ev.Matches))
	}
	first.Close()

	// A new process, and the server forgets its ETag: the full body again.
	ff.add()
	second := openService(t, dir, clock)
	ev := mustCheck(t, second)
	if len(ev.Matches) != 0 {
		t.Fatalf("second process reported old matches again: %q", titles(ev.Matches))
	}
	stored, _ := second.Matches(context.Background(), monitor.Filter{})
	if len(stored) != 1 {
		t.Fatalf("stored matches = %d, want 1", len(stored))
	}
}

func TestPendingAlertsSurviveACrash(t *testing.T) {
	// Matches stored but never claimed (the process died between the two)
	// are announced by the next cycle, once.
	clock := newClock()
	dir := t.TempDir()
	ff := &fakeFeed{title: "Welt", items: []testItem{{GUID: "u1", Title: "Ukraine meldet Angriffe", Link: "https://news.example/u1"}}}
	srv := serve(t, ff)
	svc := openService(t, dir, clock)
	mustAddFeed(t, svc, srv.URL)
	mustAddTopic(t, svc, "Ukraine", "")
	unsub := svc.Subscribe(func(monitor.Event) {})
	defer unsub()
	mustCheck(t, svc)
	// Simulate the crash window: put the match back to pending.
	if _, err := rawDB(t, dir).Exec(`UPDATE matches SET alert_id = NULL`); err != nil {
		t.Fatal(err)
	}
	svc2 := openService(t, dir, clock)
	ev := mustCheck(t, svc2)
	if len(ev.Matches) != 1 {
		t.Fatalf("pending match announced %d times, want 1", len(ev.Matches))
	}
	if ev := mustCheck(t, svc2); len(ev.Matches) != 0 {
		t.Fatalf("match announced again: %q", titles(ev.Matches))
	}
}

func TestSameLinkInTwoFeedsIsOneArticle(t *testing.T) {
	clock := newClock()
	a := &fakeFeed{title: "A", items: []testItem{{GUID: "a-1", Title: "Ukraine: Gipfel", Link: "https://news.example/story"}}}
	b := &fakeFeed{title: "B", items: []testItem{{GUID: "b-9", Title: "Ukraine: Gipfel", Link: "https://news.example/story"}}}
	srvA, srvB := serve(t, a), serve(t, b)
	svc := openService(t, t.TempDir(), clock)
	mustAddFeed(t, svc, srvA.URL)
	mustAddTopic(t, svc, "Ukraine", "")
	mustCheck(t, svc)
	mustAddFeed(t, svc, srvB.URL)
	ev := mustCheck(t, svc)
	if ev.NewArticles != 0 || len(ev.Matches) != 0 {
		t.Fatalf("the same link through a second feed made %d articles, %d matches", ev.NewArticles, len(ev.Matches))
	}
}

func TestFailingFeedDoesNotStopOthers(t *testing.T) {
	clock := newClock()
	good := &fakeFeed{title: "Gut", items: []testItem{{GUID: "g1", Title: "Ukraine erhält Hilfe", Link: "https://news.example/g1"}}}
	broken := &fakeFeed{status: http.StatusInternalServerError}
	notFeed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<!doctype html><html><head><link rel="alternate" type="application/rss+xml" href="/rss"></head><body>Hi</body></html>`))
	})
	srvGood, srvBroken, srvHTML := serve(t, good), serve(t, broken), serve(t, notFeed)
	svc := openService(t, t.TempDir(), clock)
	mustAddFeed(t, svc, srvBroken.URL)
	mustAddFeed(t, svc, srvHTML.URL)
	mustAddFeed(t, svc, srvGood.URL)
	mustAddTopic(t, svc, "Ukraine", "")

	ev := mustCheck(t, svc)
	if len(ev.Matches) != 1 {
		t.Fatalf("good feed: %d matches, want 1", len(ev.Matches))
	}
	if ev.Failed() != 2 {
		t.Fatalf("failed feeds = %d, want 2", ev.Failed())
	}
	feeds, _ := svc.Feeds(context.Background())
	errs := map[string]monitor.Feed{}
	for _, f := range feeds {
		errs[f.URL] = f
	}
	if f := errs[srvBroken.URL]; !strings.Contains(f.LastError.String(), "500") || f.Failures != 1 || f.Healthy() {
		t.Errorf("broken feed health = %q, failures %d", f.LastError.String(), f.Failures)
	}
	if f := errs[srvHTML.URL]; !strings.Contains(f.LastError.String(), "web page") || !strings.Contains(f.LastError.String(), srvHTML.URL+"/rss") {
		t.Errorf("HTML page error = %q", f.LastError.String())
	}
	if f := errs[srvGood.URL]; !f.Healthy() {
		t.Errorf("good feed unhealthy: %q", f.LastError.String())
	}

	// A scheduled run right after backs off the failing feeds.
	clock.Advance(time.Minute)
	ev, err := svc.Check(context.Background(), monitor.CheckOptions{Scheduled: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.Feeds) != 1 {
		t.Errorf("scheduled run in back-off checked %d feeds, want only the healthy one", len(ev.Feeds))
	}
	// A manual check tries them again.
	if ev := mustCheck(t, svc); len(ev.Feeds) != 3 {
		t.Errorf("manual check covered %d feeds, want 3", len(ev.Feeds))
	}
	feeds, _ = svc.Feeds(context.Background())
	for _, f := range feeds {
		if f.URL == srvBroken.URL && f.Failures != 2 {
			t.Errorf("consecutive failures = %d, want 2", f.Failures)
		}
	}
}

func TestEventsReachSubscribers(t *testing.T) {
	clock := newClock()
	ff := &fakeFeed{title: "Welt", items: []testItem{{GUID: "1", Title: "Lawrow trifft Wang Yi", Link: "https://news.example/1"}}}
	srv := serve(t, ff)
	svc := openService(t, t.TempDir(), clock)
	mustAddFeed(t, svc, srv.URL)
	mustAddTopic(t, svc, "Lawrow", "")
	var got []monitor.Event
	cancel := svc.Subscribe(func(ev monitor.Event) { got = append(got, ev) })
	mustAddTopic(t, svc, "Wang Yi", "")
	mustCheck(t, svc)
	cancel()
	mustCheck(t, svc)
	// The feed's items are teasers, so the cycle reads their pages after
	// telling about the feeds (its second event; news.example is not
	// reached).
	if len(got) != 3 || got[0].Changed != monitor.TopicsChanged || got[0].Cycle != nil {
		t.Fatalf("events = %+v, want the topic change, then the cycle's two parts", got)
	}
	if c := got[1].Cycle; c == nil || len(c.Matches) != 2 || c.Pages != nil {
		t.Fatalf("cycle event = %+v, want its two matches", got[1])
	}
	if c := got[2].Cycle; c == nil || c.Pages == nil || c.Pages.Missed != 1 || len(c.Matches) != 0 {
		t.Fatalf("pages event = %+v, want one page missed", got[2])
	}
}

func TestTwoTopicsOneArticle(t *testing.T) {
	clock := newClock()
	ff := &fakeFeed{title: "Welt", items: []testItem{{GUID: "1", Title: "Ukraine und Nordkorea: Waffenlieferungen", Link: "https://news.example/1"}}}
	srv := serve(t, ff)
	svc := openService(t, t.TempDir(), clock)
	mustAddFeed(t, svc, srv.URL)
	mustAddTopic(t, svc, "Ukraine", "")
	mustAddTopic(t, svc, "Nordkorea", "")
	off := mustAddTopic(t, svc, "Waffen", "")
	off.Enabled = false
	if err := svc.UpdateTopic(context.Background(), off); err != nil {
		t.Fatal(err)
	}
	ev := mustCheck(t, svc)
	if len(ev.Matches) != 2 {
		t.Fatalf("matches = %q, want one per enabled topic", titles(ev.Matches))
	}
}

func TestPermanentRedirectMovesFeed(t *testing.T) {
	clock := newClock()
	ff := &fakeFeed{title: "Neu", items: []testItem{{GUID: "1", Title: "Hallo", Link: "https://news.example/1"}}}
	mux := http.NewServeMux()
	mux.Handle("/new", ff)
	mux.Handle("/old", http.RedirectHandler("/new", http.StatusMovedPermanently))
	mux.Handle("/temp", http.RedirectHandler("/new", http.StatusFound))
	srv := serve(t, mux)
	svc := openService(t, t.TempDir(), clock)
	mustAddFeed(t, svc, srv.URL+"/old")
	mustAddFeed(t, svc, srv.URL+"/temp")
	mustCheck(t, svc)
	feeds, _ := svc.Feeds(context.Background())
	var urls []string
	for _, f := range feeds {
		urls = append(urls, strings.TrimPrefix(f.URL, srv.URL))
	}
	if !reflect.DeepEqual(sorted(urls), []string{"/new", "/temp"}) {
		t.Fatalf("feed URLs after redirects = %q, want /old moved to /new and /temp kept", urls)
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestUnchangedFeedKeepsItsStories(t *testing.T) {
	clock := newClock()
	ff := &fakeFeed{title: "Wochenblatt", items: []testItem{
		{GUID: "w1", Title: "Haushalt: Einigung in Berlin", Link: "https://news.example/w1", Published: clock.Now().Add(-time.Hour)},
	}}
	srv := serve(t, ff)
	svc := openService(t, t.TempDir(), clock)
	mustAddFeed(t, svc, srv.URL+"/feed.xml")
	mustCheck(t, svc)
	for range 8 { // 40 days of 304s, past the 30 days unmatched stories are kept
		clock.Advance(5 * 24 * time.Hour)
		if ev := mustCheck(t, svc); !ev.Feeds[0].NotModified {
			t.Fatalf("not a 304: %+v", ev.Feeds[0])
		}
	}
	mustAddTopic(t, svc, "Haushalt", "")
	clock.Advance(time.Hour)
	ff.add(testItem{GUID: "w2", Title: "Wetter: Sturm an der Küste", Link: "https://news.example/w2", Published: clock.Now()})
	ev := mustCheck(t, svc)
	if ev.NewArticles != 1 || len(ev.Matches) != 0 {
		t.Errorf("after the change: %d new articles, matches %q; the old story came back as new", ev.NewArticles, titles(ev.Matches))
	}
}
