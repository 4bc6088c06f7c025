package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"codeberg.org/newswatch/newswatch/monitor"
)

// outlet is a news site's feed on loopback: its own domain in the links,
// items that can grow.
type outlet struct {
	mu    sync.Mutex
	name  string
	items []string // "guid|title|summary|minutes before testNow"
	srv   *httptest.Server
}

func newOutlet(t *testing.T, name string) *outlet {
	o := &outlet{name: name}
	o.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.mu.Lock()
		defer o.mu.Unlock()
		var b strings.Builder
		site := "https://" + strings.ToLower(o.name) + ".example"
		fmt.Fprintf(&b, `<rss version="2.0"><channel><title>%s</title><link>%s/</link>`, o.name, site)
		for _, it := range o.items {
			f := strings.Split(it, "|")
			var min int
			fmt.Sscan(f[3], &min)
			fmt.Fprintf(&b, `<item><guid>%s</guid><title>%s</title><description>%s</description><link>%s/%s</link><pubDate>%s</pubDate></item>`,
				f[0], f[1], f[2], site, f[0], testNow.Add(-time.Duration(min)*time.Minute).Format(time.RFC1123Z))
		}
		b.WriteString(`</channel></rss>`)
		w.Write([]byte(b.String()))
	}))
	t.Cleanup(o.srv.Close)
	return o
}

func (o *outlet) publish(items ...string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.items = append(o.items, items...)
}

// One event from three outlets is one row: "3 reports · 3 sources", one
// notification counting one story, and then one "Developing" alert; the
// open story lists its reports under its row and in the story view, and
// each report can be shown.
func TestStoriesInTheTimeline(t *testing.T) {
	tu := newTestUI(t)
	ctx := context.Background()
	a, b, c := newOutlet(t, "Tagesblatt"), newOutlet(t, "Weltpost"), newOutlet(t, "Abendzeitung")
	for _, o := range []*outlet{a, b, c} {
		if _, err := tu.svc.AddFeed(ctx, o.srv.URL, monitor.AddFeedOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	tu.svc.AddTopic(ctx, monitor.Topic{Name: "Ukraine", Enabled: true, Notify: true})
	tu.check(t) // the first fetches: nothing yet
	tu.takeNotes()

	a.publish("a1|Ukraine: Friedensgespräche in Genf beginnen|Delegationen aus Kiew und Moskau treffen sich am Montag in Genf zu Friedensgesprächen.|50")
	b.publish("b1|Friedensgespräche zur Ukraine in Genf begonnen|In Genf haben am Montag Friedensgespräche zwischen Kiew und Moskau begonnen.|40")
	tu.check(t)
	if n := tu.takeNotes(); len(n) != 1 || n[0].title != "Ukraine — 1 new story" {
		t.Fatalf("two reports of one event: notes %+v, want one counting one story", n)
	}
	c.publish("c1|Genf: Ukraine-Friedensgespräche haben begonnen|Die Gespräche in Genf zwischen Kiew und Moskau haben am Montag begonnen.|30")
	tu.check(t)
	notes := tu.takeNotes()
	if len(notes) != 1 || !strings.HasPrefix(notes[0].title, "Developing: ") || !strings.Contains(notes[0].title, "3 sources") {
		t.Fatalf("a third source: notes %+v, want one Developing alert and no new-story alert", notes)
	}

	m := tu.model
	var stories []int
	for i, r := range m.rows {
		if r.isStory() {
			stories = append(stories, i)
		}
	}
	if len(stories) != 1 {
		t.Fatalf("%d rows of stories, want one", len(stories))
	}
	s := m.story(stories[0])
	if s == nil || s.ReportCount != 3 || s.Sources != 3 {
		t.Fatalf("story %+v", s)
	}
	if line := storyLine(s, testNow); !strings.HasPrefix(line, "3 reports · 3 sources · since ") {
		t.Errorf("the row says %q", line)
	}

	// Opening it lists its reports under it and in the story view.
	m.open(s.ID)
	rows := 0
	for _, r := range m.rows {
		if r.report > 0 {
			rows++
		}
	}
	if rows != 3 || len(tu.story.reports.Objects) != 3 || !tu.story.repBox.Visible() {
		t.Fatalf("%d report rows, %d reports in the story view", rows, len(tu.story.reports.Objects))
	}
	if tu.model.counts.Unread != 0 {
		t.Errorf("opening the story left %d unread", tu.model.counts.Unread)
	}
	// The last report shown in the story view.
	test.Tap(tu.story.reports.Objects[2].(*reportLine))
	if tu.story.report == nil || tu.story.report.Article.FeedName != "Abendzeitung" || !tu.story.repTitle.Visible() {
		t.Fatalf("shown report %+v", tu.story.report)
	}
	// Keyboard: the cursor skips the report rows.
	tu.timeline.moveCursor(1)
	if r := m.rows[tu.timeline.cursor]; !r.isStory() {
		t.Errorf("the cursor stands on row %+v", r)
	}
}
