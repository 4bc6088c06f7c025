//go:build linux

package main

import (
	"io"
	"net/http"
	"testing"

	"codeberg.org/newswatch/newswatch/monitor/feed"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// The soak's feeds gain stories when told, answer 304 until then, and one
// story in four is one the data directory's topic /e/ does not match.
func TestLiveServer(t *testing.T) {
	s, err := startLiveServer(2)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	get := func(etag string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, s.feeds[1].url, nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	s.grow(1, 8, true)
	resp, body := get("")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	etag := resp.Header.Get("ETag")
	if resp, _ := get(etag); resp.StatusCode != http.StatusNotModified {
		t.Fatalf("unchanged feed: status %d, want 304", resp.StatusCode)
	}
	p, err := feed.Parse(body, s.feeds[1].url)
	if err != nil {
		t.Fatal(err)
	}
	q, err := query.Parse("/e/")
	if err != nil {
		t.Fatal(err)
	}
	matched := 0
	for _, it := range p.Items {
		if q.TestDoc(query.Doc{Title: it.Title, Summary: it.Summary, Content: it.Content, Author: it.Author,
			Categories: it.Categories, Feed: liveName(1)}) {
			matched++
		}
	}
	if len(p.Items) != 8 || matched != 6 {
		t.Fatalf("%d items, %d matched by /e/; want 8 and 6", len(p.Items), matched)
	}

	s.grow(1, liveListed, false)
	resp, body = get(etag)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("grown feed: status %d, want 200", resp.StatusCode)
	}
	if p, err = feed.Parse(body, s.feeds[1].url); err != nil || len(p.Items) != liveListed {
		t.Fatalf("grown feed: %v items (%v), want %d", len(p.Items), err, liveListed)
	}
}
