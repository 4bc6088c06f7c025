//go:build linux

package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/feed"
)

// The generated feeds parse with Newswatch's own parser, every item
// with a title, a link and text, at about 50 KB a feed of 50 items.
func TestGeneratedFeeds(t *testing.T) {
	spec := genSpec{Feeds: 20, Items: 50, Base: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	bodies := generate(spec)
	var total int
	for i, fb := range bodies {
		for v := range fb.Versions {
			p, err := feed.Parse(fb.Versions[v].Plain, feedURL([]int{80}, i))
			if err != nil {
				t.Fatalf("feed %d version %d: %v", i, v, err)
			}
			if len(p.Items) != spec.Items {
				t.Fatalf("feed %d: %d items, want %d", i, len(p.Items), spec.Items)
			}
			for _, it := range p.Items {
				if it.Title == "" || it.Link == "" || it.Summary == "" || it.Content == "" || it.Published.IsZero() {
					t.Fatalf("feed %d: incomplete item %+v", i, it)
				}
			}
		}
		if fb.Changes == (string(fb.Versions[0].Plain) == string(fb.Versions[1].Plain)) {
			t.Errorf("feed %d: Changes %v does not match its versions", i, fb.Changes)
		}
		total += len(fb.Versions[0].Plain)
	}
	if avg := total / len(bodies); avg < 40<<10 || avg > 60<<10 {
		t.Errorf("feeds average %d bytes, want about 50 KB", avg)
	}
	if testing.Verbose() {
		t.Logf("%d bytes a feed on average", total/len(bodies))
	}
	again := generate(spec)
	for i := range bodies {
		if string(bodies[i].Versions[1].Gzip) != string(again[i].Versions[1].Gzip) {
			t.Fatalf("feed %d differs between two generations", i)
		}
	}
}

func TestConditionalAndGzip(t *testing.T) {
	fb := genFeed(genSpec{Feeds: 1, Items: 5, Base: time.Now()}, 0)
	srv := &feedServer{feeds: map[string]*feedBody{fb.Path: fb}}
	get := func(h map[string]string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", fb.Path, nil)
		for k, v := range h {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		return w
	}
	v := fb.Versions[0]
	for _, c := range []struct {
		h        map[string]string
		code     int
		encoding string
	}{
		{nil, 200, ""},
		{map[string]string{"Accept-Encoding": "gzip, deflate"}, 200, "gzip"},
		{map[string]string{"Accept-Encoding": "gzip;q=0"}, 200, ""},
		{map[string]string{"If-None-Match": v.ETag}, 304, ""},
		{map[string]string{"If-None-Match": `"other"`, "If-Modified-Since": v.LastModified}, 200, ""},
		{map[string]string{"If-Modified-Since": v.LastModified}, 304, ""},
		{map[string]string{"If-Modified-Since": "Mon, 02 Jan 2006 15:04:05 GMT"}, 200, ""},
	} {
		w := get(c.h)
		if w.Code != c.code || w.Header().Get("Content-Encoding") != c.encoding {
			t.Errorf("%v: %d %q, want %d %q", c.h, w.Code, w.Header().Get("Content-Encoding"), c.code, c.encoding)
		}
		if c.code == http.StatusNotModified && w.Body.Len() != 0 {
			t.Errorf("%v: 304 with a body", c.h)
		}
	}
	if srv.c.ok.Load() != 5 || srv.c.notModified.Load() != 2 || srv.c.gzip.Load() != 1 {
		t.Errorf("counters: %d ok, %d not modified, %d gzip", srv.c.ok.Load(), srv.c.notModified.Load(), srv.c.gzip.Load())
	}
}

func TestBuildETA(t *testing.T) {
	var lin, quad [][2]float64
	for d := 500.0; d <= 100_000; d += 500 {
		lin = append(lin, [2]float64{d, d / 1000})          // 1 ms an article
		quad = append(quad, [2]float64{d, d * d / 2 / 1e7}) // cost grows with the store
	}
	if got := buildETA(lin, 1_000_000).Seconds(); got < 890 || got > 910 {
		t.Errorf("linear: %.0f s to go, want 900", got)
	}
	if got, want := buildETA(quad, 1_000_000).Seconds(), (1e12-1e10)/2/1e7; got < want*0.98 || got > want*1.02 {
		t.Errorf("quadratic: %.0f s to go, want %.0f", got, want)
	}
}

func TestRewriteLimits(t *testing.T) {
	p := filepath.Join(t.TempDir(), "B.md")
	before := "# Benchmarks\n\nfigures" + limitsHeading + "old words\n" + methodHeading + "method\n"
	if err := os.WriteFile(p, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := rewriteLimits(p); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	want := "# Benchmarks\n\nfigures" + limitsHeading + strings.TrimSpace(limitsMD) + "\n" + methodHeading + "method\n"
	if string(b) != want {
		t.Errorf("rewritten:\n%s\nwant:\n%s", b, want)
	}
	os.WriteFile(p, []byte("# Benchmarks\n\nno sections\n"), 0o644)
	if err := rewriteLimits(p); err == nil || !strings.Contains(err.Error(), "write it with -md first") {
		t.Errorf("a file without the section: %v", err)
	}
}
