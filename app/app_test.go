package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	_ "codeberg.org/newswatch/newswatch/internal/localefix" // quiet under LANG=C.UTF-8
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/store"
)

func TestMain(m *testing.M) {
	time.Local = time.UTC // screens show local times; masters are in UTC
	os.Exit(m.Run())
}

var testNow = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)

// newsFeed is an RSS feed on loopback whose stories can grow.
type newsFeed struct {
	mu    sync.Mutex
	items []string // "title|summary", newest first
	srv   *httptest.Server
}

func newNewsFeed(t *testing.T, items ...string) *newsFeed {
	f := &newsFeed{items: items}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		etag := fmt.Sprintf(`"%d"`, len(f.items))
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Morgenpost</title><link>https://morgenpost.example/</link>`)
		for i, it := range f.items {
			title, summary, _ := strings.Cut(it, "|")
			n := len(f.items) - i
			fmt.Fprintf(&b, `<item><guid>%d</guid><title>%s</title><description>%s</description><link>https://morgenpost.example/%d</link><pubDate>%s</pubDate></item>`,
				n, title, summary, n, testNow.Add(-time.Duration(i)*5*time.Hour).Format(time.RFC1123Z))
		}
		b.WriteString(`</channel></rss>`)
		w.Write([]byte(b.String()))
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *newsFeed) publish(items ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.items = append(items, f.items...)
}

type sentNote struct{ title, body string }

// testUI is the app on a real engine in a temporary directory, with
// Fyne's test driver and a recorder for notifications.
type testUI struct {
	*UI
	svc   *monitor.Service
	mu    sync.Mutex
	notes []sentNote
}

func newTestUI(t *testing.T, opts ...func(*Options)) *testUI {
	t.Helper()
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLanguage, "en") // not the machine's
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc := monitor.New(monitor.Config{Store: st, Now: func() time.Time { return testNow }})
	tu := &testUI{svc: svc}
	o := Options{Synchronous: true, NoWelcome: true, Now: func() time.Time { return testNow },
		Notify: func(title, body string) {
			tu.mu.Lock()
			defer tu.mu.Unlock()
			tu.notes = append(tu.notes, sentNote{title, body})
		}}
	for _, f := range opts {
		f(&o)
	}
	tu.UI = New(a, svc, o)
	tu.attach()
	t.Cleanup(func() {
		tu.Stop()
		svc.Close()
	})
	return tu
}

func (tu *testUI) takeNotes() []sentNote {
	tu.mu.Lock()
	defer tu.mu.Unlock()
	n := tu.notes
	tu.notes = nil
	return n
}

func (tu *testUI) check(t *testing.T) {
	t.Helper()
	if _, err := tu.svc.Check(context.Background(), monitor.CheckOptions{}); err != nil {
		t.Fatal(err)
	}
}

// storyTitles lists the titles of the timeline's story rows.
func (tu *testUI) storyTitles() []string {
	var out []string
	for i, r := range tu.model.rows {
		if r.id != 0 {
			if s := tu.model.story(i); s != nil {
				out = append(out, s.Article.Title)
			}
		}
	}
	return out
}

