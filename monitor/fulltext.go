package monitor

import (
	"slices"
	"strings"

	"codeberg.org/newswatch/newswatch/monitor/feed"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// FullTextMode says whether Newswatch reads the web page of each new
// article of a feed for its full text ("Fetch full articles").
type FullTextMode string

// The modes. Automatic (the zero value, the default) reads the pages of
// feeds whose items are teasers: short summaries and no article text.
const (
	FullTextAuto FullTextMode = ""
	FullTextOn   FullTextMode = "on"
	FullTextOff  FullTextMode = "off"
)

// FullTextModes are the modes as the command line and OPML write them.
var FullTextModes = []string{"on", "off", "auto"}

// ParseFullTextMode reads "on", "off" or "auto" (any case; "" is auto).
func ParseFullTextMode(s string) (FullTextMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "auto", "automatic", "":
		return FullTextAuto, nil
	case "on":
		return FullTextOn, nil
	case "off":
		return FullTextOff, nil
	}
	return FullTextAuto, msg.Errorf(nil, msg.T("“{{.Value}}” is not a full-text setting; use on, off or auto."), "Value", s)
}

// String is the mode as the command line and OPML write it.
func (m FullTextMode) String() string {
	if m == FullTextAuto {
		return "auto"
	}
	return string(m)
}

// ReadsFullText reports whether the pages of the feed's new articles are
// read: on, or automatic and its items are teasers.
func (f Feed) ReadsFullText() bool {
	return f.FullText == FullTextOn || f.FullText == FullTextAuto && f.Teasers
}

// FullTextState says in a sentence what the feed's full-text setting does
// now, for the feed's details.
func (f Feed) FullTextState() msg.Message {
	switch {
	case f.FullText == FullTextOn:
		return msg.New(msg.T("Full articles: on — Newswatch reads the web page of each new story."))
	case f.FullText == FullTextOff:
		return msg.New(msg.T("Full articles: off — only what the feed carries is matched."))
	case f.LastSuccess.IsZero():
		return msg.New(msg.T("Full articles: automatic — decided when the feed is first read."))
	case f.Teasers:
		return msg.New(msg.T("Full articles: automatic, on — this feed's stories are teasers (short summaries, no article text), so Newswatch reads their web pages."))
	}
	return msg.New(msg.T("Full articles: automatic, off — this feed carries its stories' text."))
}

// Teasers are items with a summary shorter than teaserMax bytes and no
// content longer than that.
const teaserMax = 400

// areTeasers reports whether a feed body's items are teasers: at least
// half of those with a link carry no more than a short summary, and the
// body's typical summary is short.
func areTeasers(items []feed.Item) bool {
	var n, short int
	var lens []int
	for _, it := range items {
		if it.Link == "" {
			continue
		}
		n++
		text := max(len(it.Summary), len(it.Content))
		lens = append(lens, text)
		if text < teaserMax {
			short++
		}
	}
	if n == 0 {
		return false
	}
	slices.Sort(lens)
	return short*2 >= n && lens[len(lens)/2] < teaserMax
}
