package monitor_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// Article pages of our own writing, in the shape news sites give them:
// navigation, the article, a sidebar and a footer.
func articlePage(lang, charset, title string, paragraphs ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="%s"><head><meta charset="%s"><title>%s</title>`, lang, charset, title)
	b.WriteString(`<script>var tracking = {"user": "Lawrow"};</script></head><body>`)
	b.WriteString(`<header><nav><a href="/">Start</a> <a href="/politik">Politik</a> <a href="/sport">Sport</a></nav></header>`)
	fmt.Fprintf(&b, `<main><article><h1>%s</h1><p class="byline">Von der Redaktion</p>`, title)
	for _, p := range paragraphs {
		fmt.Fprintf(&b, "<p>%s</p>\n", p)
	}
	b.WriteString(`</article><aside class="sidebar"><h2>Meistgelesen</h2><ul><li><a href="/a">Wetter</a></li><li><a href="/b">Börse</a></li></ul></aside></main>`)
	b.WriteString(`<footer><p>© Tagesblatt · Impressum · Datenschutz</p></footer></body></html>`)
	return b.String()
}

var (
	germanPage = articlePage("de", "utf-8", "Außenminister beraten in Genf",
		"Genf. Die Außenminister Russlands und der Vereinigten Staaten sind am Montag zu Gesprächen über die Lage in der Ukraine zusammengekommen. Das Treffen im Hotel am See dauerte mehr als vier Stunden.",
		"Der russische Außenminister Sergej Lawrow sagte anschließend, beide Seiten hätten „offen und sachlich“ gesprochen. Eine gemeinsame Erklärung gab es nicht; die Delegationen wollen sich in zwei Wochen wieder treffen.",
		"Beobachter in Genf werteten das Treffen als vorsichtiges Zeichen der Entspannung. Die Gespräche sollen auf der Ebene der Stellvertreter fortgesetzt werden, hieß es aus Diplomatenkreisen.")
	englishPage = articlePage("en", "utf-8", "Harbour strike ends after nine days",
		"Rotterdam. Dock workers returned to the container terminals on Tuesday after a nine-day strike that left more than forty ships waiting at anchor off the coast.",
		"The union and the port operators agreed on a wage rise of four per cent this year and a further three per cent next year, a spokeswoman for the union said at a press conference in the harbour office.",
		"Shipping companies warned that clearing the backlog of containers would take at least two weeks, and some retailers expect delays in deliveries before the holidays.")
	frenchPage = articlePage("fr", "iso-8859-1", "Le ministre des Affaires étrangères à Genève",
		"Genève. Le ministre des Affaires étrangères a rencontré lundi son homologue pour des discussions sur la sécurité européenne, qui ont duré plus de quatre heures dans un hôtel au bord du lac.",
		"« Nous avons parlé franchement », a déclaré le ministre à la sortie, en précisant qu'aucune déclaration commune n'était prévue. Les délégations se retrouveront dans deux semaines.",
		"Les observateurs à Genève voient dans cette rencontre un signe prudent de détente entre les deux pays, après des mois de tensions diplomatiques.")
	paywallPage = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Exklusiv</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Exklusiv: Das Ministerium plant um","isAccessibleForFree":false}</script></head>
<body><article><h1>Exklusiv: Das Ministerium plant um</h1><p>Das Ministerium plant eine neue Abteilung.</p>
<div class="paywall"><p>Weiterlesen mit Abo: Jetzt für 1 € im ersten Monat testen.</p><a href="/abo">Abo abschließen</a></div></article></body></html>`
)

// pageServer serves the article pages and counts each page's requests.
type pageServer struct {
	mu      sync.Mutex
	hits    map[string]int
	release chan struct{}
}

func (p *pageServer) count(path string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hits[path]
}

