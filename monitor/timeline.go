package monitor

import (
	"context"
	"time"
)

// Filter selects stories: for the timeline, for "mark all read" and for
// exports, which write what the timeline shows.
type Filter struct {
	TopicID int64 // 0: every topic
	Unread  bool
	Starred bool
	Search  string    // words the story must contain (prefixes, any field)
	Since   time.Time // published at or after (zero: any time)
	Until   time.Time // published before (zero: any time)
	Limit   int       // 0: no limit
	// ArticleIDs, when not nil, limits the selection to these articles
	// (the timeline adds a cycle's new matches without reloading).
	ArticleIDs []int64
}

// TimelineEntry is one story of the timeline, before it is loaded.
type TimelineEntry struct {
	ArticleID int64
	Published time.Time
}

// Counts are the numbers the timeline's side list shows: unread and
// starred stories, and unread stories per topic.
type Counts struct {
	Unread, Starred int
	TopicUnread     map[int64]int
}

// TimelineStore is the part of the Store the timeline needs. Timeline
// ignores spaces around the filter's search words.
type TimelineStore interface {
	Timeline(ctx context.Context, f Filter) ([]TimelineEntry, error)
	Stories(ctx context.Context, ids []int64) ([]Story, error)
	SetRead(ctx context.Context, articleIDs []int64, read bool) error
	SetStarred(ctx context.Context, articleIDs []int64, starred bool) error
	DeleteStories(ctx context.Context, articleIDs []int64) error
	Counts(ctx context.Context) (Counts, error)
}

// The timeline's operations (Timeline, Stories, SetRead, SetStarred,
// DeleteStories, Counts) are the store's own: the Service embeds its
// TimelineStore. What follows adds behaviour on top of them.

// Newest returns the n newest stories of the timeline.
func (s *Service) Newest(ctx context.Context, n int) ([]Story, error) {
	entries, err := s.store.Timeline(ctx, Filter{Limit: n})
	if err != nil || len(entries) == 0 {
		return nil, err
	}
	ids := make([]int64, len(entries))
	for i, e := range entries {
		ids[i] = e.ArticleID
	}
	return s.store.Stories(ctx, ids)
}

// MarkAllRead marks every story the filter selects as read and returns
// them.
func (s *Service) MarkAllRead(ctx context.Context, f Filter) ([]int64, error) {
	f.Unread = true
	entries, err := s.store.Timeline(ctx, f)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(entries))
	for i, e := range entries {
		ids[i] = e.ArticleID
	}
	return ids, s.store.SetRead(ctx, ids, true)
}
