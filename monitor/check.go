package monitor

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/feed"
	"codeberg.org/newswatch/newswatch/monitor/msg"
	"codeberg.org/newswatch/newswatch/monitor/story"
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
	// Changes are feeds whose health changed in this cycle.
	Changes []FeedResult
}

// Failed counts the feeds that could not be checked.
func (e CycleEvent) Failed() int {
	n := 0
	for _, r := range e.Feeds {
		if r.Err != "" {
			n++
		}
	}
	return n
}

// FeedResult is one feed's outcome in a cycle.
type FeedResult struct {
	Feed        Feed // after the check
	NotModified bool
	Skipped     string // why the feed was not fetched (server asked to wait)
	NewArticles int
	NewMatches  int
	Err         string // one sentence; empty on success
	WasHealthy  bool
	stories     []int64 // timeline stories that gained reports
}

// Check runs one check cycle now and returns its event (which subscribers
// also receive).
func (s *Service) Check(ctx context.Context, opt CheckOptions) (CycleEvent, error) {
	ev := CycleEvent{Started: s.now()}
	feeds, waiting, err := s.dueFeeds(ctx, opt)
	if err != nil {
		return ev, err
	}
	topics, err := s.compiledTopics(ctx)
	if err != nil {
		return ev, err
	}

	results := make([]FeedResult, len(feeds))
	sem := make(chan struct{}, s.limit)
	hosts := newHostLimiter(s.perHost)
	var wg sync.WaitGroup
	var progressMu sync.Mutex
	done := 0
	for i, f := range feeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			host := hostOf(f.URL)
			hosts.acquire(host)
			sem <- struct{}{}
			results[i] = s.checkFeed(ctx, f, topics)
			<-sem
			hosts.release(host)
			if opt.Progress != nil {
				progressMu.Lock()
				done++
				opt.Progress(done, len(feeds))
				progressMu.Unlock()
			}
		}()
	}
	wg.Wait()

	seen := map[int64]bool{}
	for _, r := range results {
		ev.NewArticles += r.NewArticles
		for _, id := range r.stories {
			if !seen[id] {
				seen[id] = true
				ev.Stories = append(ev.Stories, id)
			}
		}
		if r.WasHealthy != (r.Err == "") {
			ev.Changes = append(ev.Changes, r)
		}
	}
	ev.Feeds = append(results, waiting...)
	s.prune(ctx)
	claimed, err := s.store.ClaimAlerts(ctx, s.now())
	if err != nil {
		s.log.Error("claim alerts", slog.Any("err", err))
	}
	ev.Matches, ev.NewStories, ev.Developing = claimed.Matches, claimed.NewStories, claimed.Developing
	for _, m := range ev.Matches {
		if id := m.Article.StoryID; id != 0 && !seen[id] {
			seen[id] = true
			ev.Stories = append(ev.Stories, id)
		}
	}
	ev.Finished = s.now()
	s.emit(Event{Cycle: &ev})
	return ev, err
}

// dueFeeds returns the feeds a cycle checks, and those it leaves out
// because their server asked to wait.
func (s *Service) dueFeeds(ctx context.Context, opt CheckOptions) (due []Feed, waiting []FeedResult, err error) {
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
				waiting = append(waiting, FeedResult{Feed: f, WasHealthy: f.Healthy(), Err: f.LastError.String(),
					Skipped: "the server asked to wait until " + nb.Local().Format("15:04")})
			}
			continue
		}
		due = append(due, f)
	}
	return due, waiting, nil
}

// notBefore is the earliest time the feed may be fetched: never before the
// server's Retry-After, and for scheduled runs not before the back-off
// after failures has passed.
func (f Feed) notBefore(scheduled bool) time.Time {
	t := f.RetryAt
	if scheduled && f.Failures > 0 {
		if b := f.LastFetch.Add(backoff(f.Failures)); b.After(t) {
			t = b
		}
	}
	return t
}

