package query

import (
	"errors"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		query, msg string
		col        int
	}{
		{"", "empty query", 1},
		{"   ", "empty query", 1},
		{`Ukraine "Sergej`, "unclosed quote", 9},
		{`Nordkorea Süd "Kim`, "unclosed quote", 15}, // columns count characters
		{`Ukraine ""`, "empty quotes", 9},
		{`Ukraine (Waffen OR Munition`, "unclosed parenthesis", 9},
		{`Ukraine Waffen)`, `unexpected ")"`, 15},
		{`Ukraine ()`, "empty parentheses", 9},
		{`Ukraine OR`, `"OR" needs a term after it`, 9},
		{`OR Ukraine`, `"OR" needs a term before it`, 1},
		{`Ukraine OR OR Russland`, `"OR" needs a term after it`, 9},
		{`Ukraine AND`, `"AND" needs a term after it`, 9},
		{`AND Ukraine`, `"AND" needs a term before it`, 1},
		{`Ukraine NOT`, `"NOT" needs a term after it`, 9},
		{`Ukraine - Fußball`, `"-" needs a term right after it`, 9},
		{`-Fußball`, "only excludes", 1},
		{`NOT (Fußball OR Tennis)`, "only excludes", 1},
		{`Ukraine OR -Fußball`, "OR with an excluded term", 1},
		{`titel:Ukraine`, `unknown field "titel:"`, 1},
		{`Ukraine title:`, `"title:" needs a term right after the colon`, 9},
		{`title: Ukraine`, `"title:" needs a term right after the colon`, 1},
		{`title:-Ukraine`, `"title:" needs a term right after the colon`, 1},
		{`/pj(ong/`, "invalid regular expression", 1},
		{`Ukraine /abc`, "unclosed regular expression", 9},
		{`//`, "empty regular expression", 1},
		{`!!!`, "has no letters or digits", 1},
		{`"!!!"`, "has no letters or digits", 1},
		{`Ukraine *`, "has no letters or digits", 9},
		{strings.Repeat("(", 50) + "a" + strings.Repeat(")", 50), "nested more than", 41},
		{strings.Repeat("x ", 201), "too many terms", 401},
		{`Ukraine /(\w+\s?){1000}Q/`, "regular expression that repeats a repetition 1,000 times, which makes matching slow (at most 10)", 9},
		{`/(\w*){50}Q/`, "repeats a repetition 50 times", 1},
		{`Kiew /(\d{60})+/`, "repeats a repetition 60 times", 6},
		{`/\w{1,1000}Q/`, "regular expression too complex to match quickly (2,002 steps, at most 500)", 1},
	}
	for _, tt := range tests {
		_, err := Parse(tt.query)
		var se *SyntaxError
		if !errors.As(err, &se) || se.Column != tt.col || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("Parse(%.40q) = %v, want %q at column %d", tt.query, err, tt.msg, tt.col)
		}
	}
}

func TestPrefilter(t *testing.T) {
	vocab := []string{"ukraine", "westukraine", "ukrainekrieg", "kiew", "weissrussland"}
	expand := func(sub string) ([]string, bool) {
		var out []string
		for _, w := range vocab {
			if strings.Contains(w, sub) {
				out = append(out, w)
			}
		}
		return out, true
	}
	tests := []struct{ query, want string }{
		{"Ukraine", `"ukrain"*`},
		{"EU", `"eu"`},
		{"Ukraine Russland", `("ukrain"* AND "russland"*)`},
		{"Nordkorea OR Pjöngjang", `("nordkorea"* OR "pjoengjang"*)`},
		{"Ukraine -Fußball", `"ukrain"*`},
		{`"Sergej Lawrow"`, `("sergej"* AND "lawrow"*)`},
		{"Ukraine-Krieg", `(("ukrain"* AND "krieg"*) OR "ukrainekrieg"*)`},
		{"*ukraine", `("ukraine" OR "westukraine" OR "ukrainekrieg")`},
		{"*russland", `"weissrussland"`},
		{"*brasil", `NONE`},
		{"*brasil OR Kiew", `"kiew"*`},
		{"*brasil Kiew", `NONE`},
		{"/krieg/", `"ukrainekrieg"`},
		{"/k.ieg/", `"ukrainekrieg"`},
		{"/k.i/", `ALL`},
		{"Kiew OR /k.i/", `ALL`},
		{"/k.i/ Kiew", `"kiew"*`},
		{"/ukrain(e|ian)/", `("ukraine" OR "westukraine" OR "ukrainekrieg")`},
		{"/westukr.ine/", `("westukraine" AND ("ukraine" OR "westukraine" OR "ukrainekrieg"))`},
		{"/(kiew|kyiv)/", `ALL`},
		{"title:Lawrow*", `"lawrow"*`},
	}
	for _, tt := range tests {
		q, err := Parse(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		expr, all, none := q.Prefilter(expand)
		got := expr
		if all {
			got = "ALL"
		} else if none {
			got = "NONE"
		}
		if got != tt.want {
			t.Errorf("Prefilter(%q) = %s, want %s", tt.query, got, tt.want)
		}
	}
	if _, all, _ := mustParse(t, "*ukraine").Prefilter(nil); !all {
		t.Error("without an expander an infix term cannot filter")
	}
}

func TestRegexEmptyMatches(t *testing.T) {
	for _, q := range []string{"/$/", "/^/", "/x*/", "Ukraine /(a|)/"} {
		_, err := Parse(q)
		var se *SyntaxError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), "matches empty text") {
			t.Errorf("Parse(%q) = %v, want the empty-text error", q, err)
		}
	}
	tests := []struct {
		q, text string
		want    bool
	}{
		{`/\b/`, "abc", false},      // only empty matches
		{`/q|\bz?/`, "ab q", true},  // the leftmost match is empty, a later one is not
		{`/q|\bz?/`, "ab c", false}, // empty matches only
		{`/ukrain(e|ian)/`, "Ukrainian grain", true},
	}
	for _, tt := range tests {
		q, err := Parse(tt.q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.q, err)
		}
		p := Prepare(Doc{Title: tt.text})
		hits, ok := q.Match(p)
		test := q.Test(p)
		p.Release()
		if ok != tt.want || test != tt.want || len(hits) > 0 != tt.want {
			t.Errorf("%s on %q: Match %v (%d hits), Test %v, want %v", tt.q, tt.text, ok, len(hits), test, tt.want)
		}
	}
}

// TestRegexBudgetKeepsUsefulExpressions: the limits on regular
// expressions leave the ones analysts write.
func TestRegexBudgetKeepsUsefulExpressions(t *testing.T) {
	for _, q := range []string{
		`/p(j|y)(oe|o)ng ?(j|y)ang/`,
		`/nord.{0,200}korea/`,
		`/\b(kiew|kyiv|kiev)\b/`,
		`/(\d{1,3}\.){3}\d{1,3}/`,
		`/(\w+ ){3}(russland|ukraine)/`,
		`/\d{4}-\d{2}-\d{2}/`,
		`/[a-z]{2,5}-gipfel/`,
	} {
		if _, err := Parse(q); err != nil {
			t.Errorf("Parse(%s): %v", q, err)
		}
	}
}
