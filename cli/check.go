package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/inert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

func checkCmd(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	return func(c *cmdCtx, args []string) error {
		if len(args) != 0 {
			return usagef("check takes no arguments")
		}
		feeds, err := c.svc.Feeds(c.ctx)
		if err != nil {
			return err
		}
		if len(feeds) == 0 {
			fmt.Fprintln(c.out, "No feeds to check. Add one with: newswatch feeds add URL")
			return nil
		}
		ev, err := c.svc.Check(c.ctx, monitor.CheckOptions{})
		printMatches(c.out, ev)
		printAlerts(c.out, ev.Alerts, c.now())
		printSummary(c.out, ev)
		return err
	}
}

func runCmd(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	return func(c *cmdCtx, args []string) error {
		if len(args) != 0 {
			return usagef("run takes no arguments")
		}
		st, err := c.svc.Settings(c.ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.out, "Newswatch %s is checking your feeds (%s); press Ctrl+C to stop.\n", monitor.Version, st.Schedule)
		var mu sync.Mutex // events of overlapping cycles print whole
		cancel := c.svc.Subscribe(func(e monitor.Event) {
			ev := e.Cycle
			if ev == nil {
				if len(e.Alerts) > 0 { // summaries that came due
					mu.Lock()
					printAlerts(c.out, e.Alerts, c.now())
					mu.Unlock()
				}
				return
			}
			mu.Lock()
			defer mu.Unlock()
			printMatches(c.out, *ev)
			printAlerts(c.out, ev.Alerts, c.now())
			switch {
			case ev.Pages != nil:
				printPages(c.out, *ev)
			case len(ev.Feeds) > 0 || len(ev.Matches) > 0 || len(ev.Developing) > 0:
				printSummary(c.out, *ev)
			}
		})
		defer cancel()
		err = c.svc.Run(c.ctx)
		fmt.Fprintln(c.out, "Stopped.")
		return err
	}
}

// printMatches prints each match: topic and feed, title, link; a
// further report of a story already announced for the topic says so;
// then each story found developing. Feed text is made inert for the
// terminal.
func printMatches(w io.Writer, ev monitor.CycleEvent) {
	type pair struct{ story, topic int64 }
	first := map[pair]bool{}
	for _, m := range ev.NewStories {
		first[pair{m.Article.StoryID, m.TopicID}] = true
	}
	for _, m := range ev.Matches {
		fmt.Fprintf(w, "[%s] %s — %s\n", inert.Text(m.TopicName), inert.Text(m.Article.FeedName), inert.Text(m.Article.Title))
		if m.Article.Link != "" {
			fmt.Fprintf(w, "    %s\n", inert.Text(m.Article.Link))
		}
		if p := (pair{m.Article.StoryID, m.TopicID}); p.story != 0 && !first[p] {
			fmt.Fprintf(w, "    (another report of story %d)\n", p.story)
		}
	}
	for _, d := range ev.Developing {
		fmt.Fprintf(w, "Developing [%s]: %s — %d sources in %s (story %d)\n", inert.Text(d.TopicName), inert.Text(d.Headline), d.Sources,
			spanText(d.Span), d.StoryID)
	}
}

// spanText is a developing story's span: "95 min", "2 h 5 min".
func spanText(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	if m < 60 {
		return fmt.Sprintf("%d min", m)
	}
	if m%60 == 0 {
		return fmt.Sprintf("%d h", m/60)
	}
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}

// newStoryCount is how many distinct stories the cycle announced (for
// any topic).
func newStoryCount(ev monitor.CycleEvent) int {
	seen := map[int64]bool{}
	for _, m := range ev.NewStories {
		seen[m.Article.StoryID] = true
	}
	return len(seen)
}

// printSummary prints one line about the cycle and one per failed feed.
func printSummary(w io.Writer, ev monitor.CycleEvent) {
	var checked, unchanged, failed, waiting int
	for _, r := range ev.Feeds {
		switch {
		case !r.Skipped.IsZero():
			waiting++
		case !r.Err.IsZero():
			failed++
			checked++
		case r.NotModified:
			unchanged++
			checked++
		default:
			checked++
		}
	}
	// Articles are what the feeds brought; matches what the topics
	// found in them; stories the events those matches announce for the
	// first time (a further report of a known story is a match, not a
	// new story).
	// The matches counted are the ones this process stored (a server of
	// a team database, run --no-alerts, claims none of them).
	stored := 0
	for _, r := range ev.Feeds {
		stored += r.NewMatches
	}
	parts := []string{
		plural(ev.NewArticles, "new article", "new articles"),
		plural(max(stored, len(ev.Matches)), "new match", "new matches"),
	}
	if len(ev.Matches) > 0 {
		parts = append(parts, plural(newStoryCount(ev), "new story", "new stories"))
	}
	if len(ev.Developing) > 0 {
		parts = append(parts, plural(len(ev.Developing), "developing story", "developing stories"))
	}
	if ev.Pages != nil {
		parts = append(parts, plural(ev.Pages.Read, "full text read", "full texts read"))
	}
	if unchanged > 0 {
		parts = append(parts, fmt.Sprintf("%d unchanged", unchanged))
	}
	if failed > 0 {
		parts = append(parts, plural(failed, "feed failed", "feeds failed"))
	}
	if waiting > 0 {
		parts = append(parts, plural(waiting, "feed waiting", "feeds waiting"))
	}
	took := ev.Finished.Sub(ev.Started).Round(100 * time.Millisecond)
	fmt.Fprintf(w, "%s: checked %s in %s: %s.\n", ev.Finished.Local().Format("15:04:05"),
		plural(checked, "feed", "feeds"), took, strings.Join(parts, ", "))
	for _, r := range ev.Feeds {
		switch {
		case !r.Skipped.IsZero():
			fmt.Fprintf(w, "  waiting  %s: %s.\n", r.Feed.DisplayName(), strings.TrimSuffix(inert.Text(r.Skipped.String()), "."))
		case !r.Err.IsZero():
			fmt.Fprintf(w, "  failed   %s: %s\n", r.Feed.DisplayName(), msg.Sentence(inert.Text(r.Err.String())))
		}
	}
	if ev.Pages != nil {
		printPageNotes(w, *ev.Pages)
	}
}

// printPages prints the second part of a cycle (the pages of new stories
// were read): one line, and one per feed whose pages were missed.
func printPages(w io.Writer, ev monitor.CycleEvent) {
	fmt.Fprintf(w, "%s: read %s: %s.\n", ev.Finished.Local().Format("15:04:05"),
		plural(ev.Pages.Read+ev.Pages.Missed, "article page", "article pages"), plural(len(ev.Matches), "new match", "new matches"))
	printPageNotes(w, *ev.Pages)
}

// printPageNotes prints each feed's note on its pages.
func printPageNotes(w io.Writer, r monitor.PageRound) {
	for _, fp := range r.Feeds {
		if !fp.Note.IsZero() {
			fmt.Fprintf(w, "  pages    %s: %s\n", fp.Feed.DisplayName(), msg.Sentence(inert.Text(fp.Note.String())))
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
