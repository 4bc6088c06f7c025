package feed

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzHTMLToText: the normalizer never panics, and what it returns is
// plain text: valid UTF-8 (for valid input), no tags of the input's
// elements, no runs of white space.
func FuzzHTMLToText(f *testing.F) {
	for _, s := range []string{
		"<p>Erster</p><p>Zweiter</p>", "A &amp; B &lt;C&gt; &#8222;E&#8220;", "<script>alert(1)</script>x",
		"<img src=x onerror=alert(1)>", "a < b > c", "<p>unclosed <b>tags", "&#0;&#xD800;&#x110000;",
		"<![CDATA[x]]><!-- c -->", "<svg><script>x</script></svg>y", "\u00a0\u200b\t\n", strings.Repeat("<div>", 1000),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := HTMLToText(s)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of valid input: %q -> %q", s, out)
		}
		if strings.Contains(out, "  ") || strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") {
			t.Fatalf("white space not collapsed: %q -> %q", s, out)
		}
		if strings.Contains(strings.ToLower(out), "<script") && !strings.Contains(strings.ToLower(s), "&lt;script") {
			t.Fatalf("a script tag survived: %q -> %q", s, out)
		}
		// Tags, entities and white space only ever shrink valid text; a
		// C1 character (2 bytes) may become its 3-byte windows-1252 form,
		// an invalid byte a 3-byte U+FFFD.
		if utf8.ValidString(s) && len(out) > len(s)+len(s)/2 {
			t.Fatalf("output grew: %q (%d bytes) -> %q (%d bytes)", s, len(s), out, len(out))
		}
	})
}

// FuzzParseFeed: decoding and parsing any body never panics, and the
// items it yields are plain text with only http(s) links.
func FuzzParseFeed(f *testing.F) {
	for _, s := range []string{
		`<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>T</title><item><title>Gr` + "\xfc\xdf" + `e</title><link>/a</link></item></channel></rss>`,
		`<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="html">&lt;b&gt;x&lt;/b&gt;</title><link href="javascript:alert(1)"/></entry></feed>`,
		`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","url":"https://x/1","content_html":"<p>x</p>"}]}`,
		`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item rdf:about="x"><title>t</title></item></rdf:RDF>`,
		`<html><head><link rel="alternate" type="application/rss+xml" href="/feed"></head></html>`,
		"\xef\xbb\xbf<rss><channel><item><title>\x01x</title></item></channel></rss>", "", "<", "{",
	} {
		f.Add([]byte(s), "text/xml")
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		p, err := Parse(ToUTF8(body, contentType), "https://news.example/feed.xml")
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		for _, it := range p.Items {
			if it.Key == "" {
				t.Fatal("item without a key")
			}
			if it.Link != "" && !strings.HasPrefix(it.Link, "http://") && !strings.HasPrefix(it.Link, "https://") {
				t.Fatalf("link %q", it.Link)
			}
			for _, s := range []string{it.Title, it.Summary, it.Content} {
				if strings.Contains(s, "  ") || !utf8.ValidString(s) {
					t.Fatalf("text not clean: %q", s)
				}
			}
		}
	})
}
