package alert

import "time"

// Settings are the analyst's switches over every alert, kept by the
// engine (every process on a data directory decides by the same ones).
type Settings struct {
	// Notifications off: nothing is shown, whatever its priority.
	Notifications bool
	// Paused: only critical topics are shown (until resumed).
	Paused bool
	// Quiet hours: only critical topics are shown.
	Quiet Quiet
}

// DefaultSettings are the settings of a new data directory:
// notifications on, not paused, quiet hours 22:00–07:00 but off.
var DefaultSettings = Settings{Notifications: true, Quiet: Quiet{From: 22 * 60, To: 7 * 60}}

// Quiet are quiet hours: from–to in local time, wrapping past midnight
// (22:00–07:00). From equal to To is no quiet hours at all.
type Quiet struct {
	On       bool
	From, To Clock
}

// Contains reports whether t falls into the quiet hours (in loc).
func (q Quiet) Contains(t time.Time, loc *time.Location) bool {
	if !q.On || q.From == q.To {
		return false
	}
	m := clockOf(t, loc)
	if q.From < q.To {
		return m >= q.From && m < q.To
	}
	return m >= q.From || m < q.To
}

// Gate decides whether an alert of priority p is shown now or held back,
// and why. The order is the analyst's switches from the most specific:
// a silenced topic (its notifications off) holds everything it raises;
// notifications off hold everything, also critical; pause and quiet
// hours hold all but critical.
func Gate(s Settings, p Priority, silenced bool, now time.Time, loc *time.Location) (Status, Reason) {
	switch {
	case silenced:
		return Held, Silenced
	case !s.Notifications:
		return Held, NotificationsOff
	case p == Critical:
		return Shown, ""
	case s.Paused:
		return Held, Paused
	case s.Quiet.Contains(now, loc):
		return Held, QuietHours
	}
	return Shown, ""
}
