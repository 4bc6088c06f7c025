package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"codeberg.org/newswatch/newswatch/monitor"
)

// TestFullTextInTheApp: a teaser feed's story whose web page names the
// topic gives one notification naming the topic; the story view shows
// the page's text with the hit in bold; the feed's form shows the
// setting, what automatic decided, and saves a change.
func TestFullTextInTheApp(t *testing.T) {
	tu := newTestUI(t)
	ctx := context.Background()
	var items []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/genf" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<html><body><article><h1>Minister in Genf</h1><p>"+strings.Repeat("Die Gespräche dauerten bis in den Abend. ", 6)+
				"</p><p>Der russische Außenminister Sergej Lawrow sprach von offenen Gesprächen.</p><p>"+
				strings.Repeat("Eine gemeinsame Erklärung gab es nicht. ", 6)+"</p></article></body></html>")
			return
		}
		if r.URL.Path != "/rss" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Morgenpost</title>`+strings.Join(items, "")+`</channel></rss>`)
	}))
	defer srv.Close()
	item := func(guid, title, teaser, path string) string {
		return fmt.Sprintf(`<item><guid>%s</guid><title>%s</title><description>%s</description><link>%s%s</link></item>`, guid, title, teaser, srv.URL, path)
	}
	items = []string{item("1", "Wetter", "Es schneit.", "/wetter")}
	f, err := tu.svc.AddFeed(ctx, srv.URL+"/rss", monitor.AddFeedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tu.svc.AddTopic(ctx, monitor.Topic{Name: "Lawrow", Enabled: true, Notify: true})
	tu.check(t)
	tu.takeNotes()

	items = append([]string{item("2", "Minister in Genf", "Der russische Außenminister traf seinen Amtskollegen.", "/genf"),
		item("3", "Sport", "Ein Spiel.", "/gone")}, items...)
	tu.check(t)
	notes := tu.takeNotes()
	if len(notes) != 1 || notes[0].title != "Lawrow — 1 new story" || notes[0].body != "Minister in Genf — Morgenpost" {
		t.Fatalf("notifications = %+v, want one naming Lawrow", notes)
	}
	tu.check(t)
	if n := tu.takeNotes(); len(n) != 0 {
		t.Fatalf("a further check notified %+v", n)
	}

	if got := tu.storyTitles(); len(got) != 1 || got[0] != "Minister in Genf" {
		t.Fatalf("timeline = %q", got)
	}
	for _, r := range tu.model.rows {
		if r.id != 0 {
			tu.model.open(r.id)
		}
	}
	if tu.story.story == nil || !tu.story.fullBox.Visible() {
		t.Fatalf("the story view shows no full text")
	}
	var shown []string
	for _, w := range tu.story.full.words {
		if !w.brk {
			shown = append(shown, w.text)
		}
	}
	if txt := strings.Join(shown, " "); !strings.Contains(txt, "Der russische Außenminister Sergej Lawrow sprach") || strings.Contains(txt, "<") {
		t.Errorf("full text shown = %q", txt)
	}
	if !tu.story.where.Visible() || tu.story.where.Text != "Found in the text of the web page: Lawrow" {
		t.Errorf("where = %q (visible %v)", tu.story.where.Text, tu.story.where.Visible())
	}
	var bold []string
	for _, w := range tu.story.full.words {
		if w.bold {
			bold = append(bold, w.text)
		}
	}
	if len(bold) != 1 || bold[0] != "Lawrow" {
		t.Errorf("bold words = %q, want Lawrow", bold)
	}

	// The feed's form.
	tu.feeds.refresh()
	tu.feeds.list.Select(0)
	ft := tu.feeds.fullText
	if ft.choice.Selected != "Automatic" || !strings.Contains(ft.state.Text, "Full articles: automatic, on — this feed's stories are teasers") {
		t.Errorf("form: %q, %q", ft.choice.Selected, ft.state.Text)
	}
	if !ft.missed.Visible() || ft.missed.Text != "Full text missing for 1 of 2 articles: the site answered 404." {
		t.Errorf("missed: %v %q", ft.missed.Visible(), ft.missed.Text)
	}
	ft.choice.SetSelected("Off")
	test.Tap(tu.feeds.saveBtn)
	if got, _ := tu.svc.FeedByURL(ctx, f.URL); got.FullText != monitor.FullTextOff {
		t.Errorf("saved setting %q, want off", got.FullText)
	}
}
