package monitor

import (
	"context"
	"time"
)

// The timeline lists stories (see Story): one row per event, however many
// outlets reported it. Its operations take story IDs:
//
//	es, _ := svc.Timeline(ctx, monitor.Filter{TopicID: t.ID, Unread: true}) // newest first
//	ids := make([]int64, len(es))
//	for i, e := range es { ids[i] = e.StoryID }
//	stories, _ := svc.Stories(ctx, ids[:60])   // a page of rows, in that order
//	full, _ := svc.Story(ctx, stories[0].ID)   // every report, for the story view
//	svc.SetRead(ctx, []int64{stories[0].ID}, true) // reads all its reports
//
// A story belongs to a topic when any of its reports matched it; the
// search finds a story when any of its reports has the words; Since and
// Until apply to the story's newest report (LastSeen). A story that
// gains a report from a new source after it was read comes back unread
// with Updated set and NewSources counted, without an alert of its own.

// Filter selects stories: for the timeline, for "mark all read" and for
// exports, which write the matches of the stories the timeline shows.
type Filter struct {
	TopicID int64 // 0: every topic
	Unread  bool
	Starred bool
	Search  string    // words the story must contain (prefixes, any field)
	Since   time.Time // newest report published at or after (zero: any time)
	Until   time.Time // newest report published before (zero: any time)
	Limit   int       // 0: no limit
	// StoryIDs, when not nil, limits the selection to these stories
	// (the timeline adds a cycle's stories without reloading).
	StoryIDs []int64
}

// TimelineEntry is one story of the timeline, before it is loaded:
// Published is its newest report's date.
type TimelineEntry struct {
	StoryID   int64
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
	// Timeline lists the stories the filter selects, newest first.
	Timeline(ctx context.Context, f Filter) ([]TimelineEntry, error)
	// Stories loads the rows of stories by ID, in the order given: each
	// with its lead report (topics and hits), counts, topics and state,
	// not its other reports; stories without a match (or gone) are left
	// out.
	Stories(ctx context.Context, storyIDs []int64) ([]Story, error)
	// Story loads one story with every report (feed, time, link, topics,
	// matched words and full text), for the story view; ErrNotFound when
	// it has no match (or is gone).
	Story(ctx context.Context, storyID int64) (Story, error)
	// SetRead marks every match of the stories read or unread.
	SetRead(ctx context.Context, storyIDs []int64, read bool) error
	SetStarred(ctx context.Context, storyIDs []int64, starred bool) error
	// DeleteStories removes the stories from the timeline (their
	// matches; the articles stay until they are pruned).
	DeleteStories(ctx context.Context, storyIDs []int64) error
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
		ids[i] = e.StoryID
	}
	return s.store.Stories(ctx, ids)
}

// MarkAllRead marks every story the filter selects as read and returns
// their IDs.
func (s *Service) MarkAllRead(ctx context.Context, f Filter) ([]int64, error) {
	f.Unread = true
	entries, err := s.store.Timeline(ctx, f)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(entries))
	for i, e := range entries {
		ids[i] = e.StoryID
	}
	return ids, s.store.SetRead(ctx, ids, true)
}
