package feed

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/inert"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func latin1(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const umlautTitle = "Außenministerin über Zürich: „Grüße“ – 5 €"

func rssWith(decl, title string) string {
	return decl + `<rss version="2.0"><channel><title>Nachrichten</title><link>https://news.example/</link>` +
		`<item><guid>g1</guid><title>` + title + `</title><link>/artikel/1</link></item></channel></rss>`
}

func TestCharsets(t *testing.T) {
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(
		[]byte(rssWith(`<?xml version="1.0" encoding="UTF-16"?>`, umlautTitle)))
	tests := []struct {
		name        string
		body        []byte
		contentType string
	}{
		{"utf-8 declared", []byte(rssWith(`<?xml version="1.0" encoding="UTF-8"?>`, umlautTitle)), ""},
		{"utf-8 undeclared", []byte(rssWith("", umlautTitle)), ""},
		{"utf-8 with BOM", append([]byte("\xef\xbb\xbf"), rssWith(`<?xml version="1.0"?>`, umlautTitle)...), ""},
		{"latin-1 undeclared", latin1(t, rssWith(`<?xml version="1.0"?>`, umlautTitle)), ""},
		{"latin-1 no declaration at all", latin1(t, rssWith("", umlautTitle)), "text/xml"},
		{"iso-8859-1 declared", latin1(t, rssWith(`<?xml version="1.0" encoding="ISO-8859-1"?>`, umlautTitle)), ""},
		{"windows-1252 declared", latin1(t, rssWith(`<?xml version='1.0' encoding='windows-1252'?>`, umlautTitle)), ""},
		// The HTTP header agrees with the declaration: still decoded once.
		{"declared and HTTP charset", latin1(t, rssWith(`<?xml version="1.0" encoding="ISO-8859-1"?>`, umlautTitle)),
			"application/rss+xml; charset=ISO-8859-1"},
		{"HTTP charset only", latin1(t, rssWith("", umlautTitle)), "text/xml; charset=iso-8859-1"},
		// Servers often label UTF-8 as Latin-1.
		{"utf-8 mislabelled latin-1", []byte(rssWith(`<?xml version="1.0" encoding="ISO-8859-1"?>`, umlautTitle)), ""},
		{"utf-8 with HTTP latin-1", []byte(rssWith("", umlautTitle)), "text/xml; charset=ISO-8859-1"},
		{"utf-16 with BOM", utf16, ""},
		{"utf-16 declared, utf-8 bytes", []byte(rssWith(`<?xml version="1.0" encoding="utf-16"?>`, umlautTitle)), ""},
		{"numeric character references", []byte(rssWith(`<?xml version="1.0"?>`,
			"Au&#223;enministerin &#252;ber Z&#252;rich: &#8222;Gr&#252;&#223;e&#8220; &#8211; 5 &#8364;")), ""},
		{"control characters", []byte(rssWith(`<?xml version="1.0" encoding="UTF-8"?>`, "Au\x0bßenministerin\x01 über Zürich: „Grüße“ – 5 €")), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(ToUTF8(tt.body, tt.contentType), "https://news.example/feed")
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Items) != 1 || p.Items[0].Title != umlautTitle {
				t.Fatalf("items = %+v, want title %q", p.Items, umlautTitle)
			}
		})
	}
}

func TestCharsetCyrillicAndGreek(t *testing.T) {
	ru, _ := charmap.Windows1251.NewEncoder().Bytes([]byte(rssWith(`<?xml version="1.0" encoding="windows-1251"?>`, "Новости Оренбурга")))
	el, _ := charmap.ISO8859_7.NewEncoder().Bytes([]byte(rssWith(`<?xml version="1.0" encoding="iso-8859-7"?>`, "Επικαιρότητα")))
	for want, body := range map[string][]byte{"Новости Оренбурга": ru, "Επικαιρότητα": el} {
		p, err := Parse(ToUTF8(body, ""), "https://news.example/")
		if err != nil {
			t.Fatal(err)
		}
		if p.Items[0].Title != want {
			t.Errorf("title = %q, want %q", p.Items[0].Title, want)
		}
	}
}

