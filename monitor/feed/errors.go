package feed

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/url"
	"os"
	"syscall"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/inert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
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
	// Text is the readable sentence, ending with a full stop.
	Text msg.Message
	// RetryAt is set when the server asked us not to come back before it.
	RetryAt time.Time
	// Alternates are feed URLs an HTML page advertises.
	Alternates []string
	// Status is the HTTP status code, when there was one.
	Status int
	Err    error
}

func (e *Error) Error() string { return e.Text.String() }
func (e *Error) Unwrap() error { return e.Err }

// Message is the error's translatable message.
func (e *Error) Message() msg.Message { return e.Text }

// errorf makes an error from a message template (declared with msg.T) and
// its name/value pairs.
func errorf(kind Kind, err error, tmpl string, kv ...any) *Error {
	return &Error{Kind: kind, Err: err, Text: message(tmpl, kv...)}
}

// maxValue is the most bytes of a text value an error message keeps.
const maxValue = 300

// message makes a message from a template and its name/value pairs. Text
// values are made inert and cut short: they may come from the server (a
// reason phrase, an address it redirects to) or from the feed (a parser's
// complaint that quotes it), and the message is shown and stored.
func message(tmpl string, kv ...any) msg.Message {
	for i := 1; i < len(kv); i += 2 {
		if s, ok := kv[i].(string); ok {
			kv[i] = inert.Cut(inert.Text(s), maxValue)
		}
	}
	return msg.New(tmpl, kv...)
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
		return errorf(KindNetwork, err, msg.T("The server {{.Host}} did not deliver the feed within {{.Seconds}} seconds."), "Host", host, "Seconds", int(timeout.Round(time.Second)/time.Second))
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return errorf(KindNetwork, err, msg.T("The server name {{.Host}} could not be found."), "Host", host)
		}
		return errorf(KindNetwork, err, msg.T("The server name {{.Host}} could not be looked up ({{.Reason}})."), "Host", host, "Reason", dnsErr.Err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return errorf(KindNetwork, err, msg.T("The server {{.Host}} refused the connection."), "Host", host)
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE):
		return errorf(KindNetwork, err, msg.T("The server {{.Host}} closed the connection before the feed was complete."), "Host", host)
	case errors.As(err, &unknownCA), errors.As(err, &badHost), errors.As(err, &badCert):
		return errorf(KindNetwork, err, msg.T("The server {{.Host}} presented a certificate that cannot be trusted."), "Host", host)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errorf(KindNetwork, err, msg.T("The server {{.Host}} closed the connection before the feed was complete."), "Host", host)
	case errors.As(err, &opErr):
		return errorf(KindNetwork, err, msg.T("The server {{.Host}} could not be reached ({{.Reason}})."), "Host", host, "Reason", opErr.Err.Error())
	}
	return errorf(KindNetwork, err, msg.T("The feed could not be fetched from {{.Host}} ({{.Reason}})."), "Host", host, "Reason", err.Error())
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded)
}

// statusError explains an HTTP error status.
func statusError(code int, status string) *Error {
	e := &Error{Kind: KindHTTP, Status: code}
	switch {
	case code == 404:
		e.Text = message(msg.T("The server says there is no feed at this address (404 Not Found)."))
	case code == 410:
		e.Kind = KindGone
		e.Text = message(msg.T("The server says this feed is gone for good (410 Gone); it is no longer checked until you re-enable it."))
	case code == 401 || code == 403:
		e.Text = message(msg.T("The server refused access to the feed ({{.Status}})."), "Status", status)
	case code == 429:
		e.Kind = KindThrottle
		e.Text = message(msg.T("The server asked Newswatch to slow down (429 Too Many Requests)."))
	case code == 503:
		e.Kind = KindThrottle
		e.Text = message(msg.T("The server is temporarily unavailable (503 Service Unavailable)."))
	case code >= 500:
		e.Text = message(msg.T("The server had an internal problem ({{.Status}})."), "Status", status)
	default:
		e.Text = message(msg.T("The server answered {{.Status}} instead of the feed."), "Status", status)
	}
	return e
}
