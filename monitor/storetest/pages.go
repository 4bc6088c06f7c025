package storetest

import (
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// The pages of new stories are queued with them; each is claimed by one
// process, read once, and what it gave is stored: the text (found by
// search and backtests), new matches (claimed like any other) and the
// hits of the old ones; a page released goes back to the queue, one
// given up is missed.
func testPages(t *testing.T, o Opener) {
	s, re := o.New(t)
	f := addFeed(t, s, "https://feed.example/rss", base)
	tp := addTopic(t, s, "Hafen", "Hafen", base)
	kaffee := addTopic(t, s, "Kaffee", "Kaffeesäcke", base)
	a := article("p1", "ndr.de", "Brand im Hafen", "Kurz.", base)
	b := article("p2", "ndr.de", "Wetter im Norden", "Sonne.", base)
	a.FeedID, b.FeedID = f.ID, f.ID
	f.LastFetch = base
	if _, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f, Articles: []monitor.Article{a, b}, Body: true, Pages: true,
		Matches: []monitor.Match{{Article: a, TopicID: tp.ID, TopicName: tp.Name, MatchedAt: base}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimAlerts(ctx, base); err != nil {
		t.Fatal(err)
	}
	jobs, err := s.PendingPages(ctx, 10)
	if err != nil || len(jobs) != 2 || jobs[0].Article.Key != "p1" || jobs[0].FeedURL != f.URL || jobs[0].Backlog {
		t.Fatalf("pending %+v, %v", jobs, err)
	}
	other := re(t, "")
	id := jobs[0].Article.ID
	if ok, err := s.ClaimPage(ctx, id, "me", base); !ok || err != nil {
		t.Fatalf("claim: %v, %v", ok, err)
	}
	if ok, _ := other.ClaimPage(ctx, id, "other", base); ok {
		t.Error("a page claimed twice")
	}
	if marks, _ := other.ReadingPages(ctx); len(marks) != 1 || marks[0].Owner != "me" || marks[0].ArticleID != id {
		t.Errorf("reading %+v", marks)
	}
	text := "Die Halle mit Kaffeesäcken brannte vollständig aus."
	doc := monitor.Article{Title: a.Title, Summary: a.Summary, FullText: text}
	var ms []monitor.Match
	for _, topic := range []monitor.Topic{tp, kaffee} {
		hits, ok := mustParse(t, topic.Query).Match(query.Prepare(doc.Doc()))
		if !ok {
			t.Fatalf("%s does not match the text", topic.Name)
		}
		ms = append(ms, monitor.Match{Article: monitor.Article{ID: id, Key: "p1", Title: a.Title}, TopicID: topic.ID,
			TopicName: topic.Name, Hits: hits, MatchedAt: base.Add(time.Minute)})
	}
	saved, err := s.SavePage(ctx, monitor.PageResult{ArticleID: id, Owner: "me", At: base.Add(time.Minute), Text: text, Matches: ms})
	if err != nil || len(saved.Matches) != 1 || saved.Matches[0].TopicID != kaffee.ID || len(saved.Stories) != 1 {
		t.Fatalf("saved page %+v, %v", saved, err)
	}
	if again, _ := s.SavePage(ctx, monitor.PageResult{ArticleID: id, Owner: "me", At: base, Text: "x"}); len(again.Matches) != 0 {
		t.Error("a page saved twice")
	}
	claimed, _ := s.ClaimAlerts(ctx, base)
	if len(claimed.Matches) != 1 || claimed.Matches[0].TopicID != kaffee.ID || claimed.Matches[0].Article.FullText != text {
		t.Errorf("claimed after the page: %+v", claimed.Matches)
	}
	if ids := timelineIDs(t, s, monitor.Filter{Search: "kaffeesaecke"}); len(ids) != 1 {
		t.Errorf("the page's text is not searched: %v", ids)
	}
	st := loadStory(t, s, saved.Stories[0])
	if st == nil || len(st.Topics) != 2 || st.Report.Article.FullText != text || len(st.Report.Hits) < 2 {
		t.Errorf("story after its page: %+v", st)
	}
	// The other page: claimed, released, claimed again and given up.
	id2 := jobs[1].Article.ID
	if ok, _ := other.ClaimPage(ctx, id2, "other", base); !ok {
		t.Fatal("the second page could not be claimed")
	}
	if err := other.ReleasePage(ctx, id2, "other"); err != nil {
		t.Fatal(err)
	}
	if jobs, _ := s.PendingPages(ctx, 10); len(jobs) != 1 || jobs[0].Article.ID != id2 {
		t.Errorf("released: pending %+v", jobs)
	}
	if ok, _ := s.ClaimPage(ctx, id2, "me", base); !ok {
		t.Fatal("a released page could not be claimed")
	}
	if ok, _ := other.GiveUpPage(ctx, id2, "me", msg.Literal("gone"), base); !ok {
		t.Error("give up")
	}
	if ok, _ := other.GiveUpPage(ctx, id2, "me", msg.Literal("gone"), base); ok {
		t.Error("given up twice")
	}
	if jobs, _ := s.PendingPages(ctx, 10); len(jobs) != 0 {
		t.Errorf("pending after all: %+v", jobs)
	}
	if err := s.SavePagesNote(ctx, f.ID, msg.Literal("1 of 2 missed")); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Feed(ctx, f.ID); got.PagesNote.String() != "1 of 2 missed" {
		t.Errorf("note %q", got.PagesNote.String())
	}
}
