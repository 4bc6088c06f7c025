package msg

import "testing"

func TestSentence(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"the feed is gone", "The feed is gone."},
		{"  ändern geht nicht ", "Ändern geht nicht."},
		{"“example.com” is not a full address; it needs http:// in front", "“example.com” is not a full address; it needs http:// in front."},
		{"ready?", "Ready?"},
		{"3 feeds failed!", "3 feeds failed!"},
		{"done.", "Done."},
	}
	for _, tt := range tests {
		if got := Sentence(tt.in); got != tt.want {
			t.Errorf("Sentence(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNumber(t *testing.T) {
	german := func(tmpl string, _ int) string {
		if tmpl == thousands {
			return "{{.High}}.{{.Low}}"
		}
		return tmpl
	}
	tests := []struct {
		n      int64
		en, de string
	}{
		{0, "0", "0"},
		{256, "256", "256"},
		{1000, "1,000", "1.000"},
		{100000, "100,000", "100.000"},
		{3000000, "3,000,000", "3.000.000"},
		{-1234567, "-1,234,567", "-1.234.567"},
	}
	for _, tt := range tests {
		m := New("nested {{.N}} deep", "N", Number(tt.n))
		if got := m.String(); got != "nested "+tt.en+" deep" {
			t.Errorf("%d in English: %q", tt.n, got)
		}
		if got := m.Render(german); got != "nested "+tt.de+" deep" {
			t.Errorf("%d in German: %q", tt.n, got)
		}
		// Stored and read back (a feed's health), it reads the same.
		if got := Decode(m.Encode()).Render(german); got != "nested "+tt.de+" deep" {
			t.Errorf("%d read back: %q", tt.n, got)
		}
	}
}
