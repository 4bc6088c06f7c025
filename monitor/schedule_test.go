package monitor

import (
	"strings"
	"testing"
	"time"
)

func TestParseSchedule(t *testing.T) {
	valid := []string{
		"@every 10m", "@every 1h30m", "@hourly", "@daily", "*/15 * * * *", "0 7 * * 1-5",
		"CRON_TZ=Europe/Berlin 0 7 * * *", "CRON_TZ=UTC @every 5m", "TZ=America/New_York 30 6 * * *",
		"  @every   10m  ",
	}
	for _, spec := range valid {
		if _, err := ParseSchedule(spec); err != nil {
			t.Errorf("ParseSchedule(%q): %v", spec, err)
		}
	}
	invalid := []struct{ spec, want string }{
		{"", "empty"},
		{"CRON_TZ=UTC", "must be followed by the schedule"},
		{"CRON_TZ=", "needs a time zone"},
		{"CRON_TZ=Mars/Olympus 0 7 * * *", "unknown time zone"},
		{"TZ=UTC", "must be followed"},
		{"@every 10s", "more often than once a minute"},
		{"@every often", "needs a duration"},
		{"@sometimes", "not valid"},
		{"* * * *", "has 4 fields"},
		{"0 0 * * * *", "has 6 fields"},
		{"61 * * * *", "not valid"},
		{"0 0 30 2 *", "never runs"},
		{"a b c d e", "not valid"},
	}
	for _, tt := range invalid {
		_, err := ParseSchedule(tt.spec)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseSchedule(%q) = %v, want error containing %q", tt.spec, err, tt.want)
		}
	}
}

func TestScheduleTimeZone(t *testing.T) {
	s, err := ParseSchedule("CRON_TZ=Europe/Berlin 0 7 * * *")
	if err != nil {
		t.Fatal(err)
	}
	next := s.Next(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	if want := time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC); !next.Equal(want) {
		t.Fatalf("next = %v, want %v (07:00 Berlin)", next.UTC(), want)
	}
}

func TestBackoff(t *testing.T) {
	want := []time.Duration{0, 5 * time.Minute, 10 * time.Minute, 20 * time.Minute, 40 * time.Minute}
	for n, w := range want {
		if got := backoff(n); got != w {
			t.Errorf("backoff(%d) = %v, want %v", n, got, w)
		}
	}
	if got := backoff(100); got != 12*time.Hour {
		t.Errorf("backoff(100) = %v, want the 12h cap", got)
	}
}
