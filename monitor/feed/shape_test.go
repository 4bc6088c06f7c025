package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/unicode"
)

const rssHead = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>`

func nested(open, close string, n int) string {
	return strings.Repeat(open, n) + strings.Repeat(close, n)
}

func utf16le(s string) string {
	out, _ := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().String(s)
	return out
}

// TestShapeLimits feeds the guard hostile bodies and real-looking ones:
// the hostile ones are refused with one sentence naming the problem and
// the figures, the others pass.
func TestShapeLimits(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string // in the error; "" for a body that passes
	}{
		{"deep nesting in an item", rssHead + `<item><title>x</title>` + nested("<a>", "</a>", 300) + `</item></channel></rss>`,
			"The feed is nested 303 levels deep; Newswatch reads at most 256."},
		{"deep nesting with a prefix", rssHead + `<item xmlns:x="urn:x">` + nested("<x:a>", "</x:a>", 1000) + `</item></channel></rss>`,
			"nested 1,003 levels deep"},
		{"deep nesting never closed", rssHead + `<item>` + strings.Repeat("<a>", 5000), "nested 5,003 levels deep"},
		{"deep Atom", `<feed xmlns="http://www.w3.org/2005/Atom"><entry>` + nested("<div>", "</div>", 400) + `</entry></feed>`,
			"nested 402 levels deep"},
		{"many empty items", rssHead + strings.Repeat("<item/>", 150_000) + `</channel></rss>`,
			"The feed lists 150,000 stories; Newswatch reads at most 100,000."},
		{"many entries", `<feed xmlns="http://www.w3.org/2005/Atom">` + strings.Repeat("<entry></entry>", 100_001) + `</feed>`,
			"lists 100,001 stories"},
		{"many attributes", rssHead + `<item><title` + strings.Repeat(` a="1"`, 5000) + `>x</title></item></channel></rss>`,
			"An element of the feed has 5,000 attributes; Newswatch reads at most 1,000."},
		{"valueless attributes", rssHead + `<item><title` + strings.Repeat(` a`, 2000) + `>x</title></item></channel></rss>`,
			"has 2,000 attributes"},
		{"many elements", rssHead + `<item>` + strings.Repeat("<x/>", 2_100_000) + `</item></channel></rss>`,
			"made of 2,100,00"},
		{"deep JSON", `{"version":"https://jsonfeed.org/version/1.1","items":[{"title":"x","_x":` + nested("[", "]", 1000) + `}]}`,
			"nested 1,003 levels deep"},
		{"deep JSON never closed", `{"items":` + strings.Repeat(`{"a":`, 100_000), "nested 100,001 levels deep"},
		{"many JSON items", `{"version":"https://jsonfeed.org/version/1.1","items":[` + strings.TrimSuffix(strings.Repeat("{},", 120_000), ",") + `]}`,
			"lists 120,000 stories"},
		{"many JSON values", `{"items":[{"tags":[` + strings.TrimSuffix(strings.Repeat("1,", 2_100_000), ",") + `]}]}`,
			"made of 2,100,00"},
		{"an encoding the guard cannot follow", rssHead + `<item><?xml version="1.0" encoding="utf-16le"?>` + utf16le(nested("<a>", "</a>", 400)),
			"The feed changes its encoding to utf-16le partway through, which Newswatch cannot read."},
		{"a directive that takes its first character as it is", rssHead + `<!'<x>> ` + nested("<a>", "</a>", 300),
			"nested 302 levels deep"},
		{"a quoted value that a < ends", rssHead + `<item a="x` + nested("<a>", "</a>", 300) + `"></item>`, "nested 303 levels deep"},

		{"unclosed HTML in descriptions", rssHead + strings.Repeat(`<item><description><p>eins<br>zwei<img src="x"></description></item>`, 2000) + `</channel></rss>`, ""},
		{"markup in CDATA and comments", rssHead + `<item><description><![CDATA[` + strings.Repeat("<p>", 1000) + `]]></description><!--` + strings.Repeat("<a>", 1000) + `--></item></channel></rss>`, ""},
		{"a DOCTYPE with an internal subset", `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "<b>"> <!-- <c> -->]>` + rssHead[strings.Index(rssHead, "<rss"):] + `<item><title>x</title></item></channel></rss>`, ""},
		{"a late declaration in Latin-1", "\n<!-- x -->" + strings.Repeat(" ", 2000) + `<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>x</title></channel></rss>`, ""},
		{"100,000 items", rssHead + strings.Repeat("<item><title>t</title></item>", 100_000) + `</channel></rss>`, ""},
		{"a real JSON Feed", `{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","title":"x","tags":["a","b"],"authors":[{"name":"n"}]}]}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := checkShape([]byte(tt.body))
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error %v, want %q", err, tt.want)
			}
		})
	}
}

// TestParseRefusesDeepNesting runs the case of the issue through Parse: a
// few million nested elements are one clear sentence, not a stack
// overflow; a web page's unclosed tags are still a web page.
func TestParseRefusesDeepNesting(t *testing.T) {
	body := []byte(rssHead + `<item><title>x</title>` + strings.Repeat("<a>", 3_000_000) + `</item></channel></rss>`)
	_, err := Parse(body, "http://feed.example/")
	var fe *Error
	if !errors.As(err, &fe) || fe.Kind != KindTooLarge || fe.Error() != "The feed is nested 3,000,003 levels deep; Newswatch reads at most 256." {
		t.Fatalf("Parse: %v", err)
	}

	page := []byte(`<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" href="/rss"></head><body>` +
		strings.Repeat("<p>Absatz<br>", 2000) + `</body></html>`)
	if _, err := Parse(page, "http://site.example/"); err == nil || !strings.Contains(err.Error(), "names its feed at http://site.example/rss") {
		t.Fatalf("a web page: %v", err)
	}
}

