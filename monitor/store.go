package monitor

import (
	"context"
	"errors"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/alert"
	"codeberg.org/newswatch/newswatch/monitor/query"
	"codeberg.org/newswatch/newswatch/monitor/story"
)

// Errors a Store returns for the engine to explain.
var (
	ErrNotFound = errors.New("not found")
	ErrExists   = errors.New("already exists")
)

// Store keeps feeds, topics, articles, matches and alerts. monitor/store
// implements it on SQLite; the engine is its only user.
type Store interface {
	AddFeed(ctx context.Context, f *Feed) error
	Feeds(ctx context.Context) ([]Feed, error)
	Feed(ctx context.Context, id int64) (Feed, error)
	FeedByURL(ctx context.Context, url string) (Feed, error)
	// UpdateFeedSettings saves what the user controls: name, schedule,
	// enabled (re-enabling also clears Gone and the failure count).
	UpdateFeedSettings(ctx context.Context, f Feed) error
	RemoveFeed(ctx context.Context, id int64) error

	AddTopic(ctx context.Context, t *Topic) error
	Topics(ctx context.Context) ([]Topic, error)
	UpdateTopic(ctx context.Context, t Topic) error
	RemoveTopic(ctx context.Context, id int64) error

	// UnknownItems returns the keys, of those given for the feed, that are
	// not stored yet, also not under another feed with the same link.
	UnknownItems(ctx context.Context, feedID int64, items []ItemRef) (map[string]bool, error)
	// SaveFetch stores one feed's successful fetch in one transaction: the
	// feed's cache state and health, the new articles, each assigned to a
	// story (one it joins, or a new one), their matches (articles that
	// meanwhile exist are skipped with their matches), and that the
	// listed items are still in the feed. It returns what it stored.
	SaveFetch(ctx context.Context, r FetchResult) (Saved, error)
	// SaveFeedHealth stores the outcome of a fetch that brought no body
	// (not modified, or failed).
	SaveFeedHealth(ctx context.Context, f Feed) error

	// MarkReading records that owner (a process) reads the feed's body
	// now; saving a FetchResult with that ReadMark clears it.
	MarkReading(ctx context.Context, feedID int64, owner string, at time.Time) error
	// ReleaseReading clears a mark and reports whether it was there.
	ReleaseReading(ctx context.Context, feedID int64, owner string) (bool, error)
	// Readings lists the marks of every process.
	Readings(ctx context.Context) ([]ReadMark, error)

	// ClaimAlerts marks every match not yet alerted, and every story
	// that became developing, as alerted now and returns them: each is
	// returned by exactly one call, ever.
	ClaimAlerts(ctx context.Context, now time.Time) (Claimed, error)
	// Prune deletes unmatched articles first seen and last listed before
	// cutoff, unless their story has a match; stories keep their counts
	// and lead report right. Matched articles stay until the user
	// deletes them.
	Prune(ctx context.Context, cutoff time.Time) (int, error)

	// Matches lists the matches (one per story and topic) of the stories
	// the filter selects, newest story first.
	Matches(ctx context.Context, f Filter) ([]Match, error)
	// ScanQuery calls fn for each stored article published at or after
	// since (zero: all) that the query might match, newest first, until fn
	// returns false; fn does the exact matching. The store narrows the
	// articles with its full-text index, never losing a match.
	ScanQuery(ctx context.Context, q *query.Query, since time.Time, fn func(a *Article) bool) error
	// AddMatches stores matches found by re-applying a topic to stored
	// articles; they are never alerted. Existing matches are kept.
	AddMatches(ctx context.Context, ms []Match) (int, error)

	TimelineStore
	AlertStore
	PageStore

	Setting(ctx context.Context, key string) (string, bool, error)
	SetSetting(ctx context.Context, key, value string) error

	Close() error
}

// ItemRef identifies a feed item for the "seen before?" question.
type ItemRef struct {
	Key  string
	Link string
}

