package app

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// TestAlertNotesAreInert: what a feed put in a story reaches the
// notification daemon as text: no control character, and in the body
// (which freedesktop daemons read as markup) no markup. (When to notify
// is the engine's decision, tested in monitor/alert.)
func TestAlertNotesAreInert(t *testing.T) {
	test.NewTempApp(t)
	if err := loadTranslations("en"); err != nil {
		t.Fatal(err)
	}
	a := monitor.Alert{
		Title: msg.NewCountOne("{{.Topic}} — {{.N}} new stories", "{{.Topic}} — 1 new story", 1, "Topic", "Ukraine\x1b[31m"),
		Body:  msg.Literal(`Krieg <a href="javascript:alert(1)">Klick</a> & mehr` + "\x1b[2J — F<b>"),
	}
	title, body := alertNote(a)
	want := `Krieg &lt;a href="javascript:alert(1)"&gt;Klick&lt;/a&gt; &amp; mehr[2J — F&lt;b&gt;`
	if body != want || title != "Ukraine[31m — 1 new story" {
		t.Errorf("note = %q, %q; want body %q", title, body, want)
	}
}
