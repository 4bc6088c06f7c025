package alert

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Story is a new story of a topic, claimed for announcement exactly once
// (the engine's claim), as the decisions see it.
type Story struct {
	ID        int64 // the timeline's ID of the story
	TopicID   int64
	Title     string
	Feed      string
	Published time.Time
	// Backlog: it was already in a feed the analyst just added.
	Backlog bool
}

// Topic is a topic as the decisions see it.
type Topic struct {
	ID   int64
	Name string
	// Notify is false for a silenced topic (and one switched off): what
	// it raises is recorded, held back.
	Notify bool
	Policy Policy
}

// Developing is a story that reached its topic's escalation (many
// sources within a short time), announced once, ever.
type Developing struct {
	StoryID   int64
	TopicID   int64
	TopicName string
	Headline  string
	Feed      string
	Sources   int
	Span      time.Duration
}

// Input is everything one round of decisions reads: the facts, the
// policies and the state the last rounds left, and the clock.
type Input struct {
	Now time.Time
	// Loc is the analyst's time zone, for quiet hours and digest times
	// (nil: time.Local).
	Loc      *time.Location
	Settings Settings
	Topics   map[int64]Topic
	// Stories are the round's new stories, Developing its developing
	// stories; Spikes the volume of the topics that gained stories;
	// Feeds every feed's coverage facts.
	Stories    []Story
	Developing []Developing
	Spikes     []SpikeFacts
	Feeds      []FeedFacts
	// Pending are the alerts gathered for summaries not yet shown.
	Pending []Alert
	State   map[int64]TopicState
	// SpikeRule and CoverageRule: zero values are the defaults.
	SpikeRule    SpikeRule
	CoverageRule CoverageRule
}

// Output is one round's decisions.
type Output struct {
	// Alerts are the decisions to record, in the order to show them.
	Alerts []Alert
	// Gathered maps a pending alert's ID to the index in Alerts of the
	// summary that took it up.
	Gathered map[int64]int
	// State and Coverage are the topic states and feed coverage that
	// changed (by topic and feed ID).
	State    map[int64]TopicState
	Coverage map[int64]FeedState
}

// Shown returns the alerts to show.
func (o Output) Shown() []Alert {
	var out []Alert
	for _, a := range o.Alerts {
		if a.Status == Shown {
			out = append(out, a)
		}
	}
	return out
}

// Decide makes one round's decisions: summaries that are due, the new
// stories of each topic (one alert per topic, at once or gathered for a
// summary, as its policy says), the backlog of new feeds (one summary),
// developing stories and spikes (at once), and coverage changes. It is
// a pure function of its input.
func Decide(in Input) Output {
	if in.Loc == nil {
		in.Loc = time.Local
	}
	if in.SpikeRule.Windows == nil {
		in.SpikeRule = DefaultSpikeRule
	}
	if in.CoverageRule.MinGaps == 0 {
		in.CoverageRule = DefaultCoverageRule
	}
	d := &decider{in: in, out: Output{Gathered: map[int64]int{}, State: map[int64]TopicState{},
		Coverage: map[int64]FeedState{}}}
	d.release()
	d.stories()
	d.backlog()
	d.developing()
	d.spikes()
	d.coverage()
	return d.out
}

type decider struct {
	in  Input
	out Output
}

func (d *decider) state(topic int64) TopicState {
	if st, ok := d.out.State[topic]; ok {
		return st
	}
	return d.in.State[topic]
}

// add records an alert, gated by the settings unless its status is set.
func (d *decider) add(a Alert, silenced bool) int {
	a.At = d.in.Now
	a.hints()
	if a.Status == "" {
		a.Status, a.Reason = Gate(d.in.Settings, a.Priority, silenced, d.in.Now, d.in.Loc)
	}
	d.out.Alerts = append(d.out.Alerts, a)
	return len(d.out.Alerts) - 1
}

// shownStories notes that a topic's new stories were shown now.
func (d *decider) shownStories(topic int64) {
	st := d.state(topic)
	st.LastShown = d.in.Now
	d.out.State[topic] = st
}