func TestFormats(t *testing.T) {
	tests := []struct {
		name, body, format string
		want               Item
	}{
		{"rss 2.0", `<rss version="2.0"><channel><title>T</title><link>https://site.example/</link><item>
			<title>Ukraine &amp; Russland</title><description>&lt;p&gt;Erster &lt;b&gt;Absatz&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Zweiter&lt;/p&gt;</description>
			<link>https://site.example/a</link><guid isPermaLink="false">id-1</guid><author>anna@example.org (Anna)</author>
			<category>Ausland</category><category>Ausland</category><category>Europa</category>
			<pubDate>Wed, 25 Nov 2026 08:30:00 +0100</pubDate></item></channel></rss>`, "rss",
			Item{Key: "guid:id-1", Link: "https://site.example/a", Title: "Ukraine & Russland", Summary: "Erster Absatz Zweiter", Author: "Anna",
				Categories: []string{"Ausland", "Europa"}, Published: time.Date(2026, 11, 25, 7, 30, 0, 0, time.UTC)}},
		{"rss 0.91 relative link, no guid, no date", `<rss version="0.91"><channel><title>T</title><link>https://zeit.example/</link>
			<item><title>Streit im Stellwerk</title><link>/2006/22/bahn</link></item></channel></rss>`, "rss",
			Item{Key: "link:https://zeit.example/2006/22/bahn", Link: "https://zeit.example/2006/22/bahn", Title: "Streit im Stellwerk"}},
		{"rss 1.0", `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
			xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="x"><title>T</title><link>https://ndr.example/</link></channel>
			<item rdf:about="https://ndr.example/1"><title>Hamburg</title><link>https://ndr.example/1</link>
			<dc:date>2026-11-25T10:00:00+01:00</dc:date><dc:creator>Bernd</dc:creator></item></rdf:RDF>`, "rss",
			Item{Key: "link:https://ndr.example/1", Link: "https://ndr.example/1", Title: "Hamburg", Author: "Bernd",
				Published: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}},
		{"atom", `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><link href="https://heise.example/"/>
			<entry><id>tag:heise,1</id><title type="html">KI &lt;em&gt;news&lt;/em&gt;</title><link href="/a/1"/>
			<summary>Kurz</summary><content type="html">&lt;p&gt;Lang &lt;script&gt;alert(1)&lt;/script&gt;Text&lt;/p&gt;</content>
			<updated>2026-11-25T10:00:00Z</updated><author><name>Carla</name></author></entry></feed>`, "atom",
			Item{Key: "guid:tag:heise,1", Link: "https://heise.example/a/1", Title: "KI news", Summary: "Kurz", Content: "Lang Text",
				Author: "Carla", Published: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)}},
		{"json feed", `{"version":"https://jsonfeed.org/version/1.1","title":"J","home_page_url":"https://npr.example/",
			"items":[{"id":"n1","url":"https://npr.example/n1","title":"Kyiv","content_html":"<p>Body &amp; soul</p>",
			"date_published":"2026-11-25T06:00:00Z","tags":["World"]}]}`, "json",
			Item{Key: "guid:n1", Link: "https://npr.example/n1", Title: "Kyiv", Summary: "Body & soul", Categories: []string{"World"},
				Published: time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)}},
		{"unsafe link dropped", `<rss version="2.0"><channel><title>T</title><item><title>X</title>
			<link>javascript:alert(1)</link></item></channel></rss>`, "rss",
			Item{Key: "hash:", Title: "X"}},
		{"localized date", `<rss version="2.0"><channel><title>T</title><item><guid>i</guid><title>Missili</title>
			<pubDate>mer, 16 nov 2022 00:38:15 +0100</pubDate></item></channel></rss>`, "rss",
			Item{Key: "guid:i", Title: "Missili", Published: time.Date(2022, 11, 15, 23, 38, 15, 0, time.UTC)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(tt.body), "https://feeds.example/feed.xml")
			if err != nil {
				t.Fatal(err)
			}
			if p.Format != tt.format || len(p.Items) != 1 {
				t.Fatalf("format %q, %d items", p.Format, len(p.Items))
			}
			got := p.Items[0]
			if strings.HasSuffix(tt.want.Key, ":") && strings.HasPrefix(got.Key, tt.want.Key) {
				tt.want.Key = got.Key // a hash key: only the kind is fixed
			}
			if got.Key != tt.want.Key || got.Link != tt.want.Link || got.Title != tt.want.Title ||
				got.Summary != tt.want.Summary || got.Content != tt.want.Content || got.Author != tt.want.Author ||
				strings.Join(got.Categories, "|") != strings.Join(tt.want.Categories, "|") || !got.Published.Equal(tt.want.Published) {
				t.Fatalf("item =\n %+v\nwant\n %+v", got, tt.want)
			}
		})
	}
}

