package monitor

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// resyncSpec is how often a running scheduler re-reads feeds and settings,
// so changes made by another process (the command line next to the desktop
// app) take effect.
const resyncSpec = "@every 1m"

// releaseSpec is how often a running scheduler looks for summaries of
// batches and digests that came due (see ReleaseDue).
const releaseSpec = "@every 1m"

type scheduler struct {
	ctx        context.Context
	cron       *cron.Cron
	mu         sync.Mutex
	global     cron.EntryID
	globalSpec string
	perFeed    map[int64]feedEntry
}

type feedEntry struct {
	id   cron.EntryID
	spec string
}

// Run checks feeds on their schedules until ctx ends: once at start-up,
// then on the global schedule, and feeds with their own schedule on that;
// every minute it releases the alert summaries that came due. Every job
// is wrapped in Recover and SkipIfStillRunning. It returns once
// no check cycle runs any more (scheduled or not): what they checked is
// saved, and the store may be closed.
func (s *Service) Run(ctx context.Context) error {
	if s.team != nil {
		return s.runTeam(ctx)
	}
	logger := cronLogger{s.log}
	c := cron.New(cron.WithParser(cronParser), cron.WithLocation(time.Local),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)))
	sc := &scheduler{ctx: ctx, cron: c, perFeed: map[int64]feedEntry{}}
	s.mu.Lock()
	s.sched = sc
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.sched = nil
		s.mu.Unlock()
	}()
	if err := s.reconcile(ctx, sc); err != nil {
		return err
	}
	if _, err := c.AddFunc(resyncSpec, func() { _ = s.reconcile(ctx, sc) }); err != nil {
		return err
	}
	if _, err := c.AddFunc(releaseSpec, func() { s.releaseDue(ctx) }); err != nil {
		return err
	}

	// The start-up check, guarded like a scheduled job.
	func() {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("start-up check panicked", slog.Any("panic", r))
			}
		}()
		if _, err := s.Check(ctx, CheckOptions{Scheduled: true}); err != nil {
			s.log.Error("start-up check", slog.Any("err", err))
		}
	}()

	c.Start()
	<-ctx.Done()
	<-c.Stop().Done() // wait for running jobs
	s.waitCycles()    // and for checks asked for otherwise ("Check now")
	return nil
}

// resync applies changed feeds and settings to a running scheduler.
func (s *Service) resync() {
	s.mu.Lock()
	sc := s.sched
	s.mu.Unlock()
	if sc != nil {
		_ = s.reconcile(sc.ctx, sc)
	}
}

// reconcile makes the cron entries match the stored schedules.
func (s *Service) reconcile(ctx context.Context, sc *scheduler) error {
	st, err := s.Settings(ctx)
	if err != nil {
		return err
	}
	feeds, err := s.store.Feeds(ctx)
	if err != nil {
		return err
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if st.Schedule != sc.globalSpec {
		if sc.global != 0 {
			sc.cron.Remove(sc.global)
		}
		id, err := sc.cron.AddFunc(st.Schedule, func() { s.runGlobal(ctx) })
		if err != nil {
			return err
		}
		sc.global, sc.globalSpec = id, st.Schedule
	}
	keep := map[int64]bool{}
	for _, f := range feeds {
		if f.Schedule == "" || !f.Enabled || f.Gone {
			continue
		}
		keep[f.ID] = true
		if e, ok := sc.perFeed[f.ID]; ok && e.spec == f.Schedule {
			continue
		} else if ok {
			sc.cron.Remove(e.id)
		}
		id := f.ID
		eid, err := sc.cron.AddFunc(f.Schedule, func() {
			s.runCheck(ctx, CheckOptions{FeedIDs: []int64{id}, Scheduled: true})
		})
		if err != nil {
			s.log.Warn("feed schedule refused", slog.String("feed_url", f.URL), slog.Any("err", err))
			continue
		}
		sc.perFeed[f.ID] = feedEntry{id: eid, spec: f.Schedule}
	}
	for id, e := range sc.perFeed {
		if !keep[id] {
			sc.cron.Remove(e.id)
			delete(sc.perFeed, id)
		}
	}
	return nil
}

// runGlobal checks every feed that follows the global schedule.
func (s *Service) runGlobal(ctx context.Context) {
	feeds, err := s.store.Feeds(ctx)
	if err != nil {
		s.log.Error("list feeds", slog.Any("err", err))
		return
	}
	ids := []int64{}
	for _, f := range feeds {
		if f.Schedule == "" {
			ids = append(ids, f.ID)
		}
	}
	s.runCheck(ctx, CheckOptions{FeedIDs: ids, Scheduled: true})
}

// releaseDue releases due alert summaries, unless the engine is closing.
func (s *Service) releaseDue(ctx context.Context) {
	if ctx.Err() != nil || s.beginCycle() != nil {
		return
	}
	defer s.endCycle()
	if _, err := s.ReleaseDue(ctx); err != nil {
		s.log.Error("release alerts", slog.Any("err", err))
	}
}

func (s *Service) runCheck(ctx context.Context, opt CheckOptions) {
	if ctx.Err() != nil {
		return
	}
	if _, err := s.Check(ctx, opt); err != nil {
		s.log.Error("check", slog.Any("err", err))
	}
}

// scheduledNext is the running scheduler's next time for the feed.
func (s *Service) scheduledNext(f Feed) (time.Time, bool) {
	s.mu.Lock()
	sc := s.sched
	s.mu.Unlock()
	if sc == nil {
		return time.Time{}, false
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	id := sc.global
	if e, ok := sc.perFeed[f.ID]; ok {
		id = e.id
	}
	if id == 0 {
		return time.Time{}, false
	}
	return sc.cron.Entry(id).Next, true
}

// cronLogger sends cron's messages (a recovered panic, a skipped run) to
// the engine's logger.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, slog.Any("err", err))...)
}
