package story

import (
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/query"
)

func TestSkeleton(t *testing.T) {
	groups := [][]string{
		{"selenskyj", "zelensky", "zelenskyy", "zelenski"},
		{"haluschtschenko", "halushchenko", "galouchtchenko"},
		{"lawrow", "lavrov"},
		{"umerow", "umerov", "oumerov"},
		{"jermak", "yermak"},
		{"putin", "poutine"},
	}
	for _, g := range groups {
		for _, w := range g[1:] {
			if a, b := skeleton(g[0]), skeleton(w); a != b || a == "" {
				t.Errorf("skeleton(%q) = %q, skeleton(%q) = %q; want them equal", g[0], a, w, b)
			}
		}
	}
	if a, b := skeleton("macron"), skeleton("merkel"); a == b {
		t.Errorf("Macron and Merkel share the skeleton %q", a)
	}
	if s := skeleton("eu"); s != "" {
		t.Errorf("skeleton(eu) = %q, want none", s)
	}
}

func TestDetectLang(t *testing.T) {
	for _, c := range []struct {
		text string
		want Lang
	}{
		{"Die Regierung hat den Minister suspendiert, weil er nicht mit der Behörde arbeitete.", LangDE},
		{"The government has suspended the minister, who was accused of taking bribes from a company.", LangEN},
		{"Le gouvernement a suspendu le ministre, qui est accusé de corruption dans une entreprise.", LangFR},
		{"Ukraine Russia Geneva", LangUnknown},
	} {
		if got := detectLang(tokenize(c.text, nil)); got != c.want {
			t.Errorf("detectLang(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

func TestKind(t *testing.T) {
	for _, c := range []struct {
		a    Article
		want Kind
	}{
		{Article{Title: "Kommentar: Genf ist nur ein Anfang"}, Opinion},
		{Article{Title: "Geneva talks open", Link: "https://www.nytimes.com/2026/02/17/opinion/geneva.html"}, Opinion},
		{Article{Title: "Liveblog: ++ Delegationen in Genf ++"}, Live},
		{Article{Title: "+++ Selenskyj in Genf +++"}, Live},
		{Article{Title: "EN DIRECT - Manifestation à Paris"}, Live},
		{Article{Title: "Russia-Ukraine war", Link: "https://www.theguardian.com/world/live/2026/feb/17/x"}, Live},
		{Article{Title: "Ukraine and Russia open talks in Geneva", Categories: []string{"Meinung"}}, Opinion},
		{Article{Title: "Ukraine and Russia open talks in Geneva", Link: "https://example.com/world/geneva-talks"}, News},
	} {
		if got := Extract(c.a).Kind; got != c.want {
			t.Errorf("kind of %q (%s) = %v, want %v", c.a.Title, c.a.Link, got, c.want)
		}
	}
}

func TestNumbersAndSources(t *testing.T) {
	for in, want := range map[string]string{"1.000": "1000", "1,000": "1000", "2,5": "2.5", "2.0": "2.0", "007": "7", "100.000": "100000"} {
		if got := normNumber(in); got != want {
			t.Errorf("normNumber(%q) = %q, want %q", in, got, want)
		}
	}
	for _, c := range [][3]string{
		{"https://www.tagesschau.de/ausland/x.html", "", "tagesschau.de"},
		{"https://tagesschau.de/inland/y", "", "tagesschau.de"},
		{"https://www.bbc.co.uk/news/world-1", "", "bbc.co.uk"},
		{"", "Welt", "feed:welt"},
	} {
		if got := SourceOf(c[0], c[1]); got != c[2] {
			t.Errorf("SourceOf(%q, %q) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
}

// TestNearDuplicates: an agency text with a word changed, and the same
// item re-posted, join; the same wording about another event does not.
func TestNearDuplicates(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	text := "Die Polizei hat am Sonntagmorgen in der Innenstadt von Leipzig einen 34 Jahre alten Mann festgenommen, " +
		"der zuvor mit einem Messer zwei Passanten verletzt haben soll. Die Verletzten wurden in ein Krankenhaus gebracht, " +
		"Lebensgefahr bestehe nicht, teilte eine Sprecherin mit. Die Hintergründe der Tat sind noch unklar."
	idx := NewMemIndex()
	first := Extract(Article{Title: "Messerangriff in Leipzig: Mann festgenommen", Summary: text})
	idx.Add(first.Keys(), 1, 1, at, InfoOf(&first, "lvz.de"))
	copyText := Extract(Article{Title: "Leipzig: Zwei Passanten mit Messer verletzt", Summary: text[:len(text)-36] + "Die Hintergründe sind unklar."})
	d, err := Assign(idx, &copyText, at.Add(time.Hour), "mdr.de")
	if err != nil || d.Story != 1 || d.Why != NearDuplicate {
		t.Errorf("the agency copy: %+v, %v; want story 1 as a near-duplicate", d, err)
	}
	other := Extract(Article{Title: "Messerangriff in Dresden", Summary: "In Dresden hat ein Unbekannter am Samstagabend vor einer Diskothek einen jungen Mann angegriffen und schwer verletzt. Der Täter floh, die Polizei sucht Zeugen."})
	if d, _ := Assign(idx, &other, at.Add(time.Hour), "saechsische.de"); d.Story != 0 {
		t.Errorf("another knife attack joined story %d (%v)", d.Story, d.Why)
	}
	later := copyText
	if d, _ := Assign(idx, &later, at.Add(3*24*time.Hour), "mdr.de"); d.Story != 0 {
		t.Errorf("the same text three days later joined story %d: the window is 48 hours", d.Story)
	}
}

func TestFoldWord(t *testing.T) {
	for _, w := range []string{"Ukraine", "ukraine", "USA", "2026", "Außenminister", "Genève", "Zürich", "ÖL", "Kyiv"} {
		if got, want := foldWord(w), query.FoldString(w); got != want {
			t.Errorf("foldWord(%q) = %q, want %q", w, got, want)
		}
	}
}
