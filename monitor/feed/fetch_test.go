package feed

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const miniRSS = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title>` +
	`<item><guid>1</guid><title>Eins</title></item></channel></rss>`

func testFetcher() *Fetcher {
	f := NewFetcher(nil, "Newswatch/test")
	f.Timeout = 5 * time.Second
	return f
}

func TestFetchConditionalAndHeaders(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		if r.Header.Get("If-None-Match") == `"abc"` || r.Header.Get("If-Modified-Since") == "Tue, 24 Nov 2026 10:00:00 GMT" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"abc"`)
		w.Header().Set("Last-Modified", "Tue, 24 Nov 2026 10:00:00 GMT")
		w.Write([]byte(miniRSS))
	}))
	defer srv.Close()
	f := testFetcher()

	resp, err := f.Fetch(context.Background(), Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if resp.NotModified || resp.ETag != `"abc"` || resp.LastModified == "" || !bytes.Contains(resp.Body, []byte("Eins")) {
		t.Fatalf("first fetch = %+v", resp)
	}
	if ua := got.Get("User-Agent"); ua != "Newswatch/test" {
		t.Errorf("User-Agent = %q", ua)
	}
	if got.Get("Accept-Encoding") != "gzip" {
		t.Errorf("Accept-Encoding = %q", got.Get("Accept-Encoding"))
	}
	for _, req := range []Request{
		{URL: srv.URL, ETag: resp.ETag},
		{URL: srv.URL, LastModified: resp.LastModified},
	} {
		r2, err := f.Fetch(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if !r2.NotModified || r2.Body != nil {
			t.Fatalf("conditional fetch %+v = %+v", req, r2)
		}
		if r2.ETag != req.ETag && req.ETag != "" {
			t.Errorf("304 lost the ETag")
		}
	}
}

func TestFetchGzipAndSizeCap(t *testing.T) {
	big := strings.Repeat("x", 3<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		if r.URL.Path == "/bomb" {
			zw.Write([]byte(big))
		} else {
			zw.Write([]byte(miniRSS))
		}
		zw.Close()
	}))
	defer srv.Close()
	f := testFetcher()
	f.MaxBytes = 1 << 20

	resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/ok"})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != miniRSS {
		t.Fatalf("gzip body = %q", resp.Body)
	}
	if resp.WireBytes <= 0 || resp.WireBytes >= int64(len(miniRSS))+100 {
		t.Errorf("wire bytes = %d", resp.WireBytes)
	}
	_, err = f.Fetch(context.Background(), Request{URL: srv.URL + "/bomb"})
	var fe *Error
	if !errors.As(err, &fe) || fe.Kind != KindTooLarge {
		t.Fatalf("gzip bomb: err = %v, want too large", err)
	}
}

func TestFetchRedirects(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(miniRSS)) })
	mux.Handle("/moved", http.RedirectHandler("/moved2", http.StatusMovedPermanently))
	mux.Handle("/moved2", http.RedirectHandler("/feed", http.StatusPermanentRedirect))
	mux.Handle("/mixed", http.RedirectHandler("/moved", http.StatusFound))
	mux.Handle("/loop", http.RedirectHandler("/loop", http.StatusFound))
	mux.Handle("/ftp", http.RedirectHandler("ftp://example.org/feed", http.StatusFound))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := testFetcher()

	resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/moved"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.MovedTo != srv.URL+"/feed" {
		t.Errorf("permanent chain: MovedTo = %q", resp.MovedTo)
	}
	resp, err = f.Fetch(context.Background(), Request{URL: srv.URL + "/mixed"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.MovedTo != "" {
		t.Errorf("a chain with a temporary redirect moved the feed to %q", resp.MovedTo)
	}
	for path, want := range map[string]string{"/loop": "redirects more than 5", "/ftp": "not a web address"} {
		_, err := f.Fetch(context.Background(), Request{URL: srv.URL + path})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", path, err, want)
		}
	}
}

