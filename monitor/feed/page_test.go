package feed

import (
	"bytes"
	"compress/gzip"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/unicode"
)

// TestFetchPage: a page is fetched with a browser's Accept header and
// Newswatch's User-Agent, no cookie is sent back, a page over the limit is
// cut (not refused), a page that is not HTML is refused in a sentence,
// gzip is read, and a redirect to file: is not followed.
func TestFetchPage(t *testing.T) {
	var cookies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cookies = append(cookies, r.Header.Get("Cookie"))
		switch r.URL.Path {
		case "/article":
			if r.Header.Get("Accept") != PageAccept || r.Header.Get("User-Agent") != "Newswatch/test" {
				http.Error(w, "bad headers", http.StatusBadRequest)
				return
			}
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "s1"})
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte("<html><body><p>Grüße aus Zürich</p></body></html>"))
		case "/big":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html><body><p>Anfang</p>"))
			w.Write(bytes.Repeat([]byte("<p>x</p>"), 200_000))
		case "/pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Write([]byte("%PDF-1.4"))
		case "/untyped":
			w.Write([]byte("\x89PNG\r\n\x1a\n0000"))
		case "/gzip":
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			zw.Write([]byte("<p>gepackt</p>"))
			zw.Close()
		case "/file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		case "/403":
			http.Error(w, "no", http.StatusForbidden)
		}
	}))
	defer srv.Close()
	f := testFetcher()
	ctx := context.Background()

	p, err := f.FetchPage(ctx, srv.URL+"/article", srv.URL+"/feed", 0)
	if err != nil || !strings.Contains(string(p.Body), "Grüße aus Zürich") || p.Cut || p.ContentType != "text/html" {
		t.Fatalf("article: %+v, %v", p, err)
	}
	if _, err := f.FetchPage(ctx, srv.URL+"/article", srv.URL+"/feed", 0); err != nil {
		t.Fatal(err)
	}
	if cookies[1] != "" {
		t.Errorf("the second request sent the cookie %q", cookies[1])
	}

	p, err = f.FetchPage(ctx, srv.URL+"/big", srv.URL+"/feed", 100_000)
	if err != nil || !p.Cut || len(p.Body) != 100_000 || !bytes.HasPrefix(p.Body, []byte("<html><body><p>Anfang")) {
		t.Fatalf("big page: cut=%v len=%d err=%v", p != nil && p.Cut, len(p.Body), err)
	}
	if p, err = f.FetchPage(ctx, srv.URL+"/gzip", srv.URL+"/feed", 0); err != nil || string(p.Body) != "<p>gepackt</p>" {
		t.Fatalf("gzip page: %+v, %v", p, err)
	}

	tests := []struct{ path, err, miss string }{
		{"/pdf", "The page is not HTML but application/pdf.", "the page is not HTML but application/pdf"},
		{"/untyped", "The page is not HTML but image/png.", "the page is not HTML but image/png"},
		{"/file", "The server redirected to “file:///etc/passwd”, which is not a web address.",
			"the page redirected to “file:///etc/passwd”, which is not a web address"},
		{"/403", "The server refused access to the feed (403 Forbidden).", "the site answered 403"},
	}
	for _, tt := range tests {
		_, err := f.FetchPage(ctx, srv.URL+tt.path, srv.URL+"/feed", 0)
		if err == nil || err.Error() != tt.err {
			t.Errorf("%s: %v, want %q", tt.path, err, tt.err)
			continue
		}
		if got := PageMiss(err, f.PageTimeout()).String(); got != tt.miss {
			t.Errorf("%s: miss %q, want %q", tt.path, got, tt.miss)
		}
	}
	if _, err := f.FetchPage(ctx, "file:///etc/passwd", srv.URL+"/feed", 0); err == nil ||
		PageMiss(err, time.Second).String() != "the story's link is not a web address" {
		t.Errorf("file link: %v", err)
	}
}