func TestAddTopicThenFilterTimeline(t *testing.T) {
	tu := newTestUI(t)
	feed := newNewsFeed(t, "Ukraine: Waffenruhe gebrochen|Kiew meldet Angriffe", "Nordkorea testet Rakete|Aus Pjöngjang",
		"Wetter: Sturm|Kein Thema")
	if _, err := tu.svc.AddFeed(context.Background(), feed.srv.URL, monitor.AddFeedOptions{}); err != nil {
		t.Fatal(err)
	}
	tu.check(t) // no topics yet: stories stored, nothing matched

	v := tu.topics
	test.Tap(tu.topics.saveBtn) // nothing typed: disabled, no topic
	test.Type(v.name, "Ukraine")
	if v.problem.Visible() {
		t.Fatalf("problem shown for a good query: %q", v.problem.Text)
	}
	if !strings.Contains(v.preview.Text, "1 story in the last 30 days") {
		t.Errorf("preview = %q", v.preview.Text)
	}
	test.Tap(v.saveBtn)
	test.Type(v.name, "x") // the editor now edits the saved topic
	v.list.UnselectAll()
	v.edit(nil)
	test.Type(v.name, "Nordkorea")
	test.Type(v.query, `Nordkorea "unclosed`)
	if !v.problem.Visible() || v.problem.Text != "Unclosed quote at column 11." || !v.saveBtn.Disabled() {
		t.Fatalf("problem = %q (visible %v), save disabled %v", v.problem.Text, v.problem.Visible(), v.saveBtn.Disabled())
	}
	v.query.SetText("Nordkorea OR Pjöngjang")
	test.Tap(v.saveBtn)

	// Saving filled the timeline with the past matches, without alerts.
	if got := tu.storyTitles(); len(got) != 2 {
		t.Fatalf("timeline = %q, want the two matching stories", got)
	}
	if n := tu.takeNotes(); len(n) != 0 {
		t.Fatalf("applying a new topic notified: %v", n)
	}
	// The side list has All, Unread, Starred and the two topics.
	side := tu.timeline.side.items
	if len(side) != 5 || side[3].label != "Nordkorea" || side[4].label != "Ukraine" || side[4].count != 1 {
		t.Fatalf("side list = %+v", side)
	}
	tu.timeline.side.list.Select(4)
	if got := tu.storyTitles(); len(got) != 1 || got[0] != "Ukraine: Waffenruhe gebrochen" {
		t.Fatalf("Ukraine filter shows %q", got)
	}
	// Search narrows further.
	tu.timeline.side.list.Select(0)
	test.Type(tu.timeline.search, "pjoeng")
	if got := tu.storyTitles(); len(got) != 1 || got[0] != "Nordkorea testet Rakete" {
		t.Fatalf("search shows %q", got)
	}
}

