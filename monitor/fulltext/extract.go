package fulltext

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"

	"codeberg.org/newswatch/newswatch/monitor/inert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Limits of extraction.
const (
	// MaxText is the most bytes of text an article keeps (about 15,000
	// words; longer is a page of many articles, not one).
	MaxText = 100_000
	// MaxElements is the most HTML elements a page may have for its text
	// to be extracted: a news page has a few thousand; past this, reading
	// it takes seconds and hundreds of MB.
	MaxElements = 60_000
	// minGain is how many bytes the text must be longer than the teaser
	// to be worth having.
	minGain = 200
)

// paywallMark is the schema.org flag news sites set on articles behind a
// paywall (in their JSON-LD): "isAccessibleForFree": false.
var paywallMark = regexp.MustCompile(`(?i)"isAccessibleForFree"\s*:\s*"?false\b`)

// Extract returns the article text of a page (HTML, already UTF-8): the
// main content as readability finds it, as plain text — paragraphs
// separated by a blank line, white space collapsed within them, control
// and invisible format characters dropped (package inert), composed to
// NFC, cut to MaxText. teaser is what the feed said of the article: a
// page with no more text than that (a paywall, a cookie wall, a video
// page) gives no text and a miss saying why.
func Extract(page []byte, pageURL, teaser string) (string, msg.Message) {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		// x/net/html refuses nesting deeper than 512 elements.
		return "", msg.New(msgUnreadable)
	}
	u, _ := url.Parse(pageURL)
	p := readability.NewParser()
	p.MaxElemsToParse = MaxElements
	art, err := p.ParseAndMutate(doc, u)
	if err != nil {
		if strings.Contains(err.Error(), "too large") {
			return "", msg.New(msgTooManyElements, "Max", msg.Number(MaxElements))
		}
		return "", msg.New(msgUnreadable)
	}
	var b strings.Builder
	if art.Node == nil || art.RenderText(&b) != nil {
		return "", noText(page)
	}
	text := Clean(b.String())
	if len(text) < len(strings.TrimSpace(teaser))+minGain {
		return "", noText(page)
	}
	return text, msg.Message{}
}

// noText says why a page gave no article text.
func noText(page []byte) msg.Message {
	if paywallMark.Match(page) {
		return msg.New(msgPaywall)
	}
	return msg.New(msgNoText)
}

// Clean turns extracted text into the plain text Newswatch keeps:
// paragraphs (runs of text between blank lines or line breaks) with their
// white space collapsed, joined by one blank line; no control or
// invisible format characters; NFC; at most MaxText bytes.
func Clean(s string) string {
	s = norm.NFC.String(inert.Strip(s))
	var b strings.Builder
	b.Grow(len(s))
	for line := range strings.Lines(s) {
		words := strings.Fields(line)
		if len(words) == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		for i, w := range words {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
		if b.Len() > MaxText {
			break
		}
	}
	return inert.Cut(b.String(), MaxText)
}

// Why a page gave no text, as the end of "full text missing for 3 of 20
// articles: …" (see Summary).
var (
	msgUnreadable      = msg.T("the page could not be read as HTML")
	msgTooManyElements = msg.T("the page has more than {{.Max}} HTML elements")
	msgPaywall         = msg.T("the page is behind a paywall")
	msgNoText          = msg.T("the page has no article text beyond the teaser")
)

// errPanic is extraction that panicked (a bug in the extractor).
type errPanic struct{ v any }

func (e errPanic) Error() string { return fmt.Sprintf("extraction panicked: %v", e.v) }