// release sums up the pending alerts that are due (and those whose topic
// now delivers at once, or is gone): one summary per topic.
func (d *decider) release() {
	byTopic := map[int64][]Alert{}
	for _, p := range d.in.Pending {
		t, ok := d.in.Topics[p.TopicID]
		if !p.Due.After(d.in.Now) || !ok || t.Policy.Delivery.Mode == Now {
			byTopic[p.TopicID] = append(byTopic[p.TopicID], p)
		}
	}
	for _, id := range sortedTopics(byTopic, d.in.Topics) {
		ps := byTopic[id]
		slices.SortFunc(ps, func(a, b Alert) int { return cmp.Or(b.At.Compare(a.At), cmp.Compare(b.ID, a.ID)) })
		var ids []int64
		var heads []msg.Message
		first := ps[0].At
		for _, p := range ps {
			for _, s := range p.Stories {
				if !slices.Contains(ids, s) {
					ids = append(ids, s)
				}
			}
			heads = append(heads, p.Body)
			if p.At.Before(first) {
				first = p.At
			}
		}
		t, ok := d.in.Topics[id]
		name, mode := ps[0].TopicName, ps[0].Reason
		a := Alert{Kind: KindStories, TopicID: id, TopicName: name, Stories: ids, Priority: ps[0].Priority}
		if ok {
			a.TopicName, a.Priority = t.Name, t.Policy.Priority
		} else {
			a.Status, a.Reason = Held, TopicRemoved
		}
		dm := Every
		if mode == Digested {
			dm = Digest
		}
		a.Title = summaryTitle(dm, a.TopicName, len(ids), since(first, d.in.Now, d.in.Loc))
		a.Body = lines(heads)
		i := d.add(a, ok && !t.Notify)
		for _, p := range ps {
			d.out.Gathered[p.ID] = i
		}
		if d.out.Alerts[i].Status == Shown {
			d.shownStories(id)
		}
	}
}

// stories decides each topic's new stories (not the backlog): one alert
// per topic, named by its count and newest headline.
func (d *decider) stories() {
	byTopic := map[int64][]Story{}
	for _, s := range d.in.Stories {
		if !s.Backlog {
			byTopic[s.TopicID] = append(byTopic[s.TopicID], s)
		}
	}
	pendingDue := map[int64]time.Time{}
	for _, p := range d.in.Pending {
		if _, gone := d.out.Gathered[p.ID]; !gone {
			if due, ok := pendingDue[p.TopicID]; !ok || p.Due.Before(due) {
				pendingDue[p.TopicID] = p.Due
			}
		}
	}
	for _, id := range sortedTopics(byTopic, d.in.Topics) {
		ss := byTopic[id]
		newest := ss[0]
		var ids []int64
		for _, s := range ss {
			if s.Published.After(newest.Published) {
				newest = s
			}
			if !slices.Contains(ids, s.ID) {
				ids = append(ids, s.ID)
			}
		}
		t, ok := d.in.Topics[id]
		a := Alert{Kind: KindStories, TopicID: id, TopicName: t.Name, Priority: t.Policy.Priority, Stories: ids,
			Title: storiesTitle(t.Name, len(ids)), Body: headline(newest.Title, newest.Feed)}
		if !ok {
			a.Status, a.Reason = Held, TopicRemoved
			d.add(a, false)
			continue
		}
		if !t.Notify || !d.in.Settings.Notifications {
			d.add(a, !t.Notify) // held, never summed up
			continue
		}
		now := d.in.Now
		del := t.Policy.Delivery
		switch del.Mode {
		case Every:
			last := d.state(id).LastShown
			if due, ok := pendingDue[id]; ok {
				a.Status, a.Reason, a.Due = Pending, Batched, due
			} else if !last.IsZero() && now.Before(last.Add(del.Every)) {
				a.Status, a.Reason, a.Due = Pending, Batched, last.Add(del.Every)
			}
		case Digest:
			a.Status, a.Reason, a.Due = Pending, Digested, del.NextDigest(now, d.in.Loc)
			if due, ok := pendingDue[id]; ok && due.Before(a.Due) {
				a.Due = due
			}
		}
		if d.out.Alerts[d.add(a, false)].Status == Shown {
			d.shownStories(id)
		}
	}
}

