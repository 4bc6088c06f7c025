package opml

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	in := []Outline{
		{Title: "tagesschau.de – Nachrichten & mehr", URL: "https://www.tagesschau.de/xml/rss2/", SiteURL: "https://www.tagesschau.de/"},
		{Title: `Zeit "Online"`, URL: "https://newsfeed.zeit.de/index?a=1&b=2", Schedule: "CRON_TZ=Europe/Berlin */30 6-22 * * *", FullText: "on"},
		{Title: "Volltext", URL: "https://volltext.example/feed", FullText: "off"},
		{Title: "Lokal", URL: "file:///home/anna/feeds/lokal.xml"},
	}
	var buf bytes.Buffer
	if err := Write(&buf, "Newswatch feeds", in, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	out, err := Read(&buf)
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if !reflect.DeepEqual(out, in) {
		t.Fatalf("round trip =\n %+v\nwant\n %+v", out, in)
	}
}

func TestReadOtherReaders(t *testing.T) {
	doc := `<?xml version="1.0" encoding="ISO-8859-1"?>
<opml version="1.0"><head><title>Export</title></head><body>
  <outline text="Nachrichten">
    <outline text="S` + "\xfc" + `ddeutsche" type="rss" xmlURL="https://sz.example/rss" htmlUrl="https://sz.example/"/>
    <outline title="Heise &amp; Co" text="heise" xmlUrl="https://heise.example/atom.xml"/>
  </outline>
  <outline text="Nur ein Ordner"/>
</body></opml>`
	out, err := Read(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []Outline{
		{Title: "Süddeutsche", URL: "https://sz.example/rss", SiteURL: "https://sz.example/", Category: "Nachrichten"},
		{Title: "Heise & Co", URL: "https://heise.example/atom.xml", Category: "Nachrichten"},
	}
	if !reflect.DeepEqual(out, want) {
		t.Fatalf("outlines =\n %+v\nwant\n %+v", out, want)
	}
}

func TestReadRefuses(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"empty", "", "empty"},
		{"not xml", "this is text", "not an OPML file"},
		{"rss instead", `<rss version="2.0"><channel/></rss>`, "not an OPML file (it starts with <rss>"},
		{"no body", `<opml version="2.0"><head/></opml>`, "no <body>"},
		{"broken", `<opml version="2.0"><body><outline xmlUrl="x"</body></opml>`, "not valid XML"},
		{"billion laughs", `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
			<opml version="2.0"><body><outline text="&lol2;" xmlUrl="https://x.example/"/></body></opml>`, ""},
		{"external entity", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
			<opml version="2.0"><body><outline text="&xxe;" xmlUrl="https://x.example/"/></body></opml>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Read(strings.NewReader(tt.doc))
			if tt.want == "" {
				// Entities are never expanded: the text stays literal.
				if err != nil {
					return
				}
				for _, o := range out {
					if strings.Contains(o.Title, "lollol") || strings.Contains(o.Title, "root:") {
						t.Fatalf("entity expanded: %q", o.Title)
					}
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
