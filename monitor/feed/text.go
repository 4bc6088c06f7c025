package feed

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"

	"codeberg.org/newswatch/newswatch/monitor/inert"
)

// HTMLToText turns feed HTML (or text that may hold tags and entities) into
// plain text: tags removed, the contents of script, style and similar
// elements dropped, entities decoded, block elements separated, and all
// whitespace collapsed to single spaces.
func HTMLToText(s string) string { return cleanText(s, 0) }

// cleanText is HTMLToText cut to at most max bytes (0: no limit).
func cleanText(s string, max int) string {
	var out string
	if strings.IndexByte(s, '<') < 0 && strings.IndexByte(s, '&') < 0 {
		out = collapseSpace(s)
	} else {
		out = collapseSpace(stripTags(s))
	}
	if max > 0 && len(out) > max {
		out = truncateWords(out, max)
	}
	return out
}

// skipElements are elements whose content is never text a reader sees.
var skipElements = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "iframe": true,
	"object": true, "svg": true, "math": true, "head": true, "title": true, "select": true,
}

// blockElements end a word: their text must not run into the next one.
var blockElements = map[string]bool{
	"br": true, "p": true, "div": true, "li": true, "ul": true, "ol": true, "tr": true,
	"td": true, "th": true, "table": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "blockquote": true, "pre": true, "hr": true, "img": true,
	"figure": true, "figcaption": true, "section": true, "article": true, "header": true,
	"footer": true, "dd": true, "dt": true, "dl": true, "address": true, "aside": true,
}

func stripTags(s string) string {
	z := html.NewTokenizerFragment(strings.NewReader(s), "div")
	var b strings.Builder
	b.Grow(len(s))
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken:
			name, _ := z.TagName()
			if skipElements[string(name)] { // no string is made for a lookup
				skip++
			} else if blockElements[string(name)] {
				b.WriteByte(' ')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if skipElements[string(name)] {
				if skip > 0 {
					skip--
				}
			} else if blockElements[string(name)] {
				b.WriteByte(' ')
			}
		case html.SelfClosingTagToken:
			name, _ := z.TagName()
			if blockElements[string(name)] {
				b.WriteByte(' ')
			}
		}
	}
}

// collapseSpace trims s and turns every run of white space into one space.
// Control characters and invisible format characters (bidi overrides and
// isolates, zero-width spaces, ...) are dropped: see package inert.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	prev := utf8.RuneError // the last rune written
	for i := 0; i < len(s); {
		c := s[i]
		var r rune = rune(c)
		size := 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		if unicode.IsSpace(r) || r == 0 {
			space = true
			continue
		}
		if r >= 0x80 && r < 0xa0 && r != 0x85 {
			// C1 controls in text are windows-1252 characters stored as
			// their byte values ("don\u0092t"): read them as such.
			r = cp1252(byte(r))
		}
		if inert.Dropped(r) || r == utf8.RuneError && size == 1 ||
			inert.Joiner(r) && (space || !inert.KeepJoiner(prev, s[i:])) {
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}
