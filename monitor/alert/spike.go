package alert

import (
	"math"
	"time"
)

// SpikeRule says when a topic's volume is a spike: a window ending now
// holds at least MinCount stories, and so many that a Poisson count
// with the topic's baseline rate would reach it with a probability below
// the window's P. Windows are tried shortest first. A spike is
// announced once per burst (while the volume stays improbable, with
// gaps of at most BurstGap) and at most once per Cooldown.
type SpikeRule struct {
	Windows  []SpikeWindow
	MinCount int
	// Baseline is how far back the rate is learned, before the longest
	// window; MinHistory is the least history a topic needs for it.
	Baseline, MinHistory time.Duration
	Cooldown, BurstGap   time.Duration
}

// SpikeWindow is one window of the test and its significance level.
type SpikeWindow struct {
	Length time.Duration
	P      float64
}

// DefaultSpikeRule is tuned on synthetic Poisson traffic (see
// TestSpikeReplay and BENCHMARKS.md): the hour at p < 0.001, and three
// and six hours at p < 0.0003 for slower rises.
var DefaultSpikeRule = SpikeRule{
	Windows: []SpikeWindow{
		{Length: time.Hour, P: 0.001},
		{Length: 3 * time.Hour, P: 0.0003},
		{Length: 6 * time.Hour, P: 0.0003},
	},
	MinCount:   5,
	Baseline:   14 * 24 * time.Hour,
	MinHistory: 24 * time.Hour,
	Cooldown:   6 * time.Hour,
	BurstGap:   time.Hour,
}

// Longest is the longest window.
func (r SpikeRule) Longest() time.Duration {
	var l time.Duration
	for _, w := range r.Windows {
		l = max(l, w.Length)
	}
	return l
}

// BaselineRange is the time whose stories give the baseline rate: up to
// Baseline before the longest window ending now, not before the topic's
// history starts.
func (r SpikeRule) BaselineRange(now, historyStart time.Time) (from, to time.Time) {
	to = now.Add(-r.Longest())
	from = to.Add(-r.Baseline)
	if historyStart.After(from) {
		from = historyStart
	}
	return from, to
}

// Arrival is one story of a topic: when it arrived (its date, never
// after it was found) and whether it counts for spikes (a new feed's
// backlog and stories added by applying a topic to the past do not).
type Arrival struct {
	At      time.Time
	StoryID int64
	Quiet   bool
}

// SpikeFacts are a topic's volume as the spike test needs it.
type SpikeFacts struct {
	TopicID int64
	// Recent are the arrivals within the longest window before now.
	Recent []Arrival
	// HistoryStart is when the topic's history begins (created, or its
	// first stored story); BaselineCount is the stories in
	// BaselineRange.
	HistoryStart  time.Time
	BaselineCount int
}

// Spike is a significant window.
type Spike struct {
	Window   time.Duration
	Count    int
	Expected float64 // stories the baseline rate gives the window
	P        float64
	Stories  []int64 // the window's stories, newest first
}

// Evaluate tests the windows, shortest first, and returns the first
// significant one.
func (r SpikeRule) Evaluate(f SpikeFacts, now time.Time) (Spike, bool) {
	from, to := r.BaselineRange(now, f.HistoryStart)
	hours := to.Sub(from).Hours()
	if to.Sub(from) < r.MinHistory || hours <= 0 {
		return Spike{}, false
	}
	// One story added to the count keeps a topic with an empty or short
	// history from taking a handful of stories for an outbreak.
	rate := float64(f.BaselineCount+1) / hours
	for _, w := range r.Windows {
		start := now.Add(-w.Length)
		var ids []int64
		for i := len(f.Recent) - 1; i >= 0; i-- {
			a := f.Recent[i]
			if !a.Quiet && a.At.After(start) && !a.At.After(now) {
				ids = append(ids, a.StoryID)
			}
		}
		n := len(ids)
		if n < r.MinCount {
			continue
		}
		mu := rate * w.Length.Hours()
		if p := PoissonTail(n, mu); p < w.P {
			return Spike{Window: w.Length, Count: n, Expected: mu, P: p, Stories: ids}, true
		}
	}
	return Spike{}, false
}

// PoissonTail is P(X ≥ k) for X Poisson with mean mu. It sums in log
// space the side of the distribution it needs (the upper tail beyond the
// mean, else the lower part to subtract from one), so it is exact enough
// for the small probabilities the test compares and for large means.
func PoissonTail(k int, mu float64) float64 {
	if k <= 0 {
		return 1
	}
	if mu <= 0 {
		return 0
	}
	term := func(i int) float64 {
		lg, _ := math.Lgamma(float64(i) + 1)
		return math.Exp(-mu + float64(i)*math.Log(mu) - lg)
	}
	if float64(k) > mu { // the upper tail, terms falling from k on
		t := term(k)
		sum := t
		for i := k + 1; t > sum*1e-16; i++ {
			t *= mu / float64(i)
			sum += t
		}
		return math.Min(sum, 1)
	}
	// 1 − P(X < k), the terms falling from k−1 down
	t := term(k - 1)
	sum := t
	for i := k - 1; i > 0 && t > sum*1e-16; i-- {
		t *= float64(i) / mu
		sum += t
	}
	return math.Max(0, 1-sum)
}

// step applies the rule to a topic's state: whether to announce a spike,
// and the state after. A burst is the one announced last while its
// volume stays improbable with gaps of at most BurstGap; improbable
// volume during the cool-down that does not continue it is a new burst,
// announced once the cool-down is over if it lasts.
func (r SpikeRule) step(f SpikeFacts, st TopicState, now time.Time) (Spike, bool, TopicState) {
	sp, significant := r.Evaluate(f, now)
	if !significant {
		return Spike{}, false, st
	}
	if !st.Significant.IsZero() && now.Sub(st.Significant) <= r.BurstGap {
		st.Significant = now // the announced burst goes on
		return sp, false, st
	}
	if !st.SpikeAt.IsZero() && now.Sub(st.SpikeAt) < r.Cooldown {
		return sp, false, st
	}
	st.SpikeAt, st.Significant = now, now
	return sp, true, st
}
