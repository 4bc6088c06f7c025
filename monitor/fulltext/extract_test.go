package fulltext

import (
	"strings"
	"testing"
)

// TestExtractMisses: pages without article text give a miss that says
// why, never a crash or HTML.
func TestExtractMisses(t *testing.T) {
	article := "<article><p>" + strings.Repeat("Der Stadtrat hat am Abend über den neuen Radweg beraten. ", 12) + "</p></article>"
	tests := []struct {
		name, page, teaser, text, miss string
	}{
		{"article", "<html><body>" + article + "</body></html>", "Kurz.", "Der Stadtrat hat am Abend", ""},
		{"paywall", `<html><head><script type="application/ld+json">{"isAccessibleForFree": "False"}</script></head><body><p>Nur mit Abo.</p></body></html>`,
			"Kurz.", "", "the page is behind a paywall"},
		{"no more than the teaser", "<html><body><p>Der Stadtrat berät über den Radweg.</p></body></html>",
			"Der Stadtrat berät über den Radweg.", "", "the page has no article text beyond the teaser"},
		{"deep nesting", "<html><body>" + strings.Repeat("<div>", 5000) + "Text", "", "", "the page could not be read as HTML"},
		{"too many elements", "<html><body>" + strings.Repeat("<span>a</span>", MaxElements+1), "", "", "the page has more than 60,000 HTML elements"},
		{"empty", "", "", "", "the page has no article text beyond the teaser"},
	}
	for _, tt := range tests {
		text, miss := Extract([]byte(tt.page), "https://news.example/a", tt.teaser)
		if !strings.HasPrefix(text, tt.text) || tt.text == "" && text != "" || miss.String() != tt.miss && !(tt.miss == "" && miss.IsZero()) {
			t.Errorf("%s: text %.60q, miss %q; want %q, %q", tt.name, text, miss, tt.text, tt.miss)
		}
		if strings.ContainsAny(text, "<>") {
			t.Errorf("%s: markup in the text: %q", tt.name, text)
		}
	}
}

// TestClean: extracted text keeps paragraphs, loses control and
// invisible format characters, is composed and capped.
func TestClean(t *testing.T) {
	got := Clean("  Erster\tAbsatz \x1b[31mrot\n\n\n  Zweiter \u202eAbsatz: Zu\u0308rich  \n")
	if want := "Erster Absatz [31mrot\n\nZweiter Absatz: Zürich"; got != want {
		t.Errorf("Clean = %q, want %q", got, want)
	}
	long := Clean(strings.Repeat("Wort ", MaxText))
	if len(long) > MaxText || !strings.HasSuffix(long, "…") {
		t.Errorf("a long text is %d bytes, ends %q", len(long), long[len(long)-10:])
	}
}
