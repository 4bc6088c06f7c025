package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestResponseHeader(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".htaccess":          "AddType text/plain xml\nAddCharset utf-8 .XML\nHeader always set X-Test: \"yes please\"\n",
		"opml/.htaccess":     "AddType application/xml .opml\n\nOptions -Indexes\n",
		"forced/.htaccess":   "# comment\n<Files nothing>\nForceType text/html\n</Files>\nForceType application/rss+xml\n",
		"plain/a.atom":       "<feed/>",
		"fp/http.xml":        "<?xml version='1.0'?>\n<!--\nHeader: Content-Type: application/rss+xml ; charset=koi8-r\nHeader:  X-Other: 1\nNote: x\n-->\n<rss/>",
		"fp/late-header.xml": "<rss/><!--\nHeader: Content-type: text/html\n-->",
	})
	ht := &htaccessCache{dirs: map[string]*htaccess{}}
	for _, c := range []struct {
		file, header, want string
	}{
		{"x.xml", "Content-Type", "text/plain; charset=utf-8"},
		{"x.xml", "X-Test", "yes please"},
		{"opml/list.opml", "Content-Type", "application/xml"},
		{"opml/x.xml", "Content-Type", "text/plain; charset=utf-8"},
		{"forced/x.xml", "Content-Type", "application/rss+xml; charset=utf-8"},
		{"plain/a.atom", "Content-Type", "application/atom+xml"},
		{"fp/http.xml", "Content-Type", "application/rss+xml ; charset=koi8-r"},
		{"fp/http.xml", "X-Other", "1"},
		{"fp/late-header.xml", "Content-Type", "text/plain; charset=utf-8"},
	} {
		path := filepath.Join(dir, filepath.FromSlash(c.file))
		head, _ := os.ReadFile(path) // missing files: no Header: lines
		h := responseHeader(path, head, ht)
		if got := h.Get(c.header); got != c.want {
			t.Errorf("%s: %s = %q, want %q", c.file, c.header, got, c.want)
		}
	}
	// Outside any .htaccess: the extension decides.
	other := writeFiles(t, map[string]string{"f.rss": "<rss/>"})
	if got := responseHeader(filepath.Join(other, "f.rss"), nil, ht).Get("Content-Type"); got != "application/rss+xml" {
		t.Errorf("f.rss: Content-Type %q", got)
	}
}

func TestSkipFile(t *testing.T) {
	for name, skip := range map[string]bool{
		"feed.xml": false, "a.RSS": false, "x.json": false, "noext": false, "page.htm": false,
		"MANIFEST.tsv": true, "README.md": true, "LICENSE": true, "BASELINE_x.txt": true,
		"a.xml.expected": true, "t.tsv": true, ".htaccess": true, "x.py": true, "y.go": true,
	} {
		if got := skipFile(name); got != skip {
			t.Errorf("skipFile(%q) = %v, want %v", name, got, skip)
		}
	}
}

const goodRSS = `<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0"><channel><title>T</title><link>https://example.org/</link>
<item><title>Gespr` + "\xe4" + `che zur Ukraine</title><link>/a.html</link></item>
<item><title>EU-Gipfel</title><link>https://example.org/b.html</link></item>
</channel></rss>`

func newTestRunner(timeout time.Duration, maxHeap uint64) (*runner, *bytes.Buffer) {
	var out bytes.Buffer
	return &runner{timeout: timeout, maxHeap: maxHeap, out: &out, verbose: true}, &out
}

func TestRunParsesAndRefuses(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"news/good.xml":  goodRSS,
		"page.html":      "<!doctype html><html><head><title>x</title></head><body>hi</body></html>",
		"LICENSES/x.xml": "not looked at",
		"README.md":      "not looked at",
	})
	r, out := newTestRunner(5*time.Second, 512<<20)
	code, err := r.run([]string{dir})
	if err != nil || code != 0 {
		t.Fatalf("run = %d, %v\n%s", code, err, out)
	}
	if len(r.files) != 2 || r.parsed != 1 || r.nRefused != 1 || r.items != 2 {
		t.Fatalf("files %d parsed %d refused %d items %d\n%s", len(r.files), r.parsed, r.nRefused, r.items, out)
	}
	if r.perTopic[0] != 1 || r.perTopic[3] != 1 { // Ukraine, EU -Fußball
		t.Errorf("per topic %v", r.perTopic)
	}
	for _, want := range []string{"ok  2 items  ", "refused  ", "web page, not a feed", `"Gespräche zur Ukraine"`, "OK: no panics"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestRunFailures(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a-panic.xml": goodRSS, "b-hang.xml": goodRSS, "c-memory.xml": goodRSS, "d-fine.xml": goodRSS,
	})
	r, out := newTestRunner(time.Second, 32<<20)
	var keep []byte
	r.processFn = func(ctx context.Context, f *corpusFile) outcome {
		switch filepath.Base(f.Path) {
		case "a-panic.xml":
			var m map[string]int
			m["boom"]++ // a nil map: panics
		case "b-hang.xml":
			<-ctx.Done() // released when runFile gives up
		case "c-memory.xml":
			keep = make([]byte, 64<<20)
			for i := 0; i < len(keep); i += 4096 {
				keep[i] = 1
			}
			time.Sleep(20 * time.Millisecond) // seen by the sampler too
			keep = nil
		}
		return r.process(ctx, f)
	}
	code, err := r.run([]string{dir})
	if err != nil || code != 1 {
		t.Fatalf("run = %d, %v, want exit status 1\n%s", code, err, out)
	}
	kinds := map[string]string{}
	for _, f := range r.failures {
		kinds[filepath.Base(f.path)] = f.kind
	}
	want := map[string]string{"a-panic.xml": "PANIC", "b-hang.xml": "HANG", "c-memory.xml": "MEMORY"}
	for file, kind := range want {
		if kinds[file] != kind {
			t.Errorf("%s: failure %q, want %q\n%s", file, kinds[file], kind, out)
		}
	}
	if len(r.failures) != 3 || r.parsed != 1 {
		t.Errorf("%d failures, %d parsed\n%s", len(r.failures), r.parsed, out)
	}
	for _, s := range []string{"assignment to entry in nil map", "corpus_test.go", "FAIL: 3 failures", "[chan receive]"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("output lacks %q\n%s", s, out)
		}
	}
}

func TestTrimMessage(t *testing.T) {
	u := "http://127.0.0.1:4711/0/a/b.xml"
	got := trimMessage("The feed is broken and cannot be read (XML syntax error on line 12: unexpected EOF).", u)
	if got != "The feed is broken and cannot be read (XML syntax error on line N: unexpected EOF)." {
		t.Errorf("got %q", got)
	}
	got = trimMessage("The address returns a web page, not a feed; the page names its feed at http://127.0.0.1:4711/0/a/feed.xml.", u)
	if got != "The address returns a web page, not a feed; the page names its feed at <loopback URL>." {
		t.Errorf("got %q", got)
	}
}
