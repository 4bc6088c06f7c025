package cli

import (
	"strings"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
)

// The cycle's line counts the matches this process stored, also when it
// announces none of them (a team database's server, run --no-alerts), and
// the ones it announces that others stored (a desktop that leaves checking
// to the servers).
func TestSummaryCountsStoredMatches(t *testing.T) {
	at := time.Date(2026, 11, 30, 15, 0, 0, 0, time.Local)
	for _, c := range []struct {
		name string
		ev   monitor.CycleEvent
		want string
	}{
		{"server", monitor.CycleEvent{Started: at, Finished: at, NewArticles: 3,
			Feeds: []monitor.FeedResult{{NewMatches: 2}}}, "3 new articles, 2 new matches."},
		{"follower", monitor.CycleEvent{Started: at, Finished: at,
			Matches:    []monitor.Match{{TopicID: 1, Article: monitor.Article{StoryID: 7}}},
			NewStories: []monitor.Match{{TopicID: 1, Article: monitor.Article{StoryID: 7}}}}, "0 new articles, 1 new match, 1 new story."},
	} {
		var b strings.Builder
		printSummary(&b, c.ev)
		if !strings.Contains(b.String(), c.want) {
			t.Errorf("%s: %q, want it to say %q", c.name, b.String(), c.want)
		}
	}
}
