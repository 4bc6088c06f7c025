package monitor

import (
	"context"
	"log/slog"
	"runtime/debug"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/feed"
	"codeberg.org/newswatch/newswatch/monitor/msg"
	"codeberg.org/newswatch/newswatch/monitor/story"
)

// checkFeed fetches, parses, matches and stores one feed. A feed already
// being checked (by an overlapping cycle) is skipped. Before a body is
// parsed the feed is marked as being read by this process (see
// crashmark.go); every way out of here clears the mark. A panic while
// checking becomes the feed's error and the cycle goes on. The feed's
// fetch slot is traded for a save slot before what it brought is saved.
func (s *Service) checkFeed(ctx context.Context, f Feed, topics *topicSet, slot *feedSlot) (res FeedResult) {
	res = FeedResult{Feed: f}
	if !s.claim(f.ID) {
		res.Skipped = msg.New(msg.T("it is being checked already"))
		return res
	}
	defer s.release(f.ID)
	orig := f // the feed as stored: what a failure is recorded on
	marked := false
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("checking a feed panicked", slog.String("feed_url", orig.URL), slog.Any("panic", r),
				slog.String("stack", string(debug.Stack())))
			res = s.failed(ctx, orig, internalError(r), marked)
		}
	}()

	resp, err := s.fetcher.Fetch(ctx, feed.Request{URL: f.URL, ETag: f.ETag, LastModified: f.LastModified})
	now := s.now()
	var parsed *feed.Parsed
	if err == nil && !resp.NotModified {
		marked = s.markReading(ctx, f)
		parsed, err = feed.Parse(resp.Body, resp.FinalURL)
		resp.Body = nil // parsed: let the collector have it
	}
	if err != nil && ctx.Err() != nil {
		// Stopped (the app is quitting): not the feed's fault.
		s.unmark(f, marked)
		res.Skipped = msg.New(msg.T("the check was stopped"))
		return res
	}
	if err != nil {
		return s.failed(ctx, orig, err, marked)
	}
	f.LastFetch = now
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
		if err := s.saveHealth(ctx, f); leaseLost(err) {
			res.Skipped = msg.New(msgLeaseLost)
		} else if err != nil {
			res.Err = msg.New(msg.T("Newswatch could not save the feed's state: {{.Reason}}"), "Reason", msg.Of(err))
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
	f.Teasers = areTeasers(parsed.Items)
	fr, err := s.prepareFetch(ctx, f, parsed.Items, topics, now)
	if err != nil {
		s.unmark(f, marked)
		res.Err = msg.New(msg.T("Newswatch could not read its own database: {{.Reason}}"), "Reason", msg.Of(err))
		return res
	}
	fr.Backlog = firstFetch
	fr.Pages = f.ReadsFullText()
	if marked {
		fr.ReadMark = s.owner
	}
	fr.Lease = s.leaseOf(ctx, f)
	slot.saving()
	stored, err := s.store.SaveFetch(ctx, fr)
	if leaseLost(err) {
		s.saved(f)
		s.unmark(f, marked)
		res.Skipped = msg.New(msgLeaseLost)
		return res
	}
	s.saved(f)
	if err != nil {
		s.unmark(f, marked)
		res.Err = msg.New(msg.T("Newswatch could not store the feed's stories: {{.Reason}}"), "Reason", msg.Of(err))
		s.log.Error("save fetch", slog.String("feed_url", f.URL), slog.Any("err", err))
		return res
	}
	res.Feed = fr.Feed
	res.NewArticles = len(fr.Articles)
	res.NewMatches = len(stored.Matches)
	res.stories = stored.Stories
	return res
}

// failed records a failed check of the feed (as it was stored before the
// check) and clears its mark.
func (s *Service) failed(ctx context.Context, f Feed, err error, marked bool) FeedResult {
	res := FeedResult{}
	now := s.now()
	f.LastFetch = now
	s.recordFailure(&f, err, now)
	res.Err = f.LastError
	res.Feed = f
	fr := FetchResult{Feed: f, Lease: s.leaseOf(ctx, f)}
	if marked {
		fr.ReadMark = s.owner
	}
	_, serr := s.store.SaveFetch(ctx, fr)
	s.saved(f)
	if serr != nil {
		s.unmark(f, marked)
		s.log.Error("save feed health", slog.String("feed_url", f.URL), slog.Any("err", serr))
	}
	s.log.Info("feed failed", slog.String("feed_url", f.URL), slog.String("error", f.LastError.String()))
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
