package app

import (
	"context"
	"log/slog"
	"sort"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/inert"
)

// alertSource is what the alerts need of the engine: its cycles, and the
// topics (whether each notifies).
type alertSource interface {
	events
	Topics(ctx context.Context) ([]monitor.Topic, error)
}

// watchAlerts sends the notifications each check cycle calls for (see
// planNotes) until ctx ends. It runs on the engine's goroutine, never the
// window's.
func watchAlerts(ctx context.Context, src alertSource, p prefs, now func() time.Time, notify func(title, body string), log *slog.Logger) {
	cancel := src.Subscribe(func(ev monitor.Event) {
		if ev.Cycle == nil || len(ev.Cycle.NewStories)+len(ev.Cycle.Developing) == 0 {
			return
		}
		topics, err := src.Topics(ctx)
		if err != nil {
			log.Error("read topics for alerts", slog.Any("err", err))
			return
		}
		for _, n := range planNotes(*ev.Cycle, topics, p, now()) {
			notify(n.title, n.body)
		}
	})
	go func() {
		<-ctx.Done()
		cancel()
	}()
}

// note is one desktop notification.
type note struct{ title, body string }

// planNotes decides what to tell the user about a check cycle: at most one
// notification per topic, counting stories ("Ukraine — 2 new stories"
// with the newest headline: a new report of a story announced before does
// not count again), one "Developing: …" for each story that reached its
// topic's escalation, and for stories that were already in newly added
// feeds one summary instead of a flood. Nothing while alerts are off,
// paused or in quiet hours, and nothing for topics whose notifications
// are off. The engine hands every match, new story and developing story
// to exactly one cycle, so nothing is announced twice, also not after a
// restart.
func planNotes(ev monitor.CycleEvent, topics []monitor.Topic, p prefs, now time.Time) []note {
	if len(ev.NewStories)+len(ev.Developing) == 0 || !p.notifications() || p.paused() || p.inQuietHours(now) {
		return nil
	}
	notify := map[int64]bool{}
	for _, t := range topics {
		notify[t.ID] = t.Enabled && t.Notify
	}
	type group struct {
		name   string
		newest *monitor.Match
		n      int
	}
	groups := map[int64]*group{}
	backlog := map[int64]bool{}     // stories
	backTopics := map[string]bool{} // topic names
	for i := range ev.NewStories {
		m := &ev.NewStories[i]
		if !notify[m.TopicID] {
			continue
		}
		if m.Backlog {
			backlog[m.Story.ID] = true
			backTopics[m.TopicName] = true
			continue
		}
		g := groups[m.TopicID]
		if g == nil {
			g = &group{name: m.TopicName}
			groups[m.TopicID] = g
		}
		g.n++
		if g.newest == nil || m.Article.Published.After(g.newest.Article.Published) {
			g.newest = m
		}
	}
	var out []note
	for _, g := range groups {
		title := nf("{{.Topic}} — {{.N}} new stories", g.n, "Topic", g.name)
		out = append(out, note{title: title, body: g.newest.Article.Title + " — " + g.newest.Article.FeedName})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].title < out[j].title })
	for _, d := range ev.Developing {
		if !notify[d.TopicID] {
			continue
		}
		out = append(out, note{
			title: nf("Developing: {{.Headline}} — {{.N}} sources in {{.Minutes}} min", d.Sources, "Headline", d.Headline,
				"Minutes", int(d.Span.Round(time.Minute)/time.Minute)),
			body: d.TopicName + " — " + d.Lead.FeedName})
	}
	if len(backlog) > 0 {
		names := make([]string, 0, len(backTopics))
		for n := range backTopics {
			names = append(names, n)
		}
		sort.Strings(names)
		title := nf("Newswatch — {{.N}} stories in your new feeds", len(backlog))
		out = append(out, note{title: title,
			body: nf("They match {{.Topics}}. You find them in the timeline.", len(backlog), "Topics", strings.Join(names, ", "))})
	}
	for i := range out { // inert for the notification daemon
		out[i].title, out[i].body = inert.Notification(out[i].title, out[i].body)
	}
	return out
}
