// Package feed fetches news feeds over HTTP (or from local files), decodes
// their charset, parses them with gofeed and turns their items into plain
// text articles.
//
// The fetch is polite and bounded: conditional GET with the validators of the
// last fetch, gzip, connect and total timeouts, a size cap on the decoded
// body, at most five redirects to http(s) only, and Retry-After honoured.
// Every failure is an *Error whose message is one sentence a user can act on.
package feed

import (
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Defaults for a Fetcher.
const (
	DefaultMaxBytes       = 16 << 20
	DefaultTimeout        = 60 * time.Second
	DefaultConnectTimeout = 15 * time.Second
	MaxRedirects          = 5
	maxRetryAfter         = 24 * time.Hour
)

// Request is what the fetcher needs to know about a feed.
type Request struct {
	URL          string
	ETag         string // validators from the last successful fetch
	LastModified string
}

// Response is a fetched feed body, or a note that it did not change.
type Response struct {
	NotModified  bool
	Body         []byte // decoded to UTF-8 when NotModified is false
	ContentType  string
	ETag         string
	LastModified string
	// FinalURL is where the body came from after redirects.
	FinalURL string
	// MovedTo is set when every redirect on the way was permanent (301/308):
	// the feed's stored address should change to it.
	MovedTo string
	// WireBytes counts the bytes received (compressed, as transferred).
	WireBytes int64
}

// Fetcher fetches feeds. Its zero value is not usable; use NewFetcher.
type Fetcher struct {
	Client    *http.Client
	UserAgent string
	MaxBytes  int64
	Timeout   time.Duration // total time for one fetch, body included
	// Now is the clock used to turn Retry-After into a time.
	Now func() time.Time
	// lookup resolves host names for the local address rule (see
	// localnet.go); nil: the system's resolver. Tests set it.
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)
}

// NewClient returns an HTTP client with the connect, TLS and header timeouts
// a feed reader needs. The total timeout is applied per request by the
// Fetcher, so a trickling body cannot hold a fetch forever. It connects
// to a local address through a redirect only as localnet.go allows.
func NewClient() *http.Client {
	dialer := &net.Dialer{Timeout: DefaultConnectTimeout, KeepAlive: 30 * time.Second, ControlContext: dialGuard}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialContext(dialer),
		TLSHandshakeTimeout:   DefaultConnectTimeout,
		ResponseHeaderTimeout: 30 * time.Second,
		ExpectContinueTimeout: time.Second,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
		// We ask for gzip ourselves to count wire bytes and cap the
		// decoded size.
		DisableCompression: true,
	}
	return &http.Client{Transport: tr}
}

// NewFetcher returns a fetcher with default limits using client (NewClient
// when nil) and userAgent.
func NewFetcher(client *http.Client, userAgent string) *Fetcher {
	if client == nil {
		client = NewClient()
	}
	return &Fetcher{Client: client, UserAgent: userAgent, MaxBytes: DefaultMaxBytes,
		Timeout: DefaultTimeout, Now: time.Now}
}

// Fetch gets the feed at req.URL: an http(s) URL, a file:// URL or a path.
func (f *Fetcher) Fetch(ctx context.Context, req Request) (*Response, error) {
	u, err := ParseAddress(req.URL)
	if err != nil {
		return nil, err
	}
	if u.Scheme == "file" {
		return f.fetchFile(u, req)
	}
	return f.fetchHTTP(ctx, u, req)
}

// ParseAddress checks that s is an address Newswatch can fetch: an absolute
// http or https URL, a file:// URL, or an absolute file path (on Windows
// C:\feeds\news.xml or \\server\share\news.xml; see localpath_windows.go).
func ParseAddress(s string) (*url.URL, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errorf(KindInput, nil, msg.T("The feed address is empty."))
	}
	if u, ok := pathURL(s); ok {
		return u, nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, errorf(KindInput, err, msg.T("“{{.Address}}” is not a valid address."), "Address", s)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" || u.Hostname() == "" {
			return nil, errorf(KindInput, nil, msg.T("“{{.Address}}” has no server name."), "Address", s)
		}
		u.Scheme = strings.ToLower(u.Scheme)
		return u, nil
	case "file":
		f, ok := localFileURL(u)
		if !ok {
			return nil, errorf(KindInput, nil, msg.T("“{{.Address}}” is not a local file address (use file:///path/to/feed.xml)."), "Address", s)
		}
		return f, nil
	case "":
		return nil, errorf(KindInput, nil, msg.T("“{{.Address}}” is not a full address; it needs http:// or https:// in front."), "Address", s)
	}
	return nil, errorf(KindInput, nil, msg.T("“{{.Address}}” uses {{.Scheme}}:, which Newswatch does not fetch; use http, https or a local file."), "Address", s, "Scheme", u.Scheme)
}

// Redirects a fetch does not follow.
var (
	msgRedirectNotWeb   = msg.T("The server redirected to “{{.Address}}”, which is not a web address.")
	msgTooManyRedirects = msg.T("The feed address redirects more than {{.Max}} times.")
)

type redirectTrace struct {
	permanent bool // every hop so far was 301 or 308
	hops      int
}

type traceKey struct{}

