package app

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"codeberg.org/newswatch/newswatch/monitor"
)

// TestPlanNotesAreInert: what a feed put in a story reaches the
// notification daemon as text: no control character, and in the body
// (which freedesktop daemons read as markup) no markup.
func TestPlanNotesAreInert(t *testing.T) {
	a := test.NewTempApp(t)
	if err := loadTranslations("en"); err != nil {
		t.Fatal(err)
	}
	ev := monitor.CycleEvent{NewStories: []monitor.Match{{TopicID: 1, TopicName: "Ukraine",
		Article: monitor.Article{Title: `Krieg <a href="javascript:alert(1)">Klick</a> & mehr` + "\x1b[2J", FeedName: "F<b>"}}}}
	topics := []monitor.Topic{{ID: 1, Name: "Ukraine", Enabled: true, Notify: true}}
	notes := planNotes(ev, topics, prefs{a.Preferences()}, time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	if len(notes) != 1 {
		t.Fatalf("notes = %+v", notes)
	}
	want := `Krieg &lt;a href="javascript:alert(1)"&gt;Klick&lt;/a&gt; &amp; mehr[2J — F&lt;b&gt;`
	if notes[0].body != want || notes[0].title != "Ukraine — 1 new story" {
		t.Errorf("note = %+v, want body %q", notes[0], want)
	}
}
