package monitor

import (
	"testing"
	"time"
)

// A feed's next check is the schedule's next time, unless it is backed
// off after failures or the server asked for a pause: then the first
// scheduled time after that.
func TestFeedNextCheck(t *testing.T) {
	now := time.Date(2026, 11, 30, 14, 0, 30, 0, time.UTC)
	every, err := ParseSchedule("@every 1m")
	if err != nil {
		t.Fatal(err)
	}
	hourly, _ := ParseSchedule("0 * * * *")
	for _, c := range []struct {
		name  string
		feed  Feed
		sched string
		want  time.Time
	}{
		{"healthy", Feed{}, "every", now.Add(time.Minute)},
		{"two failures: 10 minutes after the last attempt", Feed{Failures: 2, LastFetch: now}, "every", now.Add(10 * time.Minute)},
		{"Retry-After", Feed{RetryAt: now.Add(90 * time.Minute)}, "hourly", time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC)},
		{"back-off over already", Feed{Failures: 1, LastFetch: now.Add(-time.Hour)}, "hourly", time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)},
	} {
		s := every
		if c.sched == "hourly" {
			s = hourly
		}
		got := c.feed.NextCheck(s, now)
		// @every counts from now, to the second.
		if d := got.Sub(c.want); d < -time.Second || d > time.Second {
			t.Errorf("%s: next check %v, want %v", c.name, got, c.want)
		}
	}
}
