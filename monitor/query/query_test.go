package query

import (
	"fmt"
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Außenministerin", "aussenministerin"},
		{"AUSSENMINISTERIN", "aussenministerin"},
		{"Pjöngjang", "pjoengjang"},
		{"Zürich", "zuerich"},
		{"ZÜRICH", "zuerich"},
		{"Zu\u0308rich", "zuerich"}, // decomposed ü
		{"Café Élysée", "cafe elysee"},
		{"Außen\u00administer", "aussenminister"}, // soft hyphen
		{"„Nordkorea“", " nordkorea "},
		{"Ukraine–Krieg", "ukraine-krieg"}, // en dash
		{"Москва", "москва"},
		{"Øresund Łódź", "oresund lodz"},
		{"GROẞE", "grosse"},
	}
	for _, tt := range tests {
		if got := FoldString(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFoldOriginalOffsets(t *testing.T) {
	src := "Die Außenministerin in Zürich"
	f := Fold(src)
	i := len("die ")
	s, e := f.Original(i, i+len("aussenministerin"))
	if got := src[s:e]; got != "Außenministerin" {
		t.Fatalf("Original = %q", got)
	}
	j := len("die aussenministerin in ")
	s, e = f.Original(j, j+len("zu")) // ends inside the expansion of ü
	if got := src[s:e]; got != "Zü" {
		t.Fatalf("partial expansion = %q, want Zü", got)
	}
}

// match runs one query against a title (and optionally more fields).
func match(t *testing.T, query string, d Doc) ([]Hit, bool) {
	t.Helper()
	q, err := Parse(query)
	if err != nil {
		t.Fatalf("Parse(%q): %v", query, err)
	}
	return q.Match(Prepare(d))
}

func TestMatchingRules(t *testing.T) {
	tests := []struct {
		name, query, title string
		want               bool
	}{
		// Folding, both ways.
		{"umlaut = ae", "Außenminister", "AUSSENMINISTER trifft Kollegen", true},
		{"ae = umlaut", "Pjoengjang", "Raketen aus Pjöngjang", true},
		{"ü = ue", "Zürich", "Konferenz in Zuerich", true},
		{"accents", "Elysee", "Rencontre à l'Élysée", true},
		{"case", "nordkorea", "NORDKOREA droht", true},

		// Word starts: inflections and compounds.
		{"genitive", "Nordkorea", "Nordkoreas Führung", true},
		{"adjective", "Nordkorea", "die nordkoreanische Außenministerin", true},
		{"inhabitants", "Nordkorea", "Nordkoreaner fliehen", true},
		{"hyphen compound", "Nordkorea", "Nordkorea-Gipfel in Hanoi", true},
		{"closed compound", "Ukraine", "Der Ukrainekrieg im dritten Jahr", true},
		{"hyphen compound 2", "Ukraine", "Ukraine-Krieg: Lage", true},
		{"stem: German adjective", "Ukraine", "Ukrainische Soldaten", true},
		{"stem: English", "Ukraine", "Ukrainian forces advance", true},
		{"stem: French", "Ukraine", "Les forces ukrainiennes avancent", true},
		{"stem: plural", "Sanktionen", "Neue Sanktion gegen Moskau", true},
		{"no stem below six letters", "Waffen", "Belgische Waffeln", false},
		{"not inside a word", "Russland", "Opposition in Weißrussland", false},
		{"inside with *", "*russland", "Opposition in Weißrussland", true},
		{"compound end with *", "*ukraine", "Angriffe in der Westukraine", true},
		{"compound end and inflection with *", "*ukraine", "westukrainische Städte", true},
		{"word start still fine with *", "*ukraine", "Ukraine meldet", true},
		{"explicit prefix", "Lawrow*", "Lawrows Reise nach Peking", true},
		{"explicit prefix does not stem", "France*", "François Hollande", false},
		{"no match inside", "krieg", "Ukrainekrieg", false},

		// Short terms are whole words.
		{"EU whole word", "EU", "Die EU beschließt Sanktionen", true},
		{"EU not in neu", "EU", "Ein neues Gesetz", false},
		{"EU not in Europa", "EU", "Europa wählt", false},
		{"EU in hyphen compound", "EU", "EU-Kommission legt Plan vor", true},
		{"EU* prefix", "EU*", "EUropäische Union", true},
		{"USA", "USA", "Die USA und China", true},
		{"USA not in USAID", "USA", "USAID stoppt Hilfen", false},
		{"UN", "UN", "UN-Sicherheitsrat tagt", true},
		{"UN not in und", "UN", "Krieg und Frieden", false},
		{"Öl whole", "Öl", "Preis für Öl steigt", true},
		{"Öl not in Ölpreis", "Öl", "Ölpreis steigt", false},

		// Hyphenated terms.
		{"hyphenated term, hyphenated text", "Ukraine-Krieg", "Der Ukraine-Krieg geht weiter", true},
		{"hyphenated term, joined text", "Ukraine-Krieg", "Der Ukrainekrieg geht weiter", true},
		{"hyphenated term, spaced text", "Ukraine-Krieg", "Ukraine Krieg", true},
		{"hyphenated term, apart", "Ukraine-Krieg", "Ukraine: Krieg", false},

		// Phrases.
		{"phrase", `"Sergej Lawrow"`, "Sergej Lawrow in Ankara", true},
		{"phrase inflected", `"Sergej Lawrow"`, "Sergej Lawrows Reise", true},
		{"phrase order", `"Sergej Lawrow"`, "Lawrow, Sergej", false},
		{"phrase apart", `"Sergej Lawrow"`, "Sergej sagt Lawrow", false},
		{"phrase across punctuation", `"North Korea"`, "north. Korea", false},
		{"phrase English", `"North Korea"`, "North Korean missile test", true},
		{"phrase German quotes", `„Vereinte Nationen“`, "Die Vereinten Nationen warnen", true},

		// Operators.
		{"AND implicit", "Ukraine Russland", "Ukraine und Russland verhandeln", true},
		{"AND implicit, one missing", "Ukraine Russland", "Ukraine verhandelt", false},
		{"AND explicit", "Ukraine AND Russland", "Russland greift Ukraine an", true},
		{"OR", "Nordkorea OR Pjöngjang", "Neue Töne aus Pjöngjang", true},
		{"|", `Nordkorea | "North Korea"`, "North Korea fires missile", true},
		{"ODER", "Kiew ODER Kyiv", "Luftalarm in Kyiv", true},
		{"OR binds tighter", "Ukraine Waffen OR Munition", "Munition für die Ukraine", true},
		{"OR binds tighter, missing AND part", "Ukraine Waffen OR Munition", "Munition für Israel", false},
		{"NOT", "Ukraine NOT Fußball", "Ukraine gewinnt Fußball-Länderspiel", false},
		{"minus", "Ukraine -Fußball", "Ukraine gewinnt Fussball-Länderspiel", false},
		{"minus absent", "Ukraine -Fußball", "Ukraine erhält Panzer", true},
		{"NICHT", "Ukraine NICHT Fußball", "Ukraine erhält Panzer", true},
		{"groups", "Ukraine (Waffen OR Munition) -Fußball", "Ukraine braucht Munition", true},
		{"groups excluded", "Ukraine (Waffen OR Munition) -Fußball", "Ukraine: Munition und Fußball", false},
		{"lowercase or is a word", "Ukraine or", "Ukraine", false},
		{"negated group", "Ukraine -(Fußball OR Tennis)", "Ukraine im Tennis-Finale", false},

		// Regular expressions.
		{"regex", "/p(j|y)(oe|o)ng ?(j|y)ang/", "Pyongyang warns", true},
		{"regex folded", "/aussenminister(in)?/", "Die Außenministerin", true},
		{"regex umlaut in pattern", "/außen/", "Aussenpolitik", true},
		{"regex anywhere", "/krieg/", "Ukrainekrieg", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, ok := match(t, tt.query, Doc{Title: tt.title})
			if ok != tt.want {
				t.Fatalf("%q on %q = %v, want %v (hits %+v)", tt.query, tt.title, ok, tt.want, hits)
			}
			if ok && len(hits) == 0 {
				t.Fatal("a match without hits")
			}
		})
	}
}

func TestFields(t *testing.T) {
	doc := Doc{
		Title:      "Gipfel in Hanoi",
		Summary:    "Nordkorea und die USA verhandeln",
		Content:    "Kim Jong Un traf Trump.",
		Categories: []string{"Ausland", "Asien"},
		Author:     "Anna Schmidt",
		Feed:       "tagesschau.de",
	}
	tests := []struct {
		query string
		want  bool
	}{
		{"Nordkorea", true},
		{"title:Nordkorea", false},
		{"title:Gipfel", true},
		{"summary:Nordkorea", true},
		{"text:Trump", true},
		{"content:Trump", true},
		{"category:Asien", true},
		{"Asien", true},
		{"title:Asien", false},
		{"author:Schmidt", true},
		{"Schmidt", false}, // author is searched only when asked
		{"feed:tagesschau", true},
		{"tagesschau", false},
		{"title:(Hanoi OR Peking)", true},
		{`title:"in Hanoi"`, true},
		{"-title:Nordkorea Nordkorea", true},
		{"title:/han.i/", true},
		{"TITLE:Gipfel", true},
	}
	p := Prepare(doc)
	for _, tt := range tests {
		q, err := Parse(tt.query)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.query, err)
		}
		if _, ok := q.Match(p); ok != tt.want {
			t.Errorf("%q = %v, want %v", tt.query, ok, tt.want)
		}
	}
}

