package feed

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/newswatch/newswatch/internal/wintest"
)

func TestWindowsParseAddress(t *testing.T) {
	tests := []struct {
		in, want, path, err string
	}{
		{`C:\feeds\saved.xml`, "file:///C:/feeds/saved.xml", `C:\feeds\saved.xml`, ""},
		{`c:/feeds/saved.xml`, "file:///C:/feeds/saved.xml", `C:\feeds\saved.xml`, ""},
		{`C:\Users\Jürgen Weiß\Nachrichten\tagesschau.xml`, "file:///C:/Users/J%C3%BCrgen%20Wei%C3%9F/Nachrichten/tagesschau.xml", `C:\Users\Jürgen Weiß\Nachrichten\tagesschau.xml`, ""},
		{"file:///C:/feeds/saved.xml", "file:///C:/feeds/saved.xml", `C:\feeds\saved.xml`, ""},
		{"file:///C:/Users/J%C3%BCrgen%20Wei%C3%9F/x.xml", "file:///C:/Users/J%C3%BCrgen%20Wei%C3%9F/x.xml", `C:\Users\Jürgen Weiß\x.xml`, ""},
		{"file://localhost/D:/feeds/saved.xml", "file:///D:/feeds/saved.xml", `D:\feeds\saved.xml`, ""},
		{"file://C:/feeds/saved.xml", "file:///C:/feeds/saved.xml", `C:\feeds\saved.xml`, ""},
		{`\\fileserver\Presse\feeds\saved.xml`, "file://fileserver/Presse/feeds/saved.xml", `\\fileserver\Presse\feeds\saved.xml`, ""},
		{"file://fileserver/Presse/saved.xml", "file://fileserver/Presse/saved.xml", `\\fileserver\Presse\saved.xml`, ""},
		{"https://www.tagesschau.de/xml/rss2/", "https://www.tagesschau.de/xml/rss2/", "", ""},
		{"file:///feeds/saved.xml", "", "", "not a local file"},
		{"file://fileserver:445/Presse/saved.xml", "", "", "not a local file"},
		{`feeds\saved.xml`, "", "", "needs http:// or https://"},
		{`C:feeds\saved.xml`, "", "", "does not fetch"},
	}
	for _, tt := range tests {
		u, err := ParseAddress(tt.in)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseAddress(%q) = %v, %v; want %q", tt.in, u, err, tt.err)
			}
		case err != nil:
			t.Errorf("ParseAddress(%q): %v", tt.in, err)
		case u.String() != tt.want:
			t.Errorf("ParseAddress(%q) = %q, want %q", tt.in, u, tt.want)
		case tt.path != "" && filePath(u) != tt.path:
			t.Errorf("ParseAddress(%q) reads %q, want %q", tt.in, filePath(u), tt.path)
		}
		if err == nil {
			// The stored form parses to itself.
			if again, err := ParseAddress(u.String()); err != nil || again.String() != u.String() {
				t.Errorf("ParseAddress(%q) = %v, %v; want it unchanged", u, again, err)
			}
		}
	}
}

// A feed file under a path with a space and umlauts, given as a Windows
// path, as a file: URL, and in its stored form.
func TestWindowsFetchFile(t *testing.T) {
	dir := filepath.Join(wintest.TempDir(t), "Jürgen Weiß", "Nachrichten")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "gespeicherter Feed.xml")
	if err := os.WriteFile(path, []byte(miniRSS), 0o600); err != nil {
		t.Fatal(err)
	}
	stored, err := ParseAddress(path)
	if err != nil {
		t.Fatal(err)
	}
	f := testFetcher()
	for _, addr := range []string{path, "file:///" + filepath.ToSlash(path), stored.String()} {
		resp, err := f.Fetch(context.Background(), Request{URL: addr})
		if err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
		if !bytes.Contains(resp.Body, []byte("Eins")) || resp.ETag == "" {
			t.Fatalf("%s: %+v", addr, resp)
		}
		again, err := f.Fetch(context.Background(), Request{URL: addr, ETag: resp.ETag})
		if err != nil || !again.NotModified {
			t.Fatalf("%s: unchanged file not reported as not modified: %+v %v", addr, again, err)
		}
	}
	_, err = f.Fetch(context.Background(), Request{URL: filepath.Join(dir, "fehlt.xml")})
	if err == nil || !strings.Contains(err.Error(), `does not exist`) || !strings.Contains(err.Error(), `Jürgen Weiß\Nachrichten\fehlt.xml`) {
		t.Fatalf("missing file: %v", err)
	}
}
