package alert

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// world keeps what the store keeps between rounds: the pending alerts,
// the topics' states and the feeds' coverage, and the history.
type world struct {
	settings Settings
	topics   map[int64]Topic
	loc      *time.Location
	pending  []Alert
	state    map[int64]TopicState
	history  []Alert
	nextID   int64
}

func newWorld(topics ...Topic) *world {
	w := &world{settings: DefaultSettings, topics: map[int64]Topic{}, loc: time.UTC, state: map[int64]TopicState{}}
	for _, t := range topics {
		w.topics[t.ID] = t
	}
	return w
}

// round decides, records like the store and returns the round's alerts.
func (w *world) round(now time.Time, stories ...Story) []Alert {
	out := Decide(Input{Now: now, Loc: w.loc, Settings: w.settings, Topics: w.topics, Stories: stories,
		Pending: slices.Clone(w.pending), State: w.state})
	ids := make([]int64, len(out.Alerts))
	for i := range out.Alerts {
		w.nextID++
		ids[i] = w.nextID
		out.Alerts[i].ID = w.nextID
	}
	keep := w.pending[:0]
	for _, p := range w.pending {
		if i, ok := out.Gathered[p.ID]; ok {
			p.Status, p.SummaryID = Gathered, ids[i]
			w.history = append(w.history, p)
			continue
		}
		keep = append(keep, p)
	}
	w.pending = keep
	for _, a := range out.Alerts {
		if a.Status == Pending {
			w.pending = append(w.pending, a)
		}
	}
	w.history = append(w.history, out.Alerts...)
	for id, st := range out.State {
		w.state[id] = st
	}
	return out.Alerts
}

// show renders alerts as "status reason: title | body" lines.
func show(as []Alert) string {
	var b strings.Builder
	for _, a := range as {
		fmt.Fprintf(&b, "%s", a.Status)
		if a.Reason != "" {
			fmt.Fprintf(&b, " %s", a.Reason)
		}
		fmt.Fprintf(&b, ": %s | %s %v\n", a.Title, a.Body, a.Stories)
	}
	return b.String()
}

var day = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

func at(h, m int) time.Time {
	return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
}

func story(id, topic int64, title string, pub time.Time) Story {
	return Story{ID: id, TopicID: topic, Title: title, Feed: "Morgenpost", Published: pub}
}

// The cases of the app's former TestNotificationsOncePerTopicPerCycle:
// the default policy is today's behaviour — a new feed's backlog in one
// summary, one alert per topic and cycle with its count and newest
// headline, nothing for a silenced topic, nothing while paused — and
// every decision is recorded.
func TestDefaultPolicyIsOneAlertPerTopicPerCycle(t *testing.T) {
	ukr := Topic{ID: 1, Name: "Ukraine", Notify: true}
	nk := Topic{ID: 2, Name: "Nordkorea", Notify: true}
	leise := Topic{ID: 3, Name: "Leise", Notify: false}
	w := newWorld(ukr, nk, leise)

	backlog := story(10, 1, "Ukraine: alt", at(8, 0))
	backlog.Backlog = true
	got := show(w.round(at(9, 0), backlog))
	if want := "shown: Newswatch — 1 story in your new feeds | It matches Ukraine. You find it in the timeline. [10]\n"; got != want {
		t.Fatalf("first fetch:\n%s\nwant\n%s", got, want)
	}

	got = show(w.round(at(9, 15),
		story(11, 1, "Ukraine: eins", at(9, 10)), story(12, 1, "Ukraine: zwei", at(9, 5)),
		story(13, 2, "Nordkorea droht", at(9, 6)), story(14, 1, "Ukraine: drei", at(9, 1)),
		story(15, 3, "Wetter: Sturm", at(9, 7))))
	want := "held silenced: Leise — 1 new story | Wetter: Sturm — Morgenpost [15]\n" +
		"shown: Nordkorea — 1 new story | Nordkorea droht — Morgenpost [13]\n" +
		"shown: Ukraine — 3 new stories | Ukraine: eins — Morgenpost [11 12 14]\n"
	if got != want {
		t.Fatalf("second cycle:\n%s\nwant\n%s", got, want)
	}
	if got := w.round(at(9, 30)); len(got) != 0 {
		t.Fatalf("a cycle with nothing new decided: %s", show(got))
	}

	w.settings.Paused = true
	if got := show(w.round(at(9, 45), story(16, 1, "Ukraine: vier", at(9, 40)))); got != "held paused: Ukraine — 1 new story | Ukraine: vier — Morgenpost [16]\n" {
		t.Fatalf("paused:\n%s", got)
	}
	w.settings.Paused = false
	ukr.Notify = false
	w.topics[1] = ukr
	if got := show(w.round(at(10, 0), story(17, 1, "Ukraine: fünf", at(9, 50)))); got != "held silenced: Ukraine — 1 new story | Ukraine: fünf — Morgenpost [17]\n" {
		t.Fatalf("silenced:\n%s", got)
	}
	// A new feed's backlog of silenced topics only: recorded, held.
	backlog = story(18, 3, "Wetter: alt", at(8, 0))
	backlog.Backlog = true
	if got := w.round(at(10, 15), backlog); len(got) != 1 || got[0].Status != Held || got[0].Kind != KindBacklog {
		t.Fatalf("silenced backlog: %s", show(got))
	}
	if len(w.history) != 7 {
		t.Errorf("history has %d decisions, want 7:\n%s", len(w.history), show(w.history))
	}
}

