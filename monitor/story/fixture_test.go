package story

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// fixtureArticle is one line of testdata/fixture.txt.
type fixtureArticle struct {
	label  string
	at     time.Time
	source string
	a      Article
	lang   Lang
}

func readFixture(t testing.TB) []fixtureArticle {
	t.Helper()
	f, err := os.Open("testdata/fixture.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []fixtureArticle
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, " | ")
		if len(parts) != 6 {
			t.Fatalf("fixture line %d has %d fields, want 6", n, len(parts))
		}
		at, err := time.Parse("2006-01-02 15:04", "2026-"+parts[1])
		if err != nil {
			t.Fatalf("fixture line %d: %v", n, err)
		}
		path := parts[3]
		if path == "-" {
			path = fmt.Sprintf("/news/%d", n)
		}
		out = append(out, fixtureArticle{label: parts[0], at: at, source: parts[2],
			a: Article{Title: parts[4], Summary: parts[5], Link: "https://www." + parts[2] + path}})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	slices.SortStableFunc(out, func(a, b fixtureArticle) int { return a.at.Compare(b.at) })
	return out
}

// pairStats counts pairs of articles by truth and prediction.
type pairStats struct{ tp, fp, fn int }

func (p pairStats) precision() float64 { return ratio(p.tp, p.tp+p.fp) }
func (p pairStats) recall() float64    { return ratio(p.tp, p.tp+p.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// TestFixtureQuality assigns the labelled fixture's articles in the order
// of their dates, as a store would, and measures pairwise precision and
// recall: of the pairs put in one story, how many belong together, and of
// those that belong together, how many were put in one story.
func TestFixtureQuality(t *testing.T) {
	arts := readFixture(t)
	idx := NewMemIndex()
	stories := make([]int64, len(arts))
	feats := make([]Features, len(arts))
	var next int64
	for i := range arts {
		fa := &arts[i]
		feats[i] = Extract(fa.a)
		fa.lang = feats[i].Lang
		d, err := Assign(idx, &feats[i], fa.at, SourceOf(fa.a.Link, ""))
		if err != nil {
			t.Fatal(err)
		}
		if d.Story == 0 {
			next++
			d.Story = next
		}
		stories[i] = d.Story
		idx.Add(feats[i].Keys(), int64(i+1), d.Story, fa.at, InfoOf(&feats[i], SourceOf(fa.a.Link, "")))
	}
	var all, same, cross pairStats
	labels := map[string]bool{}
	multi := map[string]int{}
	for i := range arts {
		labels[arts[i].label] = true
		multi[arts[i].label]++
		for j := i + 1; j < len(arts); j++ {
			truth := arts[i].label == arts[j].label
			pred := stories[i] == stories[j]
			st := &same
			if arts[i].lang != arts[j].lang {
				st = &cross
			}
			for _, s := range []*pairStats{&all, st} {
				switch {
				case truth && pred:
					s.tp++
				case pred:
					s.fp++
				case truth:
					s.fn++
				}
			}
			if pred && !truth {
				t.Logf("wrongly together: %q (%s) and %q (%s)", arts[i].a.Title, arts[i].label, arts[j].a.Title, arts[j].label)
			}
		}
	}
	nMulti := 0
	for _, n := range multi {
		if n > 1 {
			nMulti++
		}
	}
	if len(arts) < 150 || nMulti < 30 {
		t.Fatalf("the fixture has %d articles in %d multi-report stories; it should have at least 150 in 30", len(arts), nMulti)
	}
	t.Logf("fixture: %d articles, %d stories (%d with several reports)", len(arts), len(labels), nMulti)
	t.Logf("all pairs:           precision %.3f, recall %.3f (%d right, %d wrongly together, %d wrongly apart)",
		all.precision(), all.recall(), all.tp, all.fp, all.fn)
	t.Logf("same-language pairs: precision %.3f, recall %.3f (%d/%d/%d)", same.precision(), same.recall(), same.tp, same.fp, same.fn)
	t.Logf("cross-language pairs: precision %.3f, recall %.3f (%d/%d/%d)", cross.precision(), cross.recall(), cross.tp, cross.fp, cross.fn)
	if testing.Verbose() {
		for _, l := range slices.Sorted(func(yield func(string) bool) {
			for l := range labels {
				if !yield(l) {
					return
				}
			}
		}) {
			var line []string
			for i := range arts {
				if arts[i].label == l {
					line = append(line, fmt.Sprintf("%d/%s", stories[i], arts[i].lang))
				}
			}
			t.Logf("  %-22s %s", l, strings.Join(line, " "))
		}
	}
	if all.precision() < 0.95 || all.recall() < 0.80 {
		t.Errorf("precision %.3f, recall %.3f: want at least 0.95 and 0.80", all.precision(), all.recall())
	}
}

// BenchmarkExtract measures features per article over the fixture.
func BenchmarkExtract(b *testing.B) {
	arts := readFixture(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Extract(arts[i%len(arts)].a)
	}
}

// BenchmarkAssign measures one assignment against an index of the
// fixture (its window).
func BenchmarkAssign(b *testing.B) {
	arts := readFixture(b)
	idx := NewMemIndex()
	feats := make([]Features, len(arts))
	for i := range arts {
		feats[i] = Extract(arts[i].a)
		idx.Add(feats[i].Keys(), int64(i+1), int64(i+1), arts[i].at, InfoOf(&feats[i], arts[i].source))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(arts)
		if _, err := Assign(idx, &feats[k], arts[k].at, arts[k].source); err != nil {
			b.Fatal(err)
		}
	}
}