func TestOpenStoryMarksReadAndKeyboard(t *testing.T) {
	tu := newTestUI(t)
	feed := newNewsFeed(t, "Ukraine eins|a", "Ukraine zwei|b", "Ukraine drei|c")
	tu.svc.AddFeed(context.Background(), feed.srv.URL, monitor.AddFeedOptions{})
	tu.svc.AddTopic(context.Background(), monitor.Topic{Name: "Ukraine", Enabled: true, Notify: true})
	tu.check(t)
	if tu.model.counts.Unread != 3 {
		t.Fatalf("unread = %d", tu.model.counts.Unread)
	}
	key := tu.win.Canvas().OnTypedKey()
	key(&fyne.KeyEvent{Name: fyne.KeyDown}) // to the first story (row 0 is a heading)
	if tu.story.story != nil {
		t.Fatal("moving the cursor opened a story")
	}
	key(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if tu.story.story == nil || tu.story.story.Article.Title != "Ukraine eins" || !tu.story.story.Read {
		t.Fatalf("Enter opened %+v", tu.story.story)
	}
	if tu.model.counts.Unread != 2 {
		t.Errorf("unread after opening = %d", tu.model.counts.Unread)
	}
	if got := tu.win.Title(); got != "Newswatch (2)" {
		t.Errorf("window title %q, want the unread count in it", got)
	}
	key(&fyne.KeyEvent{Name: fyne.KeySpace}) // toggle read back
	if tu.model.counts.Unread != 3 || tu.story.readBtn.Text != "Mark read" {
		t.Errorf("space: unread %d, button %q", tu.model.counts.Unread, tu.story.readBtn.Text)
	}
	key(&fyne.KeyEvent{Name: fyne.KeyDown})
	key(&fyne.KeyEvent{Name: fyne.KeyDown})
	key(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if tu.story.story.Article.Title != "Ukraine drei" {
		t.Errorf("after two downs: %q", tu.story.story.Article.Title)
	}
	test.Tap(tu.story.starBtn)
	tu.timeline.side.list.Select(2) // Starred
	if got := tu.storyTitles(); len(got) != 1 || got[0] != "Ukraine drei" {
		t.Errorf("starred = %q", got)
	}
}

func TestAddFeedErrors(t *testing.T) {
	tu := newTestUI(t)
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<html><head><link rel="alternate" type="application/rss+xml" href="/rss"></head><body>Hi</body></html>`))
	}))
	defer page.Close()
	v := tu.feeds
	for _, tt := range []struct{ url, want string }{
		{"ftp://example.org/feed", "uses ftp:, which Newswatch does not fetch"},
		{"example.org/feed", "needs http:// or https://"},
		{page.URL, "the page names its feed at " + page.URL + "/rss"},
	} {
		v.url.SetText(tt.url)
		test.Tap(v.addBtn)
		if !v.addError.Visible() || !strings.Contains(v.addError.Text, tt.want) {
			t.Errorf("%s: error %q (visible %v), want %q", tt.url, v.addError.Text, v.addError.Visible(), tt.want)
		}
	}
	if !v.useAlt.Visible() || !strings.Contains(v.useAlt.Text, page.URL+"/rss") {
		t.Errorf("no offer of the named feed: %q", v.useAlt.Text)
	}
	if feeds, _ := tu.svc.Feeds(context.Background()); len(feeds) != 0 {
		t.Errorf("refused addresses were stored: %+v", feeds)
	}
	good := newNewsFeed(t, "Eins|a")
	v.url.SetText(good.srv.URL)
	test.Tap(v.addBtn)
	v.refresh()
	if v.addError.Visible() || len(v.feeds) != 1 || v.feeds[0].Title != "Morgenpost" {
		t.Fatalf("good feed: error %q, feeds %+v", v.addError.Text, v.feeds)
	}
}

func TestExportCSV(t *testing.T) {
	tu := newTestUI(t)
	feed := newNewsFeed(t, "=HYPERLINK(\"x\") Ukraine|a", "Ukraine und Nordkorea|b", "Sport|c")
	tu.svc.AddFeed(context.Background(), feed.srv.URL, monitor.AddFeedOptions{})
	tu.svc.AddTopic(context.Background(), monitor.Topic{Name: "Ukraine", Enabled: true, Notify: true})
	tu.svc.AddTopic(context.Background(), monitor.Topic{Name: "Nordkorea", Enabled: true, Notify: true})
	tu.check(t)

	var buf bytes.Buffer
	n, err := tu.timeline.writeCSV(&buf, tu.model.filter)
	if err != nil || n != 3 {
		t.Fatalf("wrote %d rows, err %v; want 3 (one per story and topic)", n, err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"published", "first_seen", "topic", "matched_terms", "feed", "title", "link", "summary",
			"story", "story_title", "story_sources", "story_first_seen"},
		{"2026-11-25T09:30:00Z", "2026-11-25T09:30:00Z", "Ukraine", "Ukraine (title)", "Morgenpost", `'=HYPERLINK("x") Ukraine`, "https://morgenpost.example/3", "a",
			"1", `'=HYPERLINK("x") Ukraine`, "1", "2026-11-25T09:30:00Z"},
		{"2026-11-25T04:30:00Z", "2026-11-25T09:30:00Z", "Nordkorea", "Nordkorea (title)", "Morgenpost", "Ukraine und Nordkorea", "https://morgenpost.example/2", "b",
			"2", "Ukraine und Nordkorea", "1", "2026-11-25T04:30:00Z"},
		{"2026-11-25T04:30:00Z", "2026-11-25T09:30:00Z", "Ukraine", "Ukraine (title)", "Morgenpost", "Ukraine und Nordkorea", "https://morgenpost.example/2", "b",
			"2", "Ukraine und Nordkorea", "1", "2026-11-25T04:30:00Z"},
	}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Fatalf("CSV =\n%q\nwant\n%q", rows, want)
	}
	// The export follows the timeline's filter.
	tu.timeline.side.list.Select(3) // Nordkorea (topics by name: Nordkorea, Ukraine)
	if n, _ := tu.timeline.writeCSV(&bytes.Buffer{}, tu.model.filter); n != 1 {
		t.Errorf("filtered export wrote %d rows, want 1", n)
	}
	if name := tu.timeline.exportName(); name != "newswatch-Nordkorea-2026-11-25.csv" {
		t.Errorf("file name %q", name)
	}
}

