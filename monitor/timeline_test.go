package monitor_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
)

func TestTimeline(t *testing.T) {
	clock := newClock()
	now := clock.Now()
	ff := &fakeFeed{title: "Welt", items: []testItem{
		{GUID: "1", Title: "Ukraine und Nordkorea: Waffen", Link: "https://news.example/1", Published: now.Add(-1 * time.Hour)},
		{GUID: "2", Title: "Ukraine: Stromausfälle in Kiew", Link: "https://news.example/2", Published: now.Add(-26 * time.Hour)},
		{GUID: "3", Title: "Nordkorea testet Rakete", Description: "Sergej Lawrow reist nach Pjöngjang", Link: "https://news.example/3", Published: now.Add(-2 * time.Hour)},
		{GUID: "4", Title: "Wetter", Link: "https://news.example/4", Published: now},
	}}
	srv := serve(t, ff)
	svc := openService(t, t.TempDir(), clock)
	mustAddFeed(t, svc, srv.URL)
	ukr := mustAddTopic(t, svc, "Ukraine", "")
	nk := mustAddTopic(t, svc, "Nordkorea", "")
	nk.Color = "#d32f2f"
	svc.UpdateTopic(context.Background(), nk)
	mustCheck(t, svc)
	ctx := context.Background()

	ids := func(f monitor.Filter) []int64 {
		t.Helper()
		es, err := svc.Timeline(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, e := range es {
			out = append(out, e.StoryID)
		}
		return out
	}
	all := ids(monitor.Filter{})
	if len(all) != 3 {
		t.Fatalf("timeline has %d stories, want 3 (one story per article, not per match)", len(all))
	}
	stories, err := svc.Stories(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	if stories[0].Article.Title != "Ukraine und Nordkorea: Waffen" || stories[2].Article.Title != "Ukraine: Stromausfälle in Kiew" {
		t.Fatalf("order: %q, %q, %q", stories[0].Article.Title, stories[1].Article.Title, stories[2].Article.Title)
	}
	if got := stories[0].Topics; len(got) != 2 || got[0].Name != "Nordkorea" || got[0].Color != "#d32f2f" || got[1].Name != "Ukraine" {
		t.Fatalf("topics of the first story: %+v", got)
	}
	if stories[0].Read || len(stories[0].Hits) != 2 {
		t.Fatalf("first story: read %v, hits %+v", stories[0].Read, stories[0].Hits)
	}
	if got := ids(monitor.Filter{TopicID: ukr.ID}); len(got) != 2 {
		t.Errorf("Ukraine filter: %d stories", len(got))
	}
	if got := ids(monitor.Filter{Search: "lawr pjoeng"}); len(got) != 1 || got[0] != stories[1].ID {
		t.Errorf("search: %v", got)
	}
	if got := ids(monitor.Filter{Search: "?!"}); len(got) != 0 {
		t.Errorf("search for punctuation found %v", got)
	}

	// Read, starred, counts.
	if err := svc.SetRead(ctx, all[:1], true); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetStarred(ctx, all[1:2], true); err != nil {
		t.Fatal(err)
	}
	c, err := svc.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Unread != 2 || c.Starred != 1 || c.TopicUnread[ukr.ID] != 1 || c.TopicUnread[nk.ID] != 1 {
		t.Fatalf("counts = %+v", c)
	}
	if got := ids(monitor.Filter{Unread: true}); len(got) != 2 {
		t.Errorf("unread: %v", got)
	}
	if got := ids(monitor.Filter{Starred: true}); len(got) != 1 || got[0] != all[1] {
		t.Errorf("starred: %v", got)
	}

	// The newest, and only what a cycle added.
	if newest, err := svc.Newest(ctx, 2); err != nil || len(newest) != 2 || newest[0].ID != all[0] {
		t.Errorf("Newest(2) = %d stories, %v", len(newest), err)
	}
	if got := ids(monitor.Filter{StoryIDs: []int64{all[2], all[0]}}); len(got) != 2 || got[0] != all[0] {
		t.Errorf("by story: %v", got)
	}
	if got := ids(monitor.Filter{StoryIDs: []int64{}}); len(got) != 0 {
		t.Errorf("by no story: %v", got)
	}

	// Export what the timeline shows: one row per story and topic.
	var buf bytes.Buffer
	n, err := svc.Export(ctx, &buf, monitor.ExportOptions{Filter: monitor.Filter{Search: "waffen"}})
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(buf.String(), "\n"); n != 2 || lines != 3 {
		t.Errorf("export of the searched timeline has %d rows, %d lines:\n%s", n, lines, buf.String())
	}
	if !strings.Contains(buf.String(), "Nordkorea (title)") {
		t.Errorf("export lacks the matched terms:\n%s", buf.String())
	}

	read, err := svc.MarkAllRead(ctx, monitor.Filter{})
	if err != nil || len(read) != 2 {
		t.Fatalf("mark all read: %v, %v", read, err)
	}
	if c, _ := svc.Counts(ctx); c.Unread != 0 {
		t.Errorf("unread after mark all read: %d", c.Unread)
	}
	if err := svc.DeleteStories(ctx, all[:1]); err != nil {
		t.Fatal(err)
	}
	if got := ids(monitor.Filter{}); len(got) != 2 {
		t.Errorf("after delete: %v", got)
	}
}
