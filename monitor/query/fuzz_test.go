package query

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

var fuzzQueries = []string{
	"Ukraine", `Nordkorea OR Pjöngjang OR "North Korea"`, "Ukraine (Waffen OR Munition) -Fußball",
	`"Sergej Lawrow"`, "Lawrow* *ukraine", "title:Nordkorea feed:tagesschau category:Ausland author:x",
	"/pj(oe|o)ng/", "EU -NOT", `„Vereinte Nationen“`, "Ukraine-Krieg", "a | b ODER c NICHT d UND e",
	`Ukraine "Sergej`, "((((a))))", "title:(a OR -b)", `/a\/b/`, "ÄÖÜß*", "*", "-", ")(", "text:\"\"",
}

// FuzzParse: the parser never panics; it either returns a query or a
// syntax error whose column lies within the query.
func FuzzParse(f *testing.F) {
	for _, q := range fuzzQueries {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) = %v, not a SyntaxError", s, err)
			}
			if se.Column < 1 || se.Column > utf8.RuneCountInString(s)+1 {
				t.Fatalf("Parse(%q): column %d outside the query", s, se.Column)
			}
			return
		}
		if q.String() != s {
			t.Fatalf("String() = %q, want %q", q.String(), s)
		}
		_ = q.Describe()
		q.Prefilter(func(string) ([]string, bool) { return []string{"x"}, true })
	})
}

// FuzzMatch: matching never panics, and every hit names a term of the
// query and lies on character boundaries inside its field.
func FuzzMatch(f *testing.F) {
	texts := []string{"Die nordkoreanische Außenministerin traf Sergej Lawrow in Pjöngjang.",
		"Ukraine-Krieg: Waffen für die Westukraine", "Zu\u0308rich – „Grüße“ Café", "EU neu Europa", ""}
	for i, q := range fuzzQueries {
		f.Add(q, texts[i%len(texts)], texts[(i+1)%len(texts)])
	}
	f.Fuzz(func(t *testing.T, qs, title, summary string) {
		q, err := Parse(qs)
		if err != nil {
			return
		}
		d := Doc{Title: title, Summary: summary, Content: summary + " " + title, Categories: []string{title}, Author: summary, Feed: title}
		p := Prepare(d)
		defer p.Release()
		hits, ok := q.Match(p)
		if ok != q.Test(p) {
			t.Fatalf("Match and Test disagree on %q", qs)
		}
		if q.TestDoc(d) != ok {
			t.Fatalf("TestDoc and Match disagree on %q", qs)
		}
		d2 := Doc{Title: title, Content: summary}
		p2 := Prepare(d2)
		want := q.Test(p2)
		p2.Release()
		if q.TestDoc(d2) != want {
			t.Fatalf("TestDoc(title %q, content %q) = %v, Test says %v for %q", title, summary, !want, want, qs)
		}
		terms := strings.Join(q.Terms(), "\x00")
		for _, h := range hits {
			text := fieldText(d, h.Field)
			if h.Start < 0 || h.End > len(text) || h.Start > h.End {
				t.Fatalf("hit %+v outside field %q", h, text)
			}
			if !utf8.ValidString(text[h.Start:h.End]) && utf8.ValidString(text) {
				t.Fatalf("hit %+v splits a character of %q", h, text)
			}
			if !strings.Contains(terms, h.Term) {
				t.Fatalf("hit term %q not in the query %q", h.Term, qs)
			}
		}
	})
}

// FuzzFoldOriginal: mapping any folded range back lands on whole
// characters of the original.
func FuzzFoldOriginal(f *testing.F) {
	f.Add("Außenministerin in Zürich", 3, 9)
	f.Add("Zu\u0308rich Œuvre ÆØÅ ẞ", 0, 5)
	f.Fuzz(func(t *testing.T, s string, a, b int) {
		fd := Fold(s)
		if len(fd.Text) == 0 {
			return
		}
		a, b = abs(a)%len(fd.Text), abs(b)%(len(fd.Text)+1)
		if a > b {
			a, b = b, a
		}
		os, oe := fd.Original(a, b)
		if os < 0 || oe > len(s) || os > oe {
			t.Fatalf("Original(%d, %d) of %q = %d, %d", a, b, s, os, oe)
		}
		if utf8.ValidString(s) && !utf8.ValidString(s[os:oe]) {
			t.Fatalf("Original(%d, %d) of %q = %q splits a character", a, b, s, s[os:oe])
		}
	})
}

func abs(n int) int {
	if n < 0 {
		if n == -n { // math.MinInt
			return 0
		}
		return -n
	}
	return n
}
