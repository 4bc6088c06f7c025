package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"regexp"
	"strings"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	"github.com/mmcdole/gofeed/rss"
	"golang.org/x/net/html"

	"codeberg.org/newswatch/newswatch/monitor/inert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Parsed is a feed turned into plain-text items.
type Parsed struct {
	Title   string
	SiteURL string // the web site the feed belongs to
	Format  string // "rss", "atom" or "json"
	Items   []Item
}

// Parse reads a UTF-8 feed body (see ToUTF8) fetched from feedURL with
// gofeed and normalizes its items. Relative links resolve against the
// feed's own site link, else against feedURL.
func Parse(body []byte, feedURL string) (*Parsed, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, errorf(KindNotFeed, nil, msg.T("The server sent an empty response instead of a feed."))
	}
	gf, release, err := parseGofeed(body)
	defer func() { release() }()
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		// The root element may start after leading junk (comments, a
		// broken declaration, a long stylesheet) beyond gofeed's window.
		if trimmed, root := fromRoot(body); root != "" {
			release()
			gf, release, err = parseGofeed(trimmed)
			if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
				// It looks like a feed but gofeed cannot even find its
				// root: ask the format's own parser what is wrong.
				err = rootError(trimmed, root)
			}
		}
	}
	if err != nil {
		var refused *Error // by the structure guard
		if errors.As(err, &refused) {
			return nil, refused
		}
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			return nil, notAFeed(body, feedURL)
		}
		if isJSON(body) && !isJSONFeed(body) {
			return nil, errorf(KindNotFeed, err, msg.T("The address returns JSON data, not a JSON Feed."))
		}
		return nil, errorf(KindParse, err, msg.T("The feed is broken and cannot be read ({{.Reason}})."), "Reason", strings.TrimSuffix(err.Error(), "."))
	}
	if gf.FeedType == "json" && !isJSONFeed(body) {
		return nil, errorf(KindNotFeed, nil, msg.T("The address returns JSON data, not a JSON Feed."))
	}
	// The feed's title names it in every story: as short as a name.
	p := &Parsed{Title: cleanText(gf.Title, inert.MaxName), Format: gf.FeedType}
	base, _ := url.Parse(feedURL)
	if gf.Link != "" {
		if site := resolveLink(base, gf.Link); site != "" {
			p.SiteURL = site
			base, _ = url.Parse(site)
		}
	}
	if base != nil && base.Scheme == "file" {
		base = nil
	}
	p.Items = normalizeItems(gf.Items, base)
	return p, nil
}

// parseGofeed parses body with gofeed, once the structure guard has
// passed it (see checkShape). Like gofeed, it first detects the format
// from the body's first bytes: only a body gofeed would read is guarded
// (a web page's unclosed tags are not its nesting).
//
// It takes its share of parseMemory first and returns the function that
// gives it back, to be called once the result is normalized.
func parseGofeed(body []byte) (*gofeed.Feed, func(), error) {
	if gofeed.DetectFeedType(bytes.NewReader(body[:min(len(body), detectWindow)])) == gofeed.FeedTypeUnknown {
		return nil, func() {}, gofeed.ErrFeedTypeNotDetected
	}
	sh, err := checkShape(body)
	if err != nil {
		return nil, func() {}, err
	}
	release := parseMemory.acquire(parseCost(sh, len(body)))
	// A parser per call: gofeed's parsers keep state while parsing.
	gf, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	return gf, release, err
}

// detectWindow is how much of a body gofeed looks at to detect its format.
const detectWindow = 4096

// isJSONFeed reports whether the top-level "version" names jsonfeed.org,
// wherever the key stands in the document.
func isJSONFeed(body []byte) bool {
	var v struct {
		Version string `json:"version"`
	}
	return json.Unmarshal(body, &v) == nil && strings.Contains(v.Version, "jsonfeed.org")
}

// feedRoot finds the start tag of a feed's root element.
var feedRoot = regexp.MustCompile(`(?i)<(rss|rdf:rdf|feed)[\s/>]`)

// fromRoot cuts everything before the feed's root element and names it.
func fromRoot(body []byte) ([]byte, string) {
	loc := feedRoot.FindSubmatchIndex(body[:min(len(body), 1<<20)])
	if loc == nil {
		return nil, ""
	}
	return body[loc[0]:], strings.ToLower(string(body[loc[2]:loc[3]]))
}

// rootError returns the XML error that keeps a feed-like document from
// being read.
func rootError(body []byte, root string) error {
	sh, err := checkShape(body)
	if err != nil {
		return err
	}
	defer parseMemory.acquire(parseCost(sh, len(body)))()
	if root == "feed" {
		_, err = (&atom.Parser{}).Parse(bytes.NewReader(body))
	} else {
		_, err = (&rss.Parser{}).Parse(bytes.NewReader(body))
	}
	if err == nil {
		return gofeed.ErrFeedTypeNotDetected
	}
	return err
}

// notAFeed explains a body that is not a feed; for an HTML page it lists
// the feeds the page advertises.
func notAFeed(body []byte, pageURL string) *Error {
	head := bytes.ToLower(bytes.TrimSpace(body[:min(len(body), 4096)]))
	if !bytes.Contains(head, []byte("<html")) && !bytes.HasPrefix(head, []byte("<!doctype html")) {
		return errorf(KindNotFeed, nil, msg.T("The address does not return a feed (neither RSS, Atom nor JSON Feed)."))
	}
	alts := feedLinks(body, pageURL)
	e := errorf(KindNotFeed, nil, msg.T("The address returns a web page, not a feed."))
	if len(alts) > 0 {
		e.Alternates = alts
		e.Text = message(msg.T("The address returns a web page, not a feed; the page names its feed at {{.Address}}."), "Address", alts[0])
	}
	return e
}

// feedLinks returns the feeds an HTML page advertises with
// <link rel="alternate" type="application/rss+xml" href="...">.
func feedLinks(page []byte, pageURL string) []string {
	base, _ := url.Parse(pageURL)
	z := html.NewTokenizer(bytes.NewReader(page))
	var out []string
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) == "body" {
				return out
			}
			if string(name) != "link" || !hasAttr {
				continue
			}
			var rel, typ, href string
			for {
				k, v, more := z.TagAttr()
				switch string(k) {
				case "rel":
					rel = strings.ToLower(string(v))
				case "type":
					typ = strings.ToLower(string(v))
				case "href":
					href = string(v)
				}
				if !more {
					break
				}
			}
			if strings.Contains(rel, "alternate") && href != "" &&
				(strings.Contains(typ, "rss") || strings.Contains(typ, "atom") || strings.Contains(typ, "feed+json")) {
				if u := resolveLink(base, href); u != "" {
					out = append(out, u)
				}
			}
		}
	}
}
