package query

import "testing"

// TestFullTextField: the article's web page text is a field of its own,
// searched by unscoped terms, text: and fulltext:, but not by summary:,
// content: or title:; its hits name it, so a match says it was found in
// the text.
func TestFullTextField(t *testing.T) {
	d := Doc{Title: "Außenminister trifft Amtskollegen", Summary: "Der russische Außenminister traf …",
		FullText: "Moskau. Der russische Außenminister Sergej Lawrow sagte am Montag …"}
	tests := []struct {
		query string
		want  bool
	}{
		{`"Sergej Lawrow"`, true},
		{`text:Lawrow`, true},
		{`fulltext:Lawrow`, true},
		{`fulltext:Amtskollegen`, false},
		{`summary:Lawrow`, false},
		{`content:Lawrow`, false},
		{`title:Lawrow`, false},
		{`Lawrow -fulltext:Montag`, false},
	}
	for _, tt := range tests {
		hits, ok := match(t, tt.query, d)
		if ok != tt.want {
			t.Errorf("%s: matched %v, want %v", tt.query, ok, tt.want)
			continue
		}
		for _, h := range hits {
			if h.Field != FullText || h.Field.String() != "fulltext" || d.FullText[h.Start:h.End] == "" {
				t.Errorf("%s: hit %+v", tt.query, h)
			}
		}
	}
	q, err := Parse("text:Lawrow")
	if err != nil {
		t.Fatal(err)
	}
	if got := q.Describe()[0]; got != "Lawrow: words starting with lawrow in summary, content, fulltext" {
		t.Errorf("Describe = %q", got)
	}
}
