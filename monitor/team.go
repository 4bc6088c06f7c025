package monitor

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// The engine on a team database (a TeamStore). Every process that polls
// takes due feeds by leasing them (LeaseDue: a feed is leased by one
// process at a time) and saves each check with its lease, which the
// save completes: the feed is due again at its schedule's next time. A
// process beats (TeamStore.Beat) while it runs; one that is not seen for
// the lease timeout — killed, frozen, cut off — loses its leases to the
// others, and its reading marks (crashmark.go) count as left behind, so
// a feed it died reading is paused like after a crash on one machine,
// whichever machine finds it. Each process assigns stories against its
// own candidate window, brought up to date inside the store's writer
// lock, so processes never decide against different states.
//
// A desktop follows what the pollers store (follow): told of new matches
// by the store (LISTEN/NOTIFY), it claims those of its user and decides
// their alerts, and its subscribers receive them in a cycle event as if
// it had checked the feeds itself. With NoPolling it leaves polling to
// the servers; a server runs with NoAlerts and claims nothing.

// DefaultLeaseTimeout is how long a process that is not seen keeps its
// leases.
const DefaultLeaseTimeout = time.Minute

// team is the engine's part in a team database (nil on SQLite).
type team struct {
	store   TeamStore
	poll    bool // check feeds on their schedules (Run)
	alerts  bool // claim and decide this user's alerts
	timeout time.Duration
	batch   int

	mu        sync.Mutex
	leases    map[int64]Lease // the leases this process's cycles hold
	beating   bool
	beatStop  chan struct{}
	beatDone  chan struct{}
	lastPrune time.Time
	dues      map[int64]time.Time // feeds' next checks, for NextRun
	duesAt    time.Time
}

func newTeam(cfg Config) *team {
	ts, ok := cfg.Store.(TeamStore)
	if !ok {
		return nil
	}
	t := &team{store: ts, poll: !cfg.NoPolling, alerts: !cfg.NoAlerts, timeout: cfg.LeaseTimeout,
		leases: map[int64]Lease{}, batch: cfg.LeaseBatch}
	if t.timeout <= 0 {
		t.timeout = DefaultLeaseTimeout
	}
	if t.batch <= 0 {
		t.batch = 100
	}
	return t
}

// User is the analyst the engine works for: the team database's user,
// "" on a database of one user.
func (s *Service) User() string {
	if s.team == nil {
		return ""
	}
	return s.team.store.User()
}

// beat starts beating, once; Close stops it and gives the leases back.
func (s *Service) beat() {
	t := s.team
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.beating {
		return
	}
	t.beating = true
	t.beatStop, t.beatDone = make(chan struct{}), make(chan struct{})
	if err := t.store.Beat(context.Background(), s.owner); err != nil {
		s.log.Warn("cannot tell the team database this process is alive", slog.Any("err", err))
	}
	go func() {
		defer close(t.beatDone)
		tick := time.NewTicker(max(t.timeout/4, 100*time.Millisecond))
		defer tick.Stop()
		for {
			select {
			case <-t.beatStop:
				return
			case <-tick.C:
				if err := t.store.Beat(context.Background(), s.owner); err != nil {
					s.log.Warn("cannot tell the team database this process is alive", slog.Any("err", err))
				}
			}
		}
	}()
}

// leave stops beating and gives this process's leases back (Close).
func (s *Service) leave() {
	t := s.team
	t.mu.Lock()
	beating := t.beating
	t.beating = false
	t.mu.Unlock()
	if !beating {
		return
	}
	close(t.beatStop)
	<-t.beatDone
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := t.store.Leave(ctx, s.owner); err != nil {
		s.log.Warn("cannot give the feeds' leases back", slog.Any("err", err))
	}
}

