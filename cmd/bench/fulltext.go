//go:build linux

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/internal/newsgen"
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/store"
)

// The full-text rows: what reading the article pages of new stories adds
// to a check cycle. A page server (this program re-executed with
// -pageserve, so its CPU is not counted) serves teaser feeds (title and
// one sentence per item, each linking to its article page) and the pages
// (newsgen stories in a news site's chrome: navigation, page data,
// related stories, footer; about 60 KB each) on several ports, which Newswatch takes for several
// sites. The same cold cycle runs in a fresh engine process twice: with
// every feed's full text off, and on automatic (the feeds are teasers, so
// every page is read, at most two at once per site).

// esc escapes text for HTML and XML.
var esc = html.EscapeString

// Full-text bench sizes.
const (
	ftPages = 1000 // article pages (and new stories) in the cycle
	ftFeeds = 20   // teaser feeds of ftPages/ftFeeds items
	ftSites = 10   // ports: two feeds per site
)

// fullTextRuns holds the runs of both cycles.
type fullTextRuns struct {
	Off, On   []cycleResult
	PageBytes int64 // the pages' HTML, all of them
}

// pageServeMain serves the teaser feeds and their pages until stdin ends.
func pageServeMain(args []string) {
	fs := flag.NewFlagSet("pageserve", flag.ExitOnError)
	pages := fs.Int("pages", ftPages, "")
	feeds := fs.Int("feeds", ftFeeds, "")
	sites := fs.Int("sites", ftSites, "")
	fs.Parse(args)
	g := newsgen.New(13)
	base := time.Now().Add(-3 * time.Hour).Truncate(time.Second)
	stories := make([]newsgen.Story, *pages)
	for i := range stories {
		stories[i] = g.Story(base.Add(time.Duration(i) * time.Second))
	}
	lns := make([]net.Listener, *sites)
	ports := make([]int, *sites)
	for i := range lns {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fatal(err)
		}
		lns[i], ports[i] = ln, ln.Addr().(*net.TCPAddr).Port
	}
	perFeed := *pages / *feeds
	mux := http.NewServeMux()
	mux.HandleFunc("/feed/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		site := ports[n%len(ports)]
		var b strings.Builder
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Anrisse %d</title><link>http://127.0.0.1:%d/</link>`, n, site)
		for i := n * perFeed; i < (n+1)*perFeed && i < len(stories); i++ {
			s := stories[i]
			teaser, _, _ := strings.Cut(strings.TrimPrefix(s.Summary, "<p>"), ". ")
			fmt.Fprintf(&b, "<item><title>%s</title><link>http://127.0.0.1:%d/article/%d</link><guid>a%d</guid><description>%s.</description><pubDate>%s</pubDate></item>",
				esc(s.Title), site, i, i, esc(teaser), s.Published.UTC().Format(time.RFC1123Z))
		}
		b.WriteString("</channel></rss>")
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Write([]byte(b.String()))
	})
	mux.HandleFunc("/article/{i}", func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(r.PathValue("i"))
		if err != nil || i < 0 || i >= len(stories) {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(articleHTML(stories[i])))
	})
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 30 * time.Second}
	for _, ln := range lns {
		go hs.Serve(ln)
	}
	var size int64
	for _, s := range stories {
		size += int64(len(articleHTML(s)))
	}
	json.NewEncoder(os.Stdout).Encode(map[string]any{"ports": ports, "page_bytes": size})
	for in := bufio.NewScanner(os.Stdin); in.Scan(); {
	}
}