// backlog sums up, in one alert, the stories that were already in newly
// added feeds (of topics that notify).
func (d *decider) backlog() {
	var ids []int64
	names := map[string]bool{}
	silenced := false
	for _, s := range d.in.Stories {
		if !s.Backlog {
			continue
		}
		t, ok := d.in.Topics[s.TopicID]
		if !ok || !t.Notify {
			silenced = true
			continue
		}
		names[t.Name] = true
		if !slices.Contains(ids, s.ID) {
			ids = append(ids, s.ID)
		}
	}
	if len(ids) == 0 {
		if silenced {
			d.add(Alert{Kind: KindBacklog, Title: backlogTitle(0), Body: backlogBody(0, nil)}, true)
		}
		return
	}
	topics := make([]string, 0, len(names))
	for n := range names {
		topics = append(topics, n)
	}
	slices.SortFunc(topics, func(a, b string) int { return cmp.Compare(strings.ToLower(a), strings.ToLower(b)) })
	d.add(Alert{Kind: KindBacklog, Stories: ids, Title: backlogTitle(len(ids)), Body: backlogBody(len(ids), topics)}, false)
}

// developing announces each developing story at once, with its topic's
// priority.
func (d *decider) developing() {
	for _, dv := range d.in.Developing {
		t, ok := d.in.Topics[dv.TopicID]
		if ok {
			dv.TopicName = t.Name
		}
		a := Alert{Kind: KindDeveloping, TopicID: dv.TopicID, TopicName: dv.TopicName, Priority: t.Policy.Priority,
			Stories: []int64{dv.StoryID}, Title: developingTitle(dv.Headline, dv.Sources, dv.Span),
			Body: headline(dv.TopicName, dv.Feed)}
		if !ok {
			a.Status, a.Reason = Held, TopicRemoved
		}
		d.add(a, !t.Notify)
	}
}

// spikes announces a topic's spike once per burst.
func (d *decider) spikes() {
	for _, f := range d.in.Spikes {
		t, ok := d.in.Topics[f.TopicID]
		if !ok || t.Policy.SpikesOff {
			continue
		}
		sp, fire, st := d.in.SpikeRule.step(f, d.state(f.TopicID), d.in.Now)
		if st != d.state(f.TopicID) {
			d.out.State[f.TopicID] = st
		}
		if !fire {
			continue
		}
		a := Alert{Kind: KindSpike, TopicID: t.ID, TopicName: t.Name, Priority: t.Policy.Priority, Stories: sp.Stories,
			Title: spikeTitle(t.Name, sp)}
		// The newest headline of the round's stories of the topic.
		var newest *Story
		for i, s := range d.in.Stories {
			if s.TopicID == t.ID && !s.Backlog && (newest == nil || s.Published.After(newest.Published)) {
				newest = &d.in.Stories[i]
			}
		}
		if newest != nil {
			a.Body = headline(newest.Title, newest.Feed)
		}
		d.add(a, !t.Notify)
	}
}

// coverage reports a feed that went dead or silent, once, and with a
// quiet note when it covers the news again.
func (d *decider) coverage() {
	for _, f := range d.in.Feeds {
		next := d.in.CoverageRule.Next(f, d.in.Now)
		if next == f.State {
			continue
		}
		d.out.Coverage[f.ID] = next
		was := f.State.Coverage
		a := Alert{Kind: KindCoverage, FeedID: f.ID, FeedName: f.Name, Coverage: next.Coverage}
		switch {
		case was == CoverageOK && next.Coverage == CoverageDead && f.Gone:
			a.Title, a.Body = goneTitle(f.Name), goneBody()
		case was == CoverageOK && next.Coverage == CoverageDead:
			a.Title, a.Body = deadTitle(f.Name, d.in.Now.Sub(next.Since)), f.LastError
		case was == CoverageOK && next.Coverage == CoverageSilent:
			a.Title, a.Body = silentTitle(f.Name, d.in.Now.Sub(next.Since)), silentBody(f.Rhythm.Usual)
		case was != CoverageOK && next.Coverage == CoverageOK && f.Watched:
			a.Title, a.Body = recoveredTitle(f.Name, was), recoveredBody(was, d.in.Now.Sub(f.State.Since))
		default:
			continue // dead ↔ silent, or switched off: no news
		}
		i := d.add(a, false)
		if next.Coverage == CoverageOK {
			d.out.Alerts[i].Urgency = UrgencyLow // a quiet note
		}
	}
}

// sortedTopics orders topic IDs by the topics' names (a removed topic
// last, by ID).
func sortedTopics[T any](m map[int64]T, topics map[int64]Topic) []int64 {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b int64) int {
		ta, oka := topics[a]
		tb, okb := topics[b]
		if oka != okb {
			if oka {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(strings.ToLower(ta.Name), strings.ToLower(tb.Name)), cmp.Compare(a, b))
	})
	return ids
}