// Quiet hours hold back a normal topic and let a critical one through,
// with its urgency and sound; high carries the sound only.
func TestPriorityAndQuietHours(t *testing.T) {
	normal := Topic{ID: 1, Name: "Wetter", Notify: true}
	high := Topic{ID: 2, Name: "Lawrow", Notify: true, Policy: Policy{Priority: High}}
	crit := Topic{ID: 3, Name: "Nordkorea", Notify: true, Policy: Policy{Priority: Critical}}
	w := newWorld(normal, high, crit)
	w.settings.Quiet = Quiet{On: true, From: 22 * 60, To: 7 * 60}
	for _, tt := range []struct {
		name string
		now  time.Time
		want string
	}{
		{"night", at(23, 30), "Lawrow high held quiet-hours urgency 1 sound message-new-instant\n" +
			"Nordkorea critical shown  urgency 2 sound message-new-instant\n" +
			"Wetter normal held quiet-hours urgency 1 sound \n"},
		{"day", at(12, 0), "Lawrow high shown  urgency 1 sound message-new-instant\n" +
			"Nordkorea critical shown  urgency 2 sound message-new-instant\n" +
			"Wetter normal shown  urgency 1 sound \n"},
	} {
		var b strings.Builder
		for _, a := range w.round(tt.now, story(1, 1, "a", tt.now), story(2, 2, "b", tt.now), story(3, 3, "c", tt.now)) {
			fmt.Fprintf(&b, "%s %s %s %s urgency %d sound %s\n", a.TopicName, a.Priority, a.Status, a.Reason, a.Urgency, a.Sound)
		}
		if got := b.String(); got != tt.want {
			t.Errorf("%s:\n%s\nwant\n%s", tt.name, got, tt.want)
		}
	}
}

// At most one notification per interval: the first stories at once, the
// rest gathered and summed up when the interval ends — by a round
// without new stories (the scheduler's), durably pending until then.
func TestDeliveryEvery(t *testing.T) {
	every30, _ := ParseDelivery("every:30m")
	ukr := Topic{ID: 1, Name: "Ukraine", Notify: true, Policy: Policy{Delivery: every30}}
	w := newWorld(ukr)
	steps := []struct {
		now     time.Time
		stories []Story
		want    string
	}{
		{at(9, 0), []Story{story(1, 1, "eins", at(9, 0))}, "shown: Ukraine — 1 new story | eins — Morgenpost [1]\n"},
		{at(9, 10), []Story{story(2, 1, "zwei", at(9, 10)), story(3, 1, "drei", at(9, 9))}, "pending batched: Ukraine — 2 new stories | zwei — Morgenpost [2 3]\n"},
		{at(9, 20), []Story{story(4, 1, "vier", at(9, 20))}, "pending batched: Ukraine — 1 new story | vier — Morgenpost [4]\n"},
		{at(9, 29), nil, ""},
		{at(9, 30), nil, "shown: Ukraine — 3 new stories since 09:10 | vier — Morgenpost\nzwei — Morgenpost [4 2 3]\n"},
		{at(9, 35), []Story{story(5, 1, "fünf", at(9, 35))}, "pending batched: Ukraine — 1 new story | fünf — Morgenpost [5]\n"},
		{at(10, 0), []Story{story(6, 1, "sechs", at(10, 0))}, "shown: Ukraine — 1 new story since 09:35 | fünf — Morgenpost [5]\npending batched: Ukraine — 1 new story | sechs — Morgenpost [6]\n"},
		{at(10, 30), nil, "shown: Ukraine — 1 new story since 10:00 | sechs — Morgenpost [6]\n"},
		{at(12, 0), []Story{story(7, 1, "sieben", at(12, 0))}, "shown: Ukraine — 1 new story | sieben — Morgenpost [7]\n"},
	}
	for _, s := range steps {
		if got := show(w.round(s.now, s.stories...)); got != s.want {
			t.Fatalf("%s:\n%s\nwant\n%s", s.now.Format("15:04"), got, s.want)
		}
	}
	var gathered int
	for _, a := range w.history {
		if a.Status == Gathered {
			gathered++
			if a.SummaryID == 0 {
				t.Errorf("gathered without its summary: %+v", a)
			}
		}
	}
	if gathered != 4 || len(w.pending) != 0 {
		t.Errorf("%d gathered, %d pending", gathered, len(w.pending))
	}
}

