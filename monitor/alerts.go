package monitor

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/alert"
)

// Alerts: at the end of every check cycle the engine claims what the
// cycle found and decides, in the same transaction, what to announce
// (monitor/alert); every decision is recorded in the alert history, and
// the alerts to show reach the subscribers in the cycle's event. Between
// cycles the scheduler releases the summaries of batches and digests
// that came due (ReleaseDue), and so does every cycle, also of a process
// without a scheduler (newswatch check).

// Alert is one alert decision, as the alert history keeps it.
type Alert = alert.Alert

// AlertFilter selects alerts from the history.
type AlertFilter struct {
	Since, Until time.Time // decided at or after, before (zero: any time)
	TopicID      int64     // 0: any topic
	FeedID       int64     // 0: any feed
	Kinds        []alert.Kind
	Limit        int // 0: no limit
}

// cycleEvent is the event of a finished cycle.
func cycleEvent(ev *CycleEvent) Event {
	e := Event{Cycle: ev, Alerts: ev.Alerts}
	if len(ev.Alerts) > 0 {
		e.Changed = AlertsChanged
	}
	return e
}

// announce claims the cycle's new matches and decides its alerts.
func (s *Service) announce(ctx context.Context, ev *CycleEvent) error {
	res, err := s.decideRound(ctx, true, ev.Feeds)
	ev.Matches, ev.NewStories, ev.Developing = res.Claimed.Matches, res.Claimed.NewStories, res.Claimed.Developing
	ev.Alerts = res.Alerts
	return err
}

// ReleaseDue sums up the batches and digests that are due and returns
// the decisions (also sent to the subscribers). Service.Run calls it
// every minute; every check cycle does it too.
func (s *Service) ReleaseDue(ctx context.Context) ([]Alert, error) {
	if !s.announces() {
		return nil, nil
	}
	due, err := s.store.NextDue(ctx)
	if err != nil || due.IsZero() || due.After(s.now()) {
		return nil, err
	}
	res, err := s.decideRound(ctx, false, nil)
	if len(res.Alerts) > 0 {
		s.emit(Event{Alerts: res.Alerts, Changed: AlertsChanged})
	}
	return res.Alerts, err
}

// decideRound runs one round of decisions: with claim, over the matches
// it claims and the feeds a cycle checked; without, only the summaries
// that are due.
func (s *Service) decideRound(ctx context.Context, claim bool, checked []FeedResult) (AlertResult, error) {
	now := s.now()
	st, err := s.Settings(ctx)
	if err != nil {
		return AlertResult{}, err
	}
	topics, err := s.store.Topics(ctx)
	if err != nil {
		return AlertResult{}, err
	}
	var feeds []feedFacts
	if claim {
		if feeds, err = s.coverageFacts(ctx, checked, now); err != nil {
			return AlertResult{}, err
		}
	}
	in := alert.Input{Now: now, Loc: s.loc, Settings: st.decisionSettings(), Topics: map[int64]alert.Topic{}}
	in.CoverageRule = alert.DefaultCoverageRule
	in.CoverageRule.DeadAfter = st.DeadAfter
	created := map[int64]time.Time{}
	for _, t := range topics {
		in.Topics[t.ID] = alert.Topic{ID: t.ID, Name: t.Name, Notify: t.Enabled && t.Notify, Policy: t.Policy}
		created[t.ID] = t.Created
	}
	return s.store.DecideAlerts(ctx, now, claim, func(r AlertRound) (out alert.Output, err error) {
		defer func() {
			// A bug in a decision must not stop announcing for good: the
			// round claims, records nothing, and says so in the log.
			if p := recover(); p != nil {
				s.log.Error("deciding alerts panicked", slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
				out, err = alert.Output{}, nil
			}
		}()
		in.Stories, in.Developing = storiesOf(r.Claimed.NewStories), developingOf(r.Claimed.Developing)
		in.Pending, in.State = r.Pending, r.Topics
		for _, f := range feeds {
			f.State = r.Coverage[f.ID]
			in.Feeds = append(in.Feeds, f.FeedFacts)
		}
		if in.Spikes, err = spikeFacts(r.Volume, in, created); err != nil {
			return alert.Output{}, fmt.Errorf("read topic volume: %w", err)
		}
		return alert.Decide(in), nil
	})
}

// storiesOf turns the claim's new stories (one match per story and
// topic not announced for that topic before) into the stories the
// decisions count: a new report of a story already announced is none.
func storiesOf(ms []Match) []alert.Story {
	out := make([]alert.Story, 0, len(ms))
	for _, m := range ms {
		id := m.Article.StoryID
		if id == 0 { // stories kept apart (cmd/bench only)
			id = m.Article.ID
		}
		out = append(out, alert.Story{ID: id, TopicID: m.TopicID, Title: m.Article.Title,
			Feed: m.Article.FeedName, Published: m.Article.Published, Backlog: m.Backlog})
	}
	return out
}

// developingOf turns the claim's developing stories into the decisions'.
func developingOf(ds []Developing) []alert.Developing {
	out := make([]alert.Developing, 0, len(ds))
	for _, d := range ds {
		out = append(out, alert.Developing{StoryID: d.StoryID, TopicID: d.TopicID, TopicName: d.TopicName,
			Headline: d.Headline, Feed: d.Lead.FeedName, Sources: d.Sources, Span: d.Span})
	}
	return out
}

// spikeFacts reads the volume of the topics that gained stories (not
// backlog) and test for spikes.
func spikeFacts(v VolumeReader, in alert.Input, created map[int64]time.Time) ([]alert.SpikeFacts, error) {
	rule := alert.DefaultSpikeRule
	seen := map[int64]bool{}
	var out []alert.SpikeFacts
	for _, st := range in.Stories {
		t, ok := in.Topics[st.TopicID]
		if st.Backlog || seen[st.TopicID] || !ok || t.Policy.SpikesOff {
			continue
		}
		seen[st.TopicID] = true
		f := alert.SpikeFacts{TopicID: st.TopicID, HistoryStart: created[st.TopicID]}
		recent, err := v.Arrivals(st.TopicID, in.Now.Add(-rule.Longest()))
		if err != nil {
			return nil, err
		}
		f.Recent = recent
		// The history starts with the topic, or with the first story it
		// holds from before (applied to stored stories).
		_, first, err := v.CountArrivals(st.TopicID, time.Time{}, time.Time{})
		if err != nil {
			return nil, err
		}
		if !first.IsZero() && (f.HistoryStart.IsZero() || first.Before(f.HistoryStart)) {
			f.HistoryStart = first
		}
		from, to := rule.BaselineRange(in.Now, f.HistoryStart)
		if f.BaselineCount, _, err = v.CountArrivals(st.TopicID, from, to); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// AlertHistory lists recorded alert decisions, newest first.
func (s *Service) AlertHistory(ctx context.Context, f AlertFilter) ([]Alert, error) {
	return s.store.AlertHistory(ctx, f)
}

// DeleteAlerts deletes alerts from the history (pending ones stay: their
// summary is still to come) and returns how many were deleted.
func (s *Service) DeleteAlerts(ctx context.Context, ids []int64) (int, error) {
	n, err := s.store.DeleteAlerts(ctx, ids)
	if n > 0 {
		s.changed(AlertsChanged)
	}
	return n, err
}
