package monitor_test

import (
	"context"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
)

// The Geneva talks, as four outlets report them: one story.
var genevaReports = []struct{ host, title, summary string }{
	{"abc.example", "Ukraine and Russia open peace talks in Geneva",
		"Delegations from Ukraine and Russia met in Geneva on Tuesday for the first direct talks in months, with US envoy Steve Witkoff mediating. Negotiator Rustem Umerov said a ceasefire was the first item."},
	{"dw.example", "Peace talks: Ukrainian and Russian negotiators meet in Geneva",
		"Ukrainian and Russian negotiators sat down in Geneva under US mediation. Rustem Umerov leads the Ukrainian team; Witkoff called the meeting a serious start towards a ceasefire."},
	{"bbc.example", "Ukraine war: delegations hold talks in Geneva",
		"Talks between Russia and Ukraine began in Geneva, mediated by US envoy Steve Witkoff. The Ukrainian delegation is led by Rustem Umerov. A ceasefire is on the agenda."},
	// No "Ukraine" in it: it joins the story but matches no topic.
	{"nyt.example", "Russian and Kyiv negotiators hold first face-to-face talks in Geneva",
		"The talks, brokered by Steve Witkoff, opened in a Geneva hotel. Rustem Umerov and the Russian delegation discussed a ceasefire and prisoner exchanges, officials said."},
}

// firstTwo reports whether a headline is that of one of the first two
// Geneva reports: they come in one cycle, and the one saved first leads.
func firstTwo(title string) bool {
	return title == genevaReports[0].title || title == genevaReports[1].title
}

