// Package inert makes text that comes from outside — feeds, web servers,
// OPML files — safe to show: it drops control characters (so no escape
// sequence reaches a terminal), and the invisible format characters that
// reorder or hide text (bidi overrides, embeddings and isolates, zero-width
// spaces, tag characters); for notification daemons that read markup, it
// escapes the markup.
//
// Kept are the soft hyphen, which German news use to hyphenate long
// compounds and which shows at most as a hyphen, and the zero-width joiner
// and non-joiner between two visible characters, where they change how a
// word is written (Persian, Indic scripts) or join an emoji sequence;
// anywhere else they hide nothing and are dropped.
package inert

import (
	"runtime"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxName is the most bytes a name (of a feed) keeps: names are copied into
// every story of the feed and shown on one line.
const MaxName = 300

const (
	zwnj = '\u200c'
	zwj  = '\u200d'
	shy  = '\u00ad'
)

// Dropped reports whether r never appears in text shown to people: a
// control character that is not white space, or an invisible format
// character (Unicode category Cf) other than the soft hyphen and the
// joiners (see Joiner).
func Dropped(r rune) bool {
	switch {
	case r < 0x20:
		return r != '\t' && r != '\n' && r != '\r' && r != '\v' && r != '\f'
	case r < 0x7f:
		return false
	case r <= 0x9f: // DEL and the C1 controls (0x85, NEL, is white space)
		return r != 0x85
	case r == shy || r == zwj || r == zwnj:
		return false
	}
	return unicode.Is(unicode.Cf, r)
}

// Joiner reports whether r is the zero-width joiner or non-joiner, which
// are kept only between two visible characters.
func Joiner(r rune) bool { return r == zwj || r == zwnj }

// Visible reports whether r shows as something: not white space, not
// dropped, not a joiner.
func Visible(r rune) bool {
	return !unicode.IsSpace(r) && !Dropped(r) && !Joiner(r) && r != utf8.RuneError
}

// KeepJoiner reports whether a joiner between the text before it (ending
// in prev, or utf8.RuneError when none) and rest (the text after it) is
// kept: only between two visible characters.
func KeepJoiner(prev rune, rest string) bool {
	next, _ := utf8.DecodeRuneInString(rest)
	return Visible(prev) && Visible(next)
}

// Text returns s as one line that is safe to show: white space controls
// (tab, newline, ...) become spaces, other controls and invisible format
// characters are dropped, invalid UTF-8 becomes U+FFFD. Spaces are not
// collapsed.
func Text(s string) string { return text(s, true) }

// Strip is Text that keeps white space as it is (tabs, newlines), for
// files that hold it: exports.
func Strip(s string) string { return text(s, false) }

func text(s string, oneLine bool) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	prev := utf8.RuneError
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case unicode.IsSpace(r):
			if oneLine {
				r = ' '
			}
		case Dropped(r):
			continue
		case Joiner(r) && !KeepJoiner(prev, s[i:]):
			continue
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// clean reports whether Text would return s unchanged.
func clean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || unicode.IsSpace(r) || Dropped(r) || Joiner(r) {
			return false
		}
		i += size
	}
	return true
}

// Name returns s cleaned like Text, with runs of spaces collapsed, trimmed
// and cut to at most MaxName bytes (ending in "…" when cut): for the
// names of feeds, wherever they come from.
func Name(s string) string {
	s = strings.Join(strings.Fields(Text(s)), " ")
	return Cut(s, MaxName)
}

// Cut shortens s to at most max bytes, at a character boundary and
// preferably after a word, ending in "…" when it was cut.
func Cut(s string, max int) string {
	if len(s) <= max {
		return s
	}
	const ellipsis = "…"
	n := max - len(ellipsis)
	if n <= 0 {
		return ""
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	if sp := strings.LastIndexByte(s[:n], ' '); sp > n*3/4 {
		n = sp
	}
	return strings.TrimRight(s[:n], " ") + ellipsis
}

var markup = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// notifyMarkup says whether desktop notifications go to a freedesktop
// notification daemon, which reads their body as markup.
var notifyMarkup = map[string]bool{"linux": true, "freebsd": true, "openbsd": true, "netbsd": true, "dragonfly": true}[runtime.GOOS]

// Notification returns a desktop notification's summary and body as they
// are to be sent: cleaned like Text, and where notifications go to a
// freedesktop notification daemon (Linux, the BSDs), the body's markup
// escaped. Those daemons (dunst, GNOME Shell, Plasma) read the body as
// markup, where <a href="javascript:…"> is a link one can open, and show
// the summary as plain text, where an escaped "&amp;" would show as such.
func Notification(summary, body string) (string, string) {
	return NotificationFor(notifyMarkup, summary, body)
}

// NotificationFor is Notification for a daemon that is known to read the
// body as markup (it says so among its capabilities: "body-markup"), or
// not: then the body is sent as text, as it would be shown.
func NotificationFor(markupBody bool, summary, body string) (string, string) {
	summary, body = Text(summary), Text(body)
	if markupBody {
		body = markup.Replace(body)
	}
	return summary, body
}
