package feed

import (
	"testing"
	"time"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain   text\n\twith  spaces ", "plain text with spaces"},
		{"<p>Erster</p><p>Zweiter</p>", "Erster Zweiter"},
		{"Zeile<br>neue<br/>Zeile", "Zeile neue Zeile"},
		{"<b>fett</b>und<i>kursiv</i>", "fettundkursiv"},
		{"A &amp; B &lt;C&gt; &quot;D&quot; &#8222;E&#8220; &nbsp;F", `A & B <C> "D" „E“ F`},
		{"<script>alert('x')</script>Text<style>p{}</style>", "Text"},
		{"<img src=x onerror=alert(1)>Bild", "Bild"},
		{"a < b and c > d", "a < b and c > d"},
		{"<ul><li>eins</li><li>zwei</li></ul>", "eins zwei"},
		{"Außen\u00administer", "Außen\u00administer"},
		{"Titel\x1b]0;x\x07\x1b[2J Ende", "Titel]0;x[2J Ende"},
		{"Titel&#27;[31mrot&#x9b;0m", "Titel[31mrot›0m"},
		{"a\x7fb\x01c", "abc"},
		{"Ein \u202egnp.exe\u202c Trick \u2066x\u2069", "Ein gnp.exe Trick x"},
		{"un\u200bsicht\u2060bar\U000E0041", "unsichtbar"},
		{"می\u200cخواهم \u200c", "می\u200cخواهم"},
		{"<a href=\"https://x\">Link</a> &amp;amp; mehr", "Link &amp; mehr"},
		{"<p>unclosed <b>tags", "unclosed tags"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := HTMLToText(tt.in); got != tt.want {
			t.Errorf("HTMLToText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLooseDates(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"mer, 16 nov 2022 00:38:15 +0100", time.Date(2022, 11, 15, 23, 38, 15, 0, time.UTC)},
		{"Sex, 03 Jan 2025 23:47:02 -0300", time.Date(2025, 1, 4, 2, 47, 2, 0, time.UTC)},
		{"Mi, 25 Nov 2026 10:00:00 +0100", time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)},
		{"Dienstag, 3. März 2026 08:00:00", time.Date(2026, 3, 3, 8, 0, 0, 0, time.UTC)},
		{"22.11.2022 12:16:00", time.Date(2022, 11, 22, 12, 16, 0, 0, time.UTC)},
		{"2020/1/10 14:33:00", time.Date(2020, 1, 10, 14, 33, 0, 0, time.UTC)},
		{"3 mars 2026", time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)},
		{"nonsense", time.Time{}},
	}
	for _, tt := range tests {
		got, ok := parseLooseDate(tt.in)
		if ok != !tt.want.IsZero() || !got.Equal(tt.want) {
			t.Errorf("parseLooseDate(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
		}
	}
}
