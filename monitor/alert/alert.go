package alert

import (
	"time"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Kind is what an alert is about.
type Kind string

// The kinds of alerts.
const (
	KindStories    Kind = "stories"    // new stories of a topic (at once, or a batch's summary)
	KindBacklog    Kind = "backlog"    // stories that were already in newly added feeds
	KindDeveloping Kind = "developing" // a story many sources report within a short time
	KindSpike      Kind = "spike"      // improbably many stories of a topic
	KindCoverage   Kind = "coverage"   // a feed dead or silent, or back
)

// Kinds lists every kind, in the order the history explains them.
var Kinds = []Kind{KindStories, KindBacklog, KindDeveloping, KindSpike, KindCoverage}

// ParseKind reads a kind's name.
func ParseKind(s string) (Kind, bool) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, true
		}
	}
	return "", false
}

// Message is the kind in words.
func (k Kind) Message() msg.Message {
	switch k {
	case KindStories:
		return msg.New(msg.T("new stories"))
	case KindBacklog:
		return msg.New(msg.T("stories in new feeds"))
	case KindDeveloping:
		return msg.New(msg.T("developing story"))
	case KindSpike:
		return msg.New(msg.T("spike"))
	case KindCoverage:
		return msg.New(msg.T("coverage"))
	}
	return msg.Literal(string(k))
}

// Status is what became of an alert.
type Status string

// The statuses.
const (
	Shown    Status = "shown"    // handed to the front end to show
	Held     Status = "held"     // not shown, and never will be (Reason says why)
	Pending  Status = "pending"  // gathered for a summary due at Due
	Gathered Status = "gathered" // went into the summary SummaryID
)

// Reason says why an alert was held back or is pending.
type Reason string

// The reasons.
const (
	Silenced         Reason = "silenced"          // the topic's notifications are off
	NotificationsOff Reason = "notifications-off" // desktop notifications are off
	Paused           Reason = "paused"            // alerts are paused
	QuietHours       Reason = "quiet-hours"
	TopicRemoved     Reason = "topic-removed" // the topic was removed before its summary
	Batched          Reason = "batched"       // at most one notification per interval
	Digested         Reason = "digest"        // waits for the topic's digest
)

// Urgency is how pressing a notification is (the urgencies of the
// Desktop Notifications specification).
type Urgency int

// The urgencies.
const (
	UrgencyLow Urgency = iota
	UrgencyNormal
	UrgencyCritical // stays on screen until dismissed
)

// Sound is the freedesktop sound theme's sound high and critical
// priority alerts ask for.
const Sound = "message-new-instant"

// Coverage is how a feed covers the news: working, or dead or silent.
type Coverage string

// The coverage states. The zero value is OK.
const (
	CoverageOK     Coverage = ""
	CoverageDead   Coverage = "dead"   // failing (or gone) for longer than the limit
	CoverageSilent Coverage = "silent" // no new story for much longer than its rhythm
)

// Alert is one decision: an alert to show, or one held back or gathered
// for later, as the alert history keeps it.
type Alert struct {
	ID   int64 // in the alert history; 0 before it is recorded
	At   time.Time
	Kind Kind
	// TopicID and TopicName name the topic (stories, developing, spike).
	TopicID   int64
	TopicName string
	// FeedID and FeedName name the feed (coverage); Coverage is its
	// state the alert reports (CoverageOK: the feed recovered).
	FeedID   int64
	FeedName string
	Coverage Coverage

	Priority Priority
	Title    msg.Message
	Body     msg.Message
	// Stories are the timeline IDs of the stories the alert names.
	Stories []int64
	// Urgency and Sound are hints for the notification.
	Urgency Urgency
	Sound   string

	Status Status
	Reason Reason
	// Due is when a pending alert's summary is due.
	Due time.Time
	// SummaryID is the alert that summed up a gathered one.
	SummaryID int64
}

// Outcome says in words what became of the alert: "shown", "held back:
// quiet hours", "waits for 16:00", "gathered into a summary".
func (a Alert) Outcome(now time.Time) msg.Message {
	switch a.Status {
	case Shown:
		return msg.New(msg.T("shown"))
	case Pending:
		return msg.New(msg.T("waits for the summary {{.When}}"), "When", msg.When(a.Due, now))
	case Gathered:
		return msg.New(msg.T("gathered into a summary"))
	}
	switch a.Reason {
	case Silenced:
		return msg.New(msg.T("held back: the topic is silenced"))
	case NotificationsOff:
		return msg.New(msg.T("held back: notifications are off"))
	case Paused:
		return msg.New(msg.T("held back: alerts are paused"))
	case QuietHours:
		return msg.New(msg.T("held back: quiet hours"))
	case TopicRemoved:
		return msg.New(msg.T("held back: the topic was removed"))
	}
	return msg.New(msg.T("held back"))
}

// hints sets the urgency and sound of a priority.
func (a *Alert) hints() {
	switch a.Priority {
	case High:
		a.Urgency, a.Sound = UrgencyNormal, Sound
	case Critical:
		a.Urgency, a.Sound = UrgencyCritical, Sound
	default:
		a.Urgency, a.Sound = UrgencyNormal, ""
	}
}

// TopicState is what the alerts remember of a topic between cycles.
type TopicState struct {
	// LastShown is when a new-stories alert of the topic was last shown
	// (for Every).
	LastShown time.Time
	// SpikeAt is when a spike of the topic was last announced;
	// Significant when its volume was last found improbable (a burst
	// goes on while that keeps being found).
	SpikeAt, Significant time.Time
}

// FeedState is a feed's coverage and since when it holds.
type FeedState struct {
	Coverage Coverage
	Since    time.Time
}
