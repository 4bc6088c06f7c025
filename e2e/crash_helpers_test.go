//go:build e2e

package e2e

import (
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// crashItem is one story of the crash test's feeds. Its title and GUID are
// unique, so a printed match line names exactly one item.
type crashItem struct {
	feed      int // index into crashNews.feeds
	guid      string
	title     string
	link      string
	ukraine   bool      // the title and summary are about Ukraine: the topic matches
	published time.Time // when the server first listed it
}

// key is the item's key in the articles table (see monitor/feed/normalize.go).
func (it *crashItem) key() string { return "guid:" + it.guid }

// crashFeed is one RSS feed, on its own server so that a check fetches the
// feeds in parallel (the engine allows 2 fetches per host).
type crashFeed struct {
	srv   *httptest.Server
	name  string
	items []*crashItem // oldest first
	gets  int          // requests answered with the feed
	nots  int          // requests answered 304 Not Modified
}

func (f *crashFeed) url() string { return f.srv.URL + "/feed.xml" }

// crashNews serves several RSS feeds that keep growing: each request of a
// feed has a chance of adding 1–3 new items to it first, about half of
// them about Ukraine. Every item ever served is known to the test.
type crashNews struct {
	mu      sync.Mutex
	rng     *rand.Rand
	grow    float64 // chance that a request adds items
	feeds   []*crashFeed
	byGUID  map[string]*crashItem
	byTitle map[string]*crashItem
	next    int // serial number of the next item
}

// Words of the stories that are not about Ukraine: none of them is matched
// by the query "Ukraine".
var crashOtherNews = []string{
	"Wetter: Sturm an der Nordseeküste",
	"Börse: Dax schließt im Plus",
	"Bahn: Streik im Fernverkehr angekündigt",
	"Fußball: Pokalfinale in Berlin",
	"Klima: Gletscher in den Alpen schmelzen",
	"Haushalt: Bundestag berät über Schuldenbremse",
}

var crashUkraineNews = []string{
	"Ukraine: Angriffe auf Charkiw gemeldet",
	"Ukraine: Waffenruhe gebrochen",
	"Ukraine: Außenminister reist nach Kiew",
	"Ukraine: Neue Hilfen beschlossen",
}

// newCrashNews starts n feeds with initial items each.
func newCrashNews(t *testing.T, seed uint64, n, initial int) *crashNews {
	t.Helper()
	c := &crashNews{
		rng:     rand.New(rand.NewPCG(seed, seed^0x5eed)),
		grow:    0.4,
		byGUID:  map[string]*crashItem{},
		byTitle: map[string]*crashItem{},
	}
	for i := range n {
		f := &crashFeed{name: fmt.Sprintf("Lagefeed %d", i+1)}
		f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { c.serve(i, w, r) }))
		t.Cleanup(f.srv.Close)
		c.feeds = append(c.feeds, f)
		c.mu.Lock()
		for range initial {
			c.addLocked(i)
		}
		c.mu.Unlock()
	}
	return c
}

// addLocked adds one item to feed i; c.mu is held.
func (c *crashNews) addLocked(i int) {
	f := c.feeds[i]
	c.next++
	it := &crashItem{feed: i, guid: fmt.Sprintf("nw-crash-%d-%05d", i+1, c.next), published: time.Now()}
	it.ukraine = c.rng.IntN(2) == 0
	var headline string
	if it.ukraine {
		headline = crashUkraineNews[c.rng.IntN(len(crashUkraineNews))]
	} else {
		headline = crashOtherNews[c.rng.IntN(len(crashOtherNews))]
	}
	it.title = fmt.Sprintf("%s (Meldung %d)", headline, c.next)
	it.link = fmt.Sprintf("%s/story/%s", f.srv.URL, it.guid)
	f.items = append(f.items, it)
	c.byGUID[it.guid] = it
	c.byTitle[it.title] = it
}

func (c *crashNews) serve(i int, w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/feed.xml" {
		http.NotFound(w, r)
		return
	}
	c.mu.Lock()
	if c.rng.Float64() < c.grow {
		for range 1 + c.rng.IntN(3) {
			c.addLocked(i)
		}
	}
	body := c.renderLocked(i)
	etag, notMod := conditional(r, body)
	f := c.feeds[i]
	if notMod {
		f.nots++
	} else {
		f.gets++
	}
	c.mu.Unlock()
	writeRSS(w, etag, notMod, body)
}