// leaseFeeds is dueFeeds on a team database: the feeds of opt.leases (a
// scheduled batch), or, for a check asked for, the feeds it names (every
// enabled one) that no other live process holds. The feeds that must
// wait (Retry-After, back-off) are given back, due when they may be
// fetched.
func (s *Service) leaseFeeds(ctx context.Context, opt CheckOptions) (due []Feed, waiting []FeedResult, err error) {
	t := s.team
	s.beat()
	leases := opt.leases
	if leases == nil {
		ids := opt.FeedIDs
		if ids == nil {
			all, err := s.store.Feeds(ctx)
			if err != nil {
				return nil, nil, err
			}
			for _, f := range all {
				if f.Enabled && !f.Gone {
					ids = append(ids, f.ID)
				}
			}
		}
		if leases, err = t.store.LeaseFeeds(ctx, s.owner, ids, t.timeout); err != nil {
			return nil, nil, err
		}
	}
	// A lease taken over from a process that died reading the feed:
	// its mark is found now, and the feed paused, before it is read.
	s.reviewMarks(ctx)
	now := s.now()
	for _, l := range leases {
		f, err := s.store.Feed(ctx, l.FeedID)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if !f.Enabled || f.Gone {
			s.giveBack(ctx, l, l.Due)
			continue
		}
		if nb := f.notBefore(opt.Scheduled); now.Before(nb) {
			if opt.leases != nil {
				s.giveBack(ctx, l, nb) // due again when it may be fetched
			} else {
				s.giveBack(ctx, l, l.Due)
				waiting = append(waiting, FeedResult{Feed: f, Err: f.LastError, Skipped: waitReason(f, nb)})
			}
			continue
		}
		t.mu.Lock()
		t.leases[f.ID] = l
		t.mu.Unlock()
		due = append(due, f)
	}
	return due, waiting, nil
}

// giveBack returns a lease unchecked.
func (s *Service) giveBack(ctx context.Context, l Lease, due time.Time) {
	s.team.mu.Lock()
	delete(s.team.leases, l.FeedID)
	s.team.mu.Unlock()
	if err := s.team.store.ReleaseLease(context.WithoutCancel(ctx), l, due); err != nil {
		s.log.Warn("cannot give a feed's lease back", slog.Int64("feed", l.FeedID), slog.Any("err", err))
	}
}

// releaseLeases gives back the leases of a cycle's feeds that were not
// saved (the check was stopped, or failed to save).
func (s *Service) releaseLeases(ctx context.Context, feeds []Feed) {
	if s.team == nil {
		return
	}
	for _, f := range feeds {
		s.team.mu.Lock()
		l, ok := s.team.leases[f.ID]
		s.team.mu.Unlock()
		if ok {
			s.giveBack(ctx, l, l.Due)
		}
	}
}

// leaseOf is the lease with which the feed's check is saved (nil off a
// team database), with its next due time: the schedule's next time after
// now, or after the lease's due time if that is later (a check asked for
// before the feed was due leaves it due then).
func (s *Service) leaseOf(ctx context.Context, f Feed) *Lease {
	if s.team == nil {
		return nil
	}
	s.team.mu.Lock()
	l, ok := s.team.leases[f.ID]
	s.team.mu.Unlock()
	if !ok {
		return nil
	}
	spec := s.specOf(ctx, f)
	l.NextSpec = spec
	now := s.now()
	if l.Due.After(now) && l.Spec == spec {
		l.Next = l.Due
	} else if sched, err := ParseSchedule(spec); err == nil {
		l.Next = sched.Next(now)
	} else {
		l.Next = now.Add(10 * time.Minute)
	}
	return &l
}

// saved forgets the lease of a feed whose check was saved; lost says
// another process took it over meanwhile.
func (s *Service) saved(f Feed) {
	if s.team == nil {
		return
	}
	s.team.mu.Lock()
	delete(s.team.leases, f.ID)
	s.team.mu.Unlock()
}

// specOf is the schedule the feed follows.
func (s *Service) specOf(ctx context.Context, f Feed) string {
	if f.Schedule != "" {
		return f.Schedule
	}
	st, err := s.Settings(ctx)
	if err != nil {
		return DefaultSchedule
	}
	return st.Schedule
}

// saveHealth stores the outcome of a check that brought no body, with
// the feed's lease on a team database.
func (s *Service) saveHealth(ctx context.Context, f Feed) error {
	if l := s.leaseOf(ctx, f); l != nil {
		_, err := s.store.SaveFetch(ctx, FetchResult{Feed: f, Lease: l})
		s.saved(f)
		return err
	}
	return s.store.SaveFeedHealth(ctx, f)
}

