//go:build e2e

package e2e

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// pollNews serves n feeds /N.xml on loopback that keep gaining stories,
// and records every request: when it came, and which items a complete
// response carried. Each response is held back for delay, so that a
// poller's check of its batch of feeds takes a while (a poller can be
// killed in the middle of one).
type pollNews struct {
	srv   *httptest.Server
	delay time.Duration

	mu     sync.Mutex
	items  [][]int           // per feed: item numbers, oldest first
	next   int               // the next item number
	reqs   [][]time.Time     // per feed: when each request came
	served map[string]bool   // links of items a complete response carried
	after  map[string]bool   // of those, carried by a response that came after mark
	mark   time.Time         // see after; zero: none yet
	byLink map[string]string // link → title
}

func newPollNews(t *testing.T, n int, delay time.Duration) *pollNews {
	p := &pollNews{delay: delay, items: make([][]int, n), reqs: make([][]time.Time, n),
		served: map[string]bool{}, after: map[string]bool{}, byLink: map[string]string{}}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	for i := range n {
		p.addLocked(i)
	}
	return p
}

func (p *pollNews) url(i int) string { return fmt.Sprintf("%s/%d.xml", p.srv.URL, i) }

// link is a story's web page, on the server too (the pollers read the
// pages of new stories).
func (p *pollNews) link(feed, item int) string {
	return fmt.Sprintf("%s/story/%d/%d", p.srv.URL, feed, item)
}

func title(feed, item int) string {
	// Two of three stories are about the topic; words of their own keep
	// them apart as stories.
	words := []string{"Getreide", "Hafen", "Energie", "Parlament", "Grenze", "Bahn", "Wahl", "Schule", "Klinik"}
	w := words[item%len(words)] + fmt.Sprint(item)
	if item%3 != 0 {
		return fmt.Sprintf("Ukraine: Meldung %d aus Quelle %d zu %s", item, feed, w)
	}
	return fmt.Sprintf("Wetter: Bericht %d aus Quelle %d zu %s", item, feed, w)
}

func (p *pollNews) addLocked(feed int) {
	p.next++
	p.items[feed] = append(p.items[feed], p.next)
	p.byLink[p.link(feed, p.next)] = title(feed, p.next)
}

// grow adds a story to k random feeds every interval until stop is
// closed.
func (p *pollNews) grow(stop <-chan struct{}, interval time.Duration, k int) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		p.mu.Lock()
		for range k {
			p.addLocked(rand.IntN(len(p.items)))
		}
		p.mu.Unlock()
	}
}

// setMark makes the responses that come from now on count in after.
func (p *pollNews) setMark() {
	p.mu.Lock()
	p.mark = time.Now()
	p.mu.Unlock()
}

func (p *pollNews) serve(w http.ResponseWriter, r *http.Request) {
	var feed, item int
	if _, err := fmt.Sscanf(r.URL.Path, "/story/%d/%d", &feed, &item); err == nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<html><head><title>%s</title></head><body><article><h1>%s</h1><p>%s. Ein eigener Bericht.</p></article></body></html>",
			title(feed, item), title(feed, item), title(feed, item))
		return
	}
	if _, err := fmt.Sscanf(r.URL.Path, "/%d.xml", &feed); err != nil || feed < 0 || feed >= len(p.items) {
		http.NotFound(w, r)
		return
	}
	came := time.Now()
	p.mu.Lock()
	p.reqs[feed] = append(p.reqs[feed], came)
	items := append([]int(nil), p.items[feed]...)
	mark := p.mark
	p.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Quelle %d</title><link>https://poll%d.example/</link>`, feed, feed)
	for i := len(items) - 1; i >= 0; i-- {
		fmt.Fprintf(&b, `<item><guid>p%d-%d</guid><title>%s</title><link>%s</link><description>%s.</description></item>`,
			feed, items[i], title(feed, items[i]), p.link(feed, items[i]), title(feed, items[i]))
	}
	b.WriteString(`</channel></rss>`)
	select {
	case <-time.After(p.delay):
	case <-r.Context().Done():
		return // the poller is gone (killed): nothing was served
	}
	w.Header().Set("Content-Type", "application/rss+xml")
	if _, err := w.Write([]byte(b.String())); err != nil || r.Context().Err() != nil {
		return
	}
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, it := range items {
		p.served[p.link(feed, it)] = true
		if !mark.IsZero() && came.After(mark) {
			p.after[p.link(feed, it)] = true
		}
	}
}

// requests is the number of requests so far.
func (p *pollNews) requests() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, r := range p.reqs {
		n += len(r)
	}
	return n
}

// requestsSince counts the feeds requested at or after t.
func (p *pollNews) feedsRequestedSince(t time.Time) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, rs := range p.reqs {
		for _, r := range rs {
			if !r.Before(t) {
				n++
				break
			}
		}
	}
	return n
}

// opml is an OPML file of the feeds.
func (p *pollNews) opml() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><opml version="2.0"><head><title>Team</title></head><body>`)
	for i := range p.items {
		fmt.Fprintf(&b, `<outline type="rss" text="Quelle %d" xmlUrl="%s"/>`, i, p.url(i))
	}
	b.WriteString(`</body></opml>`)
	return b.String()
}

// printedMatches are the links of the topic's matches a `newswatch run`
// printed ("[Topic] Feed — Title" and then the link), with how often.
func printedMatches(out, topic string) map[string]int {
	got := map[string]int{}
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "["+topic+"] ") && i+1 < len(lines) {
			got[strings.TrimSpace(lines[i+1])]++
		}
	}
	return got
}