// renderLocked writes feed i as RSS 2.0, newest item first; c.mu is held.
func (c *crashNews) renderLocked(i int) []byte {
	esc := func(s string) string {
		var b strings.Builder
		xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	f := c.feeds[i]
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<rss version="2.0"><channel>` + "\n")
	fmt.Fprintf(&b, "<title>%s</title><link>%s/</link><description>Newswatch crash test feed</description><language>de</language>\n",
		esc(f.name), esc(f.srv.URL))
	for j := len(f.items) - 1; j >= 0; j-- {
		it := f.items[j]
		desc := "Meldungen aus aller Welt."
		if it.ukraine {
			desc = "Neue Berichte aus der Ukraine."
		}
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid isPermaLink=\"false\">%s</guid><pubDate>%s</pubDate><description>%s</description></item>\n",
			esc(it.title), esc(it.link), esc(it.guid), it.published.UTC().Format(time.RFC1123Z), esc(desc))
	}
	b.WriteString("</channel></rss>\n")
	return []byte(b.String())
}

// items returns every item served so far, in the order they were added.
func (c *crashNews) items() []*crashItem {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]*crashItem, 0, len(c.byGUID))
	for _, f := range c.feeds {
		out = append(out, f.items...)
	}
	return out
}

func (c *crashNews) item(title string) *crashItem {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byTitle[title]
}

func (c *crashNews) stats() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var items, ukraine, gets, nots int
	for _, f := range c.feeds {
		for _, it := range f.items {
			items++
			if it.ukraine {
				ukraine++
			}
		}
		gets += f.gets
		nots += f.nots
	}
	return fmt.Sprintf("%d feeds served %d items (%d about Ukraine); %d responses with the feed, %d not modified",
		len(c.feeds), items, ukraine, gets, nots)
}

// crashRun is one `newswatch check` process of the crash test.
type crashRun struct {
	label     string        // "7a": iteration 7, first process
	killAfter time.Duration // SIGKILL this long after the start; <0: let it finish
	p         *process
	started   time.Time
	elapsed   time.Duration // from start to exit
	killed    bool          // ended by SIGKILL (ours)
	hung      bool          // did not end within crashHang; killed
	code      int           // exit code when it exited by itself
	// wal is whether the process wrote to the database's write-ahead log
	// (for checks that ran alone; "" when another check ran alongside).
	wal string
}

// walStamp is the state of the database's write-ahead log file: a check
// that writes to the database changes it (the WAL is only deleted when
// the last connection closes cleanly, and a killed one cannot).
type walStamp struct {
	exists bool
	size   int64
	mod    time.Time
}

func stampWAL(db string) walStamp {
	fi, err := os.Stat(db + "-wal")
	if err != nil {
		return walStamp{}
	}
	return walStamp{true, fi.Size(), fi.ModTime()}
}

// wroteWAL reports whether the log was written between before and after.
func wroteWAL(before, after walStamp) bool {
	return after.exists && after.size > 0 &&
		(!before.exists || after.size != before.size || !after.mod.Equal(before.mod))
}

// crashHang is how long a check may take before the test calls it hung.
const crashHang = 60 * time.Second

// startCrashRun starts `newswatch --data DIR check`. The process is killed
// when the test ends, should it still run.
func startCrashRun(t *testing.T, bin string, env []string, data, label string, killAfter time.Duration) *crashRun {
	t.Helper()
	cmd := exec.Command(bin, "--data", data, "check")
	cmd.Env = env
	p, err := start(cmd)
	if err != nil {
		t.Fatalf("starting newswatch check (%s): %v", label, err)
	}
	r := &crashRun{label: label, killAfter: killAfter, p: p, started: time.Now()}
	t.Cleanup(func() {
		if !p.exited() {
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	})
	return r
}

// wait waits for the process to end, killing it with SIGKILL when its
// killAfter has passed (or it hangs), and records how it ended.
func (r *crashRun) wait() {
	var kill <-chan time.Time
	if r.killAfter >= 0 {
		timer := time.NewTimer(time.Until(r.started.Add(r.killAfter)))
		defer timer.Stop()
		kill = timer.C
	}
	hang := time.NewTimer(time.Until(r.started.Add(crashHang)))
	defer hang.Stop()
	select {
	case <-r.p.done:
	case <-kill:
		_ = r.p.cmd.Process.Signal(syscall.SIGKILL)
		<-r.p.done
	case <-hang.C:
		r.hung = true
		_ = r.p.cmd.Process.Signal(syscall.SIGKILL)
		<-r.p.done
	}
	r.elapsed = time.Since(r.started)
	ws, _ := r.p.cmd.ProcessState.Sys().(syscall.WaitStatus)
	r.killed = ws.Signaled() && ws.Signal() == syscall.SIGKILL
	r.code = r.p.cmd.ProcessState.ExitCode()
}

// outcome says in a few words how the run ended.
func (r *crashRun) outcome() string {
	switch {
	case r.hung:
		return fmt.Sprintf("HUNG for %v, killed", crashHang)
	case r.killed:
		return fmt.Sprintf("SIGKILLed after %v (planned %v)", r.elapsed.Round(time.Millisecond), r.killAfter.Round(time.Millisecond))
	case r.killAfter >= 0:
		return fmt.Sprintf("finished after %v, before its kill at %v, exit %d", r.elapsed.Round(time.Millisecond), r.killAfter.Round(time.Millisecond), r.code)
	default:
		return fmt.Sprintf("finished after %v (not to be killed), exit %d", r.elapsed.Round(time.Millisecond), r.code)
	}
}

func (r *crashRun) describe() string {
	return fmt.Sprintf("run %s: %s\n%s", r.label, r.outcome(), r.p.output())
}

// crashMatchLine is one "[Ukraine] feed — title" line a run printed.
type crashMatchLine struct {
	topic, feed, title string
}

// matchLines parses the complete match lines of the run's stdout; a line
// cut off by the kill (no newline yet) does not count.
func (r *crashRun) matchLines() []crashMatchLine {
	out := r.p.stdout.String()
	if i := strings.LastIndexByte(out, '\n'); i >= 0 {
		out = out[:i+1]
	} else {
		out = ""
	}
	var ms []crashMatchLine
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "[") {
			continue
		}
		topic, rest, ok := strings.Cut(line[1:], "] ")
		if !ok {
			continue
		}
		feed, title, ok := strings.Cut(rest, " — ")
		if !ok {
			continue
		}
		ms = append(ms, crashMatchLine{topic, feed, title})
	}
	return ms
}

// summaryLine returns the run's "checked N feeds in …" line, if printed.
func (r *crashRun) summaryLine() string {
	for _, line := range strings.Split(r.p.stdout.String(), "\n") {
		if strings.Contains(line, ": checked ") {
			return line
		}
	}
	return ""
}
