package app

import (
	"context"
	"io"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
)

// Each screen is built from the small part of the engine it needs, so it
// can be tested against a fake of just that; *monitor.Service provides all
// of them. Screens never call each other: what one changes reaches the
// others through the timeline model or the engine's events.

// events is how a part of the app learns what the engine did.
type events interface {
	Subscribe(fn func(monitor.Event)) (cancel func())
}

// timelineSource is what the timeline model reads and changes.
type timelineSource interface {
	events
	Timeline(ctx context.Context, f monitor.Filter) ([]monitor.TimelineEntry, error)
	// Stories reads the rows' stories (each with its lead report and
	// counts); Story one story with every report, for the story view.
	Stories(ctx context.Context, ids []int64) ([]monitor.Story, error)
	Story(ctx context.Context, id int64) (monitor.Story, error)
	Counts(ctx context.Context) (monitor.Counts, error)
	SetRead(ctx context.Context, articleIDs []int64, read bool) error
	SetStarred(ctx context.Context, articleIDs []int64, starred bool) error
	DeleteStories(ctx context.Context, articleIDs []int64) error
	MarkAllRead(ctx context.Context, f monitor.Filter) ([]int64, error)
	Topics(ctx context.Context) ([]monitor.Topic, error)
	Export(ctx context.Context, w io.Writer, opt monitor.ExportOptions) (int, error)
}

// topicEditor is what the Topics screen needs.
type topicEditor interface {
	events
	Topics(ctx context.Context) ([]monitor.Topic, error)
	AddTopic(ctx context.Context, t monitor.Topic) (monitor.Topic, error)
	UpdateTopic(ctx context.Context, t monitor.Topic) error
	RemoveTopic(ctx context.Context, id int64) error
	ApplyTopic(ctx context.Context, topicID int64, since time.Time) (int, error)
	CheckQuery(q string) monitor.QueryCheck
	TopicVolume(ctx context.Context, topicID int64) (monitor.Volume, error)
	Backtest(ctx context.Context, q string, opt monitor.BacktestOptions) (monitor.Backtest, error)
}

// feedManager is what the Feeds screen needs.
type feedManager interface {
	events
	Feeds(ctx context.Context) ([]monitor.Feed, error)
	AddFeed(ctx context.Context, rawURL string, opt monitor.AddFeedOptions) (monitor.Feed, error)
	UpdateFeed(ctx context.Context, f monitor.Feed) error
	RemoveFeed(ctx context.Context, id int64) error
	ImportOPML(ctx context.Context, r io.Reader) (monitor.ImportResult, error)
	ExportOPML(ctx context.Context, w io.Writer) (int, error)
	NextRun(ctx context.Context, f monitor.Feed) time.Time
	Settings(ctx context.Context) (monitor.Settings, error)
}

// settingsStore is what the Settings screen needs of the engine.
type settingsStore interface {
	Settings(ctx context.Context) (monitor.Settings, error)
	SetSchedule(ctx context.Context, spec string) error
	SetRetentionDays(ctx context.Context, days int) error
}

// alertSwitches is where the alerts' switches are decided: the engine.
type alertSwitches interface {
	Settings(ctx context.Context) (monitor.Settings, error)
	SetNotifications(ctx context.Context, on bool) error
	SetPaused(ctx context.Context, paused bool) error
	SetQuietHours(ctx context.Context, q alert.Quiet) error
}

// checker runs check cycles: on schedule, and when asked.
type checker interface {
	events
	Run(ctx context.Context) error
	Check(ctx context.Context, opt monitor.CheckOptions) (monitor.CycleEvent, error)
}

// feedHealth is what the status line reads.
type feedHealth interface {
	events
	Feeds(ctx context.Context) ([]monitor.Feed, error)
	NextRun(ctx context.Context, f monitor.Feed) time.Time
}

// Engine is the whole engine the app runs on.
type Engine interface {
	timelineSource
	topicEditor
	feedManager
	settingsStore
	alertSwitches
	alertHistory
	checker
	Newest(ctx context.Context, n int) ([]monitor.Story, error)
}

var _ Engine = (*monitor.Service)(nil)
