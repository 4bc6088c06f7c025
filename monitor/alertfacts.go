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
// health and the date of its newest story for every feed (a feed failing
// for the limit is found by any cycle); its rhythm, learned from its
// stories' dates, only for a feed the cycle read that has been quiet for
// longer than any rhythm allows (silence is noticed when a feed works but
// brings nothing new).
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
			Gone: f.Gone, Failing: f.Failures > 0, FailingSince: f.FailingSince, LastError: f.LastError,
			LastPublished: f.Newest}
		if ff.Watched && read[f.ID] && !ff.Failing && !f.Newest.IsZero() && now.Sub(f.Newest) > rule.MinSilence {
			rh, err := s.rhythm(ctx, f.ID, now)
			if err != nil {
				return nil, err
			}
			ff.Rhythm = rh
		}
		out = append(out, feedFacts{ff})
	}
	return out, nil
}

// rhythm is a feed's rhythm, learned from its stories at most every
// rhythmTTL.
func (s *Service) rhythm(ctx context.Context, feedID int64, now time.Time) (alert.Rhythm, error) {
	s.mu.Lock()
	l, ok := s.rhythms[feedID]
	s.mu.Unlock()
	if ok && now.Sub(l.at) < rhythmTTL && !now.Before(l.at) {
		return l.rhythm, nil
	}
	rule := alert.DefaultCoverageRule
	dates, _, err := s.store.FeedDates(ctx, feedID, now.Add(-rule.Learn))
	if err != nil {
		return alert.Rhythm{}, err
	}
	l = learned{at: now, rhythm: rule.LearnRhythm(dates, now)}
	s.mu.Lock()
	s.rhythms[feedID] = l
	s.mu.Unlock()
	return l.rhythm, nil
}
