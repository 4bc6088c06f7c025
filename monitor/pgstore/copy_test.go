package pgstore

import (
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"

	"codeberg.org/newswatch/newswatch/internal/pgtest"
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/store"
)

// An analyst's SQLite database copied into the team database reads the
// same there: feeds, topics, the timeline of stories with their reports
// and matches, what they read and starred, their alert history; search
// finds the stories. Copying it again (or a colleague's database with
// the same stories) joins what is there instead of storing it twice, and
// the analyst's matches are not announced again.
func TestCopyFromSQLite(t *testing.T) {
	ctx := t.Context()
	news := &newsServer{items: map[int][]string{}, gets: map[int]int{}}
	srv := httptest.NewServer(news)
	defer srv.Close()
	dir := filepath.Join(t.TempDir(), "data")
	lite, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	svc := monitor.New(monitor.Config{Store: lite})
	defer svc.Close()
	titles := []string{"Ukraine: Waffenruhe in Odessa", "Außenminister Lawrow in Genf", "Gaspreis steigt in Europa",
		"Wetter: Schnee im Harz", "Drohnenangriff auf Kiew, die Ukraine meldet Verletzte", "Bahnstreik legt Fernverkehr lahm",
		"Lawrow trifft Wang Yi in Peking", "Ukraine: Getreideabkommen verlängert"}
	for i := range 3 {
		for j, title := range titles {
			if (i+j)%2 == 0 {
				news.add(i, fmt.Sprintf("%s (%d)", title, i))
			}
		}
		if _, err := svc.AddFeed(ctx, fmt.Sprintf("%s/%d.xml", srv.URL, i), monitor.AddFeedOptions{Name: fmt.Sprintf("Quelle %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{"Ukraine", "Gas OR Lawrow"} {
		if _, err := svc.AddTopic(ctx, monitor.Topic{Name: q, Enabled: true, Notify: true}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.Check(ctx, monitor.CheckOptions{}); err != nil {
		t.Fatal(err)
	}
	news.add(0, "Ukraine: Parlament tagt in Kiew")
	news.add(1, "Gaspreis fällt wieder")
	if _, err := svc.Check(ctx, monitor.CheckOptions{}); err != nil {
		t.Fatal(err)
	}
	want, err := svc.Timeline(ctx, monitor.Filter{})
	if err != nil || len(want) < 3 {
		t.Fatalf("the SQLite timeline: %d stories, %v", len(want), err)
	}
	ids := func(es []monitor.TimelineEntry) []int64 {
		out := make([]int64, len(es))
		for i, e := range es {
			out[i] = e.StoryID
		}
		return out
	}
	liteStories, _ := svc.Stories(ctx, ids(want))
	if err := svc.SetRead(ctx, ids(want[:1]), true); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetStarred(ctx, ids(want[1:2]), true); err != nil {
		t.Fatal(err)
	}
	history, _ := svc.AlertHistory(ctx, monitor.AlertFilter{})
	liteMatches, _ := svc.Matches(ctx, monitor.Filter{})
	if len(history) == 0 || len(liteMatches) == 0 {
		t.Fatalf("the SQLite database has %d alerts and %d matches to copy", len(history), len(liteMatches))
	}

	url := pgtest.URL(t)
	team := openTest(t, url, "alice")
	st, err := team.CopyFromSQLite(ctx, lite.DB(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Feeds != 3 || st.Topics != 2 || st.Articles == 0 || st.Joined != 0 || st.Matches != len(liteMatches) || st.Alerts != len(history) {
		t.Errorf("copied %+v; want 3 feeds, 2 topics, %d matches, %d alerts", st, len(liteMatches), len(history))
	}
	got, _ := team.Timeline(ctx, monitor.Filter{})
	if len(got) != len(want) {
		t.Fatalf("the team timeline has %d stories, want %d", len(got), len(want))
	}
	teamStories, _ := team.Stories(ctx, ids(got))
	for i, s := range teamStories {
		l := liteStories[i]
		if s.Report.Article.Title != l.Report.Article.Title || len(s.Reports) != len(l.Reports) || s.Sources != l.Sources ||
			len(s.Topics) != len(l.Topics) || !s.LastSeen.Equal(l.LastSeen) {
			t.Errorf("story %d: %q with %d reports, %d sources, %d topics; want %q with %d, %d, %d", i, s.Report.Article.Title,
				len(s.Reports), s.Sources, len(s.Topics), l.Report.Article.Title, len(l.Reports), l.Sources, len(l.Topics))
		}
		if s.Read != (i < 1) || s.Starred != (i == 1) {
			t.Errorf("story %d: read %v, starred %v", i, s.Read, s.Starred)
		}
	}
	if h, _ := team.AlertHistory(ctx, monitor.AlertFilter{}); len(h) != len(history) || len(h) > 0 && h[0].Title.String() != history[0].Title.String() {
		t.Errorf("alert history: %d entries, want %d", len(h), len(history))
	}
	if found, _ := team.Timeline(ctx, monitor.Filter{Search: "aussenminister"}); len(found) != 1 {
		t.Errorf("search after the copy: %v", found)
	}
	if claimed, _ := team.ClaimAlerts(ctx, got[0].Published); len(claimed.Matches) != 0 {
		t.Errorf("the copied matches were announced again: %d", len(claimed.Matches))
	}
	bob := openTest(t, url, "bob")
	if c, _ := bob.Counts(ctx); c.Unread != len(want) || c.Starred != 0 {
		t.Errorf("bob's counts after alice's copy: %+v", c)
	}
	// Again: everything is joined.
	again, err := team.CopyFromSQLite(ctx, lite.DB(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.Articles != 0 || again.Stories != 0 || again.Matches != 0 || again.Feeds != 0 || again.Topics != 0 ||
		again.Alerts != 0 || again.Joined != st.Articles {
		t.Errorf("copied again: %+v", again)
	}
	if h, _ := team.AlertHistory(ctx, monitor.AlertFilter{}); len(h) != len(history) {
		t.Errorf("alert history after the second copy: %d entries, want %d", len(h), len(history))
	}
	if c, _ := team.Counts(ctx); c.Starred != 1 {
		t.Errorf("alice's counts after the second copy: %+v", c)
	}
	if got2, _ := team.Timeline(ctx, monitor.Filter{}); !slices.Equal(ids(got2), ids(got)) {
		t.Errorf("the timeline changed with the second copy: %v, was %v", ids(got2), ids(got))
	}
	// The team's pollers go on from the copy: a new story of a copied
	// story's feed joins nothing twice.
	poller := monitor.New(monitor.Config{Store: openTest(t, url, "poller"), NoAlerts: true})
	ev, err := poller.Check(ctx, monitor.CheckOptions{})
	if err != nil || ev.NewArticles != 0 || ev.Failed() != 0 {
		t.Errorf("a check after the copy: %d new articles, %d failed, %v", ev.NewArticles, ev.Failed(), err)
	}
}
