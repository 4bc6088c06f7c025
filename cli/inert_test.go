package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestErrorSentenceStaysUTF8: an error that starts with a quote is
// printed as it is, not with its first byte cut out of the quote.
func TestErrorSentenceStaysUTF8(t *testing.T) {
	r := runCLI(t, t.TempDir(), "feeds", "add", "example.com")
	want := "newswatch: “example.com” is not a full address; it needs http:// or https:// in front.\n"
	if r.code != 1 || r.err != want || !utf8.ValidString(r.err) {
		t.Fatalf("exit %d, stderr %q, want %q", r.code, r.err, want)
	}
}

// terminalSafe reports whether s holds nothing a terminal acts on or that
// reorders text: no control character but newline, no C1 control, no bidi
// or other invisible format character (other than word joiners).
func terminalSafe(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\n' || r >= 0x7f && r <= 0x9f || unicode.Is(unicode.Cf, r) && r != '\u200c' && r != '\u200d' && r != '\u00ad' {
			return false
		}
	}
	return true
}

// TestCheckOutputIsTerminalSafe: a feed whose name, stories and server
// talk in escape sequences and bidi overrides is printed by check, feeds
// list and topics test without any of them, next to a good feed whose
// match is printed.
func TestCheckOutputIsTerminalSafe(t *testing.T) {
	dir := t.TempDir()
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>` +
			`<title>Evil &amp;#27;]0;owned&amp;#7; ` + "\u202e" + `sweN</title>` +
			`<item><guid>1</guid><title>Ukraine &amp;#27;[2J&amp;#27;[31mrot ` + "\u2066x\u2069" + `</title>` +
			`<link>https://evil.example/a</link><description>&amp;#x9b;1m Text</description></item></channel></rss>`))
	}))
	defer evil.Close()
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, _ := w.(http.Hijacker).Hijack()
		buf.WriteString("HTTP/1.1 500 Oops\x1b]0;owned\x07\u202e\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		buf.Flush()
		conn.Close()
	}))
	defer broken.Close()
	news := newNewsServer(t, "Ukraine: Gipfel in Genf")
	mustRun(t, dir, "feeds", "add", evil.URL, "--name", "Böse\x1b[5m \u202eName")
	mustRun(t, dir, "feeds", "add", broken.URL, "--no-check")
	mustRun(t, dir, "feeds", "add", news.srv.URL)
	mustRun(t, dir, "topics", "add", "Ukraine")

	check := runCLI(t, dir, "check")
	if !strings.Contains(check.out, "[Ukraine] Morgenpost — Ukraine: Gipfel in Genf") {
		t.Errorf("the good feed's match is missing:\n%s", check.out)
	}
	if !strings.Contains(check.out, "[Ukraine] Böse[5m Name — Ukraine [2J[31mrot x") {
		t.Errorf("the evil feed's match:\n%s", check.out)
	}
	if !strings.Contains(check.out, "The server had an internal problem (500 Oops]0;owned).") {
		t.Errorf("the broken server's sentence:\n%s", check.out)
	}
	for _, out := range []string{check.out, check.err, mustRun(t, dir, "feeds", "list"),
		mustRun(t, dir, "topics", "test", "Ukraine OR rot", "--since", "all"), mustRun(t, dir, "feeds", "export")} {
		if !terminalSafe(out) {
			t.Errorf("output holds control or format characters: %q", out)
		}
	}
}
