package demo

import (
	"fmt"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/story"
)

// The demo's stories read as separate events: reports that story
// assignment joins share their theme (the generated text of ordinary
// reporting, "Critics were sceptical.", once made unrelated stories one).
func TestDemoStoriesKeepApart(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		g := newGen(seed)
		now := time.Now()
		var stories []struct{ theme, title string }
		idx := story.NewMemIndex()
		members := map[int64][]int{}
		next := int64(0)
		add := func(i int, theme, title, summary, content string, at time.Time) {
			f := story.Extract(story.Article{Title: title, Summary: summary, Content: content})
			src := fmt.Sprintf("outlet%d", i%3)
			d, err := story.Assign(idx, &f, at, src)
			if err != nil {
				t.Fatal(err)
			}
			if d.Story == 0 {
				next++
				d.Story = next
			}
			members[d.Story] = append(members[d.Story], i)
			idx.Add(f.Keys(), int64(i+1), d.Story, at, story.InfoOf(&f, src))
			stories = append(stories, struct{ theme, title string }{theme, title})
		}
		for i := range 45 { // the start's backlog
			at := now.Add(-time.Duration(i*13) * time.Minute)
			s := g.Story(at)
			add(i, s.Theme, s.Title, s.Summary, s.Content, at)
		}
		for i := range 40 { // what publish adds, two in three about the topics
			at := now.Add(time.Duration(i) * 4 * time.Second)
			s := g.StoryAbout(demoThemes[i%len(demoThemes)], at)
			add(45+i, s.Theme, s.Title, s.Summary, s.Content, at)
		}
		mixed := 0
		for _, m := range members {
			themes := map[string]bool{}
			for _, i := range m {
				themes[stories[i].theme] = true
			}
			if len(themes) > 1 {
				mixed++
				for _, i := range m {
					t.Logf("seed %d, one story: %s — %s", seed, stories[i].theme, stories[i].title)
				}
			}
		}
		if mixed > 1 {
			t.Errorf("seed %d: %d stories join reports of different themes, want at most 1", seed, mixed)
		}
	}
}
