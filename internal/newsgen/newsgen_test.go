package newsgen

import (
	"strings"
	"testing"
	"time"
)

// The stories read as written by people: verbs agree with plural
// subjects, and a sentence of ordinary reporting ends before the next.
func TestStoriesReadNaturally(t *testing.T) {
	g := New(1)
	var text strings.Builder
	for i := range 3000 {
		s := g.Story(time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC).Add(-time.Duration(i) * time.Minute))
		text.WriteString(s.Title + "\n" + s.Summary + "\n" + s.Content + "\n")
	}
	all := text.String()
	lexicons := []lexicon{genericDE, genericEN}
	for _, th := range themes {
		lexicons = append(lexicons, th.de, th.en)
	}
	pluralSeen := 0
	for _, l := range lexicons {
		for _, subj := range l.subjects {
			for _, v := range l.verbs {
				sing, pl, ok := strings.Cut(v, "|")
				if !ok {
					continue
				}
				wrong, right := sing, pl
				if !plurals[subj] {
					wrong, right = pl, sing
				}
				if strings.Contains(all, subj+" "+wrong+" ") {
					t.Errorf("%q takes %q, not %q", subj, right, wrong)
				}
				if plurals[subj] && strings.Contains(all, subj+" "+right+" ") {
					pluralSeen++
				}
			}
		}
		for _, o := range l.objects {
			// An object is followed by the end of a sentence, a dash, a
			// tag or the end of the title: never by the next sentence.
			for rest := all; ; {
				i := strings.Index(rest, o)
				if i < 0 {
					break
				}
				rest = rest[i+len(o):]
				if next := strings.TrimLeft(rest, " "); next != "" && len(next) < len(rest) && next[0] >= 'A' && next[0] <= 'Z' {
					t.Errorf("%q runs into the next sentence: %q", o, o+rest[:min(len(rest), 30)])
					break
				}
			}
		}
	}
	if pluralSeen == 0 {
		t.Error("no plural subject was generated with its plural verb")
	}
}
