package monitor

import (
	"time"

	"codeberg.org/newswatch/newswatch/monitor/msg"
	"codeberg.org/newswatch/newswatch/monitor/story"
)

// Stories: every article the engine stores is a report of one story
// (monitor/story decides which, in the transaction that stores it); the
// timeline lists stories (see Story and TimelineStore), alerts count
// them (CycleEvent.NewStories) and a story that spreads fast is
// announced once as developing (CycleEvent.Developing, per the topic's
// Escalation).

// StoryText is the text story assignment reads of an article.
func StoryText(a *Article) story.Article {
	return story.Article{Title: a.Title, Summary: a.Summary, Content: a.Content, Link: a.Link, Categories: a.Categories}
}

// Bounds of a topic's escalation setting.
const (
	MinEscalationSources = 2
	MaxEscalationSources = 50
	MinEscalationWithin  = 10 * time.Minute
	MaxEscalationWithin  = story.Window
)

// ValidateEscalation checks a topic's escalation setting (the zero
// value, the default, is valid).
func ValidateEscalation(e Escalation) error {
	if e.Off {
		return nil
	}
	if e.Sources != 0 && (e.Sources < MinEscalationSources || e.Sources > MaxEscalationSources) {
		return msg.Errorf(nil, msg.T("A story escalates at 2 to 50 sources, not {{.N}}."), "N", e.Sources)
	}
	if e.Within != 0 && (e.Within < MinEscalationWithin || e.Within > MaxEscalationWithin) {
		return msg.Errorf(nil, msg.T("A story escalates within 10 minutes to 48 hours, not {{.Within}}."), "Within", e.Within.String())
	}
	return nil
}
