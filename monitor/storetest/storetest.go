// Package storetest is the conformance suite of monitor.Store: the
// behaviour the engine relies on, written against the interface, so that
// every store gives the same answers. monitor/store runs it on SQLite,
// monitor/pgstore on PostgreSQL (when a server can be started):
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, storetest.Opener{New: func(t *testing.T) (monitor.Store, storetest.Reopen) { ... }})
//	}
//
// Stores shared by a team (monitor.TeamStore) also run the team's part:
// each user's own reading state and claims, personal topics, leases and
// live updates.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
)

// Reopen opens another handle on the same database, as another process
// would: for the same user ("") or, on a team store, for another one.
type Reopen func(t *testing.T, user string) monitor.Store

// Opener opens the stores of the suite. New opens a new, empty database;
// the stores it returns are closed when the test ends.
type Opener struct {
	New func(t *testing.T) (monitor.Store, Reopen)
}

// Run runs the suite.
func Run(t *testing.T, o Opener) {
	for _, c := range []struct {
		name string
		fn   func(t *testing.T, o Opener)
	}{
		{"FeedsAndTopics", testFeedsAndTopics},
		{"Settings", testSettings},
		{"FeedErrorMessage", testFeedErrorMessage},
		{"PolicyAndCoverage", testPolicyAndCoverage},
		{"SaveFetch", testSaveFetch},
		{"SameLinkOnceAcrossProcesses", testSameLinkAcrossProcesses},
		{"ReadingMarks", testReadingMarks},
		{"PruneKeepsMatchedAndListed", testPruneKeepsMatchedAndListed},
		{"Stories", testStories},
		{"StoryRowsAndView", testStoryRowsAndView},
		{"PruneKeepsStoriesRight", testPruneKeepsStoriesRight},
		{"StoryWindowSharedBetweenProcesses", testStoryWindowShared},
		{"Developing", testDeveloping},
		{"Timeline", testTimeline},
		{"Search", testSearch},
		{"ScanQuery", testScanQuery},
		{"AddMatches", testAddMatches},
		{"ClaimAlertsOnce", testClaimAlertsOnce},
		{"DecideAlertsOnceAcrossProcesses", testDecideAlertsOnce},
		{"AlertRecordsReadBack", testAlertRecords},
		{"TopicVolume", testTopicVolume},
		{"Pages", testPages},
		{"CloseWhileSaving", testCloseWhileSaving},
		{"EngineCycle", testEngineCycle},
	} {
		t.Run(c.name, func(t *testing.T) { c.fn(t, o) })
	}
	probe, _ := o.New(t)
	if _, ok := probe.(monitor.TeamStore); ok {
		t.Run("Team", func(t *testing.T) { runTeam(t, o) })
	}
}

var ctx = context.Background()

// base is a fixed time the fixtures count from.
var base = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// fixture is a store with a feed and a topic.
type fixture struct {
	s     monitor.Store
	re    Reopen
	feed  monitor.Feed
	topic monitor.Topic
}

func newFixture(t *testing.T, o Opener, now time.Time) *fixture {
	t.Helper()
	s, re := o.New(t)
	fx := &fixture{s: s, re: re}
	fx.feed = addFeed(t, s, "https://x.example/feed", now)
	fx.topic = addTopic(t, s, "Ukraine", "Ukraine", now.Add(-72*time.Hour))
	return fx
}

