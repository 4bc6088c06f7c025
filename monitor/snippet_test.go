package monitor

import (
	"strings"
	"testing"

	"codeberg.org/newswatch/newswatch/monitor/query"
)

func TestSnippetAndMark(t *testing.T) {
	a := &Article{
		Title:   "Gipfel in Genf",
		Summary: strings.Repeat("Vorher geschah viel. ", 20) + "Die nordkoreanische Außenministerin traf Sergej Lawrow. " + strings.Repeat("Danach auch. ", 20),
	}
	q, err := query.Parse(`Nordkorea "Sergej Lawrow"`)
	if err != nil {
		t.Fatal(err)
	}
	hits, ok := q.Match(query.Prepare(a.Doc()))
	if !ok {
		t.Fatal("no match")
	}
	s := MakeSnippet(a, hits, 120)
	got := Mark(s.Text, s.Spans, "[", "]")
	if !strings.Contains(got, "Die [nordkoreanische] Außenministerin traf [Sergej Lawrow].") ||
		!strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") || len(s.Text) > 130 {
		t.Fatalf("snippet = %q", got)
	}
	if title := Mark(a.Title, HitSpans(a.Title, hits, query.Title), "[", "]"); title != a.Title {
		t.Errorf("title marked without title hits: %q", title)
	}
}

func TestHitSpansDropsStaleOffsets(t *testing.T) {
	hits := []query.Hit{{Field: query.Title, Start: 0, End: 3}, {Field: query.Title, Start: 2, End: 5}, {Field: query.Title, Start: 10, End: 99}}
	spans := HitSpans("abcdefg", hits, query.Title)
	if len(spans) != 1 || spans[0] != (Span{0, 5}) {
		t.Fatalf("spans = %+v", spans)
	}
}
