package opml

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzRead: reading any document never panics; what it accepts writes back
// and reads again the same.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		`<opml version="2.0"><body><outline text="A" xmlUrl="https://a.example/rss"/></body></opml>`,
		`<?xml version="1.0" encoding="ISO-8859-1"?><opml><body><outline text="N"><outline text="S` + "\xfc" + `" xmlUrl="https://x/"/></outline></body></opml>`,
		`<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><opml><body><outline text="&b;" xmlUrl="https://x/"/></body></opml>`,
		`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><opml><body><outline text="&e;" xmlUrl="https://x/"/></body></opml>`,
		`<opml xmlns:newswatch="urn:newswatch:opml"><body><outline xmlUrl="https://x/" newswatch:schedule="@hourly"/></body></opml>`,
		"", "<", "<rss/>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := Read(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, o := range out {
			if strings.Contains(o.Title, "root:") {
				t.Fatalf("an external entity was read: %q", o.Title)
			}
		}
		var buf bytes.Buffer
		if err := Write(&buf, "t", out, time.Unix(0, 0)); err != nil {
			t.Fatal(err)
		}
		again, err := Read(&buf)
		if err != nil {
			t.Fatalf("our own output does not read back: %v\n%s", err, buf.String())
		}
		if len(again) != len(out) {
			t.Fatalf("round trip: %d outlines, then %d", len(out), len(again))
		}
		for i := range out {
			if again[i].URL != clean(out[i].URL) || again[i].Title != clean(out[i].Title) {
				t.Fatalf("round trip changed %+v into %+v", out[i], again[i])
			}
		}
	})
}

// clean is what survives writing and reading: characters XML cannot carry
// become U+FFFD (xml.EscapeText), and Read trims the ends.
func clean(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == utf8.RuneError || (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0xFFFE || r == 0xFFFF ||
			(r >= 0xD800 && r <= 0xDFFF) {
			b.WriteRune('\uFFFD')
			continue
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}
