package alert

import (
	"slices"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// CoverageRule says when a feed no longer covers the news: dead when
// it has failed (every attempt) for DeadAfter, or is gone (410); silent
// when it works but has published nothing for longer than its silence
// threshold (see Rhythm).
type CoverageRule struct {
	DeadAfter time.Duration
	// MinSilence is the shortest silence ever reported; GapFactor times
	// the feed's usual gap is the other floor.
	MinSilence time.Duration
	GapFactor  float64
	// Learn is how far back a feed's rhythm is learned; it needs
	// MinGaps gaps between stories in that time.
	Learn   time.Duration
	MinGaps int
}

// DefaultDeadAfter is how long a feed fails before it is reported dead,
// unless the settings say otherwise.
const DefaultDeadAfter = 6 * time.Hour

// DefaultCoverageRule is the rule the engine uses, with the settings'
// DeadAfter.
var DefaultCoverageRule = CoverageRule{
	DeadAfter:  DefaultDeadAfter,
	MinSilence: 12 * time.Hour,
	GapFactor:  3,
	Learn:      30 * 24 * time.Hour,
	MinGaps:    10,
}

// Rhythm is how often a feed publishes, learned from the dates of its
// stories.
type Rhythm struct {
	Known bool
	// Usual is the 90th percentile of the gaps between its stories;
	// Longest the longest gap (a weekday feed's weekend).
	Usual, Longest time.Duration
}

// LearnRhythm learns a feed's rhythm from the dates of its stories (any
// order) within r.Learn before now.
func (r CoverageRule) LearnRhythm(dates []time.Time, now time.Time) Rhythm {
	from := now.Add(-r.Learn)
	var ds []time.Time
	for _, d := range dates {
		if !d.Before(from) && !d.After(now) {
			ds = append(ds, d)
		}
	}
	slices.SortFunc(ds, func(a, b time.Time) int { return a.Compare(b) })
	if len(ds) < r.MinGaps+1 {
		return Rhythm{}
	}
	gaps := make([]time.Duration, 0, len(ds)-1)
	for i := 1; i < len(ds); i++ {
		gaps = append(gaps, ds[i].Sub(ds[i-1]))
	}
	slices.Sort(gaps)
	// Nearest rank: the gap at or below which 90% of the gaps lie.
	p90 := gaps[(len(gaps)*9+9)/10-1]
	return Rhythm{Known: true, Usual: p90, Longest: gaps[len(gaps)-1]}
}

// Threshold is the silence after which the feed counts as silent: more
// than GapFactor times its usual gap, at least MinSilence, and longer
// than any gap it had while it was learned.
func (r CoverageRule) Threshold(rh Rhythm) time.Duration {
	return max(r.MinSilence, time.Duration(r.GapFactor*float64(rh.Usual)), rh.Longest)
}

// FeedFacts are what the coverage rule reads of a feed.
type FeedFacts struct {
	ID   int64
	Name string
	// Watched is false for a feed switched off, or whose coverage alerts
	// are off: its state is cleared without a note.
	Watched      bool
	Gone         bool
	Failing      bool
	FailingSince time.Time
	LastError    msg.Message
	// LastPublished is the date of its newest story (zero: none).
	LastPublished time.Time
	Rhythm        Rhythm
	State         FeedState // as last decided
}

// Next is the feed's coverage now. A silent feed stays silent until a
// story newer than its silence comes (its rhythm may be forgotten
// meanwhile); a dead one until an attempt works.
func (r CoverageRule) Next(f FeedFacts, now time.Time) FeedState {
	keep := func(c Coverage, since time.Time) FeedState {
		if f.State.Coverage == c && !f.State.Since.IsZero() {
			return f.State
		}
		return FeedState{Coverage: c, Since: since}
	}
	switch {
	case !f.Watched:
		return FeedState{}
	case f.Gone:
		return keep(CoverageDead, now)
	case f.Failing:
		since := f.FailingSince
		if since.IsZero() {
			since = now
		}
		if now.Sub(since) >= r.DeadAfter {
			return keep(CoverageDead, since)
		}
		return f.State // not dead yet; not seen working either
	}
	if f.State.Coverage == CoverageSilent && !f.LastPublished.After(f.State.Since) {
		return f.State
	}
	if f.Rhythm.Known && !f.LastPublished.IsZero() && now.Sub(f.LastPublished) > r.Threshold(f.Rhythm) {
		return keep(CoverageSilent, f.LastPublished)
	}
	return FeedState{}
}
