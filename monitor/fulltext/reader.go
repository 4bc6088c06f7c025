// Package fulltext reads the full text of articles whose feeds carry only
// a teaser: it fetches the article's web page with the feed fetcher's
// rules (http(s) only, timeouts, redirects, local addresses, no cookies,
// a browser's Accept header and Newswatch's User-Agent; pages over
// feed.DefaultMaxPageBytes are cut), decodes its charset as browsers do,
// and extracts the article's text with go-readability (a port of
// Mozilla's Readability) as plain text, never HTML.
//
// A page that gives no text — an error, a paywall, a page that is not
// HTML — gives a Miss instead: a few words saying why, which the engine
// counts into one sentence per feed (Summary). The engine decides which
// pages to read, and when; matching and storing the text is its job too.
package fulltext

import (
	"context"

	"codeberg.org/newswatch/newswatch/monitor/feed"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Result is what reading one article's page gave.
type Result struct {
	Text string // the article's text; "" when Miss says why not
	// Cut is set when the page was larger than the limit and only its
	// start was read.
	Cut  bool
	Miss msg.Message
}

// Reader reads article pages. Extraction is CPU- and memory-bound, so at
// most Extractors pages are turned into text at once, however many are
// fetched.
type Reader struct {
	Fetcher  *feed.Fetcher
	MaxBytes int64 // where a page is cut; 0: feed.DefaultMaxPageBytes
	slots    chan struct{}
}

// NewReader returns a reader fetching with f that extracts at most
// extractors pages at once (at least 1).
func NewReader(f *feed.Fetcher, extractors int) *Reader {
	return &Reader{Fetcher: f, slots: make(chan struct{}, max(extractors, 1))}
}

// Limit is where a page is cut, in bytes.
func (r *Reader) Limit() int64 {
	if r.MaxBytes > 0 {
		return r.MaxBytes
	}
	return feed.DefaultMaxPageBytes
}

// Read fetches the page at link, which the feed at feedURL lists, and
// extracts its text; teaser is what the feed said of the article. A panic
// in the extractor is a Miss, not a crash.
func (r *Reader) Read(ctx context.Context, link, feedURL, teaser string) (res Result) {
	page, err := r.Fetcher.FetchPage(ctx, link, feedURL, r.MaxBytes)
	if err != nil {
		return Result{Miss: feed.PageMiss(err, r.Fetcher.PageTimeout())}
	}
	select {
	case r.slots <- struct{}{}:
	case <-ctx.Done():
		return Result{Miss: msg.New(msgStopped)}
	}
	defer func() { <-r.slots }()
	defer func() {
		if v := recover(); v != nil {
			res = Result{Miss: msg.New(msgExtractorFailed, "Reason", errPanic{v}.Error())}
		}
	}()
	res.Cut = page.Cut
	res.Text, res.Miss = Extract(page.Body, page.FinalURL, teaser)
	return res
}

var (
	msgStopped         = msg.T("Newswatch stopped before the page was read")
	msgExtractorFailed = msg.T("the page's text could not be extracted ({{.Reason}})")
)