// A digest gathers until its next time, across midnight, and is gated
// when it is due: held back in quiet hours unless critical.
func TestDeliveryDigest(t *testing.T) {
	digest, _ := ParseDelivery("digest:08:00,16:00")
	ukr := Topic{ID: 1, Name: "Ukraine", Notify: true, Policy: Policy{Delivery: digest}}
	w := newWorld(ukr)
	w.settings.Quiet = Quiet{On: true, From: 15 * 60, To: 17 * 60}
	pending := w.round(at(9, 0), story(1, 1, "eins", at(9, 0)))
	if len(pending) != 1 || pending[0].Status != Pending || !pending[0].Due.Equal(at(16, 0)) {
		t.Fatalf("09:00: %s due %s", show(pending), pending[0].Due)
	}
	if got := show(w.round(at(16, 0))); got != "held quiet-hours: Ukraine digest — 1 new story since 09:00 | eins — Morgenpost [1]\n" {
		t.Fatalf("16:00 in quiet hours:\n%s", got)
	}
	late := w.round(at(23, 0), story(2, 1, "zwei", at(23, 0)))
	if !late[0].Due.Equal(at(24+8, 0)) {
		t.Fatalf("23:00: due %s, want tomorrow 08:00", late[0].Due)
	}
	ukr.Policy.Priority = Critical
	w.topics[1] = ukr
	w.round(at(24+1, 0), story(3, 1, "drei", at(24+1, 0)))
	got := w.round(at(24+8, 1))
	if len(got) != 1 || got[0].Status != Shown || got[0].Title.String() != "Ukraine digest — 2 new stories since yesterday 23:00" || got[0].Urgency != UrgencyCritical {
		t.Fatalf("next morning: %s %s", show(got), got[0].Title)
	}
	// Back to "now": what is pending is summed up at the next round.
	w.round(at(24+9, 0), story(4, 1, "vier", at(24+9, 0)))
	ukr.Policy.Delivery = Delivery{}
	w.topics[1] = ukr
	if got := show(w.round(at(24+9, 5))); got != "shown: Ukraine digest — 1 new story since 09:00 | vier — Morgenpost [4]\n" {
		t.Fatalf("switched to now:\n%s", got)
	}
}

// Pending alerts of a removed topic are held back in their summary;
// silenced topics and notifications off are never gathered.
func TestPendingEdgeCases(t *testing.T) {
	every, _ := ParseDelivery("every:1h")
	ukr := Topic{ID: 1, Name: "Ukraine", Notify: true, Policy: Policy{Delivery: every}}
	w := newWorld(ukr)
	w.round(at(9, 0), story(1, 1, "eins", at(9, 0)))
	w.round(at(9, 10), story(2, 1, "zwei", at(9, 10)))
	delete(w.topics, 1)
	if got := show(w.round(at(9, 11))); got != "held topic-removed: Ukraine — 1 new story since 09:10 | zwei — Morgenpost [2]\n" {
		t.Fatalf("removed topic:\n%s", got)
	}
	ukr.Notify = false
	w.topics[1] = ukr
	if got := w.round(at(9, 20), story(3, 1, "drei", at(9, 20))); got[0].Status != Held || got[0].Reason != Silenced {
		t.Fatalf("silenced: %s", show(got))
	}
	ukr.Notify = true
	w.topics[1] = ukr
	w.settings.Notifications = false
	if got := w.round(at(9, 30), story(4, 1, "vier", at(9, 30))); got[0].Status != Held || got[0].Reason != NotificationsOff {
		t.Fatalf("off: %s", show(got))
	}
}

func TestDevelopingStories(t *testing.T) {
	crit := Topic{ID: 1, Name: "Ukraine", Notify: true, Policy: Policy{Priority: Critical, Delivery: Delivery{Mode: Digest, Times: []Clock{8 * 60}}}}
	silent := Topic{ID: 2, Name: "Wetter", Notify: false}
	out := Decide(Input{Now: at(23, 0), Loc: time.UTC, Topics: map[int64]Topic{1: crit, 2: silent},
		Settings: Settings{Notifications: true, Quiet: Quiet{On: true, From: 22 * 60, To: 7 * 60}},
		Developing: []Developing{
			{StoryID: 7, TopicID: 1, Headline: "Waffenruhe gebrochen", Feed: "Morgenpost", Sources: 4, Span: 95 * time.Minute},
			{StoryID: 8, TopicID: 2, Headline: "Sturm", Sources: 3, Span: 3 * time.Hour},
			{StoryID: 9, TopicID: 3, TopicName: "Weg", Headline: "x", Sources: 3, Span: time.Hour},
		}})
	got := show(out.Alerts)
	want := "shown: Developing: Waffenruhe gebrochen — 4 sources in 95 min | Ukraine — Morgenpost [7]\n" +
		"held silenced: Developing: Sturm — 3 sources in 180 min | Wetter [8]\n" +
		"held topic-removed: Developing: x — 3 sources in 60 min | Weg [9]\n"
	if got != want {
		t.Fatalf("developing:\n%s\nwant\n%s", got, want)
	}
}
