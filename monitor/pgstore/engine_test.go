package pgstore

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/internal/pgtest"
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
)

// newsServer serves feeds /N.xml on loopback, each a list of items that
// the test adds to.
type newsServer struct {
	mu    sync.Mutex
	items map[int][]string // feed → titles, newest first
	gets  map[int]int
}

func (n *newsServer) add(feed int, title string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.items[feed] = append([]string{title}, n.items[feed]...)
}

func (n *newsServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var feed int
	fmt.Sscanf(r.URL.Path, "/%d.xml", &feed)
	n.mu.Lock()
	defer n.mu.Unlock()
	n.gets[feed]++
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed %d</title>`, feed)
	for i, title := range n.items[feed] {
		k := len(n.items[feed]) - i
		fmt.Fprintf(&b, `<item><guid>f%d-%d</guid><title>%s</title><link>https://news%d.example/%d</link>
			<description>%s</description></item>`, feed, k, title, feed, k, title)
	}
	b.WriteString(`</channel></rss>`)
	w.Header().Set("Content-Type", "application/rss+xml")
	fmt.Fprint(w, b.String())
}

// The engine on a team database: two pollers share the feeds (each due
// feed checked by one of them), two desktops that leave polling to them
// learn of a new story as it is stored, each with its own alert, shown
// once.
func TestTeamEngine(t *testing.T) {
	url := pgtest.URL(t)
	news := &newsServer{items: map[int][]string{}, gets: map[int]int{}}
	srv := httptest.NewServer(news)
	defer srv.Close()
	const feeds = 12
	setup := openTest(t, url, "admin")
	admin := monitor.New(monitor.Config{Store: setup, NoPolling: true, NoAlerts: true})
	for i := range feeds {
		news.add(i, fmt.Sprintf("Wetter in Stadt %d", i))
		if _, err := admin.AddFeed(t.Context(), fmt.Sprintf("%s/%d.xml", srv.URL, i), monitor.AddFeedOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := admin.AddTopic(t.Context(), monitor.Topic{Name: "Ukraine", Enabled: true, Notify: true}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	var running sync.WaitGroup
	start := func(user string, cfg monitor.Config) *monitor.Service {
		cfg.Store = openTest(t, url, user)
		cfg.LeaseTimeout = 3 * time.Second
		svc := monitor.New(cfg)
		running.Go(func() {
			if err := svc.Run(ctx); err != nil {
				t.Error(err)
			}
		})
		return svc
	}
	type seen struct {
		mu      sync.Mutex
		stories map[int64]int
		shown   int
	}
	desktops := map[string]*seen{}
	for _, user := range []string{"alice", "bob"} {
		d := &seen{stories: map[int64]int{}}
		desktops[user] = d
		svc := start(user, monitor.Config{NoPolling: true})
		svc.Subscribe(func(ev monitor.Event) {
			d.mu.Lock()
			defer d.mu.Unlock()
			if ev.Cycle != nil {
				for _, id := range ev.Cycle.Stories {
					d.stories[id]++
				}
			}
			for _, a := range ev.Alerts {
				if a.Status == alert.Shown {
					d.shown++
				}
			}
		})
	}
	p1 := start("poller", monitor.Config{NoAlerts: true})
	p2 := start("poller", monitor.Config{NoAlerts: true})
	checks := func() map[int64]int {
		rows, err := setup.pool.Query(t.Context(), `SELECT feed_id, count(*) FROM feed_checks GROUP BY feed_id, due`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[int64]int{}
		for rows.Next() {
			var id int64
			var n int
			rows.Scan(&id, &n)
			if n != 1 {
				t.Errorf("feed %d checked %d times for one due time", id, n)
				rs, _ := setup.pool.Query(t.Context(), `SELECT due, owner, at FROM feed_checks WHERE feed_id = $1`, id)
				for rs.Next() {
					var due, at int64
					var owner string
					rs.Scan(&due, &owner, &at)
					t.Logf("  due %d owner %s at %d", due, owner, at)
				}
				rs.Close()
			}
			out[id]++
		}
		return out
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("waited 30 s for %s", what)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	waitFor("every feed's first check", func() bool { return len(checks()) == feeds })
	// A story the topic matches; the feed is made due now (as its
	// schedule would in ten minutes).
	news.add(3, "Ukraine: Waffenruhe in Odessa vereinbart")
	if _, err := setup.pool.Exec(t.Context(), `UPDATE feed_leases SET due = (extract(epoch FROM now()) * 1000)::bigint WHERE feed_id = (SELECT id FROM feeds WHERE url LIKE '%/3.xml')`); err != nil {
		t.Fatal(err)
	}
	for user, d := range desktops {
		waitFor(user+"'s alert", func() bool {
			d.mu.Lock()
			defer d.mu.Unlock()
			return d.shown == 1 && len(d.stories) == 1
		})
	}
	time.Sleep(time.Second) // nothing more comes
	cancel()
	running.Wait()
	for user, d := range desktops {
		if d.shown != 1 || len(d.stories) != 1 {
			t.Errorf("%s: %d alerts shown, stories %v", user, d.shown, d.stories)
		}
	}
	total := 0
	for _, n := range checks() {
		total += n
	}
	if total != feeds+1 {
		t.Errorf("%d checks, want %d (each feed once, the one made due again once more)", total, feeds+1)
	}
	news.mu.Lock()
	gets := 0
	for _, n := range news.gets {
		gets += n
	}
	news.mu.Unlock()
	if gets != feeds+1 {
		t.Errorf("the feeds were fetched %d times, want %d", gets, feeds+1)
	}
	for _, svc := range []*monitor.Service{p1, p2} {
		if err := svc.Close(); err != nil {
			t.Error(err)
		}
	}
	var leased int
	setup.pool.QueryRow(t.Context(), `SELECT count(*) FROM feed_leases WHERE owner <> ''`).Scan(&leased)
	if leased != 0 {
		t.Errorf("%d leases held after the pollers closed", leased)
	}
}