func (f *Fetcher) client() *http.Client {
	c := *f.Client
	c.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		if len(via) > MaxRedirects {
			return errorf(KindHTTP, nil, msgTooManyRedirects, "Max", MaxRedirects)
		}
		if r.URL.Scheme != "http" && r.URL.Scheme != "https" {
			return errorf(KindHTTP, nil, msgRedirectNotWeb, "Address", r.URL.String())
		}
		if p := policyFrom(r.Context()); p != nil {
			if err := p.redirect(r.Context(), r.URL.Hostname()); err != nil {
				return err
			}
		}
		if t, ok := r.Context().Value(traceKey{}).(*redirectTrace); ok && r.Response != nil {
			t.hops++
			if code := r.Response.StatusCode; code != http.StatusMovedPermanently && code != http.StatusPermanentRedirect {
				t.permanent = false
			}
		}
		return nil
	}
	return &c
}

func (f *Fetcher) fetchHTTP(ctx context.Context, u *url.URL, req Request) (*Response, error) {
	timeout := f.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	trace := &redirectTrace{permanent: true}
	ctx = context.WithValue(ctx, traceKey{}, trace)
	ctx = context.WithValue(ctx, policyKey{}, newLocalPolicy(u.Hostname(), f.lookup))

	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, errorf(KindInput, err, msg.T("“{{.Address}}” is not a valid address."), "Address", req.URL)
	}
	hr.Header.Set("User-Agent", f.UserAgent)
	hr.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5")
	hr.Header.Set("Accept-Encoding", "gzip")
	if req.ETag != "" {
		hr.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hr.Header.Set("If-Modified-Since", req.LastModified)
	}
	resp, err := f.client().Do(hr)
	if err != nil {
		var fe *Error
		if errors.As(err, &fe) {
			return nil, fe
		}
		return nil, networkError(err, u, timeout)
	}
	defer resp.Body.Close()

	out := &Response{
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		FinalURL:     resp.Request.URL.String(),
	}
	if trace.hops > 0 && trace.permanent {
		out.MovedTo = out.FinalURL
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		if out.ETag == "" {
			out.ETag = req.ETag
		}
		if out.LastModified == "" {
			out.LastModified = req.LastModified
		}
		return out, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		e := statusError(resp.StatusCode, resp.Status)
		if e.Kind == KindThrottle {
			if at, ok := parseRetryAfter(resp.Header.Get("Retry-After"), f.now()); ok {
				e.RetryAt = at
				until := at.Local().Format("2006-01-02 15:04")
				if resp.StatusCode == http.StatusTooManyRequests {
					e.Text = message(msg.T("The server asked Newswatch to slow down (429 Too Many Requests) and to wait until {{.Until}}."), "Until", until)
				} else {
					e.Text = message(msg.T("The server is temporarily unavailable (503 Service Unavailable) and asked to wait until {{.Until}}."), "Until", until)
				}
			}
		}
		return nil, e
	}

	counter := &countingReader{r: resp.Body}
	var body io.Reader = counter
	if strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "gzip") {
		zr, err := gzip.NewReader(counter)
		if err != nil {
			return nil, errorf(KindParse, err, msg.T("The server sent a damaged compressed response."))
		}
		defer zr.Close()
		body = zr
	}
	size := resp.ContentLength
	if body != io.Reader(counter) {
		size = -1 // compressed: the length is the wire's
	}
	raw, err := readCapped(body, f.maxBytes(), size)
	out.WireBytes = counter.n
	if err != nil {
		var fe *Error
		if errors.As(err, &fe) {
			return nil, fe
		}
		if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) {
			return nil, errorf(KindParse, err, msg.T("The server sent a damaged compressed response."))
		}
		return nil, networkError(err, u, timeout)
	}
	out.Body = ToUTF8(raw, out.ContentType)
	return out, nil
}

func (f *Fetcher) maxBytes() int64 {
	if f.MaxBytes > 0 {
		return f.MaxBytes
	}
	return DefaultMaxBytes
}

func (f *Fetcher) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// readCapped reads r to the end, refusing more than max bytes. size,
// when known (a Content-Length, a file's size), sizes the buffer at once;
// otherwise it grows as append grows slices (by a quarter, for large
// ones), not by doubling: many large bodies at once are a cycle's peak.
func readCapped(r io.Reader, limit, size int64) ([]byte, error) {
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
			return nil, err
		}
	}
	if int64(len(buf)) > limit {
		return nil, errorf(KindTooLarge, nil, msg.T("The feed is larger than {{.MB}} MB; Newswatch stopped reading it."), "MB", limit>>20)
	}
	return buf, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// parseRetryAfter reads a Retry-After header: delay seconds or an HTTP date.
// The wait is capped at a day.
func parseRetryAfter(v string, now time.Time) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	var at time.Time
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return time.Time{}, false
		}
		if secs > int64(maxRetryAfter/time.Second) {
			secs = int64(maxRetryAfter / time.Second)
		}
		at = now.Add(time.Duration(secs) * time.Second)
	} else if t, err := http.ParseTime(v); err == nil {
		at = t
	} else {
		return time.Time{}, false
	}
	if at.Before(now) {
		return time.Time{}, false
	}
	if at.After(now.Add(maxRetryAfter)) {
		at = now.Add(maxRetryAfter)
	}
	return at, true
}