// checkFeed fetches, parses, matches and stores one feed. A feed already
// being checked (by an overlapping cycle) is skipped.
func (s *Service) checkFeed(ctx context.Context, f Feed, topics *topicSet) FeedResult {
	res := FeedResult{Feed: f, WasHealthy: f.Healthy()}
	if !s.claim(f.ID) {
		res.Skipped = "already being checked"
		return res
	}
	defer s.release(f.ID)

	resp, err := s.fetcher.Fetch(ctx, feed.Request{URL: f.URL, ETag: f.ETag, LastModified: f.LastModified})
	now := s.now()
	f.LastFetch = now
	var parsed *feed.Parsed
	if err == nil && !resp.NotModified {
		parsed, err = feed.Parse(resp.Body, resp.FinalURL)
	}
	if err != nil && ctx.Err() != nil {
		// Stopped (the app is quitting): not the feed's fault.
		res.Skipped = "the check was stopped"
		return res
	}
	if err != nil {
		s.recordFailure(&f, err, now)
		res.Err = f.LastError.String()
		res.Feed = f
		if serr := s.store.SaveFeedHealth(ctx, f); serr != nil {
			s.log.Error("save feed health", slog.String("feed_url", f.URL), slog.Any("err", serr))
		}
		s.log.Info("feed failed", slog.String("feed_url", f.URL), slog.String("error", f.LastError.String()))
		return res
	}
	firstFetch := f.LastSuccess.IsZero()
	f.LastSuccess, f.LastError, f.Failures, f.RetryAt = now, msg.Message{}, 0, time.Time{}
	f.ETag, f.LastModified = resp.ETag, resp.LastModified
	if resp.MovedTo != "" {
		f.URL = resp.MovedTo
	}
	if resp.NotModified {
		res.NotModified = true
		res.Feed = f
		// The stories its last body listed count as listed still (and so
		// are not pruned while the feed does not change): see Prune.
		if err := s.store.SaveFeedHealth(ctx, f); err != nil {
			res.Err = "Newswatch could not save the feed's state: " + err.Error()
		}
		return res
	}

	if parsed.Title != "" {
		f.Title = parsed.Title
	}
	if parsed.SiteURL != "" {
		f.SiteURL = parsed.SiteURL
	}
	f.ItemCount = len(parsed.Items)
	fr, err := s.prepareFetch(ctx, f, parsed.Items, topics, now)
	if err != nil {
		res.Err = "Newswatch could not read its own database: " + err.Error()
		return res
	}
	fr.Backlog = firstFetch
	stored, err := s.store.SaveFetch(ctx, fr)
	if err != nil {
		res.Err = "Newswatch could not store the feed's stories: " + err.Error()
		s.log.Error("save fetch", slog.String("feed_url", f.URL), slog.Any("err", err))
		return res
	}
	res.Feed = fr.Feed
	res.NewArticles = len(fr.Articles)
	res.NewMatches = len(stored.Matches)
	res.stories = stored.Stories
	return res
}

// prepareFetch turns parsed items into the articles and matches to store:
// only items not seen before (in this feed, or with the same link in any).
func (s *Service) prepareFetch(ctx context.Context, f Feed, items []feed.Item, topics *topicSet, now time.Time) (FetchResult, error) {
	fr := FetchResult{Feed: f, Body: true}
	refs := make([]ItemRef, len(items))
	for i, it := range items {
		refs[i] = ItemRef{Key: it.Key, Link: it.Link}
	}
	fr.Listed = refs
	unknown, err := s.store.UnknownItems(ctx, f.ID, refs)
	if err != nil {
		return fr, err
	}
	name := f.DisplayName()
	for _, it := range items {
		if !unknown[it.Key] {
			continue
		}
		a := Article{FeedID: f.ID, FeedName: name, Key: it.Key, Link: it.Link, Title: it.Title,
			Summary: it.Summary, Content: it.Content, Author: it.Author, Categories: it.Categories,
			FirstSeen: now, Published: it.Published, PublishedKnown: !it.Published.IsZero()}
		// A date more than a day ahead is a broken clock, not news from
		// the future: the story counts from when it was first seen.
		if !a.PublishedKnown || a.Published.After(now.Add(24*time.Hour)) {
			a.Published, a.PublishedKnown = now, false
		}
		a.Source = story.SourceOf(a.Link, name)
		fr.Articles = append(fr.Articles, a)
		if !s.noStory {
			fr.Features = append(fr.Features, story.Extract(StoryText(&a)))
		}
		fr.Matches = append(fr.Matches, topics.match(a, now)...)
	}
	return fr, nil
}

// Back-off after failures: 5 minutes doubling per failure, at most 12 hours.
const (
	backoffBase = 5 * time.Minute
	backoffMax  = 12 * time.Hour
)

func backoff(failures int) time.Duration {
	if failures <= 0 {
		return 0
	}
	d := backoffBase
	for i := 1; i < failures && d < backoffMax; i++ {
		d *= 2
	}
	return min(d, backoffMax)
}

func (s *Service) recordFailure(f *Feed, err error, now time.Time) {
	f.Failures++
	f.LastError = msg.Of(err)
	f.RetryAt = time.Time{}
	var fe *feed.Error
	if errors.As(err, &fe) {
		if fe.Kind == feed.KindGone {
			f.Gone, f.Enabled = true, false
		}
		f.RetryAt = fe.RetryAt
	}
}

func (s *Service) prune(ctx context.Context) {
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

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Host
}

// hostLimiter bounds concurrent fetches per server.
type hostLimiter struct {
	mu    sync.Mutex
	per   int
	slots map[string]chan struct{}
}

func newHostLimiter(per int) *hostLimiter {
	return &hostLimiter{per: per, slots: map[string]chan struct{}{}}
}

func (h *hostLimiter) acquire(host string) {
	h.mu.Lock()
	c := h.slots[host]
	if c == nil {
		c = make(chan struct{}, h.per)
		h.slots[host] = c
	}
	h.mu.Unlock()
	c <- struct{}{}
}

func (h *hostLimiter) release(host string) {
	h.mu.Lock()
	c := h.slots[host]
	h.mu.Unlock()
	<-c
}
