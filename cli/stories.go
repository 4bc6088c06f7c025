package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/inert"
)

// storiesCmd lists the timeline's stories, newest first, with their
// reports and sources: `newswatch stories [--topic T] [--since D]
// [--limit N] [--json]`.
func storiesCmd(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	topic := fs.String("topic", "", "only stories of this topic")
	since := fs.String("since", "", "only stories with a report since: a duration (24h, 7d) or a date")
	limit := fs.Int("limit", 50, "at most this many stories (0: all)")
	asJSON := fs.Bool("json", false, "print JSON (for scripts)")
	return func(c *cmdCtx, args []string) error {
		if len(args) != 0 {
			return usagef("stories takes no arguments")
		}
		if *limit < 0 {
			return usagef("--limit must be 0 (all) or more, not %d", *limit)
		}
		var f monitor.Filter
		var err error
		if f.Since, err = parseSince(*since, c.now()); err != nil {
			return usageError{err.Error()}
		}
		if *topic != "" {
			t, err := c.svc.TopicByName(c.ctx, *topic)
			if err != nil {
				return err
			}
			f.TopicID = t.ID
		}
		f.Limit = *limit
		entries, err := c.svc.Timeline(c.ctx, f)
		if err != nil {
			return err
		}
		ids := make([]int64, len(entries))
		for i, e := range entries {
			ids[i] = e.StoryID
		}
		stories, err := c.svc.Stories(c.ctx, ids)
		if err != nil {
			return err
		}
		if *asJSON {
			// Every report of each: the story view's load.
			full := stories[:0:0]
			for _, st := range stories {
				st, err := c.svc.Story(c.ctx, st.ID)
				if errors.Is(err, monitor.ErrNotFound) {
					continue // deleted meanwhile
				}
				if err != nil {
					return err
				}
				full = append(full, st)
			}
			return printStoriesJSON(c, full)
		}
		if len(stories) == 0 {
			fmt.Fprintln(c.out, "No stories yet.")
			return nil
		}
		now := c.now()
		tw := tabwriter.NewWriter(c.out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "STORY\tSINCE\tLATEST\tREPORTS\tSOURCES\tTOPICS\tHEADLINE")
		for _, s := range stories {
			names := make([]string, len(s.Topics))
			for i, t := range s.Topics {
				names[i] = t.Name
			}
			sources := strconv.Itoa(s.Sources)
			if s.Updated {
				sources += fmt.Sprintf(" (+%d)", s.NewSources)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\t%s\n", s.ID, when(s.FirstSeen, now), when(s.LastSeen, now),
				s.ReportCount, sources, inert.Text(strings.Join(names, ", ")), inert.Text(oneLine(s.Article.Title)))
		}
		return tw.Flush()
	}
}

type jsonReport struct {
	Feed      string   `json:"feed"`
	Source    string   `json:"source"`
	Title     string   `json:"title"`
	Link      string   `json:"link"`
	Published string   `json:"published"`
	Topics    []string `json:"topics"`
}

type jsonStory struct {
	ID         int64        `json:"story"`
	Title      string       `json:"title"`
	FirstSeen  string       `json:"first_seen"`
	LastSeen   string       `json:"last_seen"`
	Sources    int          `json:"sources"`
	Topics     []string     `json:"topics"`
	Read       bool         `json:"read"`
	Starred    bool         `json:"starred"`
	Updated    bool         `json:"updated"`
	NewSources int          `json:"new_sources,omitempty"`
	Reports    []jsonReport `json:"reports"`
}

func printStoriesJSON(c *cmdCtx, stories []monitor.Story) error {
	out := make([]jsonStory, len(stories))
	for i, s := range stories {
		js := jsonStory{ID: s.ID, Title: s.Article.Title, FirstSeen: utc(s.FirstSeen), LastSeen: utc(s.LastSeen),
			Sources: s.Sources, Topics: []string{}, Read: s.Read, Starred: s.Starred, Updated: s.Updated,
			NewSources: s.NewSources, Reports: []jsonReport{}}
		for _, t := range s.Topics {
			js.Topics = append(js.Topics, t.Name)
		}
		for _, r := range s.Reports {
			jr := jsonReport{Feed: r.Article.FeedName, Source: r.Article.Source, Title: r.Article.Title,
				Link: r.Article.Link, Published: utc(r.Article.Published), Topics: []string{}}
			for _, t := range r.Topics {
				jr.Topics = append(jr.Topics, t.Name)
			}
			js.Reports = append(js.Reports, jr)
		}
		out[i] = js
	}
	enc := json.NewEncoder(c.out)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func utc(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// oneLine keeps a title on one line of the table.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// topicsEscalate sets when a topic's stories are announced as developing:
// `topics escalate NAME off`, or `topics escalate NAME SOURCES WITHIN`
// (e.g. 4 90m), or `topics escalate NAME default`.
func topicsEscalate(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	return func(c *cmdCtx, args []string) error {
		if len(args) != 2 && len(args) != 3 {
			return usagef("topics escalate needs a NAME and: off, default, or SOURCES WITHIN (e.g. 3 2h)")
		}
		t, err := c.svc.TopicByName(c.ctx, args[0])
		if err != nil {
			return err
		}
		switch {
		case len(args) == 2 && args[1] == "off":
			t.Escalation = monitor.Escalation{Off: true}
		case len(args) == 2 && args[1] == "default":
			t.Escalation = monitor.Escalation{}
		case len(args) == 3:
			n, err := strconv.Atoi(args[1])
			if err != nil {
				return usagef("SOURCES must be a number, not %q", args[1])
			}
			d, err := time.ParseDuration(args[2])
			if err != nil {
				return usagef("WITHIN must be a duration like 90m or 2h, not %q", args[2])
			}
			t.Escalation = monitor.Escalation{Sources: n, Within: d}
		default:
			return usagef("topics escalate NAME takes off, default, or SOURCES WITHIN (e.g. 3 2h)")
		}
		if err := c.svc.UpdateTopic(c.ctx, t); err != nil {
			return err
		}
		fmt.Fprintf(c.out, "Topic %q: %s.\n", t.Name, escalationText(t.Escalation))
		return nil
	}
}

// escalationText says a topic's escalation setting in words.
func escalationText(e monitor.Escalation) string {
	if e.Off {
		return "no developing alerts"
	}
	e = e.Effective()
	return fmt.Sprintf("developing at %d sources within %s", e.Sources, shortDuration(e.Within))
}

func shortDuration(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}
