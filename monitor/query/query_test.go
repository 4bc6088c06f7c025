package query

import (
	"errors"
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

func TestMatch(t *testing.T) {
	doc := Doc{
		Title:      "Nordkoreanische Außenministerin trifft Sergej Lawrow",
		Summary:    "Gespräche über den Ukraine-Krieg in Pjöngjang",
		Categories: []string{"Ausland", "Asien"},
	}
	tests := []struct {
		query string
		want  bool
	}{
		{"Nordkorea", true},
		{"AUSSENMINISTERIN", true},
		{"Pjoengjang", true},
		{"Ukraine", true},
		{"Ukraine Nordkorea", true},
		{"Ukraine Brasilien", false},
		{`"Sergej Lawrow"`, true},
		{`"Lawrow Sergej"`, false},
		{"koreanische", false}, // not at a word start
		{"Asien", true},        // categories
		{"ministerin", false},
	}
	p := Prepare(doc)
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, err := Parse(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			hits, ok := q.Match(p)
			if ok != tt.want {
				t.Fatalf("Match = %v, want %v (hits %v)", ok, tt.want, hits)
			}
			if ok && len(hits) == 0 {
				t.Fatal("match without hits")
			}
		})
	}
}

func TestMatchExplains(t *testing.T) {
	doc := Doc{Title: "Krise: Außenministerin reist nach Kiew", Summary: "Die AUSSENMINISTERIN sagte"}
	q, _ := Parse("Außenministerin")
	hits, ok := q.Match(Prepare(doc))
	if !ok || len(hits) != 2 {
		t.Fatalf("hits = %v", hits)
	}
	if h := hits[0]; h.Field != Title || doc.Title[h.Start:h.End] != "Außenministerin" {
		t.Errorf("title hit = %+v", h)
	}
	if h := hits[1]; h.Field != Summary || doc.Summary[h.Start:h.End] != "AUSSENMINISTERIN" {
		t.Errorf("summary hit = %+v", h)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		query string
		col   int
	}{
		{"", 1},
		{"   ", 1},
		{`Ukraine "Sergej`, 9},
		{`Ukraine ""`, 9},
	}
	for _, tt := range tests {
		_, err := Parse(tt.query)
		var se *SyntaxError
		if !errors.As(err, &se) || se.Column != tt.col {
			t.Errorf("Parse(%q) = %v, want error at column %d", tt.query, err, tt.col)
		}
	}
}
