package storetest

import (
	"errors"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// The timeline's rows (Stories) carry each story's lead report with its
// topics, hits and text, the counts and the topics of all reports, but
// not the other reports; the story view (Story) carries every report,
// oldest first, with its source, text, topics and hits. A story without
// a match is in neither.
func testStoryRowsAndView(t *testing.T, o Opener) {
	s, _ := o.New(t)
	at := time.Now().UTC().Add(-3 * time.Hour).Truncate(time.Second)
	f := addFeed(t, s, "https://feed.example/rss", at)
	hamburg := addTopic(t, s, "hamburg", "Hamburg", at.Add(-time.Hour))
	fire := monitor.Topic{Name: "Feuer", Query: "Feuer", Enabled: true, Color: "red"}
	if err := s.AddTopic(ctx, &fire); err != nil {
		t.Fatal(err)
	}
	x1 := article("x1", "ndr.de", "Brand im Hamburger Hafen", agency, at)
	x1.Content = "Der ganze Text des NDR."
	x2 := article("x2", "mopo.de", "Feuer in Lagerhalle im Hamburger Hafen", agency+" Die Polizei ermittelt.", at.Add(time.Hour))
	x2.Content = "Der ganze Text der Mopo."
	x3 := article("x3", "abendblatt.de", "Hafenbrand: Feuer in Hamburg", agency, at.Add(2*time.Hour))
	y1 := article("y1", "ndr.de", "Wetter: Sonniger Sonntag im Norden", "Die Sonne scheint am Sonntag von Flensburg bis Göttingen, bei bis zu 14 Grad.", at)
	hit := func(field query.Field, start, end int) []query.Hit {
		return []query.Hit{{Field: field, Start: start, End: end, Term: "x"}}
	}
	f.LastFetch, f.LastSuccess = at, at
	arts := []monitor.Article{x1, x2, x3, y1}
	for i := range arts {
		arts[i].FeedID = f.ID
	}
	x2.FeedID, x3.FeedID = f.ID, f.ID
	saved, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f, Articles: arts, Body: true, Matches: []monitor.Match{
		{Article: x2, TopicID: hamburg.ID, TopicName: hamburg.Name, Hits: hit(query.Title, 29, 37), MatchedAt: at},
		{Article: x3, TopicID: hamburg.ID, TopicName: hamburg.Name, Hits: hit(query.Title, 21, 28), MatchedAt: at},
		{Article: x3, TopicID: fire.ID, TopicName: fire.Name, Hits: hit(query.Title, 11, 16), MatchedAt: at},
	}})
	if err != nil {
		t.Fatal(err)
	}
	x := storyOfKey(t, saved, "x2")
	if storyOfKey(t, saved, "x3") != x {
		t.Fatalf("x2 and x3 are in stories %d and %d", x, storyOfKey(t, saved, "x3"))
	}
	x2ID := idOf(t, s, f, "x2")

	rows, err := s.Stories(ctx, []int64{x + 1000, x})
	if err != nil || len(rows) != 1 {
		t.Fatalf("Stories: %d rows, %v; want the fire's only", len(rows), err)
	}
	row := rows[0]
	if row.ID != x || row.ReportCount != 3 || row.Sources != 3 || len(row.Reports) != 0 || row.Read || row.Starred {
		t.Errorf("row: story %d, %d reports, %d sources, %d loaded, read %v, starred %v; want %d, 3, 3, none loaded, unread",
			row.ID, row.ReportCount, row.Sources, len(row.Reports), row.Read, row.Starred, x)
	}
	if row.Article.ID != x2ID || row.Article.Content != x2.Content || row.Article.Source != "mopo.de" ||
		len(row.Report.Topics) != 1 || row.Report.Topics[0].ID != hamburg.ID || len(row.Hits) != 1 {
		t.Errorf("row's lead: article %d %q from %q, topics %v, hits %v; want the first matched report (x2) whole",
			row.Article.ID, row.Article.Content, row.Article.Source, row.Report.Topics, row.Hits)
	}
	if len(row.Topics) != 2 || row.Topics[0].Name != "Feuer" || row.Topics[0].Color != "red" || row.Topics[1].Name != "hamburg" {
		t.Errorf("row's topics: %+v; want Feuer (red), hamburg", row.Topics)
	}
	if !row.FirstSeen.Equal(at) || !row.LastSeen.Equal(at.Add(2*time.Hour)) || row.MatchedAt.IsZero() {
		t.Errorf("row's dates: %v – %v, matched %v", row.FirstSeen, row.LastSeen, row.MatchedAt)
	}

	view, err := s.Story(ctx, x)
	if err != nil {
		t.Fatal(err)
	}
	if len(view.Reports) != 3 || view.ReportCount != 3 || view.Article.ID != x2ID || len(view.Topics) != 2 {
		t.Fatalf("view: %d reports of %d, lead %d, topics %v", len(view.Reports), view.ReportCount, view.Article.ID, view.Topics)
	}
	for i, want := range []struct {
		key, source, content string
		topics, hits         int
	}{{"x1", "ndr.de", x1.Content, 0, 0}, {"x2", "mopo.de", x2.Content, 1, 1}, {"x3", "abendblatt.de", "", 2, 2}} {
		rep := view.Reports[i]
		if rep.Article.Key != want.key || rep.Article.Source != want.source || rep.Article.Content != want.content ||
			rep.Article.Link == "" || len(rep.Topics) != want.topics || len(rep.Hits) != want.hits || rep.Article.StoryID != x {
			t.Errorf("report %d: %q from %q, text %q, %d topics, %d hits, story %d; want %q from %q, %d topics, %d hits",
				i, rep.Article.Key, rep.Article.Source, rep.Article.Content, len(rep.Topics), len(rep.Hits),
				rep.Article.StoryID, want.key, want.source, want.topics, want.hits)
		}
	}
	// The weather story has no match: in neither.
	weather := int64(0)
	_ = s.ScanQuery(ctx, mustParse(t, "Sonntag"), time.Time{}, func(a *monitor.Article) bool {
		weather = a.StoryID
		return false
	})
	for _, id := range []int64{weather, x + 1000} {
		if _, err := s.Story(ctx, id); !errors.Is(err, monitor.ErrNotFound) {
			t.Errorf("Story(%d): %v; want not found (no match)", id, err)
		}
	}
}
