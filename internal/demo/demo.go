// Package demo runs Newswatch's demo: synthetic news feeds (German and
// English stories of our own, see newsgen) served on loopback, which gain
// a story every few seconds, some of them about the demo's topics. It
// needs no network.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"encoding/xml"

	"codeberg.org/newswatch/newswatch/internal/newsgen"
	"codeberg.org/newswatch/newswatch/monitor"
)

// Topics are the demo's watch topics.
var Topics = []monitor.Topic{
	{Name: "Ukraine", Query: "Ukraine OR Kiew OR Kyiv", Color: "#1e88e5"},
	{Name: "Nordkorea", Query: `Nordkorea OR Pjöngjang OR "North Korea" OR Pyongyang`, Color: "#e53935"},
	{Name: "Sergej Lawrow", Query: `"Sergej Lawrow" OR Lavrov`, Color: "#8e24aa"},
	{Name: "EU-Asylreform", Query: "EU* (Asyl* OR asylum)", Color: "#00897b"},
}

// Schedule is how often the demo checks its feeds.
const Schedule = "@every 1m"

// Server serves the demo feeds.
type Server struct {
	URL   string
	feeds []*demoFeed
	ln    net.Listener
	srv   *http.Server
}

type demoFeed struct {
	name, path string
	mu         sync.Mutex
	items      []newsgen.Story
	version    int
}

// Start serves the feeds on a loopback port and adds stories every
// interval until ctx ends.
func Start(ctx context.Context, interval time.Duration) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start the demo feeds: %w", err)
	}
	s := &Server{URL: "http://" + ln.Addr().String(), ln: ln}
	g := newGen(uint64(time.Now().UnixNano()))
	now := time.Now()
	for i, name := range []string{"Demo Tagesblatt", "Demo World Report", "Demo Ostpost"} {
		f := &demoFeed{name: name, path: fmt.Sprintf("/feed%d.xml", i+1)}
		for j := 0; j < 15; j++ {
			f.items = append(f.items, g.Story(now.Add(-time.Duration(j*37+i*11)*time.Minute)))
		}
		s.feeds = append(s.feeds, f)
	}
	mux := http.NewServeMux()
	for _, f := range s.feeds {
		mux.Handle(f.path, f)
	}
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go s.srv.Serve(ln)
	go s.publish(ctx, g, interval)
	go func() {
		<-ctx.Done()
		s.srv.Close()
	}()
	return s, nil
}

// demoThemes are the themes of the demo topics.
var demoThemes = []string{"ukraine", "northkorea", "russia", "eu"}

// newGen is the demo's story generator: lean stories, without the
// sentences of ordinary reporting that would make unrelated stories look
// alike (see newsgen.Gen.Lean).
func newGen(seed uint64) *newsgen.Gen {
	g := newsgen.New(seed)
	g.Lean = true
	return g
}

// publish adds a story to a random feed every interval; two in three are
// about one of the demo topics, so alerts come soon.
func (s *Server) publish(ctx context.Context, g *newsgen.Gen, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		f := s.feeds[rand.IntN(len(s.feeds))]
		var st newsgen.Story
		if rand.IntN(3) < 2 {
			st = g.StoryAbout(demoThemes[rand.IntN(len(demoThemes))], time.Now())
		} else {
			st = g.Story(time.Now())
		}
		f.mu.Lock()
		f.items = append([]newsgen.Story{st}, f.items...)
		if len(f.items) > 40 {
			f.items = f.items[:40]
		}
		f.version++
		f.mu.Unlock()
	}
}

// Setup adds the demo feeds and topics to the engine.
func (s *Server) Setup(ctx context.Context, svc *monitor.Service) error {
	if err := svc.SetSchedule(ctx, Schedule); err != nil {
		return err
	}
	for _, f := range s.feeds {
		fd, err := svc.AddFeed(ctx, s.URL+f.path, monitor.AddFeedOptions{Name: f.name})
		if err != nil {
			return err
		}
		// The demo outlets' sites do not exist: no article pages to read.
		fd.FullText = monitor.FullTextOff
		if err := svc.UpdateFeed(ctx, fd); err != nil {
			return err
		}
	}
	for _, t := range Topics {
		t.Enabled, t.Notify = true, true
		if _, err := svc.AddTopic(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

func (f *demoFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	etag := fmt.Sprintf(`"%d"`, f.version)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<rss version="2.0"><channel>`)
	// Each demo outlet has a site of its own, so a story several of them
	// report counts its sources as the real feeds' would.
	site := "https://" + strings.ToLower(strings.ReplaceAll(f.name, " ", "-")) + ".invalid"
	fmt.Fprintf(&b, "<title>%s</title><link>%s/</link><description>Synthetic demo news</description>", esc(f.name), site)
	for _, st := range f.items {
		fmt.Fprintf(&b, "<item><guid isPermaLink=\"false\">demo-%d</guid><title>%s</title>"+
			"<link>%s/story/%d</link><description>%s</description>"+
			"<pubDate>%s</pubDate><category>%s</category></item>",
			st.ID, esc(st.Title), site, st.ID, esc(st.Summary+st.Content), st.Published.Format(time.RFC1123Z), esc(st.Categories[0]))
	}
	b.WriteString("</channel></rss>")
	w.Write([]byte(b.String()))
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
