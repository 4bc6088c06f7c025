package monitor_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
)

// hostile is a misbehaving server and what its feed's health must say.
type hostile struct {
	name    string
	handler http.Handler
	want    string // in the feed's last error; "" for a feed that works
}

func rssItems(n int, date time.Time) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Viel</title>`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "<item><guid>g%d</guid><title>Meldung %d zur Ukraine</title><pubDate>%s</pubDate></item>",
			i, i, date.Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	return b.Bytes()
}

func hostileServers(now time.Time) []hostile {
	zeros := make([]byte, 1<<20)
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	for i := 0; i < 64; i++ { // 64 MB of zeros in about 64 KB
		zw.Write(zeros)
	}
	zw.Close()
	many := rssItems(bigFeed(), now.Add(-time.Hour))
	return append(structureServers(), []hostile{
		{"headers never arrive", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
		}), "did not deliver the feed within"},
		{"body trickles forever", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("<rss version=\"2.0\"><channel>"))
			for {
				select {
				case <-r.Context().Done():
					return
				case <-time.After(50 * time.Millisecond):
					w.Write([]byte(" "))
					w.(http.Flusher).Flush()
				}
			}
		}), "did not deliver the feed within"},
		{"body larger than the cap", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("<rss version=\"2.0\"><channel><title>"))
			for i := 0; i < 20; i++ {
				if _, err := w.Write(zeros); err != nil {
					return
				}
			}
		}), "larger than 16 MB"},
		{"gzip bomb", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb.Bytes())
		}), "larger than 16 MB"},
		{"redirect loop", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/loop?"+r.URL.RawQuery+"x", http.StatusFound)
		}), "redirects more than 5 times"},
		{"redirect to another scheme", http.RedirectHandler("file:///etc/passwd", http.StatusMovedPermanently), "not a web address"},
		{"404", http.NotFoundHandler(), "404 Not Found"},
		{"410", statusHandler(http.StatusGone, ""), "gone for good (410 Gone)"},
		{"429 seconds", statusHandler(http.StatusTooManyRequests, "120"), "asked Newswatch to slow down (429 Too Many Requests) and to wait until"},
		{"503 date", statusHandler(http.StatusServiceUnavailable, now.Add(time.Hour).UTC().Format(http.TimeFormat)), "temporarily unavailable (503 Service Unavailable) and asked to wait until"},
		{"500", statusHandler(http.StatusInternalServerError, ""), "internal problem (500 Internal Server Error)"},
		{"connection reset mid-body", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			conn, buf, _ := w.(http.Hijacker).Hijack()
			buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 100000\r\n\r\n<rss version=\"2.0\"><channel><title>x")
			buf.Flush()
			conn.(*net.TCPConn).SetLinger(0) // close with RST
			conn.Close()
		}), "closed the connection before the feed was complete"},
		{"HTML page naming its feed", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(`<!DOCTYPE html><html><head><link rel="alternate" type="application/atom+xml" href="/atom.xml"></head><body>News</body></html>`))
		}), "the page names its feed at http://"},
		{"wrong Content-Type", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/png")
			w.Write(rssItems(2, now.Add(-time.Hour)))
		}), ""},
		{"empty body", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), "empty response instead of a feed"},
		{"every date in the future", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write(rssItems(3, now.AddDate(9, 0, 0)))
		}), ""},
		{"a huge feed", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write(many)
		}), ""},
	}...)
}

// bigFeed is the item count of the huge feed: 50,000, or 5,000 under the
// race detector (see raceDetector).
func bigFeed() int {
	if raceDetector {
		return 5_000
	}
	return 50_000
}

func statusHandler(code int, retryAfter string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.WriteHeader(code)
	})
}

// TestHostileServers checks every kind of misbehaving server in one cycle
// together with a good feed: the cycle ends in bounded time, every feed's
// health is one clear sentence, memory stays bounded, the good feed is
// checked normally.
func TestHostileServers(t *testing.T) {
	clock := newClock()
	svc := openService(t, t.TempDir(), clock)
	svc.Fetcher().Timeout = 2 * time.Second
	if raceDetector {
		// The race detector makes reading and guarding the large bodies
		// several times slower: room for them to arrive on a busy machine.
		svc.Fetcher().Timeout = 6 * time.Second
	}
	ctx := context.Background()
	servers := hostileServers(clock.Now())
	urls := map[string]hostile{}
	var hits sync.Map // path requests per server
	for _, h := range servers {
		h := h
		count := new(atomic.Int64)
		srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			count.Add(1)
			h.handler.ServeHTTP(w, r)
		}))
		hits.Store(srv.URL, count)
		urls[srv.URL] = h
		mustAddFeed(t, svc, srv.URL)
	}
	good := &fakeFeed{title: "Gut", items: []testItem{{GUID: "ok", Title: "Ukraine erhält Hilfe", Link: "https://news.example/ok"}}}
	goodSrv := serve(t, good)
	mustAddFeed(t, svc, goodSrv.URL)
	mustAddTopic(t, svc, "Ukraine", "")

	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
			}
		}
	}()
	start := time.Now()
	ev, err := svc.Check(ctx, monitor.CheckOptions{})
	took := time.Since(start)
	close(stop)
	if err != nil {
		t.Fatal(err)
	}
	// Bounded: the slowest server costs the total timeout, and they run at
	// once; generous slack for a loaded machine and the race detector.
	if took > 45*time.Second {
		t.Errorf("the cycle took %v", took)
	}
	if p := peak.Load(); p > maxHeap {
		t.Errorf("heap in use peaked at %d MB", p>>20)
	}
	t.Logf("cycle took %v, heap peak %d MB, %d new articles", took.Round(time.Millisecond), peak.Load()>>20, ev.NewArticles)

	feeds, _ := svc.Feeds(ctx)
	for _, f := range feeds {
		if f.URL == goodSrv.URL {
			if !f.Healthy() || f.ItemCount != 1 {
				t.Errorf("the good feed was not checked normally: %+v", f)
			}
			continue
		}
		h, ok := urls[f.URL]
		if !ok {
			t.Errorf("unexpected feed %s (a redirect must not move a feed)", f.URL)
			continue
		}
		lastError := f.LastError.String()
		if !f.LastError.IsZero() && f.LastError.Tmpl == "{{.Text}}" {
			t.Errorf("%s: error %q has no translatable message", h.name, lastError)
		}
		switch {
		case h.want == "" && lastError != "":
			t.Errorf("%s: error %q, want none", h.name, lastError)
		case h.want != "" && !strings.Contains(lastError, h.want):
			t.Errorf("%s: error %q, want %q", h.name, lastError, h.want)
		}
		if lastError != "" && (strings.Count(strings.TrimSuffix(lastError, "."), ". ") > 0 || !strings.HasSuffix(lastError, ".") ||
			strings.Contains(lastError, "\n")) {
			t.Errorf("%s: not one sentence: %q", h.name, lastError)
		}
	}

	checkInert(t, svc, ev)

	// The big feed and the future dates were stored; future dates count
	// from when the stories were first seen.
	bt, _ := svc.Backtest(ctx, "Meldung", monitor.BacktestOptions{Limit: -1})
	if bt.Total != bigFeed()+2+3 {
		t.Errorf("stored %d of the %d items of the big, mislabelled and future-dated feeds", bt.Total, bigFeed()+5)
	}
	for _, m := range bt.Newest {
		if m.Article.Published.After(clock.Now().Add(24 * time.Hour)) {
			t.Fatalf("a future date was kept: %v", m.Article.Published)
		}
	}

	// A second cycle (scheduled, a minute later): the 410 feed is not asked
	// again, nor those that asked to wait; the failing ones back off.
	before := map[string]int64{}
	hits.Range(func(k, v any) bool { before[k.(string)] = v.(*atomic.Int64).Load(); return true })
	clock.Advance(time.Minute)
	if _, err := svc.Check(ctx, monitor.CheckOptions{Scheduled: true}); err != nil {
		t.Fatal(err)
	}
	hits.Range(func(k, v any) bool {
		h := urls[k.(string)]
		if n := v.(*atomic.Int64).Load(); n != before[k.(string)] && h.want != "" {
			t.Errorf("%s was asked again within its back-off (%d requests)", h.name, n)
		}
		return true
	})
}

// TestBackoffGrowsAndIsCapped follows a server that fails for a long
// time: scheduled checks ask it less and less often, never less than every
// 12 hours, and once it works again it is back to normal.
func TestBackoffGrowsAndIsCapped(t *testing.T) {
	clock := newClock()
	svc := openService(t, t.TempDir(), clock)
	var fail atomic.Bool
	fail.Store(true)
	var requests []time.Time
	var mu sync.Mutex
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests = append(requests, clock.Now())
		mu.Unlock()
		if fail.Load() {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.Write(rssItems(1, clock.Now()))
	}))
	mustAddFeed(t, svc, srv.URL)
	ctx := context.Background()
	// Scheduled checks every minute for three days.
	for i := 0; i < 3*24*60; i++ {
		svc.Check(ctx, monitor.CheckOptions{Scheduled: true})
		clock.Advance(time.Minute)
	}
	var gaps []time.Duration
	for i := 1; i < len(requests); i++ {
		gaps = append(gaps, requests[i].Sub(requests[i-1]))
	}
	if len(gaps) < 10 {
		t.Fatalf("only %d requests in three days", len(requests))
	}
	for i := 1; i < len(gaps); i++ {
		if gaps[i] < gaps[i-1] {
			t.Fatalf("back-off shrank: %v", gaps)
		}
	}
	if gaps[0] > 10*time.Minute || gaps[len(gaps)-1] > 12*time.Hour+time.Minute || gaps[len(gaps)-1] < 11*time.Hour {
		t.Fatalf("gaps %v: want a short first wait growing to the 12 h cap", gaps)
	}
	feeds, _ := svc.Feeds(ctx)
	if feeds[0].Failures != len(requests) {
		t.Errorf("failures = %d, requests = %d", feeds[0].Failures, len(requests))
	}
	// Recovery.
	fail.Store(false)
	clock.Advance(12 * time.Hour)
	svc.Check(ctx, monitor.CheckOptions{Scheduled: true})
	feeds, _ = svc.Feeds(ctx)
	if !feeds[0].Healthy() || feeds[0].Failures != 0 {
		t.Fatalf("after recovery: %+v", feeds[0])
	}
	n := len(requests)
	clock.Advance(time.Minute)
	svc.Check(ctx, monitor.CheckOptions{Scheduled: true})
	if len(requests) != n+1 {
		t.Errorf("a healthy feed was not checked on schedule")
	}
}
