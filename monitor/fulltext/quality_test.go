package fulltext

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// tokens are the lower-cased words of a text, for comparing extractions.
func tokens(s string) map[string]int {
	out := map[string]int{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	}) {
		out[w]++
	}
	return out
}

// overlap counts the tokens two bags share (with multiplicity), and the
// size of each.
func overlap(got, want map[string]int) (common, nGot, nWant int) {
	for w, n := range got {
		nGot += n
		common += min(n, want[w])
	}
	for _, n := range want {
		nWant += n
	}
	return
}

// TestExtractionQuality: the article text of our own fixture pages (news
// pages in German, English and French with navigation, cookie banners,
// related links, comments, newsletters, ads and footers around the
// article), compared with the text a reader sees as the article, token by
// token: precision, recall and F1 per page and over all pages. It fails
// below 0.9 F1 over all, or 0.8 on one page.
func TestExtractionQuality(t *testing.T) {
	pages, err := filepath.Glob("testdata/quality/*.html")
	if err != nil || len(pages) < 5 {
		t.Fatalf("fixture pages: %v (%d)", err, len(pages))
	}
	var sumCommon, sumGot, sumWant int
	for _, page := range pages {
		html, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(strings.TrimSuffix(page, ".html") + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		text, miss := Extract(html, "https://news.example/"+filepath.Base(page), "")
		if !miss.IsZero() {
			t.Errorf("%s: no text: %s", page, miss)
			continue
		}
		common, nGot, nWant := overlap(tokens(text), tokens(string(want)))
		p, r := float64(common)/float64(nGot), float64(common)/float64(nWant)
		f1 := 2 * p * r / (p + r)
		t.Logf("%-28s precision %.3f  recall %.3f  F1 %.3f", filepath.Base(page), p, r, f1)
		if f1 < 0.8 {
			t.Errorf("%s: F1 %.3f below 0.8; text:\n%s", page, f1, text)
		}
		sumCommon, sumGot, sumWant = sumCommon+common, sumGot+nGot, sumWant+nWant
	}
	p, r := float64(sumCommon)/float64(sumGot), float64(sumCommon)/float64(sumWant)
	f1 := 2 * p * r / (p + r)
	t.Logf("%-28s precision %.3f  recall %.3f  F1 %.3f (%d pages)", "all", p, r, f1, len(pages))
	if f1 < 0.9 {
		t.Errorf("F1 over all pages %.3f, below 0.9", f1)
	}
}
