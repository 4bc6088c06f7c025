package alert

import (
	"math"
	"strconv"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// The texts of alerts, as messages: the app shows them in the analyst's
// language, the command line in English. Headlines and feed names are
// values, never templates.

// headline is "headline — feed", as notifications have always read.
func headline(title, feed string) msg.Message {
	switch {
	case feed == "":
		return msg.Literal(title)
	case title == "":
		return msg.Literal(feed)
	}
	return msg.Literal(title + " — " + feed)
}

// maxLines is how many headlines a summary names.
const maxLines = 3

// lines is a summary's body: up to maxLines headlines, one a line, and
// how many more there are.
func lines(heads []msg.Message) msg.Message {
	var b strings.Builder
	for i, h := range heads[:min(len(heads), maxLines)] {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(h.String())
	}
	if more := len(heads) - maxLines; more > 0 {
		return msg.NewCount(msg.TN("{{.Lines}}\n… and {{.N}} more"), more, "Lines", b.String())
	}
	return msg.Literal(b.String())
}

func storiesTitle(topic string, n int) msg.Message {
	return msg.NewCountOne(msg.TN("{{.Topic}} — {{.N}} new stories"), "{{.Topic}} — 1 new story", n, "Topic", topic)
}

func summaryTitle(mode DeliveryMode, topic string, n int, since msg.Message) msg.Message {
	if mode == Digest {
		return msg.NewCountOne(msg.TN("{{.Topic}} digest — {{.N}} new stories since {{.Since}}"), "{{.Topic}} digest — 1 new story since {{.Since}}", n, "Topic", topic, "Since", since)
	}
	return msg.NewCountOne(msg.TN("{{.Topic}} — {{.N}} new stories since {{.Since}}"), "{{.Topic}} — 1 new story since {{.Since}}", n, "Topic", topic, "Since", since)
}

// since names the start of a summary: its time of day when that is
// today, else as msg.When says it ("yesterday 16:00").
func since(t, now time.Time, loc *time.Location) msg.Message {
	lt, ln := t.In(loc), now.In(loc)
	if lt.YearDay() == ln.YearDay() && lt.Year() == ln.Year() {
		return msg.Literal(clockOf(t, loc).String())
	}
	return msg.When(t, now)
}

func backlogTitle(n int) msg.Message {
	return msg.NewCountOne(msg.TN("Newswatch — {{.N}} stories in your new feeds"), "Newswatch — 1 story in your new feeds", n)
}

func backlogBody(n int, topics []string) msg.Message {
	return msg.NewCountOne(msg.TN("They match {{.Topics}}. You find them in the timeline."), "It matches {{.Topics}}. You find it in the timeline.", n, "Topics", strings.Join(topics, ", "))
}

func developingTitle(head string, sources int, span time.Duration) msg.Message {
	return msg.NewCountOne(msg.TN("Developing: {{.Headline}} — {{.N}} sources in {{.Minutes}} min"),
		"Developing: {{.Headline}} — 1 source in {{.Minutes}} min", sources,
		"Headline", head, "Minutes", int(span.Round(time.Minute)/time.Minute))
}

func spikeTitle(topic string, sp Spike) msg.Message {
	usual := msg.New(msg.T("less than one"))
	if sp.Expected >= 0.5 {
		usual = msg.Literal(strconv.Itoa(int(math.Round(sp.Expected))))
	}
	if sp.Window <= time.Hour {
		return msg.NewCountOne(msg.TN("{{.Topic}} — {{.N}} stories in the last hour, usually {{.Usual}}"), "{{.Topic}} — 1 story in the last hour, usually {{.Usual}}", sp.Count,
			"Topic", topic, "Usual", usual)
	}
	return msg.NewCountOne(msg.TN("{{.Topic}} — {{.N}} stories in the last {{.Hours}} hours, usually {{.Usual}}"), "{{.Topic}} — 1 story in the last {{.Hours}} hours, usually {{.Usual}}", sp.Count,
		"Topic", topic, "Hours", int(sp.Window/time.Hour), "Usual", usual)
}

func deadTitle(feed string, d time.Duration) msg.Message {
	return msg.New(msg.T("{{.Feed}} has not worked for {{.Duration}}"), "Feed", feed, "Duration", Duration(d))
}

func goneTitle(feed string) msg.Message {
	return msg.New(msg.T("{{.Feed}} is gone"), "Feed", feed)
}

func goneBody() msg.Message {
	return msg.New(msg.T("The server says the feed was removed; Newswatch no longer checks it."))
}

func silentTitle(feed string, d time.Duration) msg.Message {
	return msg.New(msg.T("{{.Feed}} has published nothing for {{.Duration}}"), "Feed", feed, "Duration", Duration(d))
}

func silentBody(usual time.Duration) msg.Message {
	return msg.New(msg.T("Its stories usually come at most {{.Usual}} apart."), "Usual", Duration(usual))
}

func recoveredTitle(feed string, was Coverage) msg.Message {
	if was == CoverageSilent {
		return msg.New(msg.T("{{.Feed}} publishes again"), "Feed", feed)
	}
	return msg.New(msg.T("{{.Feed}} works again"), "Feed", feed)
}

func recoveredBody(was Coverage, d time.Duration) msg.Message {
	if was == CoverageSilent {
		return msg.New(msg.T("It was silent for {{.Duration}}."), "Duration", Duration(d))
	}
	return msg.New(msg.T("It was out for {{.Duration}}."), "Duration", Duration(d))
}

// Duration is a span in words, rounded: "40 minutes", "7 hours",
// "3 days" (hours up to two days: a story's escalation window is never
// said in days).
func Duration(d time.Duration) msg.Message {
	switch {
	case d < 2*time.Hour:
		return msg.NewCountOne(msg.TN("{{.N}} minutes"), "1 minute", max(1, int(d.Round(time.Minute)/time.Minute)))
	case d <= 48*time.Hour:
		return msg.NewCountOne(msg.TN("{{.N}} hours"), "1 hour", int(d.Round(time.Hour)/time.Hour))
	}
	return msg.NewCountOne(msg.TN("{{.N}} days"), "1 day", int(d.Round(24*time.Hour)/(24*time.Hour)))
}