func TestNotAFeed(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"empty", "  \n", "empty response"},
		{"html with feed link", `<!DOCTYPE html><html><head><title>News</title>
			<link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml"></head><body></body></html>`,
			"names its feed at https://site.example/rss.xml"},
		{"html without", `<html><body>Hello</body></html>`, "web page, not a feed"},
		{"plain text", "hello world", "does not return a feed"},
		{"json not a feed", `{"error": "nope"}`, "not a JSON Feed"},
		{"broken xml", `<?xml?xml version="1.0" ??><rss rss:version=2.0><rss:channel></rss:channel></rss>`, "broken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(ToUTF8([]byte(tt.body), ""), "https://site.example/news")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestParseRootAfterLongPreamble(t *testing.T) {
	body := `<?xml version="1.0"?><!-- ` + strings.Repeat("x", 6000) + ` -->` + rssWith("", "Spät")
	p, err := Parse([]byte(body), "https://x.example/")
	if err != nil || len(p.Items) != 1 {
		t.Fatalf("items %v, err %v", p, err)
	}
}

func TestDuplicateItemsInOneBody(t *testing.T) {
	body := `<rss version="2.0"><channel><title>T</title>
		<item><guid>same</guid><title>A</title></item><item><guid>same</guid><title>A again</title></item>
		<item><title></title></item></channel></rss>`
	p, err := Parse([]byte(body), "https://x.example/")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 {
		t.Fatalf("items = %d, want 1 (duplicate and empty item dropped)", len(p.Items))
	}
}

func TestCorpusFindings(t *testing.T) {
	// A JSON Feed whose keys were sorted: "version" comes after "items".
	var b strings.Builder
	b.WriteString(`{"items":[`)
	for i := 0; i < 200; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"content_text":"%s","id":"%d","title":"Eintrag %d"}`, strings.Repeat("x", 60), i, i)
	}
	b.WriteString(`],"title":"Sortiert","version":"https://jsonfeed.org/version/1.1"}`)
	if p, err := Parse([]byte(b.String()), "https://x.example/feed.json"); err != nil || len(p.Items) != 200 {
		t.Errorf("sorted JSON Feed: %v", err)
	}
	if _, err := Parse([]byte(`{"items":[{"image":{"url":"x"}}]}`), "https://x.example/"); err == nil || !strings.Contains(err.Error(), "not a JSON Feed") {
		t.Errorf("JSON that is not a feed: %v", err)
	}
	// An RSS guid that is a web address is the story's link.
	p, err := Parse([]byte(`<rss version="2.0"><channel><title>T</title><item><title>C</title><guid>https://www.example.org/c.html</guid></item>
		<item><guid isPermaLink="true">https://www.example.org/only-guid.html</guid></item></channel></rss>`), "https://x.example/")
	if err != nil || len(p.Items) != 2 || p.Items[0].Link != "https://www.example.org/c.html" || p.Items[1].Link != "https://www.example.org/only-guid.html" {
		t.Errorf("guid as link: %+v %v", p, err)
	}
	// A control character written as a reference is dropped, not fatal.
	p, err = Parse(ToUTF8([]byte(`<rss version="2.0"><channel><title>T</title><item><title>A&#x1A;B&#26;C &#9;D</title></item></channel></rss>`), ""), "https://x.example/")
	if err != nil || p.Items[0].Title != "ABC D" {
		t.Errorf("control character references: %+v %v", p, err)
	}
	// windows-1252 characters stored as C1 code points.
	if got := HTMLToText("don\u0092t \u0084Gr\u00fc\u00dfe\u0093"); got != "don’t „Grüße“" {
		t.Errorf("C1 characters: %q", got)
	}
	// A prefix that merely starts like a root element does not count as one.
	if _, err := Parse([]byte(strings.Repeat(" ", 5000)+`<Channel xmlns="http://purl.org/net/rss1.1#"><rss:link/></Channel>`), "https://x.example/"); err == nil ||
		!strings.Contains(err.Error(), "does not return a feed") {
		t.Errorf("RSS 1.1 with odd prefixes: %v", err)
	}
}

// TestLengthsAreBounded: what one feed names itself, copied into each of
// its stories, is as short as a name; an item keeps at most 50 categories.
func TestLengthsAreBounded(t *testing.T) {
	body := rssHead[:strings.Index(rssHead, "<title>")] + `<title>` + strings.Repeat("Sehr langer Name ", 500) + "\u202e</title>" +
		`<item><guid>1</guid><title>x</title>` + strings.Repeat("<category>c</category><category>d</category>", 1)
	for i := 0; i < 1000; i++ {
		body += fmt.Sprintf("<category>Kategorie %d</category>", i)
	}
	body += `</item></channel></rss>`
	p, err := Parse([]byte(body), "http://feed.example/")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Title) > inert.MaxName || strings.ContainsRune(p.Title, '\u202e') {
		t.Errorf("title of %d bytes: %q", len(p.Title), p.Title)
	}
	if n := len(p.Items[0].Categories); n != maxCategories {
		t.Errorf("%d categories kept", n)
	}
}
