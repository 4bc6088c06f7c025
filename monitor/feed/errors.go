package feed

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"syscall"
	"time"
)

// Kind classifies why a feed could not be checked.
type Kind int

// The kinds of failure a feed can have.
const (
	KindNetwork  Kind = iota // DNS, connection, TLS, reset, timeout
	KindHTTP                 // the server answered with an error status
	KindGone                 // 410: stop polling until the user acts
	KindThrottle             // 429/503: the server asked us to wait
	KindTooLarge             // the body exceeded the size cap
	KindNotFeed              // the body is not a feed (HTML page, empty, ...)
	KindParse                // the feed is broken beyond repair
	KindFile                 // a local feed file could not be read
	KindInput                // the address itself is not usable
)

// Error is a failed fetch or parse, told as one sentence a user can act on.
type Error struct {
	Kind Kind
	// Msg is the readable sentence, ending with a full stop.
	Msg string
	// RetryAt is set when the server asked us not to come back before it.
	RetryAt time.Time
	// Alternates are feed URLs an HTML page advertises.
	Alternates []string
	// Status is the HTTP status code, when there was one.
	Status int
	Err    error
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Err }

func errorf(kind Kind, err error, format string, args ...any) *Error {
	return &Error{Kind: kind, Err: err, Msg: fmt.Sprintf(format, args...)}
}

// networkError turns a transport error into one readable sentence.
func networkError(err error, u *url.URL, timeout time.Duration) *Error {
	host := u.Hostname()
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var (
		unknownCA x509.UnknownAuthorityError
		badHost   x509.HostnameError
		badCert   x509.CertificateInvalidError
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return errorf(KindNetwork, err, "The server %s did not deliver the feed within %s.", host, roundDuration(timeout))
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return errorf(KindNetwork, err, "The server name %s could not be found.", host)
		}
		return errorf(KindNetwork, err, "The server name %s could not be looked up (%s).", host, dnsErr.Err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return errorf(KindNetwork, err, "The server %s refused the connection.", host)
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE):
		return errorf(KindNetwork, err, "The server %s closed the connection before the feed was complete.", host)
	case errors.As(err, &unknownCA), errors.As(err, &badHost), errors.As(err, &badCert):
		return errorf(KindNetwork, err, "The server %s presented a certificate that cannot be trusted.", host)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errorf(KindNetwork, err, "The server %s closed the connection before the feed was complete.", host)
	case errors.As(err, &opErr):
		return errorf(KindNetwork, err, "The server %s could not be reached (%s).", host, opErr.Err)
	}
	return errorf(KindNetwork, err, "The feed could not be fetched from %s (%v).", host, err)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded)
}

func roundDuration(d time.Duration) string {
	unit, n := "second", int(d.Round(time.Second)/time.Second)
	if d >= time.Minute && d%time.Minute == 0 {
		unit, n = "minute", int(d/time.Minute)
	}
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s", n, unit)
}

// statusError explains an HTTP error status.
func statusError(code int, status string) *Error {
	e := &Error{Kind: KindHTTP, Status: code}
	switch {
	case code == 404:
		e.Msg = "The server says there is no feed at this address (404 Not Found)."
	case code == 410:
		e.Kind = KindGone
		e.Msg = "The server says this feed is gone for good (410 Gone); it is no longer checked until you re-enable it."
	case code == 401 || code == 403:
		e.Msg = fmt.Sprintf("The server refused access to the feed (%s).", status)
	case code == 429:
		e.Kind = KindThrottle
		e.Msg = "The server asked Newswatch to slow down (429 Too Many Requests)."
	case code == 503:
		e.Kind = KindThrottle
		e.Msg = "The server is temporarily unavailable (503 Service Unavailable)."
	case code >= 500:
		e.Msg = fmt.Sprintf("The server had an internal problem (%s).", status)
	default:
		e.Msg = fmt.Sprintf("The server answered %s instead of the feed.", status)
	}
	return e
}
