//go:build linux

package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"html"
	"runtime"
	"strings"
	"sync"
	"time"

	"codeberg.org/newswatch/newswatch/internal/newsgen"
)

// grown is how many items a feed that changes gains between the cold and
// the third cycle; every tenth feed changes.
const grown = 5

// feedBody is one feed as the loopback server sends it, in the version of
// the cold cycle and in the version after it gained items.
type feedBody struct {
	Path      string // URL path
	Atom      bool
	Versions  [2]bodyVersion // [0]: cold and warm cycles, [1]: after growing
	Changes   bool           // whether version 1 differs from version 0
	ItemCount int
}

type bodyVersion struct {
	Plain, Gzip  []byte
	ETag         string
	LastModified string
}

// genSpec says which feeds to generate; the server and the measuring
// side generate the same bytes from it.
type genSpec struct {
	Feeds, Items int
	Base         time.Time // the time of the cold cycle's newest story
}

// args passes the spec to a child process, which reads it with specFlags.
func (s genSpec) args() []string {
	return []string{"-feeds", fmt.Sprint(s.Feeds), "-items", fmt.Sprint(s.Items), "-base", fmt.Sprint(s.Base.Unix())}
}

// specFlags declares the flags of genSpec.args on fs; the function it
// returns reads them once fs is parsed.
func specFlags(fs *flag.FlagSet) func() genSpec {
	feeds := fs.Int("feeds", 1000, "")
	items := fs.Int("items", 50, "")
	base := fs.Int64("base", 0, "")
	return func() genSpec { return genSpec{Feeds: *feeds, Items: *items, Base: time.Unix(*base, 0).UTC()} }
}

// feedURL is where feed i is served, spread over the server's ports.
func feedURL(ports []int, i int) string {
	return fmt.Sprintf("http://127.0.0.1:%d%s", ports[i%len(ports)], feedPath(i))
}

func feedPath(i int) string {
	if isAtom(i) {
		return fmt.Sprintf("/feeds/%d/atom.xml", i)
	}
	return fmt.Sprintf("/feeds/%d/rss.xml", i)
}

// One feed in five is Atom, the rest RSS 2.0, as among news sites.
func isAtom(i int) bool { return i%5 == 4 }

// changes reports whether feed i gains items for the third cycle.
func changes(i int) bool { return i%10 == 3 }

// generate builds every feed's bodies, using all cores.
func generate(spec genSpec) []*feedBody {
	out := make([]*feedBody, spec.Feeds)
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = genFeed(spec, i)
			}
		}()
	}
	for i := range out {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// genFeed writes feed i: Items stories, the newest first, each with
// HTML in its summary and content. The stories come from newsgen with a
// seed per feed, so the output depends only on spec and i.
func genFeed(spec genSpec, i int) *feedBody {
	g := newsgen.New(uint64(1000 + i))
	// Stories a few minutes to a few hours apart, depending on the feed.
	step := time.Duration(7+i%53) * time.Minute
	stories := make([]newsgen.Story, spec.Items+grown)
	for k := range stories {
		// stories[0:grown] are the ones added later, published after Base.
		stories[k] = g.Story(spec.Base.Add(time.Duration(grown-k) * step).Add(-time.Duration(i%60) * time.Second))
	}
	fb := &feedBody{Path: feedPath(i), Atom: isAtom(i), Changes: changes(i), ItemCount: spec.Items}
	lm0 := spec.Base.Add(-time.Duration(i%60) * time.Second)
	fb.Versions[0] = makeVersion(renderFeed(i, fb.Atom, stories[grown:], lm0), lm0)
	if fb.Changes {
		lm1 := lm0.Add(time.Duration(grown) * step)
		fb.Versions[1] = makeVersion(renderFeed(i, fb.Atom, stories[:spec.Items], lm1), lm1)
	} else {
		fb.Versions[1] = fb.Versions[0]
	}
	return fb
}

func makeVersion(body []byte, lastMod time.Time) bodyVersion {
	sum := sha256.Sum256(body)
	var zb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&zb, gzip.DefaultCompression)
	zw.Write(body)
	zw.Close()
	return bodyVersion{Plain: body, Gzip: zb.Bytes(), ETag: `"` + hex.EncodeToString(sum[:10]) + `"`,
		LastModified: lastMod.UTC().Format(time.RFC1123[:len(time.RFC1123)-3] + "GMT")}
}

