package alert

import (
	"strings"
	"testing"
	"time"
)

func berlin(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestParseDelivery(t *testing.T) {
	for _, tt := range []struct {
		in, want, err string
	}{
		{"", "now", ""},
		{"now", "now", ""},
		{" NOW ", "now", ""},
		{"every:30m", "every:30m", ""},
		{"every:2h", "every:2h", ""},
		{"every:90m", "every:1h30m", ""},
		{"every:5m", "every:5m", ""},
		{"every:4m", "", "at most every 5 minutes to 24 hours"},
		{"every:25h", "", "at most every 5 minutes to 24 hours"},
		{"every:30s", "", "at most every 5 minutes to 24 hours"},
		{"every:90s", "", "in whole minutes"},
		{"every:", "", "at most every"},
		{"digest:08:00,16:00", "digest:08:00,16:00", ""},
		{"digest:16:00, 8:00,08:00", "digest:08:00,16:00", ""},
		{"digest:25:00", "", "a digest needs times of day like digest:08:00,16:00"},
		{"digest:", "", "a digest needs times of day"},
		{"now:5", "", "is not a delivery"},
		{"hourly", "", "is not a delivery"},
	} {
		d, err := ParseDelivery(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseDelivery(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || d.String() != tt.want {
			t.Errorf("ParseDelivery(%q) = %q, %v; want %q", tt.in, d.String(), err, tt.want)
		}
		if err := d.Validate(); err != nil {
			t.Errorf("%q does not validate: %v", tt.in, err)
		}
	}
	var times []string
	for h := range 25 {
		times = append(times, Clock(h%24*60+h).String())
	}
	if _, err := ParseDelivery("digest:" + strings.Join(times, ",")); err == nil || !strings.Contains(err.Error(), "at most 24 times") {
		t.Errorf("25 digest times: %v", err)
	}
	if err := (Delivery{Mode: Every, Every: time.Minute}).Validate(); err == nil {
		t.Error("every minute validates")
	}
	if err := (Delivery{Mode: Now, Times: []Clock{60}}).Validate(); err == nil {
		t.Error("now with digest times validates")
	}
}

func TestParsePriority(t *testing.T) {
	for in, want := range map[string]Priority{"": Normal, "normal": Normal, "High": High, " critical ": Critical} {
		if p, err := ParsePriority(in); err != nil || p != want {
			t.Errorf("ParsePriority(%q) = %q, %v", in, p, err)
		}
	}
	if _, err := ParsePriority("urgent"); err == nil || !strings.Contains(err.Error(), "use normal, high or critical") {
		t.Errorf("urgent: %v", err)
	}
	if Normal.String() != "normal" || Critical.String() != "critical" {
		t.Error("priority names")
	}
}

// NextDigest across midnight and both clock changes of 2026 in Berlin
// (29 March 02:00 → 03:00, 25 October 03:00 → 02:00).
func TestNextDigest(t *testing.T) {
	loc := berlin(t)
	at := func(mo time.Month, d, h, m int) time.Time { return time.Date(2026, mo, d, h, m, 0, 0, loc) }
	digest := func(s string) Delivery {
		d, err := ParseDelivery(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tt := range []struct {
		name     string
		delivery string
		from     time.Time
		want     time.Time
	}{
		{"before the first", "digest:08:00,16:00", at(11, 25, 7, 0), at(11, 25, 8, 0)},
		{"exactly at one: the next", "digest:08:00,16:00", at(11, 25, 8, 0), at(11, 25, 16, 0)},
		{"between", "digest:08:00,16:00", at(11, 25, 9, 30), at(11, 25, 16, 0)},
		{"after the last: tomorrow", "digest:08:00,16:00", at(11, 25, 23, 0), at(11, 26, 8, 0)},
		{"across new year", "digest:08:00", at(12, 31, 20, 0), time.Date(2027, 1, 1, 8, 0, 0, 0, loc)},
		{"midnight", "digest:00:00", at(11, 25, 23, 59), at(11, 26, 0, 0)},
		{"spring: 08:00 is 6 h after 01:00", "digest:08:00", at(3, 29, 1, 0), at(3, 29, 8, 0)},
		{"spring: 02:30 does not exist, comes at 03:30", "digest:02:30", at(3, 29, 1, 0), at(3, 29, 3, 30)},
		{"autumn: 02:30 comes once", "digest:02:30", at(10, 25, 1, 0), at(10, 25, 2, 30)},
		{"autumn: not again an hour later", "digest:02:30", at(10, 25, 2, 30).Add(time.Hour), at(10, 26, 2, 30)},
		{"autumn: 08:00 is 7 h after 02:00", "digest:08:00", at(10, 25, 2, 0), at(10, 25, 8, 0)},
	} {
		got := digest(tt.delivery).NextDigest(tt.from, loc)
		if !got.Equal(tt.want) {
			t.Errorf("%s: NextDigest(%s) = %s, want %s", tt.name, tt.from, got, tt.want)
		}
	}
	// On the autumn day 02:30 happens twice (CEST, then CET): walking
	// from midnight, the digest comes once that day, and the next day.
	var got []time.Time
	for t0 := time.Date(2026, 10, 24, 22, 0, 0, 0, time.UTC); len(got) < 2; {
		t0 = digest("digest:02:30").NextDigest(t0, loc)
		got = append(got, t0)
	}
	if got[0].In(loc).Day() != 25 || got[1].In(loc).Day() != 26 || got[1].In(loc).Hour() != 2 {
		t.Errorf("autumn digests at %v", got)
	}
}

// The quiet-hours cases of the app's former TestPlanNotesQuietHours, and
// the gate's order.
func TestQuietHoursAndGate(t *testing.T) {
	loc := time.UTC
	at := func(h, m int) time.Time { return time.Date(2026, 11, 25, h, m, 0, 0, loc) }
	night := Quiet{On: true, From: 22 * 60, To: 7 * 60}
	for _, tt := range []struct {
		q     Quiet
		h, m  int
		quiet bool
	}{
		{night, 23, 0, true}, {night, 6, 59, true}, {night, 7, 0, false}, {night, 12, 0, false},
		{night, 21, 59, false}, {night, 22, 0, true}, {night, 0, 0, true},
		{Quiet{On: true, From: 9 * 60, To: 17 * 60}, 12, 0, true},
		{Quiet{On: true, From: 9 * 60, To: 17 * 60}, 18, 0, false},
		{Quiet{On: true, From: 9 * 60, To: 17 * 60}, 17, 0, false},
		{Quiet{On: false, From: 9 * 60, To: 17 * 60}, 12, 0, false},
		{Quiet{On: true, From: 9 * 60, To: 9 * 60}, 9, 0, false},
	} {
		if got := tt.q.Contains(at(tt.h, tt.m), loc); got != tt.quiet {
			t.Errorf("%s–%s at %02d:%02d: quiet = %v, want %v", tt.q.From, tt.q.To, tt.h, tt.m, got, tt.quiet)
		}
	}
	// Quiet hours are the analyst's local time.
	if !night.Contains(time.Date(2026, 11, 25, 21, 30, 0, 0, time.UTC), berlin(t)) {
		t.Error("21:30 UTC is 22:30 in Berlin: quiet")
	}

	on := DefaultSettings
	quiet := on
	quiet.Quiet = night
	paused := on
	paused.Paused = true
	off := on
	off.Notifications = false
	for _, tt := range []struct {
		name     string
		s        Settings
		p        Priority
		silenced bool
		h        int
		status   Status
		reason   Reason
	}{
		{"normal by day", quiet, Normal, false, 12, Shown, ""},
		{"normal at night", quiet, Normal, false, 23, Held, QuietHours},
		{"high at night", quiet, High, false, 23, Held, QuietHours},
		{"critical at night", quiet, Critical, false, 23, Shown, ""},
		{"normal paused", paused, Normal, false, 12, Held, Paused},
		{"critical paused", paused, Critical, false, 12, Shown, ""},
		{"critical, notifications off", off, Critical, false, 12, Held, NotificationsOff},
		{"normal, notifications off", off, Normal, false, 12, Held, NotificationsOff},
		{"critical topic silenced", on, Critical, true, 12, Held, Silenced},
		{"silenced before off", off, Normal, true, 12, Held, Silenced},
	} {
		st, r := Gate(tt.s, tt.p, tt.silenced, at(tt.h, 0), loc)
		if st != tt.status || r != tt.reason {
			t.Errorf("%s: %s %q, want %s %q", tt.name, st, r, tt.status, tt.reason)
		}
	}
}