func TestStoriesAcrossFeeds(t *testing.T) {
	clock := newClock()
	now := clock.Now()
	dir := t.TempDir()
	svc := openService(t, dir, clock)
	ctx := context.Background()
	feeds := make([]*fakeFeed, len(genevaReports))
	for i, r := range genevaReports {
		feeds[i] = &fakeFeed{title: r.host}
		srv := serve(t, feeds[i])
		// Each feed's first fetch is its backlog: start them empty.
		mustAddFeed(t, svc, srv.URL)
	}
	ukr := mustAddTopic(t, svc, "Ukraine", "")
	mustAddTopic(t, svc, "Sport", "Fußball")
	mustCheck(t, svc)

	publish := func(i int, at time.Time) {
		r := genevaReports[i]
		feeds[i].add(testItem{GUID: r.host + "/1", Title: r.title, Description: r.summary,
			Link: "https://www." + r.host + "/geneva", Published: at})
	}
	// Two outlets report it, and an unrelated story arrives.
	publish(0, now.Add(-50*time.Minute))
	publish(1, now.Add(-30*time.Minute))
	feeds[1].add(testItem{GUID: "sport", Title: "Fußball: Bayern gewinnt in Freiburg", Description: "Harry Kane traf doppelt.",
		Link: "https://www.dw.example/sport", Published: now.Add(-20 * time.Minute)})
	ev := mustCheck(t, svc)
	if len(ev.Matches) != 3 || len(ev.NewStories) != 2 || len(ev.Developing) != 0 {
		t.Fatalf("first cycle: %d matches, %d new stories, %d developing; want 3, 2 (Geneva, Sport), 0",
			len(ev.Matches), len(ev.NewStories), len(ev.Developing))
	}
	var geneva int64 // the story of a Ukraine match (the feeds are saved in any order)
	for _, m := range ev.Matches {
		if m.TopicID == ukr.ID {
			geneva = m.Article.StoryID
		}
	}
	for _, m := range ev.Matches {
		if m.TopicID == ukr.ID && m.Article.StoryID != geneva {
			t.Errorf("%q is in story %d, want %d", m.Article.Title, m.Article.StoryID, geneva)
		}
	}

	// A third source within two hours: the story is developing, once.
	clock.Advance(10 * time.Minute)
	publish(2, clock.Now().Add(-5*time.Minute))
	ev = mustCheck(t, svc)
	if len(ev.Matches) != 1 || len(ev.NewStories) != 0 {
		t.Errorf("a third report: %d matches, %d new stories; want 1 match and no new story", len(ev.Matches), len(ev.NewStories))
	}
	if len(ev.Developing) != 1 || ev.Developing[0].StoryID != geneva || ev.Developing[0].Sources != 3 ||
		ev.Developing[0].TopicName != "Ukraine" || ev.Developing[0].Span != 55*time.Minute ||
		!firstTwo(ev.Developing[0].Headline) {
		t.Fatalf("developing: %+v", ev.Developing)
	}
	stories, err := svc.Stories(ctx, []int64{geneva})
	if err != nil || len(stories) != 1 {
		t.Fatalf("Stories: %v, %v", stories, err)
	}
	st := stories[0]
	if st.ReportCount != 3 || st.Sources != 3 || !firstTwo(st.Article.Title) || st.Read ||
		!st.FirstSeen.Equal(now.Add(-50*time.Minute)) || len(st.Topics) != 1 {
		t.Errorf("the story: %d reports, %d sources, headline %q, read %v, first %v, topics %v",
			st.ReportCount, st.Sources, st.Article.Title, st.Read, st.FirstSeen, st.Topics)
	}
	if full, err := svc.Story(ctx, geneva); err != nil || len(full.Reports) != 3 || full.Reports[0].Article.Title != genevaReports[0].title {
		t.Errorf("the story view: %d reports, %v", len(full.Reports), err)
	}
	es, _ := svc.Timeline(ctx, monitor.Filter{TopicID: ukr.ID})
	if len(es) != 1 || es[0].StoryID != geneva {
		t.Errorf("the Ukraine timeline: %+v, want the one story", es)
	}

	// Read; a report from a new source that matches nothing brings it
	// back as updated, quietly; developing is not announced again, also
	// not by a new engine on the same data.
	if err := svc.SetRead(ctx, []int64{geneva}, true); err != nil {
		t.Fatal(err)
	}
	clock.Advance(10 * time.Minute)
	publish(3, clock.Now().Add(-2*time.Minute))
	ev = mustCheck(t, svc)
	if len(ev.Matches) != 0 || len(ev.Developing) != 0 || len(ev.Stories) != 1 || ev.Stories[0] != geneva {
		t.Errorf("a fourth, unmatched report: %d matches, %d developing, stories %v; want only the story to reload",
			len(ev.Matches), len(ev.Developing), ev.Stories)
	}
	stories, _ = svc.Stories(ctx, []int64{geneva})
	if st := stories[0]; st.Read || !st.Updated || st.NewSources != 1 || st.Sources != 4 || st.ReportCount != 4 {
		t.Errorf("after a new source: read %v, updated %v, +%d, %d sources, %d reports; want unread, updated, +1, 4, 4",
			st.Read, st.Updated, st.NewSources, st.Sources, st.ReportCount)
	}
	if c, _ := svc.Counts(ctx); c.Unread != 2 || c.TopicUnread[ukr.ID] != 1 { // Geneva and Sport
		t.Errorf("counts after the update: %+v", c)
	}
	svc.SetRead(ctx, []int64{geneva}, true)
	if stories, _ = svc.Stories(ctx, []int64{geneva}); !stories[0].Read || stories[0].Updated {
		t.Errorf("read again: read %v, updated %v", stories[0].Read, stories[0].Updated)
	}
	// Another engine on the same data (a restart, or the command line)
	// announces nothing again.
	other := openService(t, dir, clock)
	if ev := mustCheck(t, other); len(ev.Matches) != 0 || len(ev.Developing) != 0 || len(ev.NewStories) != 0 {
		t.Errorf("a second engine: %d matches, %d developing, %d new stories", len(ev.Matches), len(ev.Developing), len(ev.NewStories))
	}
}
