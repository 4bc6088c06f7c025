package monitor_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/store"

	"codeberg.org/newswatch/newswatch/monitor"
)

func TestConcurrencyBounds(t *testing.T) {
	// 12 feeds on one server, 6 on another: at most 2 at once per server.
	var mu sync.Mutex
	active := map[string]int{}
	peak := map[string]int{}
	handler := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			active[name]++
			peak[name] = max(peak[name], active[name])
			mu.Unlock()
			time.Sleep(30 * time.Millisecond)
			mu.Lock()
			active[name]--
			mu.Unlock()
			w.Write([]byte(rssDoc("X", []testItem{{GUID: r.URL.Path, Title: "Story " + r.URL.Path}})))
		})
	}
	a, b := serve(t, handler("a")), serve(t, handler("b"))
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc := monitor.New(monitor.Config{Store: st, Now: newClock().Now, Concurrency: 3, PerHost: 2})
	defer svc.Close()
	for i := range 12 {
		mustAddFeed(t, svc, fmt.Sprintf("%s/%d", a.URL, i))
		if i < 6 {
			mustAddFeed(t, svc, fmt.Sprintf("%s/%d", b.URL, i))
		}
	}
	var progress []int
	ev, err := svc.Check(context.Background(), monitor.CheckOptions{Progress: func(done, total int) {
		progress = append(progress, done*100+total)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if ev.NewArticles != 18 || ev.Failed() != 0 {
		t.Fatalf("new articles %d, failed %d", ev.NewArticles, ev.Failed())
	}
	if peak["a"] > 2 || peak["b"] > 2 || peak["a"]+peak["b"] < 3 {
		t.Fatalf("peak concurrency per server = %v; want at most 2 each and the global bound of 3 used", peak)
	}
	if len(progress) != 18 || progress[17] != 18*100+18 {
		t.Fatalf("progress = %v", progress)
	}
}

func TestCancelledCheckIsNotAFailure(t *testing.T) {
	block := make(chan struct{})
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer close(block)
	svc := openService(t, t.TempDir(), newClock())
	mustAddFeed(t, svc, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	svc.Check(ctx, monitor.CheckOptions{})
	feeds, _ := svc.Feeds(context.Background())
	if f := feeds[0]; f.Failures != 0 || !f.LastError.IsZero() {
		t.Fatalf("a stopped check counted as a failure: %+v", f)
	}
}

func TestRunSchedulesFeeds(t *testing.T) {
	clock := newClock()
	ff := &fakeFeed{title: "Welt", items: []testItem{{GUID: "1", Title: "Ukraine", Link: "https://news.example/1"}}}
	srv := serve(t, ff)
	svc := openService(t, t.TempDir(), clock)
	global := mustAddFeed(t, svc, srv.URL+"/global")
	own, err := svc.AddFeed(context.Background(), srv.URL+"/own", monitor.AddFeedOptions{Schedule: "@every 5m"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	events := make(chan monitor.CycleEvent, 4)
	svc.Subscribe(func(ev monitor.Event) {
		if ev.Cycle != nil {
			events <- *ev.Cycle
		}
	})
	done := make(chan error)
	go func() { done <- svc.Run(ctx) }()
	select {
	case ev := <-events: // the start-up check
		if len(ev.Feeds) != 2 {
			t.Fatalf("start-up check covered %d feeds", len(ev.Feeds))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no start-up check")
	}
	// Once running, next runs come from the scheduler's entries.
	deadline := time.Now().Add(5 * time.Second)
	var nextOwn, nextGlobal time.Time
	for time.Now().Before(deadline) {
		nextOwn, nextGlobal = svc.NextRun(ctx, own), svc.NextRun(ctx, global)
		if d := time.Until(nextOwn); d > 4*time.Minute && d <= 5*time.Minute {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if d := time.Until(nextOwn); d <= 4*time.Minute || d > 5*time.Minute {
		t.Errorf("own schedule next run in %v, want about 5m", d)
	}
	if d := time.Until(nextGlobal); d <= 9*time.Minute || d > 10*time.Minute {
		t.Errorf("global schedule next run in %v, want about 10m", d)
	}
	// A changed global schedule takes effect while running.
	if err := svc.SetSchedule(ctx, "@every 2m"); err != nil {
		t.Fatal(err)
	}
	if d := time.Until(svc.NextRun(ctx, global)); d > 2*time.Minute {
		t.Errorf("after SetSchedule the next run is in %v, want at most 2m", d)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// A feed that answers 304 for longer than stories are kept still lists
// them: they are not pruned, and when the feed changes at last, they are
// not new again, not even for a topic added meanwhile.