// FetchResult is everything one successful fetch stores together.
type FetchResult struct {
	Feed     Feed // with the new validators, title and health
	Articles []Article
	// Features are the story features of Articles, by index (computed
	// outside the store's write lock; missing ones are computed there).
	Features []story.Features
	// Matches refer to Articles by index (Match.Article.Key).
	Matches []Match
	// Listed are the keys and links of every item in the body, new or not,
	// so stories still in the feed are not pruned and come back as new.
	Listed  []ItemRef
	Backlog bool
	// Body says the fetch brought a body, which lists exactly Listed
	// (false for the outcome of a fetch without one).
	Body bool
	// ReadMark, when set, is the owner whose reading mark on the feed
	// is cleared with the save (see MarkReading).
	ReadMark string
	// Pages queues the web pages of the new articles (those with a link)
	// to be read for their full text (see pages.go).
	Pages bool
	// Lease, in a team database, is the feed's lease that the save
	// completes (see TeamStore); nil otherwise.
	Lease *Lease
}

// ReadMark says that a process was reading a feed's body.
type ReadMark struct {
	FeedID int64
	Owner  string
	Since  time.Time
}

// Saved is what SaveFetch stored.
type Saved struct {
	Matches []Match // with Article.ID and Article.StoryID set
	// Stories are the stories with matches that gained a report (the
	// timeline reloads them).
	Stories []int64
}

// Claimed is what one ClaimAlerts call claimed.
type Claimed struct {
	Matches []Match // oldest first
	// NewStories are, of Matches, one per story and topic: those whose
	// story had not been announced for that topic before.
	NewStories []Match
	Developing []Developing
}

// Developing is a story that reached its topic's escalation: Sources
// distinct sources within Span ("Developing: <headline> — 4 sources in
// 95 min"). Each story is announced so at most once, ever.
type Developing struct {
	StoryID   int64
	Headline  string // the lead report's title
	Lead      Article
	TopicID   int64
	TopicName string
	Sources   int           // distinct sources in the window that reached the setting
	Span      time.Duration // from the first of them to the last
	At        time.Time     // when it was found
}

// AlertStore is the part of the Store the alerts need: a round of
// decisions, the alert history, topic volume and feed rhythm.
type AlertStore interface {
	// DecideAlerts runs one round of alert decisions in one write
	// transaction, synced to disk before it returns: with claim, it first
	// claims every match not yet alerted (as ClaimAlerts does); it reads
	// the pending alerts and the topics' and feeds' alert state, calls
	// decide, and records what decide returns (the alerts with their
	// IDs, gathered alerts with their summary, the changed states). Two
	// processes never decide on the same state; a round whose commit
	// fails claims and records nothing.
	DecideAlerts(ctx context.Context, now time.Time, claim bool, decide func(r AlertRound) (alert.Output, error)) (AlertResult, error)
	// NextDue is when the first pending alert is due (zero: none).
	NextDue(ctx context.Context) (time.Time, error)
	// AlertHistory lists recorded alerts, newest first.
	AlertHistory(ctx context.Context, f AlertFilter) ([]Alert, error)
	// DeleteAlerts deletes recorded alerts (pending ones are kept: they
	// are a summary still to come) and returns how many.
	DeleteAlerts(ctx context.Context, ids []int64) (int, error)
	// Arrivals lists a topic's stories that arrived after since, oldest
	// first (every stored match adds its story once per topic).
	Arrivals(ctx context.Context, topicID int64, since time.Time) ([]alert.Arrival, error)
	// FeedDates lists the dates of a feed's stories published after
	// since, and the newest date of all (zero: none).
	FeedDates(ctx context.Context, feedID int64, since time.Time) (dates []time.Time, newest time.Time, err error)
}

// AlertRound is what one round of decisions reads inside its
// transaction.
type AlertRound struct {
	Claimed  Claimed // what was claimed now (nothing without claim)
	Pending  []Alert
	Topics   map[int64]alert.TopicState
	Coverage map[int64]alert.FeedState // of every feed, by ID
	// Volume reads topic volume inside the transaction.
	Volume VolumeReader
}

// VolumeReader reads a topic's volume.
type VolumeReader interface {
	// Arrivals lists the topic's arrivals after since, oldest first.
	Arrivals(topicID int64, since time.Time) ([]alert.Arrival, error)
	// CountArrivals counts the topic's arrivals in [from, to), quiet
	// ones too, and returns the first arrival of all (zero: none).
	CountArrivals(topicID int64, from, to time.Time) (n int, first time.Time, err error)
}

// AlertResult is what a round claimed and recorded.
type AlertResult struct {
	Claimed Claimed
	Alerts  []Alert // with their IDs
}