// msgLeaseLost is a feed whose check another process took over.
var msgLeaseLost = msg.T("another Newswatch process checked it")

// leaseLost reports whether err is a save whose lease another process
// took over (the check is then that process's: not an error of the feed).
func leaseLost(err error) bool { return errors.Is(err, ErrLeaseLost) }

// alive reports, on a team database, whether the process that left a
// mark is alive by its beats; known is false when it never beat.
func (s *Service) alive(ctx context.Context, owner string) (alive, known bool) {
	if s.team == nil {
		return false, false
	}
	alive, known, err := s.team.store.ProcessAlive(ctx, owner, s.team.timeout)
	if err != nil {
		return true, true // cannot tell: leave the mark alone
	}
	return alive, known
}

// pruneNow reports whether a cycle prunes: every cycle on a database of
// one user, at most every pruneEvery on a team's (its pollers run many
// small cycles).
func (s *Service) pruneNow() bool {
	if s.team == nil {
		return true
	}
	now := s.now()
	s.team.mu.Lock()
	defer s.team.mu.Unlock()
	if !s.team.lastPrune.IsZero() && now.Sub(s.team.lastPrune) < pruneEvery && !now.Before(s.team.lastPrune) {
		return false
	}
	s.team.lastPrune = now
	return true
}

const pruneEvery = 10 * time.Minute

// announces reports whether this process claims its user's alerts.
func (s *Service) announces() bool { return s.team == nil || s.team.alerts }

// teamNextRun is a feed's next check on a team database (from its lease,
// read at most every few seconds for all feeds).
func (s *Service) teamNextRun(ctx context.Context, f Feed) (time.Time, bool) {
	if s.team == nil {
		return time.Time{}, false
	}
	t := s.team
	t.mu.Lock()
	fresh := time.Since(t.duesAt) < 5*time.Second
	t.mu.Unlock()
	if !fresh {
		ls, err := t.store.Leases(ctx)
		if err != nil {
			return time.Time{}, false
		}
		dues := make(map[int64]time.Time, len(ls))
		for _, l := range ls {
			dues[l.FeedID] = l.Due
		}
		t.mu.Lock()
		t.dues, t.duesAt = dues, time.Now()
		t.mu.Unlock()
	}
	t.mu.Lock()
	due, ok := t.dues[f.ID]
	t.mu.Unlock()
	if !ok {
		return time.Time{}, false
	}
	if now := s.now(); due.Before(now) {
		due = now
	}
	return afterRetry(f, due, nil), true
}

// visibleTopics are the topics the user sees: every topic on a database
// of one user; on a team's, the team's and the user's own (only the
// user's with the store's MineOnly).
func (s *Service) visibleTopics(ctx context.Context) ([]Topic, error) {
	topics, err := s.store.Topics(ctx)
	if err != nil || s.team == nil {
		return topics, err
	}
	out := topics[:0:0]
	for _, t := range topics {
		if s.team.store.Sees(t.Owner) {
			out = append(out, t)
		}
	}
	return out, nil
}

// checkOwner refuses a personal topic that is not the user's, and
// personal topics on a database of one user (all its topics are theirs).
func (s *Service) checkOwner(owner string) error {
	switch {
	case owner == "":
		return nil
	case s.team == nil:
		return msg.Errorf(nil, msg.T("Personal topics are for a team database; on your own database every topic is yours."))
	case owner != s.team.store.User():
		return msg.Errorf(nil, msg.T("A personal topic can only be your own ({{.User}}), not {{.Owner}}'s."), "User", s.team.store.User(), "Owner", owner)
	}
	return nil
}

// mayChange refuses to change a topic the user does not see (another
// user's personal topic).
func (s *Service) mayChange(ctx context.Context, id int64) error {
	if s.team == nil {
		return nil
	}
	topics, err := s.visibleTopics(ctx)
	if err != nil {
		return err
	}
	for _, t := range topics {
		if t.ID == id {
			return nil
		}
	}
	return ErrNotFound
}
