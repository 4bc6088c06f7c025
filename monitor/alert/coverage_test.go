package alert

import (
	"strings"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// every returns dates from start, one per gap, n of them.
func every(start time.Time, gap time.Duration, n int) []time.Time {
	out := make([]time.Time, n)
	for i := range out {
		out[i] = start.Add(time.Duration(i) * gap)
	}
	return out
}

// weekdays returns the dates of a feed that publishes every 30 minutes
// from 07:00 to 21:00 on weekdays only, for the four weeks before end.
func weekdays(end time.Time) []time.Time {
	var out []time.Time
	for d := end.AddDate(0, 0, -28).Truncate(24 * time.Hour); d.Before(end); d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue
		}
		for m := 7 * 60; m <= 21*60; m += 30 {
			if at := d.Add(time.Duration(m) * time.Minute); at.Before(end) {
				out = append(out, at)
			}
		}
	}
	return out
}

func TestLearnRhythm(t *testing.T) {
	r := DefaultCoverageRule
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) // a Wednesday
	for _, tt := range []struct {
		name      string
		dates     []time.Time
		known     bool
		usual     time.Duration
		threshold time.Duration
	}{
		{"too few stories", every(now.Add(-48*time.Hour), time.Hour, 10), false, 0, 0},
		{"hourly", every(now.Add(-72*time.Hour), time.Hour, 72), true, time.Hour, 12 * time.Hour},
		{"every 6 hours", every(now.Add(-20*24*time.Hour), 6*time.Hour, 80), true, 6 * time.Hour, 18 * time.Hour},
		{"daily", every(now.Add(-29*24*time.Hour), 24*time.Hour, 29), true, 24 * time.Hour, 72 * time.Hour},
		{"older than the learning window", every(now.Add(-90*24*time.Hour), time.Hour, 200), false, 0, 0},
		// Weekdays only: the weekend (Friday 21:00 to Monday 07:00) is the longest gap, so a
		// quiet weekend is no silence.
		{"weekdays", weekdays(now), true, 30 * time.Minute, 58 * time.Hour},
	} {
		rh := r.LearnRhythm(tt.dates, now)
		if rh.Known != tt.known || rh.Usual != tt.usual || tt.known && r.Threshold(rh) != tt.threshold {
			t.Errorf("%s: %+v threshold %s, want known %v usual %s threshold %s", tt.name, rh, r.Threshold(rh), tt.known, tt.usual, tt.threshold)
		}
	}
}

func TestCoverage(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	hourly := Rhythm{Known: true, Usual: time.Hour, Longest: 2 * time.Hour}
	failing := func(since time.Duration) FeedFacts {
		return FeedFacts{ID: 1, Name: "Morgenpost", Watched: true, Failing: true, FailingSince: now.Add(-since),
			LastError: msg.Literal("The server answered 503."), LastPublished: now.Add(-since), Rhythm: hourly}
	}
	working := func(lastStory time.Duration) FeedFacts {
		return FeedFacts{ID: 1, Name: "Morgenpost", Watched: true, LastPublished: now.Add(-lastStory), Rhythm: hourly}
	}
	with := func(f FeedFacts, c Coverage, since time.Duration) FeedFacts {
		f.State = FeedState{Coverage: c, Since: now.Add(-since)}
		return f
	}
	gone := failing(time.Minute)
	gone.Gone = true
	off := with(failing(10*time.Hour), CoverageDead, 4*time.Hour)
	off.Watched = false
	unknown := working(40 * time.Hour)
	unknown.Rhythm = Rhythm{}
	forgotten := with(unknown, CoverageSilent, 13*time.Hour)
	for _, tt := range []struct {
		name  string
		f     FeedFacts
		state Coverage
		alert string
	}{
		{"failing 5 h 59 min", failing(6*time.Hour - time.Minute), CoverageOK, ""},
		{"failing 6 h", failing(6 * time.Hour), CoverageDead, "Morgenpost has not worked for 6 hours | The server answered 503."},
		{"dead, still failing", with(failing(9*time.Hour), CoverageDead, 3*time.Hour), CoverageDead, ""},
		{"dead, works again", with(working(30*time.Minute), CoverageDead, 9*time.Hour), CoverageOK, "Morgenpost works again | It was out for 9 hours. (low)"},
		{"gone", gone, CoverageDead, "Morgenpost is gone | The server says the feed was removed; Newswatch no longer checks it."},
		{"publishing", working(2 * time.Hour), CoverageOK, ""},
		{"quiet for 12 h: not more than the floor", working(12 * time.Hour), CoverageOK, ""},
		{"quiet for 13 h", working(13 * time.Hour), CoverageSilent, "Morgenpost has published nothing for 13 hours | Its stories usually come at most 60 minutes apart."},
		{"silent, still quiet", with(working(20*time.Hour), CoverageSilent, 20*time.Hour), CoverageSilent, ""},
		{"silent, publishes again", with(working(10*time.Minute), CoverageSilent, 20*time.Hour), CoverageOK, "Morgenpost publishes again | It was silent for 20 hours. (low)"},
		{"silent, rhythm forgotten: stays silent", forgotten, CoverageSilent, ""},
		{"no rhythm: never silent", unknown, CoverageOK, ""},
		{"silent, then failing briefly: stays silent", with(failing(time.Hour), CoverageSilent, 14*time.Hour), CoverageSilent, ""},
		{"silent, then failing 6 h: dead, no new alert", with(failing(6*time.Hour), CoverageSilent, 14*time.Hour), CoverageDead, ""},
		{"dead, then works but silent: no note", with(working(15*time.Hour), CoverageDead, 7*time.Hour), CoverageSilent, ""},
		{"switched off while dead: cleared quietly", off, CoverageOK, ""},
	} {
		out := Decide(Input{Now: now, Loc: time.UTC, Settings: DefaultSettings, Feeds: []FeedFacts{tt.f}})
		got := tt.f.State.Coverage
		if st, ok := out.Coverage[1]; ok {
			got = st.Coverage
		}
		alert := ""
		if len(out.Alerts) == 1 {
			a := out.Alerts[0]
			alert = a.Title.String() + " | " + a.Body.String()
			if a.Urgency == UrgencyLow {
				alert += " (low)"
			}
			if a.Kind != KindCoverage || a.FeedID != 1 || a.Status != Shown || a.Coverage != got {
				t.Errorf("%s: %+v", tt.name, a)
			}
		} else if len(out.Alerts) > 1 {
			t.Errorf("%s: %d alerts", tt.name, len(out.Alerts))
		}
		if got != tt.state || alert != tt.alert {
			t.Errorf("%s: %q %q, want %q %q", tt.name, got, alert, tt.state, tt.alert)
		}
	}
	// Quiet hours hold a coverage alert back like any other (recorded),
	// and the state moves on: it is not raised again.
	s := DefaultSettings
	s.Quiet = Quiet{On: true, From: 11 * 60, To: 13 * 60}
	out := Decide(Input{Now: now, Loc: time.UTC, Settings: s, Feeds: []FeedFacts{failing(7 * time.Hour)}})
	if len(out.Alerts) != 1 || out.Alerts[0].Status != Held || out.Alerts[0].Reason != QuietHours || out.Coverage[1].Coverage != CoverageDead {
		t.Fatalf("in quiet hours: %+v %+v", out.Alerts, out.Coverage)
	}
	if !strings.HasPrefix(out.Alerts[0].Title.String(), "Morgenpost has not worked for 7 hours") {
		t.Error(out.Alerts[0].Title)
	}
}