func addFeed(t *testing.T, s monitor.Store, url string, now time.Time) monitor.Feed {
	t.Helper()
	f := monitor.Feed{URL: url, Enabled: true, Added: now}
	if err := s.AddFeed(ctx, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func addTopic(t *testing.T, s monitor.Store, name, q string, created time.Time) monitor.Topic {
	t.Helper()
	tp := monitor.Topic{Name: name, Query: q, Enabled: true, Notify: true, Created: created}
	if err := s.AddTopic(ctx, &tp); err != nil {
		t.Fatal(err)
	}
	return tp
}

// saveMatches stores n new articles of the feed matching the topic,
// published a minute apart up to now, and returns what was stored.
func saveMatches(t *testing.T, s monitor.Store, f monitor.Feed, tp monitor.Topic, prefix string, n int, now time.Time, backlog bool) monitor.Saved {
	t.Helper()
	var arts []monitor.Article
	var ms []monitor.Match
	for i := range n {
		pub := now.Add(-time.Duration(i) * time.Minute)
		a := monitor.Article{FeedID: f.ID, FeedName: "X", Key: fmt.Sprintf("%s%d", prefix, i), Title: "Ukraine " + prefix,
			FirstSeen: now, Published: pub}
		arts = append(arts, a)
		ms = append(ms, monitor.Match{Article: a, TopicID: tp.ID, TopicName: tp.Name, MatchedAt: now})
	}
	f.LastFetch = now
	saved, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f, Articles: arts, Matches: ms, Backlog: backlog})
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

// save stores one fetch of the feed at at: the articles (their FeedID
// set), those whose keys are in matched matching the topic.
func save(t *testing.T, s monitor.Store, f monitor.Feed, tp monitor.Topic, at time.Time, arts []monitor.Article, matched ...string) monitor.Saved {
	t.Helper()
	f.LastFetch, f.LastSuccess = at, at
	r := monitor.FetchResult{Feed: f, Body: true}
	for _, a := range arts {
		a.FeedID = f.ID
		r.Articles = append(r.Articles, a)
		r.Listed = append(r.Listed, monitor.ItemRef{Key: a.Key, Link: a.Link})
		for _, k := range matched {
			if a.Key == k {
				r.Matches = append(r.Matches, monitor.Match{Article: a, TopicID: tp.ID, TopicName: tp.Name, MatchedAt: at})
			}
		}
	}
	saved, err := s.SaveFetch(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

// storyOfKey finds the story of a stored match by its article's key.
func storyOfKey(t *testing.T, saved monitor.Saved, key string) int64 {
	t.Helper()
	for _, m := range saved.Matches {
		if m.Article.Key == key {
			if m.Article.StoryID == 0 {
				t.Fatalf("the match of %s has no story", key)
			}
			return m.Article.StoryID
		}
	}
	t.Fatalf("no match of %s was stored", key)
	return 0
}

// timelineIDs is the story IDs of the timeline for the filter.
func timelineIDs(t *testing.T, s monitor.Store, f monitor.Filter) []int64 {
	t.Helper()
	es, err := s.Timeline(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(es))
	for i, e := range es {
		ids[i] = e.StoryID
	}
	return ids
}

// loadStory loads one story of the timeline with every report (Story),
// nil when it is not there; its light row (Stories) must agree.
func loadStory(t *testing.T, s monitor.Store, id int64) *monitor.Story {
	t.Helper()
	full, err := s.Story(ctx, id)
	rows, lerr := s.Stories(ctx, []int64{id})
	if lerr != nil {
		t.Fatal(lerr)
	}
	if errors.Is(err, monitor.ErrNotFound) {
		if len(rows) != 0 {
			t.Errorf("story %d: Story says it is not in the timeline, Stories has it", id)
		}
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("story %d: Story has it, Stories gives %d rows", id, len(rows))
	}
	row := rows[0]
	if row.ReportCount != len(full.Reports) || full.ReportCount != len(full.Reports) || row.Sources != full.Sources ||
		row.Report.Article.ID != full.Report.Article.ID || len(row.Topics) != len(full.Topics) || row.Read != full.Read {
		t.Errorf("story %d: the row (%d reports, %d sources, lead %d, %d topics, read %v) is not the story (%d reports, %d sources, lead %d, %d topics, read %v)",
			id, row.ReportCount, row.Sources, row.Report.Article.ID, len(row.Topics), row.Read,
			len(full.Reports), full.Sources, full.Report.Article.ID, len(full.Topics), full.Read)
	}
	if len(row.Reports) != 0 {
		t.Errorf("story %d: Stories loaded its %d reports (a row is light)", id, len(row.Reports))
	}
	return &full
}

// agency is an agency text two outlets carry nearly word for word.
const agency = "Bei einem Brand in einer Lagerhalle im Hamburger Hafen sind in der Nacht zwei Feuerwehrleute verletzt worden. " +
	"Die Halle mit Kaffeesäcken brannte vollständig aus, teilte die Feuerwehr Hamburg am Morgen mit. " +
	"Mehr als 150 Einsatzkräfte waren stundenlang im Einsatz, die Brandursache ist noch unklar."

func article(key, host, title, summary string, at time.Time) monitor.Article {
	return monitor.Article{Key: key, Link: "https://www." + host + "/" + key, Title: title, Summary: summary,
		Published: at, PublishedKnown: true, FirstSeen: at, FeedName: host}
}
