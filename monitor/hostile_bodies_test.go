package monitor_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/inert"
)

// gzipped serves body gzip-compressed: a few million nested elements are
// some 20 KB on the wire.
func gzipped(body []byte) http.Handler {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write(body)
	zw.Close()
	wire := b.Bytes()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(wire)
	})
}

// repeated is head, then part n times, then tail.
func repeated(head, part string, n int, tail string) []byte {
	var b bytes.Buffer
	b.Grow(len(head) + len(part)*n + len(tail))
	b.WriteString(head)
	for range n {
		b.WriteString(part)
	}
	b.WriteString(tail)
	return b.Bytes()
}

// hostileText is a feed whose stories, names and categories carry terminal
// escape sequences, control characters and bidi overrides, through HTML
// entities (XML itself forbids control characters): they must arrive as
// plain text, and its story about Ukraine must still match.
const hostileText = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>` +
	`<title>Evil &amp;#27;]0;owned&amp;#7; News` + "\u202e" + `sweN</title>` +
	`<item><guid>esc1</guid><title>Ukraine: &amp;#27;[31mRot&amp;#27;[0m und &amp;#x9b;2J ` + "\u2066" + `isoliert` + "\u2069" + `</title>` +
	`<description>Text &amp;#27;[2J&amp;#127;&amp;#1; mit ` + "\u200b\u2060\U000E0041" + `Unsichtbarem</description>` +
	`<category>&amp;#27;[5mKat</category></item></channel></rss>`

// hostileJSON is a JSON Feed with control characters written as JSON
// escapes.
const hostileJSON = `{"version":"https://jsonfeed.org/version/1.1","title":"JSON \u001b]2;x\u0007 Feed",` +
	`"items":[{"id":"j1","title":"Ukraine \u001b[1mfett\u001b[0m \u202egnp.exe","content_text":"a\u0000b\u009bc"}]}`

// structureServers are the bodies that once took Newswatch down or
// cost it gigabytes, the text that could take over a terminal, and a
// server whose reason phrase holds an escape sequence.
func structureServers() []hostile {
	rss := `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:x="urn:x"><channel><title>Tief</title><item><title>Ukraine</title>`
	// Under the race detector (every byte the guard reads is checked) the
	// bodies are smaller, still far beyond the limits.
	deep, items, attrs := 3_000_000, 2_000_000, 1_000_000
	if raceDetector {
		deep, items, attrs = 300_000, 200_000, 100_000
	}
	return []hostile{
		{"deep nesting", gzipped(repeated(rss, "<a>", deep, "")), "The feed is nested " + readable(deep+3) + " levels deep; Newswatch reads at most 256."},
		{"deep nesting with a namespace prefix", gzipped(repeated(rss, "<x:a>", deep/2, "")), "nested " + readable(deep/2+3) + " levels deep"},
		{"millions of empty items", gzipped(repeated(rss[:strings.Index(rss, "<item>")], "<item/>", items, "</channel></rss>")),
			"The feed lists " + readable(items) + " stories; Newswatch reads at most 100,000."},
		{"deep JSON", gzipped(repeated(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","_x":`, "[", deep, "")),
			"nested " + readable(deep+3) + " levels deep"},
		{"an element with a million attributes", gzipped(repeated(rss+"<x", " a", attrs, "/>")), "has " + readable(attrs) + " attributes; Newswatch reads at most 1,000."},
		{"escape sequences and bidi overrides", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(hostileText))
		}), ""},
		{"escape sequences in a JSON Feed", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/feed+json")
			w.Write([]byte(hostileJSON))
		}), ""},
		{"an escape sequence in the reason phrase", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			conn, buf, _ := w.(http.Hijacker).Hijack()
			buf.WriteString("HTTP/1.1 500 Oops\x1b]0;owned\x07\u202e\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
			buf.Flush()
			conn.(*net.TCPConn).CloseWrite()
			time.Sleep(50 * time.Millisecond)
			conn.Close()
		}), "The server had an internal problem (500 Oops]0;owned)."},
	}
}

// readable writes n with thousands separators, as the messages do.
func readable(n int) string {
	digits := strconv.Itoa(n)
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return b.String()
}

// maxHeap bounds the heap in use during the hostile cycle (the whole
// process of `newswatch check` stays under 400 MB too: see the README).
const maxHeap = 400 << 20

// visible reports whether s holds no control character and no invisible
// format character other than the soft hyphen and word joiners.
func visible(s string) bool {
	for _, r := range s {
		if r < 0x20 || r >= 0x7f && r <= 0x9f || unicode.Is(unicode.Cf, r) && !inert.Joiner(r) && r != '\u00ad' {
			return false
		}
	}
	return true
}

// checkInert: the stories, feed names and health sentences the hostile
// cycle stored hold nothing that could drive a terminal or reorder text,
// and the stories with such text in them still matched, as did the good
// feed's.
func checkInert(t *testing.T, svc *monitor.Service, ev monitor.CycleEvent) {
	t.Helper()
	want := map[string]bool{
		"Ukraine: Ukraine erhält Hilfe":                 false,
		"Ukraine: Ukraine: [31mRot[0m und ›2J isoliert": false,
		"Ukraine: Ukraine [1mfett[0m gnp.exe":           false,
	}
	for _, got := range titles(ev.Matches) {
		if _, ok := want[got]; ok {
			want[got] = true
		}
	}
	for m, seen := range want {
		if !seen {
			t.Errorf("match %q did not arrive; matches: %q", m, titles(ev.Matches))
		}
	}
	ms, err := svc.Matches(context.Background(), monitor.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		a := m.Article
		for _, s := range append([]string{a.Title, a.Summary, a.Content, a.Author, a.FeedName, a.Link}, a.Categories...) {
			if !visible(s) {
				t.Errorf("stored text %q (story %q)", s, a.Title)
			}
		}
	}
	feeds, _ := svc.Feeds(context.Background())
	for _, f := range feeds {
		if !visible(f.DisplayName()) || !visible(f.LastError.String()) || !visible(f.Title) {
			t.Errorf("feed %q: health %q", f.DisplayName(), f.LastError)
		}
	}
}
