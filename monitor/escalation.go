package monitor

import (
	"time"
)

// DevelopingWindow decides a story's escalation: given the dates of the
// first reports of its sources (sorted), it finds a window of e.Within
// holding the first reports of at least e.Sources sources, ending no
// longer than e.Within before now, and returns how many sources it holds
// and its span. e is the effective setting (see Escalation.Effective).
func DevelopingWindow(firsts []time.Time, e Escalation, now time.Time) (sources int, span time.Duration, ok bool) {
	recent := now.Add(-e.Within)
	best, bestSpan, found := 0, time.Duration(0), false
	i := 0
	for j := range firsts {
		for firsts[j].Sub(firsts[i]) > e.Within {
			i++
		}
		if n := j - i + 1; n >= e.Sources && !firsts[j].Before(recent) && n >= best {
			best, bestSpan, found = n, firsts[j].Sub(firsts[i]), true
		}
	}
	return best, bestSpan, found
}
