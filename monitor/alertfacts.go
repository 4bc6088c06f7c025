package monitor

import (
	"context"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/alert"
)

// rhythmTTL is how long a feed's learned rhythm is used before it is
// learned again from its stories.
const rhythmTTL = 6 * time.Hour

// learned is a feed's rhythm and when it was learned.
type learned struct {
	at     time.Time
	rhythm alert.Rhythm
}

// feedFacts are a feed's coverage facts, without the state (which the
// round reads inside its transaction).
type feedFacts struct{ alert.FeedFacts }

// coverageFacts are every feed's coverage facts after a cycle: its
// health for every feed (a feed failing for the limit is found by any
// cycle), its stories' dates for the feeds the cycle read (silence is
// noticed when a feed works but brings nothing new).
func (s *Service) coverageFacts(ctx context.Context, checked []FeedResult, now time.Time) ([]feedFacts, error) {
	feeds, err := s.store.Feeds(ctx)
	if err != nil {
		return nil, err
	}
	read := map[int64]bool{}
	for _, r := range checked {
		if r.Err.IsZero() && r.Skipped.IsZero() {
			read[r.Feed.ID] = true
		}
	}
	rule := alert.DefaultCoverageRule
	out := make([]feedFacts, 0, len(feeds))
	for _, f := range feeds {
		ff := alert.FeedFacts{ID: f.ID, Name: f.DisplayName(), Watched: !f.CoverageOff && (f.Enabled || f.Gone),
			Gone: f.Gone, Failing: f.Failures > 0, FailingSince: f.FailingSince, LastError: f.LastError}
		if ff.Watched && read[f.ID] && !ff.Failing {
			s.mu.Lock()
			l, ok := s.rhythms[f.ID]
			s.mu.Unlock()
			since := now // the newest date only
			if !ok || now.Sub(l.at) >= rhythmTTL || now.Before(l.at) {
				since = now.Add(-rule.Learn)
			}
			dates, newest, err := s.store.FeedDates(ctx, f.ID, since)
			if err != nil {
				return nil, err
			}
			if since.Before(now) {
				l = learned{at: now, rhythm: rule.LearnRhythm(dates, now)}
				s.mu.Lock()
				s.rhythms[f.ID] = l
				s.mu.Unlock()
			}
			ff.LastPublished, ff.Rhythm = newest, l.rhythm
		}
		out = append(out, feedFacts{ff})
	}
	return out, nil
}