// articleHTML is a story as a news site's page, about 60 KB like real
// ones: a menu of 120 links, an inline script of 30 KB of page data, the
// article, 20 related stories with pictures and a footer of 60 links.
func articleHTML(s newsgen.Story) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="%s"><head><meta charset="utf-8"><title>%s</title>`, s.Lang, esc(s.Title))
	b.WriteString(`<link rel="stylesheet" href="/s.css"><script>window.__DATA__={"items":[`)
	for i := range 300 {
		fmt.Fprintf(&b, `{"id":%d,"slot":"teaser-%d","title":"Meldung %d","tracking":"abcdefghijklmnopqrstuvwxyz%d"},`, i, i, i, i)
	}
	b.WriteString(`{}]};</script></head><body><header><nav><ul>`)
	for i := range 120 {
		fmt.Fprintf(&b, `<li class="menu-item"><a href="/ressort/%d">Ressort %d</a></li>`, i, i)
	}
	b.WriteString(`</ul></nav></header><main><article>`)
	fmt.Fprintf(&b, `<h1>%s</h1><p class="byline">%s</p>%s%s</article>`, esc(s.Title), esc(s.Author), s.Summary, s.Content)
	b.WriteString(`<aside class="related"><h2>Mehr zum Thema</h2>`)
	for i := range 20 {
		fmt.Fprintf(&b, `<div class="teaser"><a href="/a/%d"><img src="/img/%d.jpg" alt=""><span class="kicker">Region</span><h3>Weitere Meldung Nummer %d aus der Region</h3></a></div>`, i, i, i)
	}
	b.WriteString(`</aside></main><footer><ul>`)
	for i := range 60 {
		fmt.Fprintf(&b, `<li><a href="/service/%d">Service %d</a></li>`, i, i)
	}
	b.WriteString(`</ul><p>© Beispielverlag · Impressum · Datenschutz · Kontakt</p></footer></body></html>`)
	return b.String()
}

// runFullText measures the cycle without and with full text.
func runFullText(cfg *config) (*fullTextRuns, error) {
	cmd := exec.Command(selfPath(), "-pageserve")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	defer func() {
		stdin.Close()
		cmd.Wait()
	}()
	var hello struct {
		Ports     []int
		PageBytes int64 `json:"page_bytes"`
	}
	if err := json.NewDecoder(stdout).Decode(&hello); err != nil {
		return nil, fmt.Errorf("page server did not start: %w", err)
	}
	work, err := os.MkdirTemp("", "newswatch-bench-fulltext-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	out := &fullTextRuns{PageBytes: hello.PageBytes}
	for run := 0; run < cfg.runs; run++ {
		for _, mode := range []monitor.FullTextMode{monitor.FullTextOff, monitor.FullTextAuto} {
			data := filepath.Join(work, fmt.Sprintf("run%d-%s", run, mode))
			if err := setupFullTextStore(data, hello.Ports, mode); err != nil {
				return nil, err
			}
			waitQuiet("the full-text cycle")
			w := watchLoad()
			var res cycleResult
			cpu, err := runChild(&res, "-engine", "-data", data)
			if err != nil {
				return nil, err
			}
			res.Other = w.other("full-text cycle", cpu)
			progress("run %d, cycle with full text %s: %s wall, %s CPU, peak RSS %s, %d new articles, %d pages read, %d missed",
				run+1, mode, secs(res.Wall), secs(res.CPU), mb(res.PeakRSS), res.NewArticles, res.PagesRead, res.PagesMissed)
			if mode == monitor.FullTextOff {
				out.Off = append(out.Off, res)
			} else {
				out.On = append(out.On, res)
			}
			os.RemoveAll(data)
		}
	}
	return out, nil
}

// setupFullTextStore makes a store with the teaser feeds (full text as
// mode) and the bench topics.
func setupFullTextStore(dir string, ports []int, mode monitor.FullTextMode) error {
	st, err := store.Open(dir)
	if err != nil {
		return err
	}
	svc := monitor.New(monitor.Config{Store: st})
	defer svc.Close()
	ctx := context.Background()
	for n := range ftFeeds {
		f, err := svc.AddFeed(ctx, fmt.Sprintf("http://127.0.0.1:%d/feed/%d", ports[n%len(ports)], n), monitor.AddFeedOptions{})
		if err != nil {
			return err
		}
		f.FullText = mode
		if err := svc.UpdateFeed(ctx, f); err != nil {
			return err
		}
	}
	for _, t := range benchTopics() {
		if _, err := svc.AddTopic(ctx, monitor.Topic{Name: t[0], Query: t[1], Enabled: true, Notify: true}); err != nil {
			return err
		}
	}
	return nil
}

// fullTextRows are the report's rows for the full-text cycles.
func fullTextRows(r *fullTextRuns) []row {
	off, on := median(r.Off), median(r.On)
	size := fmt.Sprintf("%d teaser feeds, %s new stories", ftFeeds, thousands(ftPages))
	return []row{
		{"Cycle without full text, " + size, cycleValue(off, false) + wallRange(r.Off), "", "", ""},
		{fmt.Sprintf("Cycle reading %s article pages (%d sites, 2 at once per site; %s of HTML)", thousands(ftPages), ftSites, mb(r.PageBytes)),
			cycleValue(on, false) + fmt.Sprintf(" · %d pages read, %d missed", on.PagesRead, on.PagesMissed) + wallRange(r.On), "", "", ""},
		{"Full text: extra time and memory",
			fmt.Sprintf("+%s wall (%.1f ms a page) · +%s CPU (%.1f ms a page) · peak RSS %s instead of %s",
				secs(on.Wall-off.Wall), float64((on.Wall-off.Wall).Microseconds())/1000/ftPages,
				secs(on.CPU-off.CPU), float64((on.CPU-off.CPU).Microseconds())/1000/ftPages, mb(on.PeakRSS), mb(off.PeakRSS)), "", "", ""},
	}
}
