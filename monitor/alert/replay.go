package alert

import (
	"math/rand/v2"
	"sort"
	"time"
)

// ReplayConfig is synthetic traffic to replay through a spike rule: a
// topic's stories arriving as a Poisson process, looked at every Cycle
// as the engine does (a round evaluates a topic when it gained stories).
type ReplayConfig struct {
	Rule  SpikeRule
	Rate  float64       // stories per hour
	Cycle time.Duration // how often a check cycle runs
	// Weeks of steady traffic for each of Topics topics, from the
	// topic's creation: every spike in them is a false one.
	Weeks, Topics int
	// Trials of a step: steady traffic for StepAfter (plus up to a day,
	// at random), then Step times the rate for Horizon.
	Trials    int
	Step      float64
	StepAfter time.Duration
	Horizon   time.Duration
	Seed      uint64
}

// ReplayResult is what a replay found.
type ReplayResult struct {
	// FalsePerWeek is each steady topic's false spikes per week.
	FalsePerWeek []float64
	// Delays are, per trial, the time from the step to its first spike
	// (-1: none within the horizon).
	Delays []time.Duration
}

// DetectedWithin counts the trials whose step was announced within d.
func (r ReplayResult) DetectedWithin(d time.Duration) int {
	n := 0
	for _, x := range r.Delays {
		if x >= 0 && x <= d {
			n++
		}
	}
	return n
}

// MaxFalsePerWeek is the most false spikes a week any steady topic had.
func (r ReplayResult) MaxFalsePerWeek() float64 {
	m := 0.0
	for _, f := range r.FalsePerWeek {
		m = max(m, f)
	}
	return m
}

// ReplaySpikes replays synthetic traffic through the rule.
func ReplaySpikes(cfg ReplayConfig) ReplayResult {
	var res ReplayResult
	epoch := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	for i := range cfg.Topics {
		rng := rand.New(rand.NewPCG(cfg.Seed, uint64(i)))
		span := time.Duration(cfg.Weeks) * 7 * 24 * time.Hour
		arr := poisson(rng, nil, epoch, epoch.Add(span), cfg.Rate)
		fires := replayTopic(cfg, arr, epoch, epoch.Add(span))
		res.FalsePerWeek = append(res.FalsePerWeek, float64(len(fires))/float64(cfg.Weeks))
	}
	for i := range cfg.Trials {
		rng := rand.New(rand.NewPCG(cfg.Seed+1, uint64(i)))
		step := epoch.Add(cfg.StepAfter + time.Duration(rng.Float64()*float64(24*time.Hour)))
		arr := poisson(rng, nil, epoch, step, cfg.Rate)
		arr = poisson(rng, arr, step, step.Add(cfg.Horizon), cfg.Rate*cfg.Step)
		delay := time.Duration(-1)
		for _, f := range replayTopic(cfg, arr, epoch, step.Add(cfg.Horizon)) {
			if !f.Before(step) {
				delay = f.Sub(step)
				break
			}
		}
		res.Delays = append(res.Delays, delay)
	}
	return res
}

// poisson appends arrivals at rate per hour from start to end.
func poisson(rng *rand.Rand, out []time.Time, start, end time.Time, rate float64) []time.Time {
	for t := start; ; {
		t = t.Add(time.Duration(rng.ExpFloat64() / rate * float64(time.Hour)))
		if !t.Before(end) {
			return out
		}
		out = append(out, t)
	}
}

// replayTopic runs the rounds of one topic created at start over sorted
// arrivals and returns when it announced spikes.
func replayTopic(cfg ReplayConfig, arr []time.Time, start, end time.Time) []time.Time {
	var st TopicState
	var fires []time.Time
	count := func(from, to time.Time) (int, int) { // arrivals in (from, to]
		i := sort.Search(len(arr), func(k int) bool { return arr[k].After(from) })
		j := sort.Search(len(arr), func(k int) bool { return arr[k].After(to) })
		return i, j
	}
	prev := start
	for now := start.Add(cfg.Cycle); !now.After(end); now = now.Add(cfg.Cycle) {
		if i, j := count(prev, now); i == j {
			prev = now
			continue // no new story: the topic is not evaluated
		}
		prev = now
		i, j := count(now.Add(-cfg.Rule.Longest()), now)
		f := SpikeFacts{HistoryStart: start}
		for k := i; k < j; k++ {
			f.Recent = append(f.Recent, Arrival{At: arr[k], StoryID: int64(k)})
		}
		from, to := cfg.Rule.BaselineRange(now, start)
		bi, bj := count(from.Add(-time.Nanosecond), to.Add(-time.Nanosecond))
		f.BaselineCount = bj - bi
		var fire bool
		_, fire, st = cfg.Rule.step(f, st, now)
		if fire {
			fires = append(fires, now)
		}
	}
	return fires
}