func TestFetchStatusErrors(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		status    int
		header    string
		kind      Kind
		retryAt   time.Time
		inMessage string
	}{
		{"not found", 404, "", KindHTTP, time.Time{}, "404"},
		{"gone", 410, "", KindGone, time.Time{}, "gone"},
		{"throttled seconds", 429, "120", KindThrottle, now.Add(2 * time.Minute), "slow down (429 Too Many Requests) and to wait until"},
		{"unavailable date", 503, "Wed, 25 Nov 2026 13:00:00 GMT", KindThrottle, now.Add(time.Hour), "unavailable (503 Service Unavailable) and asked to wait until"},
		{"throttled forever", 429, "99999999", KindThrottle, now.Add(24 * time.Hour), "429"},
		{"server error", 500, "", KindHTTP, time.Time{}, "internal problem"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.header != "" {
					w.Header().Set("Retry-After", tt.header)
				}
				w.WriteHeader(tt.status)
			}))
			defer srv.Close()
			f := testFetcher()
			f.Now = func() time.Time { return now }
			_, err := f.Fetch(context.Background(), Request{URL: srv.URL})
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v", err)
			}
			text := fe.Error()
			if fe.Kind != tt.kind || !fe.RetryAt.Equal(tt.retryAt) || !strings.Contains(text, tt.inMessage) {
				t.Fatalf("error = %+v", fe)
			}
			if !strings.HasSuffix(text, ".") || strings.Contains(text, "\n") || strings.Count(text, ". ") > 0 {
				t.Errorf("message is not one sentence: %q", text)
			}
		})
	}
}

func TestFetchTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<rss>"))
		w.(http.Flusher).Flush()
		select { // trickle: never finish the body
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	f := testFetcher()
	f.Timeout = 300 * time.Millisecond
	_, err := f.Fetch(context.Background(), Request{URL: srv.URL})
	if err == nil || !strings.Contains(err.Error(), "did not deliver the feed within") {
		t.Fatalf("err = %v", err)
	}
}

func TestFetchNetworkErrors(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now
	_, err := testFetcher().Fetch(context.Background(), Request{URL: url})
	if err == nil || !strings.Contains(err.Error(), "refused the connection") {
		t.Fatalf("closed port: err = %v", err)
	}
}

func TestFetchFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "saved feed.xml")
	if err := os.WriteFile(path, []byte(miniRSS), 0o600); err != nil {
		t.Fatal(err)
	}
	f := testFetcher()
	for _, addr := range []string{path, "file://" + path} {
		resp, err := f.Fetch(context.Background(), Request{URL: addr})
		if err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
		if !bytes.Contains(resp.Body, []byte("Eins")) || resp.ETag == "" {
			t.Fatalf("%s: %+v", addr, resp)
		}
		again, err := f.Fetch(context.Background(), Request{URL: addr, ETag: resp.ETag})
		if err != nil || !again.NotModified {
			t.Fatalf("unchanged file not reported as not modified: %+v %v", again, err)
		}
	}
	_, err := f.Fetch(context.Background(), Request{URL: filepath.Join(dir, "missing.xml")})
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("missing file: %v", err)
	}
}

func TestParseAddress(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"https://www.tagesschau.de/xml/rss2/", "https://www.tagesschau.de/xml/rss2/", ""},
		{"HTTP://example.org/feed", "http://example.org/feed", ""},
		{"/home/anna/feeds/saved.xml", "file:///home/anna/feeds/saved.xml", ""},
		{"file:///tmp/x.xml", "file:///tmp/x.xml", ""},
		{"www.example.org/feed", "", "needs http:// or https://"},
		{"ftp://example.org/feed", "", "does not fetch"},
		{"javascript:alert(1)", "", "does not fetch"},
		{"http://", "", "no server name"},
		{"", "", "empty"},
		{"file://server/share/x.xml", "", "not a local file"},
	}
	for _, tt := range tests {
		u, err := ParseAddress(tt.in)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseAddress(%q) err = %v, want %q", tt.in, err, tt.err)
			}
		case err != nil:
			t.Errorf("ParseAddress(%q): %v", tt.in, err)
		case u.String() != tt.want:
			t.Errorf("ParseAddress(%q) = %q, want %q", tt.in, u, tt.want)
		}
	}
}
