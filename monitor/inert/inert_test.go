package inert

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Ukraine: Gespräche in Genf", "Ukraine: Gespräche in Genf"},
		{"terminal escape", "Title\x1b]0;pwned\x07\x1b[2J end", "Title]0;pwned[2J end"},
		{"C1 CSI and DEL", "a\u009b31mb\x7fc", "a31mbc"},
		{"whitespace controls", "one\ttwo\nthree\r\nfour", "one two three  four"},
		{"bidi override", "evil\u202egnp.exe", "evilgnp.exe"},
		{"bidi isolates and marks", "\u2066a\u2067b\u2068c\u2069\u200e\u200f\u061c", "abc"},
		{"embeddings", "\u202ax\u202by\u202cz\u202d", "xyz"},
		{"zero width and tags", "in\u200bvis\u2060ible\ufeff\U000E0041\U000E007F", "invisible"},
		{"soft hyphen kept", "Außen\u00administer", "Außen\u00administer"},
		{"ZWNJ inside a word kept", "می\u200cخواهم", "می\u200cخواهم"},
		{"ZWJ emoji sequence kept", "👩\u200d💻", "👩\u200d💻"},
		{"joiner at the edges dropped", "\u200dword\u200c", "word"},
		{"joiner next to a space dropped", "a \u200d b", "a  b"},
		{"invalid UTF-8", "caf\xe9", "caf\ufffd"},
		{"NEL is a space", "a\u0085b", "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Text(tt.in)
			if got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if Text(got) != got {
				t.Errorf("Text is not idempotent on %q", got)
			}
		})
	}
}

func TestNameIsCleanedAndCapped(t *testing.T) {
	if got := Name("  Tages\u202eschau \n\t Nachrichten  "); got != "Tagesschau Nachrichten" {
		t.Errorf("Name = %q", got)
	}
	long := strings.Repeat("Nachrichten aus Österreich ", 100)
	got := Name(long)
	if len(got) > MaxName || !strings.HasSuffix(got, "…") || !utf8.ValidString(got) {
		t.Errorf("Name of %d bytes = %q (%d bytes)", len(long), got, len(got))
	}
	ü := strings.Repeat("ü", 400) // no spaces: cut at a character boundary
	if got := Name(ü); len(got) > MaxName || !utf8.ValidString(got) {
		t.Errorf("Name cut inside a character: %q", got)
	}
}

// TestNotification: the body of a notification is escaped for the markup
// a freedesktop notification daemon reads; the summary, which it shows as
// plain text, is only cleaned.
func TestNotification(t *testing.T) {
	title := `Ukraine — <a href="javascript:alert(1)">Klick</a> & mehr` + "\x1b[2J"
	summary, body := Notification(title, title)
	if summary != `Ukraine — <a href="javascript:alert(1)">Klick</a> & mehr[2J` {
		t.Errorf("summary = %q", summary)
	}
	want := summary
	if notifyMarkup {
		want = `Ukraine — &lt;a href="javascript:alert(1)"&gt;Klick&lt;/a&gt; &amp; mehr[2J`
	}
	if body != want {
		t.Errorf("body = %q, want %q", body, want)
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"a\x1b[31mb", "\u202eabc", "x\u200dy", "caf\xe9", "\u0085\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 from %q", s)
		}
		prev := utf8.RuneError
		for i, r := range out {
			if Dropped(r) || r < 0x20 || r == 0x7f || (Joiner(r) && !KeepJoiner(prev, out[i+utf8.RuneLen(r):])) {
				t.Fatalf("Text(%q) = %q keeps %U", s, out, r)
			}
			prev = r
		}
		if Text(out) != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, out, Text(out))
		}
	})
}

// TestNotificationFor: the body is escaped for a daemon that reads markup
// and sent as text to one that does not (which would show "&lt;").
func TestNotificationFor(t *testing.T) {
	title := `Ukraine <b>heute</b> & mehr` + "\x07"
	if _, body := NotificationFor(true, title, title); body != `Ukraine &lt;b&gt;heute&lt;/b&gt; &amp; mehr` {
		t.Errorf("for markup: %q", body)
	}
	if _, body := NotificationFor(false, title, title); body != `Ukraine <b>heute</b> & mehr` {
		t.Errorf("for text: %q", body)
	}
}