var siteNames = []string{"Tagesblatt", "Rundschau", "Kurier", "Morning Post", "Anzeiger", "Courier", "Nachrichten", "Gazette", "Allgemeine", "Herald"}

func siteName(i int) string { return fmt.Sprintf("%s %d", siteNames[i%len(siteNames)], i) }

func siteURL(i int) string { return fmt.Sprintf("https://www.news%d.example", i) }

// storyLink is the story's permalink: its GUID too.
func storyLink(i int, s newsgen.Story) string {
	slug := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '-'
	}, s.Title)
	if len(slug) > 40 {
		slug = slug[:40]
	}
	return fmt.Sprintf("%s/%s/%s-%d-%d.html", siteURL(i), strings.ToLower(s.Theme), strings.Trim(slug, "-"), i, s.ID)
}

// itemContent is the story's article HTML as feeds send it: a picture
// and the first paragraph, which makes a feed of 50 items about 50 KB.
func itemContent(i int, s newsgen.Story) string {
	paras := strings.SplitAfter(s.Content, "</p>\n")
	if len(paras) > 1 {
		paras = paras[:1]
	}
	return fmt.Sprintf(`<figure><img src="%s/img/%d.jpg" alt="" width="640" height="360"/></figure>%s`,
		siteURL(i), s.ID, strings.Join(paras, ""))
}

func renderFeed(i int, atom bool, stories []newsgen.Story, updated time.Time) []byte {
	var b bytes.Buffer
	b.Grow(64 << 10)
	esc := html.EscapeString
	if atom {
		b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
		b.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">` + "\n")
		fmt.Fprintf(&b, "<title>%s</title>\n<link href=\"%s/\"/>\n<link rel=\"self\" href=\"%s/atom.xml\"/>\n<id>%s/</id>\n<updated>%s</updated>\n",
			esc(siteName(i)), siteURL(i), siteURL(i), siteURL(i), updated.UTC().Format(time.RFC3339))
		for _, s := range stories {
			link := storyLink(i, s)
			fmt.Fprintf(&b, "<entry>\n<title>%s</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"%s\"/>\n<id>%s</id>\n<published>%s</published>\n<updated>%s</updated>\n<author><name>%s</name></author>\n",
				esc(s.Title), esc(link), esc(link), s.Published.UTC().Format(time.RFC3339), s.Published.UTC().Format(time.RFC3339), esc(s.Author))
			for _, c := range s.Categories {
				fmt.Fprintf(&b, "<category term=\"%s\"/>\n", esc(c))
			}
			fmt.Fprintf(&b, "<summary type=\"html\">%s</summary>\n<content type=\"html\">%s</content>\n</entry>\n",
				esc(s.Summary), esc(itemContent(i, s)))
		}
		b.WriteString("</feed>\n")
		return b.Bytes()
	}
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">` + "\n<channel>\n")
	fmt.Fprintf(&b, "<title>%s</title>\n<link>%s/</link>\n<description>Die neuesten Nachrichten von %s</description>\n<language>de</language>\n<lastBuildDate>%s</lastBuildDate>\n<atom:link href=\"%s/rss.xml\" rel=\"self\" type=\"application/rss+xml\"/>\n",
		esc(siteName(i)), siteURL(i), esc(siteName(i)), updated.UTC().Format(time.RFC1123Z), siteURL(i))
	for _, s := range stories {
		link := storyLink(i, s)
		fmt.Fprintf(&b, "<item>\n<title>%s</title>\n<link>%s</link>\n<guid isPermaLink=\"true\">%s</guid>\n<pubDate>%s</pubDate>\n<dc:creator>%s</dc:creator>\n",
			esc(s.Title), esc(link), esc(link), s.Published.UTC().Format(time.RFC1123Z), esc(s.Author))
		for _, c := range s.Categories {
			fmt.Fprintf(&b, "<category>%s</category>\n", esc(c))
		}
		fmt.Fprintf(&b, "<description>%s</description>\n<content:encoded><![CDATA[%s]]></content:encoded>\n</item>\n",
			esc(s.Summary), itemContent(i, s))
	}
	b.WriteString("</channel>\n</rss>\n")
	return b.Bytes()
}
