//go:build linux

package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"

	"codeberg.org/newswatch/newswatch/internal/pgtest"
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/pgstore"
)

// listenStories is how many stories the delay is measured over.
const listenStories = 100

// teamListen measures the delay from a story stored by a poller to a
// follower seeing it (see team.go).
func teamListen(srv *pgtest.Server, tr *teamRuns) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := adminExec(srv, "CREATE DATABASE teamlisten TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		return err
	}
	u := dbURL(srv, "teamlisten")
	var mu sync.Mutex
	var items []string
	var feed *httptest.Server
	feed = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/story/") {
			fmt.Fprintf(w, "<html><body><article><p>Ein Bericht.</p></article></body></html>")
			return
		}
		mu.Lock()
		defer mu.Unlock()
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Quelle</title>`)
		for i := len(items) - 1; i >= 0; i-- {
			fmt.Fprintf(&b, `<item><guid>%d</guid><title>%s</title><link>%s/story/%d</link></item>`, i, items[i], feed.URL, i)
		}
		b.WriteString(`</channel></rss>`)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, b.String())
	}))
	defer feed.Close()

	pst, err := pgstore.Open(ctx, u, pgstore.Options{User: "server"})
	if err != nil {
		return err
	}
	poller := monitor.New(monitor.Config{Store: pst, NoAlerts: true})
	defer poller.Close()
	if _, err := poller.AddFeed(ctx, feed.URL+"/rss", monitor.AddFeedOptions{}); err != nil {
		return err
	}
	if _, err := poller.AddTopic(ctx, monitor.Topic{Name: "Ukraine", Query: "Ukraine", Enabled: true, Notify: true}); err != nil {
		return err
	}
	if _, err := poller.Check(ctx, monitor.CheckOptions{}); err != nil { // the feed's first check
		return err
	}
	fst, err := pgstore.Open(ctx, u, pgstore.Options{User: "desk"})
	if err != nil {
		return err
	}
	follower := monitor.New(monitor.Config{Store: fst, NoPolling: true})
	type sighting struct {
		m  monitor.Match
		at time.Time
	}
	seen := make(chan sighting, listenStories)
	stop := follower.Subscribe(func(e monitor.Event) {
		if e.Cycle == nil {
			return
		}
		at := time.Now()
		for _, m := range e.Cycle.Matches {
			seen <- sighting{m, at}
		}
	})
	defer stop()
	running := make(chan struct{})
	go func() { defer close(running); _ = follower.Run(ctx) }()
	defer func() { cancel(); <-running; follower.Close() }()
	time.Sleep(time.Second) // the follower listens

	progress("team: %d stories from a poller to a follower", listenStories)
	for i := range listenStories {
		title := fmt.Sprintf("Ukraine: Meldung %d aus Kiew", i)
		mu.Lock()
		items = append(items, title)
		mu.Unlock()
		if _, err := poller.Check(ctx, monitor.CheckOptions{}); err != nil {
			return err
		}
		select {
		case s := <-seen:
			if s.m.Article.Title != title {
				return fmt.Errorf("the follower saw %q, want %q", s.m.Article.Title, title)
			}
			tr.Listen = append(tr.Listen, s.at.Sub(s.m.Article.FirstSeen))
		case <-time.After(2 * time.Minute):
			return fmt.Errorf("the follower did not see story %d within 2 minutes", i)
		}
	}
	slices.Sort(tr.Listen)
	progress("team: story to desktop p50 %s, p95 %s", secs(percentile(tr.Listen, 0.5)), secs(percentile(tr.Listen, 0.95)))
	return nil
}
