//go:build linux

package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"codeberg.org/newswatch/newswatch/internal/newsgen"
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/store"
)

// liveServer is the loopback feed server of the desktop's UI-stall and
// soak runs, in the bench's own process (the app is what is measured
// there, not CPU time): RSS feeds that gain stories when the bench says
// so, as news sites do between two checks. Each feed lists its newest
// liveListed stories and has a port of its own (Newswatch fetches at most
// two feeds at once from one host:port); it answers If-None-Match with
// 304 while the feed has not changed.
type liveServer struct {
	mu    sync.Mutex
	feeds []*liveFeed
	srv   *http.Server
	lns   []net.Listener
}

// liveListed is how many stories a feed lists, as a news site's feed does.
const liveListed = 50

type liveFeed struct {
	i       int
	url     string
	gen     *newsgen.Gen
	stories []newsgen.Story // newest first
	added   int             // stories added so far
	body    bodyVersion     // the current body (Plain, ETag, LastModified)
}

// startLiveServer serves n feeds, each on a loopback port of its own,
// with no stories yet.
func startLiveServer(n int) (*liveServer, error) {
	s := &liveServer{}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 30 * time.Second}
	for i := range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			s.close()
			return nil, err
		}
		s.lns = append(s.lns, ln)
		go s.srv.Serve(ln)
		f := &liveFeed{i: i, gen: newsgen.New(uint64(5000 + i)),
			url: fmt.Sprintf("http://%s/live/%d/rss.xml", ln.Addr(), i)}
		f.render()
		s.feeds = append(s.feeds, f)
	}
	return s, nil
}

func (s *liveServer) close() {
	if s.srv != nil {
		s.srv.Close()
	}
	for _, ln := range s.lns {
		ln.Close()
	}
}

// grow adds k new stories to feed i, published now; with every fourth
// (when some) a story that the data directory's topic /e/ does not match.
func (s *liveServer) grow(i, k int, some bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.feeds[i]
	now := time.Now().Truncate(time.Second)
	fresh := make([]newsgen.Story, 0, k)
	for j := range k {
		f.added++
		at := now.Add(-time.Duration(j) * time.Second)
		if some && f.added%4 == 0 {
			fresh = append(fresh, unmatchedStory(f.i, f.added, at))
		} else {
			fresh = append(fresh, f.gen.Story(at))
		}
	}
	f.stories = append(fresh, f.stories...)
	if len(f.stories) > liveListed {
		f.stories = f.stories[:liveListed]
	}
	f.render()
}

// unmatchedStory is a short story without the letter e anywhere a topic
// looks (title, summary, text, category; its feed is named "Kurier N"),
// so /e/ does not match it.
func unmatchedStory(feed, k int, at time.Time) newsgen.Story {
	nums := fmt.Sprintf("%d, %d, %d, %d, %d, %d", 1+k%7, 9+k%5, 17+k%3, 23+k%6, 31+k%4, 42+k%7)
	return newsgen.Story{ID: 1_000_000 + k, Theme: "lotto", Lang: "de", Published: at,
		Title:      fmt.Sprintf("Lotto am Samstag: %s (Zug Nr. %d)", nums, feed*10000+k),
		Summary:    fmt.Sprintf("<p>Zug Nr. %d am Samstag, Zusatzzahl %d.</p>", feed*10000+k, k%10),
		Content:    fmt.Sprintf("<p>Lotto-Zug Nr. %d am Samstag: %s; Zusatzzahl %d.</p>\n", feed*10000+k, nums, k%10),
		Categories: []string{"Lotto"}}
}

func (f *liveFeed) render() {
	updated := time.Unix(0, 0)
	if len(f.stories) > 0 {
		updated = f.stories[0].Published
	}
	f.body = makeVersion(renderFeed(f.i, false, f.stories, updated), updated)
	f.body.Gzip = nil // sent as it is
}

func (s *liveServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var i int
	if _, err := fmt.Sscanf(r.URL.Path, "/live/%d/rss.xml", &i); err != nil || i < 0 || i >= len(s.feeds) {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	v := s.feeds[i].body
	s.mu.Unlock()
	h := w.Header()
	h.Set("ETag", v.ETag)
	h.Set("Last-Modified", v.LastModified)
	if notModified(r, &v) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "application/rss+xml; charset=utf-8")
	h.Set("Content-Length", fmt.Sprint(len(v.Plain)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(v.Plain)
	}
}

// liveName is the name the data directory gives feed i: without the
// letter e, like the stories unmatchedStory writes.
func liveName(i int) string { return fmt.Sprintf("Kurier %d", i) }

// addLiveFeeds adds the server's feeds to the data directory, through the
// engine as the app would, and sets the global schedule when given.
func addLiveFeeds(data string, s *liveServer, schedule string) error {
	st, err := store.Open(data)
	if err != nil {
		return err
	}
	svc := monitor.New(monitor.Config{Store: st})
	ctx := context.Background()
	for _, f := range s.feeds {
		fd, err := svc.AddFeed(ctx, f.url, monitor.AddFeedOptions{Name: liveName(f.i)})
		if err == nil {
			// No article pages: the stories link to hosts that do not
			// exist (full text is measured in its own section).
			fd.FullText = monitor.FullTextOff
			err = svc.UpdateFeed(ctx, fd)
		}
		if err != nil {
			svc.Close()
			return fmt.Errorf("adding the loopback feed %s: %w", f.url, err)
		}
	}
	if schedule != "" {
		if err := svc.SetSchedule(ctx, schedule); err != nil {
			svc.Close()
			return fmt.Errorf("setting the schedule %q: %w", schedule, err)
		}
	}
	return svc.Close()
}
