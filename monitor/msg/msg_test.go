package msg

import (
	"errors"
	"fmt"
	"testing"
)

func TestRender(t *testing.T) {
	de := map[string]string{
		"The server {{.Host}} said {{.Status}}.": "Der Server {{.Host}} antwortete {{.Status}}.",
		"{{.Inner}} Try again later.":            "{{.Inner}} Später erneut versuchen.",
	}
	tr := func(s string, n int) string {
		if n >= 0 {
			if n == 1 {
				return "in einer Minute"
			}
			return "in {{.N}} Minuten"
		}
		if d, ok := de[s]; ok {
			return d
		}
		return s
	}
	inner := New("The server {{.Host}} said {{.Status}}.", "Host", "example.org", "Status", "503")
	outer := New("{{.Inner}} Try again later.", "Inner", inner)
	tests := []struct {
		name string
		m    Message
		tr   Translator
		want string
	}{
		{"english", inner, nil, "The server example.org said 503."},
		{"german", inner, tr, "Der Server example.org antwortete 503."},
		{"nested german", outer, tr, "Der Server example.org antwortete 503. Später erneut versuchen."},
		{"no translation falls back", New("Plain."), tr, "Plain."},
		{"literal braces stay text", Literal("{{.Host}} <b>&"), tr, "{{.Host}} <b>&"},
		{"values are not templates", New("Said {{.X}}.", "X", "{{.Y}}"), nil, "Said {{.Y}}."},
		{"missing value shows the template", New("A {{.Missing}}B."), nil, "A {{.Missing}}B."},
		{"translation with a wrong name falls back to English", New("Bad {{.X}}.", "X", 1),
			func(string, int) string { return "Schlecht {{.Y}}." }, "Bad 1."},
		{"count, one", NewCount("in {{.N}} min", 1), tr, "in einer Minute"},
		{"count, other", NewCount("in {{.N}} min", 7), tr, "in 7 Minuten"},
		{"count in English", NewCount("in {{.N}} min", 7), nil, "in 7 min"},
		{"count read back", Decode(NewCount("in {{.N}} min", 7).Encode()), tr, "in 7 Minuten"},
		{"broken template shows as is", New("A {{.X"), nil, "A {{.X"},
	}
	for _, tt := range tests {
		if got := tt.m.Render(tt.tr); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestEncodeDecode(t *testing.T) {
	inner := New("The server {{.Host}} said {{.Status}}.", "Host", "example.org", "Status", 503)
	m := New("{{.Inner}} Try again later.", "Inner", inner)
	got := Decode(m.Encode())
	if got.String() != m.String() {
		t.Errorf("round trip: %q, want %q", got.String(), m.String())
	}
	if !Decode("").IsZero() || (Message{}).Encode() != "" {
		t.Error("the zero message must encode to nothing and back")
	}
	// Text stored by an older version is shown as it is.
	if got := Decode("The feed {{broke}}."); got.String() != "The feed {{broke}}." {
		t.Errorf("plain text decoded as %q", got.String())
	}
}

func TestOf(t *testing.T) {
	e := Errorf(errors.New("cause"), "The file {{.Path}} is missing.", "Path", "/x")
	if got := Of(e); got.Tmpl != "The file {{.Path}} is missing." {
		t.Errorf("Of(own error) = %#v", got)
	}
	// Wrapped with more to say: the whole text, untranslated.
	w := fmt.Errorf("open: %w", e)
	if got := Of(w); got.String() != "open: The file /x is missing." || got.Tmpl != literal {
		t.Errorf("Of(wrapped) = %#v", got)
	}
	if !Of(nil).IsZero() {
		t.Error("Of(nil) is not zero")
	}
	if !errors.Is(e, e.Err) {
		t.Error("Errorf does not unwrap to its cause")
	}
}

// A message with its English form for one says "1 new story" in English
// (also read back from JSON, also nested), and leaves the translator its
// forms.
func TestNewCountOne(t *testing.T) {
	one := NewCountOne("{{.N}} new stories", "1 new story", 1)
	many := NewCountOne("{{.N}} new stories", "1 new story", 3)
	if one.String() != "1 new story" || many.String() != "3 new stories" {
		t.Fatalf("%q, %q", one, many)
	}
	if got := Decode(one.Encode()).String(); got != "1 new story" {
		t.Errorf("read back: %q", got)
	}
	nested := New("Alert: {{.Inner}}", "Inner", one)
	if got := Decode(nested.Encode()).String(); got != "Alert: 1 new story" {
		t.Errorf("nested, read back: %q", got)
	}
	de := func(s string, n int) string {
		if n == 1 {
			return "1 neue Meldung"
		}
		return s
	}
	if got := one.Render(de); got != "1 neue Meldung" {
		t.Errorf("translated: %q", got)
	}
}
