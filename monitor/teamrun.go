package monitor

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// idlePoll is how often a poller with nothing due asks again.
const idlePoll = time.Second

// followEvery is how often a desktop claims even when it heard nothing
// (a notification lost with a broken connection is caught up with when
// it listens again; this is the belt to those braces).
const followEvery = time.Minute

// runTeam is Run on a team database: with polling, due feeds are leased
// in batches and checked, batch after batch, while any are due; with
// alerts, the user's matches are followed as the pollers store them; and
// every minute the schedules are brought in line with the feeds and the
// settings, and due summaries released.
func (s *Service) runTeam(ctx context.Context) error {
	t := s.team
	s.beat()
	var wg sync.WaitGroup
	if t.alerts {
		wg.Go(func() { s.follow(ctx) })
	}
	wg.Go(func() {
		tick := time.NewTicker(time.Minute)
		defer tick.Stop()
		for {
			s.reschedule(ctx)
			if t.alerts {
				s.releaseDue(ctx)
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	})
	if t.poll {
		s.poll(ctx)
	}
	wg.Wait()
	s.waitCycles()
	return nil
}

// poll checks due feeds until ctx ends.
func (s *Service) poll(ctx context.Context) {
	for ctx.Err() == nil {
		leases, err := s.team.store.LeaseDue(ctx, s.owner, s.now(), s.team.batch, s.team.timeout)
		if err != nil && ctx.Err() == nil {
			s.log.Error("lease due feeds", slog.Any("err", err))
		}
		if len(leases) == 0 {
			select {
			case <-ctx.Done():
			case <-time.After(idlePoll):
			}
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					s.log.Error("check cycle panicked", slog.Any("panic", r))
				}
			}()
			if _, err := s.Check(ctx, CheckOptions{Scheduled: true, leases: leases}); err != nil && ctx.Err() == nil {
				s.log.Error("check", slog.Any("err", err))
			}
		}()
	}
}

// reschedule makes the feeds whose schedule changed (theirs, or the
// global one they follow) due by the new one.
func (s *Service) reschedule(ctx context.Context) {
	leases, err := s.team.store.Leases(ctx)
	if err != nil {
		return
	}
	feeds, err := s.store.Feeds(ctx)
	if err != nil {
		return
	}
	byID := make(map[int64]Feed, len(feeds))
	for _, f := range feeds {
		byID[f.ID] = f
	}
	now := s.now()
	for _, l := range leases {
		f, ok := byID[l.FeedID]
		if !ok || l.Owner != "" || l.Spec == "" {
			continue
		}
		spec := s.specOf(ctx, f)
		if spec == l.Spec {
			continue
		}
		sched, err := ParseSchedule(spec)
		if err != nil {
			continue
		}
		if err := s.team.store.Reschedule(ctx, f.ID, sched.Next(now), spec); err != nil {
			s.log.Warn("reschedule a feed", slog.String("feed_url", f.URL), slog.Any("err", err))
		}
	}
}

// follow claims the user's new matches whenever the store says some were
// stored (and at least every followEvery) until ctx ends.
func (s *Service) follow(ctx context.Context) {
	heard := make(chan struct{}, 1)
	go func() {
		_ = s.team.store.Listen(ctx, func(int64) {
			select {
			case heard <- struct{}{}:
			default: // a round is asked for already
			}
		})
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-heard:
		case <-time.After(followEvery):
		}
		s.followRound(ctx)
	}
}

// followRound claims what is new for the user and, when there is
// anything, sends it as a cycle's event: the new stories reach the
// timeline and the alerts the desktop, as after a check of its own.
func (s *Service) followRound(ctx context.Context) {
	if ctx.Err() != nil || s.beginCycle() != nil {
		return
	}
	defer s.endCycle()
	ev := CycleEvent{Started: s.now()}
	if err := s.announce(ctx, &ev); err != nil {
		if ctx.Err() == nil {
			s.log.Error("claim alerts", slog.Any("err", err))
		}
		return
	}
	for _, m := range ev.Matches {
		if id := m.Article.StoryID; id != 0 && !slices.Contains(ev.Stories, id) {
			ev.Stories = append(ev.Stories, id)
		}
	}
	for _, d := range ev.Developing {
		if !slices.Contains(ev.Stories, d.StoryID) {
			ev.Stories = append(ev.Stories, d.StoryID)
		}
	}
	if len(ev.Matches) == 0 && len(ev.Developing) == 0 && len(ev.Alerts) == 0 {
		return
	}
	ev.Finished = s.now()
	s.emit(cycleEvent(&ev))
}