func TestNotificationsOncePerTopicPerCycle(t *testing.T) {
	tu := newTestUI(t)
	feed := newNewsFeed(t, "Ukraine: alt|a")
	tu.svc.AddFeed(context.Background(), feed.srv.URL, monitor.AddFeedOptions{})
	ukr, _ := tu.svc.AddTopic(context.Background(), monitor.Topic{Name: "Ukraine", Enabled: true, Notify: true})
	tu.svc.AddTopic(context.Background(), monitor.Topic{Name: "Nordkorea", Enabled: true, Notify: true})
	tu.svc.AddTopic(context.Background(), monitor.Topic{Name: "Leise", Query: "Wetter", Enabled: true, Notify: false})

	tu.check(t) // the feed's first fetch: one summary, not a flood
	if n := tu.takeNotes(); len(n) != 1 || n[0].title != "Newswatch — 1 story in your new feeds" {
		t.Fatalf("first fetch notes = %+v", n)
	}
	feed.publish("Ukraine: eins|a", "Ukraine: zwei|b", "Nordkorea droht|c", "Ukraine: drei|d", "Wetter: Sturm|e")
	tu.check(t)
	notes := tu.takeNotes()
	want := []sentNote{
		{"Nordkorea — 1 new story", "Nordkorea droht — Morgenpost"},
		{"Ukraine — 3 new stories", "Ukraine: eins — Morgenpost"},
	}
	if fmt.Sprint(notes) != fmt.Sprint(want) {
		t.Fatalf("notes = %+v\nwant %+v", notes, want)
	}
	tu.check(t)
	if n := tu.takeNotes(); len(n) != 0 {
		t.Fatalf("a cycle with nothing new notified: %+v", n)
	}

	// Paused: stored, not announced.
	tu.acts.setPaused(true)
	feed.publish("Ukraine: vier|a")
	tu.check(t)
	if n := tu.takeNotes(); len(n) != 0 {
		t.Fatalf("paused but notified: %+v", n)
	}
	if !strings.Contains(tu.status.status.Text, "alerts paused") || tu.timeline.pauseBtn.Text != "Resume alerts" {
		t.Errorf("status %q, button %q", tu.status.status.Text, tu.timeline.pauseBtn.Text)
	}
	tu.acts.setPaused(false)
	// A topic with notifications off.
	ukr.Notify = false
	tu.svc.UpdateTopic(context.Background(), ukr)
	feed.publish("Ukraine: fünf|a")
	tu.check(t)
	if n := tu.takeNotes(); len(n) != 0 {
		t.Fatalf("topic with notify off notified: %+v", n)
	}
}

// The default notifier goes through Fyne's app (here: the test app).
func TestNotificationThroughFyne(t *testing.T) {
	a := test.NewTempApp(t)
	st, _ := store.Open(t.TempDir())
	svc := monitor.New(monitor.Config{Store: st, Now: func() time.Time { return testNow }})
	defer svc.Close()
	u := New(a, svc, Options{Synchronous: true, NoWelcome: true, Now: func() time.Time { return testNow },
		Notify: func(title, body string) { a.SendNotification(fyne.NewNotification(title, body)) }})
	u.attach()
	defer u.Stop()
	feed := newNewsFeed(t, "Alt|a")
	svc.AddFeed(context.Background(), feed.srv.URL, monitor.AddFeedOptions{})
	svc.AddTopic(context.Background(), monitor.Topic{Name: "Lawrow", Enabled: true, Notify: true})
	svc.Check(context.Background(), monitor.CheckOptions{})
	feed.publish("Lawrow trifft Wang Yi|a")
	test.AssertNotificationSent(t, fyne.NewNotification("Lawrow — 1 new story", "Lawrow trifft Wang Yi — Morgenpost"), func() {
		svc.Check(context.Background(), monitor.CheckOptions{})
	})
}
