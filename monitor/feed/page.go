package feed

import (
	"compress/gzip"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Limits of a page fetch (an article's web page, for its full text).
const (
	// DefaultMaxPageBytes is where a page is cut: an article's text is
	// near its start, and a page larger than this is padding or hostile.
	DefaultMaxPageBytes = 4 << 20
	// PageAccept is the Accept header of a page fetch: what browsers send.
	PageAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
)

// Page is a fetched web page, decoded to UTF-8.
type Page struct {
	Body        []byte
	ContentType string // the media type, without parameters
	FinalURL    string // where the page came from after redirects
	// Cut is set when the page was larger than the limit and only its
	// first MaxPageBytes were read.
	Cut bool
}

// msgPageLocal is a link to a local address in a feed that is not local.
var msgPageLocal = msg.T("The page is at {{.Address}}, an address on this computer or its local network, and the feed is not.")

// KindNotHTML is a page that is not an HTML document (a PDF, an image).
const KindNotHTML Kind = 100

// FetchPage gets an article's web page: http(s) only, with the fetcher's
// timeouts, redirect rules and User-Agent, a browser's Accept header and
// no cookies (the client keeps none). feedURL is the address of the feed
// that linked to it: a page on this computer or its local network is read
// only for a feed at such an address (see localnet.go), so a feed cannot
// make Newswatch read a router's page by linking to it. A body larger
// than limit bytes (0: DefaultMaxPageBytes) is cut, not refused; a body that
// is not HTML is refused (KindNotHTML) without being read.
func (f *Fetcher) FetchPage(ctx context.Context, pageURL, feedURL string, limit int64) (*Page, error) {
	u, err := url.Parse(strings.TrimSpace(pageURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return nil, errorf(KindInput, err, msg.T("“{{.Address}}” is not a web address."), "Address", pageURL)
	}
	if limit <= 0 {
		limit = DefaultMaxPageBytes
	}
	timeout := f.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	origin := u.Hostname()
	if fu, err := url.Parse(feedURL); err == nil && fu.Hostname() != "" {
		origin = fu.Hostname()
	}
	policy := newLocalPolicy(origin, f.lookup)
	if host := u.Hostname(); !strings.EqualFold(host, origin) && policy.hostIsLocal(ctx, host) && !policy.originIsLocal(ctx) {
		return nil, errorf(KindInput, nil, msgPageLocal, "Address", host)
	}
	policy.target = u.Hostname()
	ctx = context.WithValue(ctx, policyKey{}, policy)

	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, errorf(KindInput, err, msg.T("“{{.Address}}” is not a web address."), "Address", pageURL)
	}
	hr.Header.Set("User-Agent", f.UserAgent)
	hr.Header.Set("Accept", PageAccept)
	hr.Header.Set("Accept-Encoding", "gzip")
	resp, err := f.client().Do(hr)
	if err != nil {
		var fe *Error
		if errors.As(err, &fe) {
			return nil, fe
		}
		return nil, networkError(err, u, timeout)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, statusError(resp.StatusCode, resp.Status)
	}
	out := &Page{FinalURL: resp.Request.URL.String()}
	header := resp.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(header); err == nil {
		out.ContentType = strings.ToLower(mt)
	}
	if out.ContentType != "" && !isHTMLType(out.ContentType) {
		return nil, &Error{Kind: KindNotHTML, Status: resp.StatusCode,
			Text: message(msg.T("The page is not HTML but {{.Type}}."), "Type", out.ContentType)}
	}

	var body io.Reader = resp.Body
	if strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "gzip") {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, errorf(KindParse, err, msg.T("The server sent a damaged compressed response."))
		}
		defer zr.Close()
		body = zr
	}
	size := resp.ContentLength
	if body != io.Reader(resp.Body) {
		size = -1
	}
	raw, cut, err := readCut(body, limit, size)
	if err != nil && len(raw) == 0 {
		if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) {
			return nil, errorf(KindParse, err, msg.T("The server sent a damaged compressed response."))
		}
		return nil, networkError(err, u, timeout)
	}
	if err != nil {
		// Part of the page arrived before the connection failed or the
		// time ran out: its start holds the article, if anything does.
		cut = true
	}
	if out.ContentType == "" && !isHTMLType(sniffType(raw)) {
		return nil, &Error{Kind: KindNotHTML, Status: resp.StatusCode,
			Text: message(msg.T("The page is not HTML but {{.Type}}."), "Type", sniffType(raw))}
	}
	out.Cut = cut
	out.Body = HTMLToUTF8(raw, header)
	return out, nil
}

// isHTMLType reports whether a media type is an HTML document.
func isHTMLType(mt string) bool {
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// sniffType is the media type of a body without a Content-Type, as
// browsers sniff it.
func sniffType(b []byte) string {
	mt, _, _ := mime.ParseMediaType(http.DetectContentType(b))
	return mt
}

// readCut reads r up to max bytes; cut reports that there was more
// (the rest is not read). An error after some bytes arrived is returned
// with them.
func readCut(r io.Reader, limit, size int64) (b []byte, cut bool, err error) {
	buf := make([]byte, 0, min(max(size, 4096), limit+1))
	lr := io.LimitReader(r, limit+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return buf, false, err
		}
	}
	if int64(len(buf)) > limit {
		return buf[:limit], true, nil
	}
	return buf, false, nil
}

// PageTimeout is how long a page fetch may take with the default fetcher.
func (f *Fetcher) PageTimeout() time.Duration {
	if f.Timeout > 0 {
		return f.Timeout
	}
	return DefaultTimeout
}
