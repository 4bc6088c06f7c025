package alert

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Priority is how urgently a topic's alerts reach the analyst.
type Priority string

// The priorities. The zero value is Normal.
const (
	Normal   Priority = ""
	High     Priority = "high"     // a sound from the freedesktop sound theme
	Critical Priority = "critical" // stays on screen; passes quiet hours and pause
)

// ParsePriority reads "normal", "high" or "critical".
func ParsePriority(s string) (Priority, error) {
	switch p := strings.ToLower(strings.TrimSpace(s)); p {
	case "", "normal":
		return Normal, nil
	case "high", "critical":
		return Priority(p), nil
	}
	return Normal, msg.Errorf(nil, msg.T("“{{.Text}}” is not a priority; use normal, high or critical."), "Text", s)
}

// String is the priority's name: normal, high or critical.
func (p Priority) String() string {
	if p == Normal {
		return "normal"
	}
	return string(p)
}

// Clock is a time of day in minutes after local midnight.
type Clock int

// ParseClock reads "7:30" or "07:30".
func ParseClock(s string) (Clock, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, msg.Errorf(err, msg.T("“{{.Text}}” is not a time like 22:00."), "Text", s)
	}
	return Clock(t.Hour()*60 + t.Minute()), nil
}

// String is the time as "07:30".
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// of is the clock time of t in loc.
func clockOf(t time.Time, loc *time.Location) Clock {
	t = t.In(loc)
	return Clock(t.Hour()*60 + t.Minute())
}

// DeliveryMode is how a topic's new stories are delivered.
type DeliveryMode string

// The delivery modes. The zero value is Now.
const (
	Now    DeliveryMode = ""       // one notification per cycle, at once
	Every  DeliveryMode = "every"  // at most one notification per interval
	Digest DeliveryMode = "digest" // a summary at set local times
)

// Delivery says when a topic's new stories are announced.
type Delivery struct {
	Mode DeliveryMode
	// Every is the interval of Every: at most one notification per
	// interval; what comes in between is summed up at its end.
	Every time.Duration
	// Times are the local times of day of Digest, sorted.
	Times []Clock
}

// Limits of a delivery setting.
const (
	MinEvery      = 5 * time.Minute
	MaxEvery      = 24 * time.Hour
	MaxDigestTime = 24 // times a day
)

// ParseDelivery reads "now", "every:30m" (or "every:2h") or
// "digest:08:00,16:00".
func ParseDelivery(s string) (Delivery, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	mode, arg, _ := strings.Cut(s, ":")
	switch mode {
	case "", "now":
		if arg != "" {
			break
		}
		return Delivery{}, nil
	case "every":
		d, err := time.ParseDuration(strings.TrimSpace(arg))
		if err != nil || d < MinEvery || d > MaxEvery || d%time.Minute != 0 {
			return Delivery{}, msg.Errorf(err, msg.T("“{{.Text}}”: a topic notifies at most every 5 minutes to 24 hours, in whole minutes, like every:30m."), "Text", s)
		}
		return Delivery{Mode: Every, Every: d}, nil
	case "digest":
		var times []Clock
		for _, part := range strings.Split(arg, ",") {
			c, err := ParseClock(part)
			if err != nil {
				return Delivery{}, msg.Errorf(err, msg.T("“{{.Text}}”: a digest needs times of day like digest:08:00,16:00."), "Text", s)
			}
			if !slices.Contains(times, c) {
				times = append(times, c)
			}
		}
		if len(times) > MaxDigestTime {
			return Delivery{}, msg.Errorf(nil, msg.T("“{{.Text}}”: a digest comes at most 24 times a day."), "Text", s)
		}
		slices.Sort(times)
		return Delivery{Mode: Digest, Times: times}, nil
	}
	return Delivery{}, msg.Errorf(nil, msg.T("“{{.Text}}” is not a delivery; use now, every:30m or digest:08:00,16:00."), "Text", s)
}

// String is the delivery as ParseDelivery reads it.
func (d Delivery) String() string {
	switch d.Mode {
	case Every:
		return "every:" + shortDuration(d.Every)
	case Digest:
		parts := make([]string, len(d.Times))
		for i, c := range d.Times {
			parts[i] = c.String()
		}
		return "digest:" + strings.Join(parts, ",")
	}
	return "now"
}

// Validate checks a delivery made in code (ParseDelivery's are valid).
func (d Delivery) Validate() error {
	if d.Mode == Now && d.Every == 0 && len(d.Times) == 0 {
		return nil
	}
	_, err := ParseDelivery(d.String())
	if err == nil && (d.Mode != Every && d.Every != 0 || d.Mode != Digest && len(d.Times) != 0) {
		err = msg.Errorf(nil, msg.T("“{{.Text}}” is not a delivery; use now, every:30m or digest:08:00,16:00."), "Text", d.String())
	}
	return err
}

// shortDuration writes 30m, 2h or 1h30m.
func shortDuration(d time.Duration) string {
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case h == 0:
		return strconv.Itoa(m) + "m"
	case m == 0:
		return strconv.Itoa(h) + "h"
	}
	return fmt.Sprintf("%dh%dm", h, m)
}

// NextDigest is the first digest time strictly after t, in loc. A time
// that does not exist that day (02:30 when the clocks go forward) comes
// at the same distance after midnight in wall time, as time.Date makes
// it (03:30); a time that exists twice (when the clocks go back) comes
// once, at the one of the two that time.Date picks.
func (d Delivery) NextDigest(t time.Time, loc *time.Location) time.Time {
	if len(d.Times) == 0 {
		return time.Time{}
	}
	lt := t.In(loc)
	y, m, day := lt.Date()
	for i := 0; i < 3; i++ {
		for _, c := range d.Times {
			at := time.Date(y, m, day+i, int(c)/60, int(c)%60, 0, 0, loc)
			if at.After(t) {
				return at
			}
		}
	}
	return time.Time{} // not reached: a day later always has one
}

// Policy is a topic's alert policy. The zero value is the default:
// normal priority, delivered at once, spikes announced.
type Policy struct {
	Priority Priority
	Delivery Delivery
	// SpikesOff turns off spike alerts for the topic.
	SpikesOff bool
}

// Validate checks a policy.
func (p Policy) Validate() error {
	if _, err := ParsePriority(string(p.Priority)); err != nil {
		return err
	}
	return p.Delivery.Validate()
}
