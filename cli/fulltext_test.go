package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestFullTextOnTheCommandLine: a teaser feed's story whose page names
// the topic is printed by check once, the feed list shows what automatic
// decided and the misses, and feeds set changes the setting.
func TestFullTextOnTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/rss":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Morgenpost</title>
<item><guid>1</guid><title>Außenminister in Genf</title><description>Der russische Außenminister traf …</description><link>%[1]s/genf</link></item>
<item><guid>2</guid><title>Abo-Artikel</title><description>Nur mit Abo.</description><link>%[1]s/abo</link></item>
</channel></rss>`, srv.URL)
		case "/genf":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<html><body><article><h1>Außenminister in Genf</h1><p>"+
				strings.Repeat("Die Gespräche in Genf dauerten bis in den Abend. ", 5)+"</p><p>Der russische Außenminister Sergej Lawrow sprach von offenen Gesprächen. "+
				strings.Repeat("Eine gemeinsame Erklärung gab es nicht. ", 5)+"</p></article></body></html>")
		default:
			http.Error(w, "Forbidden", http.StatusForbidden)
		}
	}))
	defer srv.Close()
	mustRun(t, dir, "feeds", "add", srv.URL+"/rss")
	mustRun(t, dir, "topics", "add", "Lawrow")
	out := mustRun(t, dir, "check")
	for _, want := range []string{"[Lawrow] Morgenpost — Außenminister in Genf", "1 full text read",
		"pages    Morgenpost: Full text missing for 1 of 2 articles: the site answered 403."} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "[Lawrow]") != 1 {
		t.Errorf("check printed the match more than once:\n%s", out)
	}
	out = mustRun(t, dir, "feeds", "list")
	if !strings.Contains(out, "auto (on)") || !strings.Contains(out, "Morgenpost: Full text missing for 1 of 2 articles: the site answered 403.") {
		t.Errorf("feeds list:\n%s", out)
	}
	out = mustRun(t, dir, "feeds", "set", srv.URL+"/rss", "--full-text", "off")
	if !strings.Contains(out, "Full articles: off — only what the feed carries is matched.") {
		t.Errorf("feeds set:\n%s", out)
	}
	if out := mustRun(t, dir, "feeds", "list"); !strings.Contains(out, " off ") {
		t.Errorf("feeds list after set:\n%s", out)
	}
	if r := runCLI(t, dir, "feeds", "set", srv.URL+"/rss", "--full-text", "maybe"); r.code != 2 ||
		!strings.Contains(r.err, "“maybe” is not a full-text setting; use on, off or auto.") {
		t.Errorf("bad setting: %d %q", r.code, r.err)
	}
	if r := runCLI(t, dir, "feeds", "set", srv.URL+"/rss"); r.code != 2 || !strings.Contains(r.err, "say what to change") {
		t.Errorf("nothing to set: %d %q", r.code, r.err)
	}
}