func (p *pageServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.hits[r.URL.Path]++
	p.mu.Unlock()
	switch r.URL.Path {
	case "/de/lawrow":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, germanPage)
	case "/en/harbour":
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, englishPage)
	case "/fr/geneve":
		w.Header().Set("Content-Type", "text/html") // the charset is in the page's <meta>
		b, _ := charmap.ISO8859_1.NewEncoder().String(frenchPage)
		fmt.Fprint(w, b)
	case "/paywall":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, paywallPage)
	case "/huge":
		// 50 MB: an article, then padding without end.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", fmt.Sprint(50<<20))
		head := articlePage("de", "utf-8", "Ein sehr langer Bericht", strings.Repeat("Der Bericht über den Haushalt des Landes umfasst viele Seiten und Tabellen. ", 8))
		head = strings.TrimSuffix(head, "</body></html>")
		fmt.Fprint(w, head)
		pad := []byte(strings.Repeat("<!-- padding padding padding padding -->\n", 1024))
		for sent := len(head); sent < 50<<20; sent += len(pad) {
			if _, err := w.Write(pad[:min(len(pad), 50<<20-sent)]); err != nil {
				return
			}
		}
	case "/slow":
		select {
		case <-p.release:
		case <-r.Context().Done():
		}
	case "/to-file":
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	case "/forbidden":
		http.Error(w, "Forbidden", http.StatusForbidden)
	default:
		http.NotFound(w, r)
	}
}