func TestExplainOffsets(t *testing.T) {
	doc := Doc{
		Title:      "Krise: Nordkoreanische Außenministerin reist nach Moskau",
		Summary:    "Sergej Lawrow empfängt die AUSSENMINISTERIN; der Ukraine-Krieg ist Thema.",
		Categories: []string{"Ausland", "Nordkorea"},
	}
	hits, ok := match(t, `Nordkorea Außenministerin "Sergej Lawrow" Ukraine -Fußball`, doc)
	if !ok {
		t.Fatal("no match")
	}
	var got []string
	for _, h := range hits {
		text := fieldText(doc, h.Field)
		got = append(got, fmt.Sprintf("%s|%s|%s", h.Term, h.Field, text[h.Start:h.End]))
	}
	want := []string{
		"Nordkorea|title|Nordkoreanische",
		"Außenministerin|title|Außenministerin",
		`"Sergej Lawrow"|summary|Sergej Lawrow`,
		"Außenministerin|summary|AUSSENMINISTERIN",
		"Ukraine|summary|Ukraine",
		"Nordkorea|category|Nordkorea",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("hits:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestExplainOnlySatisfiedBranches(t *testing.T) {
	doc := Doc{Title: "Munition für Kiew", Summary: "Keine Waffen für Taiwan"}
	hits, ok := match(t, "(Kiew OR Taiwan) Munition -Fußball", doc)
	if !ok {
		t.Fatal("no match")
	}
	for _, h := range hits {
		if h.Term == "Fußball" {
			t.Errorf("excluded term reported: %+v", h)
		}
	}
	if len(hits) != 3 { // Kiew, Taiwan (both OR branches occur), Munition
		t.Errorf("hits = %+v", hits)
	}
}

func fieldText(d Doc, f Field) string {
	switch f {
	case Title:
		return d.Title
	case Summary:
		return d.Summary
	case Content:
		return d.Content
	case Categories:
		return strings.Join(d.Categories, CategorySeparator)
	case Author:
		return d.Author
	}
	return d.Feed
}

func TestDescribe(t *testing.T) {
	q, err := Parse(`Ukraine EU Lawrow* *russland title:Kiew`)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(q.Describe(), "\n")
	for _, want := range []string{"Ukraine: words starting with ukrain", "EU: the word eu",
		"Lawrow*: words starting with lawrow", "*russland: words containing russland", "Kiew: words starting with kiew in title"} {
		if !strings.Contains(got, want) {
			t.Errorf("Describe lacks %q:\n%s", want, got)
		}
	}
}

func TestSetMatchesManyTopics(t *testing.T) {
	var qs []*Query
	for _, s := range []string{"Ukraine", "Nordkorea OR Pjöngjang", `"Sergej Lawrow"`, "EU -Fußball", "/gaza/"} {
		q, err := Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		qs = append(qs, q)
	}
	set := NewSet(qs)
	p := Prepare(Doc{Title: "Lawrow und die EU: Ukraine-Gespräche", Summary: "Sergej Lawrow spricht in Pjöngjang"})
	var got []int
	for _, m := range set.Match(p) {
		got = append(got, m.Query)
	}
	if fmt.Sprint(got) != "[0 1 2 3]" {
		t.Fatalf("matched queries %v, want [0 1 2 3]", got)
	}
	// The set is reusable and its scratch state does not leak.
	if ms := set.Match(Prepare(Doc{Title: "Wetter"})); len(ms) != 0 {
		t.Fatalf("leaked matches: %+v", ms)
	}
}

func mustParse(t *testing.T, s string) *Query {
	t.Helper()
	q, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// TestDoc folds the summary and content only when the short fields do not
// decide, and answers as Test does on the whole article.
func TestTestDoc(t *testing.T) {
	d := Doc{Title: "Nordkorea testet Raketen", Summary: "Pjöngjang meldet Erfolge.",
		Content: "Die Ukraine und Fußball: Waffen für Kiew.", Categories: []string{"Ausland"}, Author: "Anna Schmidt", Feed: "Tagesschau"}
	tests := []struct {
		q    string
		want bool
	}{
		{"Nordkorea", true},                  // title decides
		{"category:Ausland Nordkorea", true}, // short fields decide
		{"Ukraine", true},                    // only in the content
		{"Nordkorea Ukraine", true},          // one in the title, one in the content
		{`"Ukraine und Fußball"`, true},      // a phrase in the content
		{"Nordkorea -Fußball", false},        // the exclusion is in the content
		{"Nordkorea NOT Waffen", false},
		{"Raketen NOT (Nordkorea -Fußball)", true},
		{"Nordkorea -Lawrow", true},
		{"Lawrow", false},
		{"/pjoe?ngjang/", true}, // a regex over the (folded) summary
		{"title:Ukraine", false},
	}
	for _, tt := range tests {
		q, err := Parse(tt.q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.q, err)
		}
		p := Prepare(d)
		full := q.Test(p)
		p.Release()
		if full != tt.want {
			t.Errorf("Test(%q) = %v, want %v", tt.q, full, tt.want)
		}
		if got := q.TestDoc(d); got != tt.want {
			t.Errorf("TestDoc(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

// A regex counts only what it finds: one that matches empty text is
// refused, and empty matches never make a story match.
