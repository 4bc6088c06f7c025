package monitor

import (
	"context"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/query"
)

// TimelineFilter selects the stories the timeline shows.
type TimelineFilter struct {
	TopicID int64 // 0: every topic
	Starred bool
	Unread  bool
	Search  string // words the story must contain (prefixes, any field)
}

// TimelineEntry is one story of the timeline, before it is loaded.
type TimelineEntry struct {
	ArticleID int64
	Published time.Time
}

// Story is an article with everything it matched: the timeline's row and
// the story view.
type Story struct {
	Article   Article
	Topics    []TopicRef  // the topics it matched, by name
	Hits      []query.Hit // the hits of all its matches
	Read      bool        // every match read
	Starred   bool        // any match starred
	MatchedAt time.Time   // its first match
}

// TopicRef names a topic a story matched.
type TopicRef struct {
	ID    int64
	Name  string
	Color string
}

// Counts are the numbers the timeline's side list shows.
type Counts struct {
	All, Unread, Starred int
	Topics               map[int64]TopicCount
}

// TopicCount is one topic's stories and unread stories.
type TopicCount struct{ Total, Unread int }

// TimelineStore is the part of the Store the timeline needs.
type TimelineStore interface {
	Timeline(ctx context.Context, f TimelineFilter) ([]TimelineEntry, error)
	Stories(ctx context.Context, ids []int64) ([]Story, error)
	SetRead(ctx context.Context, articleIDs []int64, read bool) error
	SetStarred(ctx context.Context, articleID int64, starred bool) error
	DeleteStory(ctx context.Context, articleID int64) error
	Counts(ctx context.Context) (Counts, error)
}

// Timeline lists the matched stories the filter selects, newest first:
// their IDs and dates only, so the timeline can page in the rows it shows.
func (s *Service) Timeline(ctx context.Context, f TimelineFilter) ([]TimelineEntry, error) {
	f.Search = strings.TrimSpace(f.Search)
	return s.store.Timeline(ctx, f)
}

// Stories loads stories by article ID, in the order given (missing ones,
// deleted meanwhile, are left out).
func (s *Service) Stories(ctx context.Context, ids []int64) ([]Story, error) {
	return s.store.Stories(ctx, ids)
}

// SetRead marks stories read or unread.
func (s *Service) SetRead(ctx context.Context, read bool, articleIDs ...int64) error {
	return s.store.SetRead(ctx, articleIDs, read)
}

// MarkAllRead marks every story the filter selects as read.
func (s *Service) MarkAllRead(ctx context.Context, f TimelineFilter) error {
	f.Unread = true
	entries, err := s.Timeline(ctx, f)
	if err != nil {
		return err
	}
	ids := make([]int64, len(entries))
	for i, e := range entries {
		ids[i] = e.ArticleID
	}
	return s.store.SetRead(ctx, ids, true)
}

// SetStarred stars or unstars a story.
func (s *Service) SetStarred(ctx context.Context, articleID int64, starred bool) error {
	return s.store.SetStarred(ctx, articleID, starred)
}

// DeleteStory removes a story from the timeline (all its matches). The
// article itself goes later with the other unmatched ones.
func (s *Service) DeleteStory(ctx context.Context, articleID int64) error {
	return s.store.DeleteStory(ctx, articleID)
}

// Counts returns the timeline's counts: all, unread and starred stories,
// and per topic.
func (s *Service) Counts(ctx context.Context) (Counts, error) { return s.store.Counts(ctx) }

// MatchFilter returns the filter that selects the matches (one per story
// and topic) of the stories the timeline filter selects, for exports.
func (f TimelineFilter) MatchFilter() MatchFilter {
	return MatchFilter{TopicID: f.TopicID, Starred: f.Starred, Unread: f.Unread, Search: strings.TrimSpace(f.Search)}
}