// TestFullTextNextToHostilePages: one cycle over a teaser feed whose
// article pages are German (UTF-8), English and French (Latin-1), and
// feeds whose pages are a paywall stub, a 50 MB page, a slow page and a
// page redirecting to file:. The topic found only in a body matches
// once, as a new match found in the text; each hostile page gives its
// feed one clear sentence and changes nothing else; no page is fetched
// twice.
func TestFullTextNextToHostilePages(t *testing.T) {
	clock := newClock()
	pages := &pageServer{hits: map[string]int{}, release: make(chan struct{})}
	psrv := serve(t, pages)
	defer close(pages.release)
	news := &fakeFeed{title: "Tagesblatt", items: []testItem{
		{GUID: "old", Title: "Wetter: Schnee im Harz", Description: "Im Harz hat es geschneit.", Link: psrv.URL + "/de/old"},
	}}
	nsrv := serve(t, news)
	hostile := map[string]*fakeFeed{}
	for _, path := range []string{"/paywall", "/huge", "/slow", "/to-file"} {
		hostile[path] = &fakeFeed{title: "Feed " + path}
	}
	svc := openService(t, t.TempDir(), clock)
	svc.Fetcher().Timeout = 3 * time.Second
	ctx := context.Background()
	mustAddFeed(t, svc, nsrv.URL+"/news")
	for path, ff := range hostile {
		srv := serve(t, ff)
		mustAddFeed(t, svc, srv.URL+"/feed")
		ff.add(testItem{GUID: "h0", Title: "Vorab " + path, Description: "Kurz.", Link: psrv.URL + "/old" + path})
	}
	lawrow := mustAddTopic(t, svc, "Lawrow", "")
	mustAddTopic(t, svc, "Streik", "Streik OR strike")
	mustCheck(t, svc) // the backlog: the feeds' first items

	clock.Advance(10 * time.Minute)
	news.add(
		testItem{GUID: "de", Title: "Außenminister beraten in Genf", Description: "Der russische Außenminister traf seinen Amtskollegen …", Link: psrv.URL + "/de/lawrow"},
		testItem{GUID: "en", Title: "Harbour strike ends", Description: "Dock workers are back.", Link: psrv.URL + "/en/harbour"},
		testItem{GUID: "fr", Title: "Rencontre à Genève", Description: "Le ministre a rencontré son homologue.", Link: psrv.URL + "/fr/geneve"},
	)
	for path, ff := range hostile {
		ff.add(testItem{GUID: "h1", Title: "Bericht " + path, Description: "Kurz gesagt.", Link: psrv.URL + path})
	}
	var events []monitor.CycleEvent
	var evMu sync.Mutex
	cancel := svc.Subscribe(func(e monitor.Event) {
		if e.Cycle != nil {
			evMu.Lock()
			events = append(events, *e.Cycle)
			evMu.Unlock()
		}
	})
	ev := mustCheck(t, svc)
	cancel()

	// The feeds' part announces the strike (in a title); the pages' part
	// the Lawrow story, found only in its text.
	if len(events) != 2 || events[0].Pages != nil || events[1].Pages == nil {
		t.Fatalf("events = %+v, want the feeds' part, then the pages'", events)
	}
	if got := titles(events[0].Matches); len(got) != 1 || got[0] != "Streik: Harbour strike ends" {
		t.Errorf("first part's matches = %q", got)
	}
	m := events[1].Matches
	if len(m) != 1 || m[0].TopicID != lawrow.ID || m[0].Backlog {
		t.Fatalf("pages' matches = %q, want Lawrow once", titles(m))
	}
	// Its alert comes in the second part's event too.
	if a := events[1].Alerts; len(a) != 1 || a[0].TopicID != lawrow.ID || a[0].Status != alert.Shown || len(ev.Alerts) != 2 {
		t.Errorf("pages' alerts = %+v (of both parts %d), want Lawrow's, shown", a, len(ev.Alerts))
	}
	for _, h := range m[0].Hits {
		if h.Field != query.FullText || m[0].Article.HitText(h) != "Lawrow" {
			t.Errorf("hit %+v (%q), want Lawrow in the full text", h, m[0].Article.HitText(h))
		}
	}
	if len(ev.Matches) != 2 || ev.Pages == nil || ev.Pages.Read != 4 || ev.Pages.Missed != 3 {
		t.Errorf("Check returned %d matches and pages %+v, want both parts: 4 read (3 news, the huge one in part), 3 missed", len(ev.Matches), ev.Pages)
	}

	// Each hostile page gives its feed one sentence; the news feed none.
	want := map[string]string{
		"/paywall": "full text missing for 1 of 1 articles: the page is behind a paywall",
		"/huge":    "full text of 1 of 1 articles read only in part: the page was larger than 4 MB or arrived too slowly",
		"/slow":    "full text missing for 1 of 1 articles: the page did not arrive within 3 seconds",
		"/to-file": "full text missing for 1 of 1 articles: the page redirected to “file:///etc/passwd”, which is not a web address",
	}
	feeds, _ := svc.Feeds(ctx)
	for _, f := range feeds {
		if !f.Healthy() || !f.Teasers || !f.ReadsFullText() {
			t.Errorf("%s: healthy %v, teasers %v (%v)", f.Title, f.Healthy(), f.Teasers, f.LastError)
		}
		path := strings.TrimPrefix(f.Title, "Feed ")
		if got := f.PagesNote.String(); got != want[path] {
			t.Errorf("%s: note %q, want %q", f.Title, got, want[path])
		}
	}

	// The texts: plain, decoded once, without the page's furniture.
	texts := map[string]string{}
	stories, err := svc.Matches(ctx, monitor.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stories {
		texts[s.Article.Title] = s.Article.FullText
	}
	if txt := texts["Außenminister beraten in Genf"]; !strings.Contains(txt, "Der russische Außenminister Sergej Lawrow sagte anschließend, beide Seiten hätten „offen und sachlich“ gesprochen.") ||
		strings.Contains(txt, "Meistgelesen") || strings.Contains(txt, "Impressum") || strings.Contains(txt, "<") || strings.Contains(txt, "tracking") {
		t.Errorf("German text = %q", txt)
	}
	if txt := texts["Harbour strike ends"]; !strings.Contains(txt, "a wage rise of four per cent") {
		t.Errorf("English text = %q", txt)
	}
	// The French page (Latin-1) is found by its text, decoded once; the
	// backtest explains that it was found in the text.
	bt, err := svc.Backtest(ctx, `"son homologue pour des discussions sur la sécurité européenne"`, monitor.BacktestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if bt.Total != 1 || bt.Newest[0].Article.Title != "Rencontre à Genève" || bt.Newest[0].Hits[0].Field != query.FullText {
		t.Errorf("backtest over the French text: %+v", bt)
	}

	// Nothing is fetched again, nothing announced again.
	clock.Advance(10 * time.Minute)
	news.add(testItem{GUID: "later", Title: "Später", Description: "Noch eine Meldung.", Link: psrv.URL + "/de/later"})
	ev = mustCheck(t, svc)
	if len(ev.Matches) != 0 {
		t.Errorf("second check announced %q", titles(ev.Matches))
	}
	for _, path := range []string{"/de/lawrow", "/en/harbour", "/fr/geneve", "/paywall", "/huge", "/slow", "/to-file",
		"/de/old", "/old/paywall", "/de/later"} {
		if n := pages.count(path); n != 1 {
			t.Errorf("%s fetched %d times", path, n)
		}
	}
}
