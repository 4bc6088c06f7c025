package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/store"
)

// memFeeds answers HTTP requests from memory, so screens show fixed
// addresses.
type memFeeds map[string]string

func (m memFeeds) RoundTrip(r *http.Request) (*http.Response, error) {
	body, ok := m[r.URL.String()]
	status := http.StatusOK
	if !ok {
		status, body = http.StatusNotFound, ""
	}
	return &http.Response{StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Header: http.Header{"Content-Type": {"application/rss+xml"}}, Body: io.NopCloser(strings.NewReader(body)),
		Request: r, ProtoMajor: 1, ProtoMinor: 1}, nil
}

func rss(title string, offset time.Duration, items ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<rss version="2.0"><channel><title>%s</title><link>https://news.example/</link>`, title)
	for i, it := range items {
		t, d, _ := strings.Cut(it, "|")
		fmt.Fprintf(&b, `<item><guid>%s-%d</guid><title>%s</title><description>%s</description><link>https://news.example/%s/%d</link><pubDate>%s</pubDate></item>`,
			title, i, t, d, strings.ToLower(title), i, testNow.Add(-offset-time.Duration(i)*7*time.Hour).Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// TestScreensRenderToMarkup keeps the main screens as they are, in
// English and in German: a changed layout fails here and writes the new
// rendering to testdata/failed/.
func TestScreensRenderToMarkup(t *testing.T) {
	for _, lang := range []string{"en", "de"} {
		t.Run(lang, func(t *testing.T) { renderScreens(t, lang) })
	}
}

func renderScreens(t *testing.T, lang string) {
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLanguage, lang)
	t.Cleanup(func() { loadTranslations("en") })
	master := func(name string) string {
		if lang == "en" {
			return name + ".xml"
		}
		return lang + "/" + name + ".xml"
	}
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	feeds := memFeeds{
		"https://news.example/tagesblatt.xml": rss("Tagesblatt", 0,
			"Ukraine: Waffenruhe im Osten gebrochen|Die Regierung in Kiew meldet neue Angriffe.",
			"Nordkoreanische Außenministerin trifft Sergej Lawrow|Gespräche in Moskau über Pjöngjangs Raketen.",
			"Bahnstreik am Montag|Kein Thema für die Topics."),
		"https://news.example/world.xml": rss("World Report", 90*time.Minute,
			"Ukraine's grain exports recover|Kyiv expects a good harvest.",
			"EU ministers meet in Brussels|Nothing on Ukraine here, said no one."),
	}
	svc := monitor.New(monitor.Config{Store: st, Now: func() time.Time { return testNow },
		Client: &http.Client{Transport: feeds}})
	defer svc.Close()
	ctx := context.Background()
	for _, u := range []string{"https://news.example/tagesblatt.xml", "https://news.example/world.xml", "https://news.example/gone.xml"} {
		if _, err := svc.AddFeed(ctx, u, monitor.AddFeedOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	svc.AddTopic(ctx, monitor.Topic{Name: "Ukraine", Enabled: true, Notify: true, Color: "#1e88e5"})
	svc.AddTopic(ctx, monitor.Topic{Name: "Nordkorea", Query: "Nordkorea OR Pjöngjang", Enabled: true, Notify: true, Color: "#e53935"})
	svc.Check(ctx, monitor.CheckOptions{})

	u := New(a, svc, Options{Synchronous: true, NoWelcome: true, Now: func() time.Time { return testNow },
		Notify: func(string, string) {}})
	u.attach()
	defer u.Stop()
	u.win.Resize(fyne.NewSize(1200, 760))
	test.AssertObjectRendersToMarkup(t, master("timeline_empty_story"), u.win.Content())

	u.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyDown})
	u.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	test.AssertObjectRendersToMarkup(t, master("timeline_story"), u.win.Content())

	u.tabs.SelectIndex(1)
	u.topics.list.Select(0)
	test.AssertObjectRendersToMarkup(t, master("topics"), u.win.Content())

	u.tabs.SelectIndex(2)
	u.feeds.list.Select(0)
	test.AssertObjectRendersToMarkup(t, master("feeds"), u.win.Content())

	u.tabs.SelectIndex(3)
	test.AssertObjectRendersToMarkup(t, master("alerts"), u.win.Content())

	u.tabs.SelectIndex(4)
	test.AssertObjectRendersToMarkup(t, master("settings"), u.win.Content())
}
