package feed

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// Item is one feed entry as plain text.
type Item struct {
	// Key identifies the item within its feed across fetches: "guid:" and
	// the GUID, else "link:" and the absolute link, else "hash:" and a hash
	// of title and date.
	Key        string
	Link       string // absolute http(s) link, or empty
	Title      string
	Summary    string
	Content    string
	Author     string
	Categories []string
	// Published is the item's own date (published, else updated); zero when
	// the feed gives none that can be read.
	Published time.Time
}

// Limits on the text kept per item, so one hostile feed cannot fill memory.
const (
	maxTitle    = 1000
	maxSummary  = 4000
	maxContent  = 100_000
	maxAuthor   = 300
	maxCategory = 200
	// maxCategories is the most categories an item keeps.
	maxCategories = 50
	maxItems      = 100_000
	// summaryFromContent is the length of a summary cut from the content
	// when the feed has no separate summary.
	summaryFromContent = 600
)

func normalizeItems(items []*gofeed.Item, base *url.URL) []Item {
	if len(items) > maxItems {
		items = items[:maxItems]
	}
	out := make([]Item, 0, len(items))
	seen := make(map[string]bool, len(items))
	for _, gi := range items {
		if gi == nil {
			continue
		}
		it := normalizeItem(gi, base)
		if it.Title == "" && it.Summary == "" && it.Link == "" {
			continue // nothing a user could read or open
		}
		if seen[it.Key] {
			continue // a feed listing the same item twice
		}
		seen[it.Key] = true
		out = append(out, it)
	}
	return out
}

func normalizeItem(gi *gofeed.Item, base *url.URL) Item {
	it := Item{
		Title:   cleanText(gi.Title, maxTitle),
		Summary: cleanText(gi.Description, maxSummary),
		Content: cleanText(gi.Content, maxContent),
		Author:  itemAuthor(gi),
	}
	if it.Summary == "" && it.Content != "" {
		it.Summary = truncateWords(it.Content, summaryFromContent)
	}
	if it.Content == it.Summary {
		it.Content = "" // said once is enough
	}
	if it.Title == "" && it.Summary != "" {
		it.Title = truncateWords(it.Summary, 120)
	}
	it.Link = resolveLink(base, strings.TrimSpace(gi.Link))
	if it.Link == "" {
		for _, l := range gi.Links {
			if it.Link = resolveLink(base, strings.TrimSpace(l)); it.Link != "" {
				break
			}
		}
	}
	if it.Link == "" {
		// In RSS the guid is often the permalink, and gofeed keeps only
		// its text: a web address there is the story's link.
		if g := strings.TrimSpace(gi.GUID); strings.HasPrefix(g, "http://") || strings.HasPrefix(g, "https://") {
			it.Link = resolveLink(nil, g)
		}
	}
	seenCat := map[string]bool{}
	for _, c := range gi.Categories {
		if len(it.Categories) == maxCategories {
			break
		}
		c = cleanText(c, maxCategory)
		if c != "" && !seenCat[strings.ToLower(c)] {
			seenCat[strings.ToLower(c)] = true
			it.Categories = append(it.Categories, c)
		}
	}
	it.Published = itemDate(gi)

	switch guid := strings.TrimSpace(gi.GUID); {
	case guid != "":
		it.Key = "guid:" + guid
	case it.Link != "":
		it.Key = "link:" + it.Link
	default:
		date := strings.TrimSpace(gi.Published)
		if date == "" {
			date = strings.TrimSpace(gi.Updated)
		}
		sum := sha256.Sum256([]byte(it.Title + "\x00" + date))
		it.Key = "hash:" + hex.EncodeToString(sum[:12])
	}
	return it
}

func itemAuthor(gi *gofeed.Item) string {
	var names []string
	for _, p := range gi.Authors {
		if p == nil {
			continue
		}
		n := strings.TrimSpace(p.Name)
		if n == "" {
			n = strings.TrimSpace(p.Email)
		}
		if n != "" {
			names = append(names, n)
		}
	}
	if len(names) == 0 && gi.DublinCoreExt != nil {
		names = gi.DublinCoreExt.Creator
	}
	return cleanText(strings.Join(names, ", "), maxAuthor)
}

func itemDate(gi *gofeed.Item) time.Time {
	switch {
	case gi.PublishedParsed != nil && !gi.PublishedParsed.IsZero():
		return gi.PublishedParsed.UTC()
	case gi.UpdatedParsed != nil && !gi.UpdatedParsed.IsZero():
		return gi.UpdatedParsed.UTC()
	}
	for _, s := range []string{gi.Published, gi.Updated} {
		if t, ok := parseLooseDate(s); ok {
			return t.UTC()
		}
	}
	return time.Time{}
}

// resolveLink makes link absolute against base and keeps it only if it is
// an http or https URL: nothing else may ever be opened from a feed.
func resolveLink(base *url.URL, link string) string {
	link = strings.TrimSpace(link)
	if link == "" {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	if !u.IsAbs() {
		if base == nil {
			return ""
		}
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// truncateWords cuts s to at most n bytes at a word boundary, adding "…".
func truncateWords(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		cut = n
		for cut > 0 && !utf8RuneStart(s[cut]) {
			cut--
		}
	}
	return strings.TrimRight(s[:cut], " ,;:.-") + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
