// Package monitor is the Newswatch engine: it checks the user's news feeds
// on their schedules, matches every new article against the watch topics,
// stores what it found and tells its subscribers (the desktop app, the
// command line) about new matches. It never talks to the desktop itself.
//
// The domain types live here (Feed, Topic, Article, Match, Story, Alert);
// the pieces the engine stands on live below it: feed (fetch, charset,
// parse, normalize), query (the topic language), story (which story an
// article belongs to), store (SQLite), export (CSV and JSON) and opml.
//
// The timeline is one of stories: one event, however many outlets
// reported it (see Story, TimelineStore and CycleEvent).
package monitor

import (
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/alert"
	"codeberg.org/newswatch/newswatch/monitor/inert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// Version is the Newswatch version, also given in FyneApp.toml.
const Version = "0.1.0"

// UserAgent is sent with every feed request.
const UserAgent = "Newswatch/" + Version + " (desktop news monitor)"

// Feed is a news feed the user watches, with its HTTP cache state and health.
type Feed struct {
	ID       int64
	URL      string
	Name     string // the user's name for it; empty: use Title
	Title    string // the feed's own title
	SiteURL  string
	Schedule string // own cron spec; empty: the global schedule
	Enabled  bool
	Added    time.Time

	// HTTP cache validators from the last successful fetch.
	ETag, LastModified string

	// Health.
	LastFetch   time.Time // last attempt
	LastSuccess time.Time
	LastError   msg.Message // one sentence; zero when the last attempt worked
	Failures    int         // consecutive failed attempts
	RetryAt     time.Time   // the server asked not to be asked again before this
	Gone        bool        // the server said 410 Gone: not checked until re-enabled
	ItemCount   int         // items in the last fetched body
	// FailingSince is the first failed attempt of the failures in a row
	// (zero while it works); Newest the date of its newest story.
	FailingSince time.Time
	Newest       time.Time

	// Coverage alerts (see monitor/alert): CoverageOff switches them off
	// for the feed; Coverage is its state as last decided (dead or
	// silent; zero: it covers the news), since CoverageSince.
	CoverageOff   bool
	Coverage      alert.Coverage
	CoverageSince time.Time

	// Full text (see fulltext.go): whether the web pages of new articles
	// are read, what automatic found, and the last pages' misses.
	FullText  FullTextMode
	Teasers   bool
	PagesNote msg.Message
}

// DisplayName is what the user sees for the feed: its name, else its
// title, else its address, cleaned and as short as a name (see
// inert.Name; also for names stored before they were cleaned).
func (f Feed) DisplayName() string {
	for _, s := range []string{f.Name, f.Title} {
		if n := inert.Name(s); n != "" {
			return n
		}
	}
	return inert.Name(f.URL)
}

// Healthy reports whether the last attempt to check the feed worked.
func (f Feed) Healthy() bool { return f.LastError.IsZero() && !f.Gone }

// Uncovered reports whether the feed is dead or silent (see Coverage):
// the Feeds screen and the tray mark it.
func (f Feed) Uncovered() bool { return f.Coverage != alert.CoverageOK }

// CoverageState says in words how the feed covers the news: "dead
// since 14:05", "silent since yesterday 09:12"; zero when it does.
func (f Feed) CoverageState(now time.Time) msg.Message {
	switch f.Coverage {
	case alert.CoverageDead:
		return msg.New(msg.T("dead since {{.When}}"), "When", msg.Moment(f.CoverageSince, now))
	case alert.CoverageSilent:
		return msg.New(msg.T("silent since {{.When}}"), "When", msg.Moment(f.CoverageSince, now))
	}
	return msg.Message{}
}

// Topic is a watch topic: a name and a query.
type Topic struct {
	ID      int64
	Name    string
	Query   string
	Enabled bool
	Notify  bool
	Color   string // "#rrggbb", empty: chosen by the UI
	Created time.Time
	// Owner is "" for a topic of the team (the only kind a database of
	// one user has); in a team database, the user whose personal topic
	// it is: only they see it and are alerted of it.
	Owner string
	// Escalation says when a story of this topic is announced as
	// developing; the zero value is the default (on: 3 sources in 2 hours).
	Escalation Escalation
	// Policy is how the topic's alerts reach the analyst: priority,
	// delivery, spikes (the zero value: normal, at once, spikes on).
	Policy alert.Policy
}

// Escalation is a topic's setting for "developing" alerts: one alert,
// once per story, when a story of the topic reaches Sources distinct
// sources within Within.
type Escalation struct {
	Off     bool          // no developing alerts for this topic
	Sources int           // 0: DefaultEscalation.Sources
	Within  time.Duration // 0: DefaultEscalation.Within
}

// DefaultEscalation is the escalation of a topic that sets none.
var DefaultEscalation = Escalation{Sources: 3, Within: 2 * time.Hour}

// Effective fills in the defaults.
func (e Escalation) Effective() Escalation {
	if e.Sources <= 0 {
		e.Sources = DefaultEscalation.Sources
	}
	if e.Within <= 0 {
		e.Within = DefaultEscalation.Within
	}
	return e
}

// State is how the topic stands, in a word: on, silent (matched but not
// notified) or off.
func (t Topic) State() msg.Message {
	switch {
	case !t.Enabled:
		return msg.New(msg.T("off"))
	case !t.Notify:
		return msg.New(msg.T("silent"))
	}
	return msg.New(msg.T("on"))
}

// Article is one story from a feed, as plain text.
type Article struct {
	ID         int64
	FeedID     int64
	FeedName   string
	Key        string
	Link       string
	Title      string
	Summary    string
	Content    string
	Author     string
	Categories []string
	// Published is the story's own date; when the feed gives none it is
	// the first-seen time and PublishedKnown is false.
	Published      time.Time
	PublishedKnown bool
	FirstSeen      time.Time
	// StoryID is the story the article belongs to (0 before it is
	// stored), Source the outlet it comes from (story.SourceOf: its
	// link's domain, else its feed).
	StoryID int64
	Source  string
	// FullText is the text of the article's web page, read after the
	// feed's item arrived (plain text, paragraphs separated by a blank
	// line); "" when it was not read (yet) or gave no text.
	FullText string
}

// Doc is the article as the matcher sees it.
func (a *Article) Doc() query.Doc {
	return query.Doc{Title: a.Title, Summary: a.Summary, Content: a.Content,
		Author: a.Author, Feed: a.FeedName, Categories: a.Categories, FullText: a.FullText}
}

// CategoriesText is the categories joined the way match offsets count them.
func (a *Article) CategoriesText() string {
	return strings.Join(a.Categories, query.CategorySeparator)
}

// FieldText is the text of one field, as match offsets count it.
func (a *Article) FieldText(f query.Field) string {
	switch f {
	case query.Title:
		return a.Title
	case query.Summary:
		return a.Summary
	case query.Content:
		return a.Content
	case query.Categories:
		return a.CategoriesText()
	case query.Author:
		return a.Author
	case query.FeedTitle:
		return a.FeedName
	case query.FullText:
		return a.FullText
	}
	return ""
}

// HitText is the text a hit covers, or "" when the offsets do not fit
// (the article changed since).
func (a *Article) HitText(h query.Hit) string {
	t := a.FieldText(h.Field)
	if h.Start < 0 || h.End > len(t) || h.Start > h.End {
		return ""
	}
	return t[h.Start:h.End]
}

// Match is an article that matched a topic, with what matched where.
type Match struct {
	ID        int64
	Article   Article
	TopicID   int64
	TopicName string
	Hits      []query.Hit
	MatchedAt time.Time
	Read      bool
	Starred   bool
	// Backlog is set for matches from a feed's first fetch: stories that
	// were already in the feed when the user added it.
	Backlog bool
	// Story is the article's story, as exports show it (set by
	// Service.Matches; Article.StoryID is set on every stored match).
	Story StoryRef
}

// StoryRef names a story in an export row: its ID (stable), headline,
// distinct sources so far and first report's date.
type StoryRef struct {
	ID        int64
	Title     string
	Sources   int
	FirstSeen time.Time
}
