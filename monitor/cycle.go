package monitor

import (
	"cmp"
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// CheckOptions says which feeds a check cycle covers.
type CheckOptions struct {
	// FeedIDs limits the cycle to these feeds; nil means every enabled feed.
	FeedIDs []int64
	// Scheduled marks a run by the scheduler: feeds in back-off are skipped.
	// A manual check ("Check now") only waits for a server's Retry-After.
	Scheduled bool
	// Progress, when set, is called after each feed: done of total.
	Progress func(done, total int)
	// leases are the feeds a poller leased for a scheduled cycle on a
	// team database (see team.go).
	leases []Lease
}

// CycleEvent is what one check cycle found, sent to every subscriber.
type CycleEvent struct {
	Started, Finished time.Time
	Feeds             []FeedResult // one per feed checked
	NewArticles       int
	// Matches are the new matches to tell the user about, each exactly
	// once: also those a crashed earlier run stored but never announced.
	Matches []Match
	// NewStories are, of Matches, one per story and topic that was not
	// announced for that topic before: "Ukraine — 2 new stories" counts
	// these (a new report of a story already announced is not one).
	NewStories []Match
	// Developing are stories that reached their topic's escalation
	// ("Developing: <headline> — 4 sources in 95 min"), each once, ever.
	Developing []Developing
	// Stories are the timeline's stories that gained reports or matches
	// in this cycle (also quietly: an updated story); the timeline
	// reloads them.
	Stories []int64
	// Pages is set on the event of a cycle's second part, after the web
	// pages of its new stories were read (see pages.go): its Matches are
	// those the stories' text brought. Check returns both parts in one.
	Pages *PageRound
	// Alerts are the alerts decided at the end of the cycle (see
	// Event.Alerts).
	Alerts []Alert
}

// Failed counts the feeds that could not be checked.
func (e CycleEvent) Failed() int {
	n := 0
	for _, r := range e.Feeds {
		if !r.Err.IsZero() {
			n++
		}
	}
	return n
}

// FeedResult is one feed's outcome in a cycle.
type FeedResult struct {
	Feed        Feed // after the check
	NotModified bool
	Skipped     msg.Message // why the feed was not fetched (the server asked to wait)
	NewArticles int
	NewMatches  int
	Err         msg.Message // one sentence; zero on success
	stories     []int64     // timeline stories that gained reports
}

// Check runs one check cycle now and returns its event (which subscribers
// also receive).
func (s *Service) Check(ctx context.Context, opt CheckOptions) (CycleEvent, error) {
	ev := CycleEvent{Started: s.now()}
	if err := s.beginCycle(); err != nil {
		return ev, err
	}
	defer s.endCycle()
	// Feeds a process died reading are paused before anything is read.
	paused := s.reviewMarks(ctx)
	feeds, waiting, err := s.dueFeeds(ctx, opt)
	if err != nil {
		return ev, err
	}
	topics, err := s.compiledTopics(ctx)
	if err != nil {
		return ev, err
	}

	results := make([]FeedResult, len(feeds))
	sem, saves := make(chan struct{}, s.limit), make(chan struct{}, s.limit)
	hosts := newHostLimiter(s.perHost)
	var wg sync.WaitGroup
	var progressMu sync.Mutex
	done := 0
	for i, f := range feeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slot := &feedSlot{fetch: sem, saves: saves, hosts: hosts, host: hostOf(f.URL)}
			slot.acquire()
			results[i] = s.checkFeed(ctx, f, topics, slot)
			slot.release()
			if opt.Progress != nil {
				progressMu.Lock()
				done++
				opt.Progress(done, len(feeds))
				progressMu.Unlock()
			}
		}()
	}
	wg.Wait()
	s.releaseLeases(ctx, feeds) // of the checks that were not saved

	seen := map[int64]bool{}
	for _, r := range results {
		ev.NewArticles += r.NewArticles
		for _, id := range r.stories {
			if !seen[id] {
				seen[id] = true
				ev.Stories = append(ev.Stories, id)
			}
		}
	}
	for _, r := range paused {
		if opt.Scheduled { // a manual check lists them as waiting already
			waiting = append(waiting, r)
		}
	}
	ev.Feeds = append(results, waiting...)
	s.prune(ctx)
	if !s.announces() {
		// A server polling for the team: the desktops claim.
	} else if err = s.announce(ctx, &ev); err != nil {
		s.log.Error("claim alerts", slog.Any("err", err))
	}
	for _, m := range ev.Matches {
		if id := m.Article.StoryID; id != 0 && !seen[id] {
			seen[id] = true
			ev.Stories = append(ev.Stories, id)
		}
	}
	ev.Finished = s.now()
	first := ev // subscribers keep what they are sent
	s.emit(cycleEvent(&first))

	// The second part: the pages of new stories (the timeline has the
	// stories already, and their matches are announced).
	round, ok := s.readPages(ctx, topics)
	if !ok {
		return ev, err
	}
	pev := CycleEvent{Started: ev.Finished, Pages: &round, Stories: round.Stories}
	if !s.announces() {
		// The desktops claim the pages' matches.
	} else if perr := s.announce(context.WithoutCancel(ctx), &pev); perr != nil {
		s.log.Error("claim alerts", slog.Any("err", perr))
		err = cmp.Or(err, perr)
	}
	for _, m := range pev.Matches {
		if id := m.Article.StoryID; id != 0 && !slices.Contains(pev.Stories, id) {
			pev.Stories = append(pev.Stories, id)
		}
	}
	pev.Finished = s.now()
	s.emit(cycleEvent(&pev))
	ev.Matches = append(slices.Clip(ev.Matches), pev.Matches...)
	ev.NewStories = append(slices.Clip(ev.NewStories), pev.NewStories...)
	ev.Developing = append(slices.Clip(ev.Developing), pev.Developing...)
	ev.Alerts = append(slices.Clip(ev.Alerts), pev.Alerts...)
	for _, id := range pev.Stories {
		if !slices.Contains(ev.Stories, id) {
			ev.Stories = append(ev.Stories, id)
		}
	}
	ev.Pages, ev.Finished = &round, pev.Finished
	return ev, err
}