// TestFetchPageSlow: a page that does not arrive in time is a miss that
// says so; what arrived of a page that trickles is kept, marked cut.
func TestFetchPageSlow(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		if r.URL.Path == "/trickle" {
			w.Write([]byte("<p>erster Absatz</p>"))
			w.(http.Flusher).Flush()
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	f := testFetcher()
	f.Timeout = 300 * time.Millisecond
	_, err := f.FetchPage(context.Background(), srv.URL+"/slow", srv.URL+"/feed", 0)
	if got := PageMiss(err, f.PageTimeout()).String(); !strings.HasPrefix(got, "the page did not arrive within") {
		t.Errorf("slow page: %v (%q)", err, got)
	}
	p, err := f.FetchPage(context.Background(), srv.URL+"/trickle", srv.URL+"/feed", 0)
	if err != nil || !p.Cut || string(p.Body) != "<p>erster Absatz</p>" {
		t.Errorf("trickling page: %+v, %v", p, err)
	}
}

// TestFetchPageLocal: a feed on the internet cannot make Newswatch read a
// page on this computer or its network by linking to it; a feed on this
// computer can.
func TestFetchPageLocal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<p>intern</p>"))
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndexByte(srv.URL, ':'):]
	f := testFetcher()
	f.lookup = fakeDNS(map[string]string{"news.example": "203.0.113.7", "router.example": "192.168.1.1"})
	tr := NewClient().Transport.(*http.Transport).Clone()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
	}
	f.Client = &http.Client{Transport: tr}
	for _, link := range []string{"http://127.0.0.1" + port + "/admin", "http://router.example/"} {
		_, err := f.FetchPage(context.Background(), link, "https://news.example/feed", 0)
		if got := PageMiss(err, time.Second).String(); !strings.Contains(got, "an address on this computer or its local network") {
			t.Errorf("%s from an internet feed: %v (%q)", link, err, got)
		}
	}
	if _, err := f.FetchPage(context.Background(), srv.URL+"/a", srv.URL+"/feed", 0); err != nil {
		t.Errorf("a local feed's local page: %v", err)
	}
}

// TestHTMLToUTF8: a page's encoding is decided as browsers decide it, and
// decoded once.
func TestHTMLToUTF8(t *testing.T) {
	want := "Größe café €"
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte("<p>" + want + "</p>"))
	tests := []struct {
		name        string
		body        []byte
		contentType string
	}{
		{"utf-8", []byte("<p>" + want + "</p>"), "text/html; charset=utf-8"},
		{"utf-8 undeclared", []byte("<p>" + want + "</p>"), "text/html"},
		{"utf-8 with BOM", []byte("\xef\xbb\xbf<p>" + want + "</p>"), "text/html"},
		{"latin-1 by header", latin1(t, "<p>"+want+"</p>"), "text/html; charset=ISO-8859-1"},
		{"latin-1 by meta", append([]byte(`<html><head><meta charset="iso-8859-1"></head>`), latin1(t, "<p>"+want+"</p>")...), "text/html"},
		{"latin-1 by http-equiv", append([]byte(`<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">`), latin1(t, "<p>"+want+"</p>")...), ""},
		{"latin-1 undeclared", latin1(t, "<p>"+want+"</p>"), "text/html"},
		{"utf-8 labelled latin-1", []byte(`<meta charset="iso-8859-1"><p>` + want + "</p>"), "text/html; charset=iso-8859-1"},
		{"utf-16 with BOM", utf16, "text/html"},
		{"utf-8 with a stray latin-1 byte", []byte("<p>Größe caf\xe9 €</p>"), "text/html; charset=utf-8"},
	}
	for _, tt := range tests {
		got := string(HTMLToUTF8(tt.body, tt.contentType))
		if !strings.Contains(got, "<p>"+want+"</p>") {
			t.Errorf("%s: %q", tt.name, got)
		}
	}
}