// refShape counts a body's structure with encoding/xml as gofeed reads it
// (not strict, Token), up to its first error.
func refShape(body []byte) shape {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.CharsetReader = charset.NewReaderLabel
	var sh shape
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return sh
		}
		switch t := tok.(type) {
		case xml.StartElement:
			sh.elements++
			sh.attributes = max(sh.attributes, len(t.Attr))
			if t.Name.Local == "item" || t.Name.Local == "entry" {
				sh.items++
			}
			depth++
			sh.depth = max(sh.depth, depth)
		case xml.EndElement:
			depth--
		}
	}
}

// refJSONShape counts a valid JSON body's structure with encoding/json.
func refJSONShape(body []byte) shape {
	d := json.NewDecoder(bytes.NewReader(body))
	sh := shape{json: true}
	type level struct {
		object, items bool
		key           bool // the next string in an object is a key
		name          string
	}
	var stack []level
	for {
		tok, err := d.Token()
		if err == io.EOF || err != nil {
			return sh
		}
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].key {
			if s, ok := tok.(string); ok {
				stack[n-1].name, stack[n-1].key = s, false
				continue
			}
		}
		switch tok {
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if n := len(stack); n > 0 && stack[n-1].object {
				stack[n-1].key = true
			}
			continue
		}
		sh.elements++
		if n := len(stack); n > 0 && stack[n-1].items {
			sh.items++
		}
		parentItems := len(stack) == 1 && stack[0].object && stack[0].name == "items"
		switch tok {
		case json.Delim('{'):
			stack = append(stack, level{object: true, key: true})
		case json.Delim('['):
			stack = append(stack, level{items: parentItems})
		default:
			if n := len(stack); n > 0 && stack[n-1].object {
				stack[n-1].key = true
			}
		}
		sh.depth = max(sh.depth, len(stack))
	}
}

// FuzzShape checks that the guard never counts less than encoding/xml
// (or encoding/json) sees: deeper nesting, more elements, items or
// attributes than the guard found would let gofeed read what the limits
// refuse.
func FuzzShape(f *testing.F) {
	for _, s := range []string{
		rssHead + `<item><title>x</title></item></channel></rss>`,
		`<rss><channel><item><description><p>a<br></description></item></channel></rss>`,
		`<!DOCTYPE x [<!ENTITY a "<b>">]><rss><a:b xmlns:a="u"><a:b/></a:b></rss>`,
		`<rss><!'<x>> <a><a></a></a></rss>`,
		`<rss><!-- <a> --><![CDATA[<a>]]><?pi <a>?><a b='<c>'></a></rss>`,
		`<rss><a b=c d e="f"/><x:y/></rss>`,
		`<feed><entry><?xml encoding="iso-8859-1"?><a></a></entry></feed>`,
		`{"version":"https://jsonfeed.org/version/1","items":[{"a":[1,{"b":null}],"c":"d\"e"},true]}`,
		`{"items":{"items":[1,2]},"x":[[[]]]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if jsonFirst(body) {
			if !json.Valid(body) {
				return // gofeed decodes only valid JSON
			}
			got, want := jsonShape(body), refJSONShape(body)
			if got.depth < want.depth || got.elements < want.elements || got.items < want.items {
				t.Fatalf("guard %+v, encoding/json %+v", got, want)
			}
			return
		}
		got := xmlShape(body)
		if got.encoding != "" {
			return // refused
		}
		want := refShape(body)
		if got.depth < want.depth || got.elements < want.elements || got.items < want.items || got.attributes < want.attributes {
			t.Fatalf("guard %+v, encoding/xml %+v", got, want)
		}
	})
}