// dueFeeds returns the feeds a cycle checks, and those it leaves out
// because their server asked to wait.
func (s *Service) dueFeeds(ctx context.Context, opt CheckOptions) (due []Feed, waiting []FeedResult, err error) {
	if s.team != nil {
		return s.leaseFeeds(ctx, opt)
	}
	all, err := s.store.Feeds(ctx)
	if err != nil {
		return nil, nil, err
	}
	want := map[int64]bool{}
	for _, id := range opt.FeedIDs {
		want[id] = true
	}
	now := s.now()
	for _, f := range all {
		if opt.FeedIDs != nil && !want[f.ID] || !f.Enabled || f.Gone {
			continue
		}
		if nb := f.notBefore(opt.Scheduled); now.Before(nb) {
			if !opt.Scheduled {
				waiting = append(waiting, FeedResult{Feed: f, Err: f.LastError, Skipped: waitReason(f, nb)})
			}
			continue
		}
		due = append(due, f)
	}
	return due, waiting, nil
}

func (s *Service) prune(ctx context.Context) {
	if !s.pruneNow() {
		return
	}
	st, err := s.Settings(ctx)
	if err != nil {
		return
	}
	cutoff := s.now().AddDate(0, 0, -st.RetentionDays)
	if n, err := s.store.Prune(ctx, cutoff); err != nil {
		s.log.Error("prune", slog.Any("err", err))
	} else if n > 0 {
		s.log.Info("pruned old unmatched articles", slog.Int("count", n))
	}
}

func (s *Service) claim(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inflight[id] {
		return false
	}
	s.inflight[id] = true
	return true
}

func (s *Service) release(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.inflight, id)
}
