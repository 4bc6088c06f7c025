package story

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/feed"
)

// corpusDir is the shared corpus of real feeds (not part of the
// project; NEWSWATCH_CORPUS overrides it). Tests that read it skip
// without it.
func corpusDir() string {
	if d := os.Getenv("NEWSWATCH_CORPUS"); d != "" {
		return filepath.Join(d, "news")
	}
	return filepath.Join("..", "..", "..", "shared", "corpus", "news")
}

type corpusItem struct {
	file  string
	item  feed.Item
	story int64
	f     Features
}

// TestRealCorpus assigns every item of the real feeds to stories in the
// order of their dates and checks the stories the issue names: the
// Geneva peace talks of February 2026 (ABC, DW, the New York Times, the
// Washington Post, the BBC) are one story, apart from the US-Iran talks
// in Geneva of the same days; tagesschau's and n-tv's reports of the
// suspended Ukrainian justice minister are one story. It prints every
// story of several reports, for a person to judge.
func TestRealCorpus(t *testing.T) {
	dir := corpusDir()
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(files) == 0 {
		t.Skipf("no corpus at %s", dir)
	}
	var items []*corpusItem
	for _, path := range files {
		if strings.HasSuffix(path, ".tsv") || strings.HasSuffix(path, ".txt") || strings.HasSuffix(path, ".md") {
			continue
		}
		body, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		p, err := feed.Parse(body, "https://"+filepath.Base(path)+"/feed")
		if err != nil {
			continue // broken on purpose; the feed tests cover those
		}
		for _, it := range p.Items {
			if it.Published.IsZero() {
				continue
			}
			items = append(items, &corpusItem{file: filepath.Base(path), item: it})
		}
	}
	slices.SortStableFunc(items, func(a, b *corpusItem) int { return a.item.Published.Compare(b.item.Published) })
	idx := NewMemIndex()
	var next int64
	for i, c := range items {
		c.f = Extract(Article{Title: c.item.Title, Summary: c.item.Summary, Content: c.item.Content, Link: c.item.Link, Categories: c.item.Categories})
		src := SourceOf(c.item.Link, c.file)
		d, err := Assign(idx, &c.f, c.item.Published, src)
		if err != nil {
			t.Fatal(err)
		}
		if d.Story == 0 {
			next++
			d.Story = next
		}
		c.story = d.Story
		idx.Add(c.f.Keys(), int64(i+1), d.Story, c.item.Published, InfoOf(&c.f, src))
	}
	byStory := map[int64][]*corpusItem{}
	for _, c := range items {
		byStory[c.story] = append(byStory[c.story], c)
	}
	multi := 0
	for _, id := range slices.SortedFunc(func(yield func(int64) bool) {
		for id := range byStory {
			if !yield(id) {
				return
			}
		}
	}, cmp.Compare[int64]) {
		cs := byStory[id]
		if len(cs) < 2 {
			continue
		}
		multi++
		t.Logf("story %d (%d reports):", id, len(cs))
		for _, c := range cs {
			t.Logf("    %s  %-34s %s", c.item.Published.UTC().Format("2006-01-02 15:04"), c.file, c.item.Title)
		}
	}
	t.Logf("%d items, %d stories, %d of several reports", len(items), len(byStory), multi)

	find := func(file, title string) *corpusItem {
		t.Helper()
		for _, c := range items {
			if strings.HasPrefix(c.file, file) && strings.Contains(c.item.Title, title) {
				return c
			}
		}
		t.Fatalf("no item %q in %s*", title, file)
		return nil
	}
	same := func(what string, cs ...*corpusItem) {
		t.Helper()
		for _, c := range cs[1:] {
			if c.story != cs[0].story {
				t.Errorf("%s: %q (%s, story %d) and %q (%s, story %d) are apart", what,
					cs[0].item.Title, cs[0].file, cs[0].story, c.item.Title, c.file, c.story)
			}
		}
	}
	geneva := []*corpusItem{
		find("en_abcnews", "Russian and Ukrainian officials meet in Geneva"),
		find("en_bbc", "First day of Russia-Ukraine peace talks ends in Geneva"),
		find("en_dw", "Peace talks in Geneva"),
		find("en_washpost", "as Ukraine talks move to Geneva"),
	}
	same("the Geneva peace talks", geneva...)
	iran := find("en_nyt", "U.S. and Iran Make")
	if iran.story == geneva[0].story {
		t.Errorf("the US-Iran talks in Geneva joined the Russia-Ukraine talks (story %d)", iran.story)
	}
	same("the suspended justice minister",
		find("de_tagesschau_2025-11-12", "Ukrainischer Justizminister wegen Korruptionsverdachts suspendiert"),
		find("de_ntv", "Justizminister Haluschtschenko suspendiert"))
	_ = time.Time{}
}
