package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/inert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

var topicCommands = map[string]subcommand{
	"add": topicsAdd, "list": topicsList, "remove": topicsRemove, "test": topicsTest, "apply": topicsApply,
	"escalate": topicsEscalate, "set": topicsSet,
}

func topicsAdd(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	quiet := fs.Bool("no-notify", false, "store matches without desktop notifications")
	personal := fs.Bool("personal", false, "a topic of your own in a team database: only you see it and are alerted")
	return func(c *cmdCtx, args []string) error {
		if len(args) == 0 {
			return usagef("topics add needs a NAME (and optionally a QUERY)")
		}
		name, query := args[0], strings.Join(args[1:], " ")
		var owner string
		if *personal {
			owner = cmpOr(c.svc.User(), "-") // on a database of one user: refused
		}
		t, err := c.svc.AddTopic(c.ctx, monitor.Topic{Name: name, Query: query, Enabled: true, Notify: !*quiet, Owner: owner})
		if err != nil {
			return err
		}
		fmt.Fprintf(c.out, "Added topic %q with query: %s\n", t.Name, t.Query)
		if bt, err := c.svc.Backtest(c.ctx, t.Query, monitor.BacktestOptions{Limit: 1}); err == nil && bt.Total > 0 {
			fmt.Fprintf(c.out, "%s already stored match it; to add them to the timeline (without alerts) run:\n    newswatch topics apply %s\n",
				plural(bt.Total, "story", "stories"), shellQuote(t.Name))
		}
		return nil
	}
}

func topicsList(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	return func(c *cmdCtx, args []string) error {
		if len(args) != 0 {
			return usagef("topics list takes no arguments")
		}
		topics, err := c.svc.Topics(c.ctx)
		if err != nil {
			return err
		}
		if len(topics) == 0 {
			fmt.Fprintln(c.out, "No topics yet. Add one with: newswatch topics add NAME [QUERY]")
			return nil
		}
		tw := tabwriter.NewWriter(c.out, 0, 0, 2, ' ', 0)
		if c.svc.User() != "" { // a team database: whose topic it is
			fmt.Fprintln(tw, "TOPIC\tOF\tQUERY\tSTATE\tESCALATION\tALERTS")
			for _, t := range topics {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.Name, cmpOr(t.Owner, "team"), t.Query, t.State(),
					escalationText(t.Escalation), policyText(t.Policy))
			}
			return tw.Flush()
		}
		fmt.Fprintln(tw, "TOPIC\tQUERY\tSTATE\tESCALATION\tALERTS")
		for _, t := range topics {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.Name, t.Query, t.State(), escalationText(t.Escalation), policyText(t.Policy))
		}
		return tw.Flush()
	}
}

func topicsRemove(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	return func(c *cmdCtx, args []string) error {
		if len(args) != 1 {
			return usagef("topics remove needs exactly one NAME")
		}
		t, err := c.svc.TopicByName(c.ctx, args[0])
		if err != nil {
			return err
		}
		if err := c.svc.RemoveTopic(c.ctx, t.ID); err != nil {
			return err
		}
		fmt.Fprintf(c.out, "Removed topic %q and its matches.\n", t.Name)
		return nil
	}
}

func topicsTest(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	since := fs.String("since", "30d", "only stories published since: a duration (30d, 24h) or a date; \"all\" for every stored story")
	limit := fs.Int("limit", 10, "show this many of the newest matches")
	return func(c *cmdCtx, args []string) error {
		if len(args) == 0 {
			return usagef("topics test needs a QUERY")
		}
		q := strings.Join(args, " ")
		from, err := parseSinceOrAll(*since, c.now())
		if err != nil {
			return usageError{err.Error()}
		}
		if *limit < 0 {
			return usagef("--limit must be 0 or more")
		}
		bt, err := c.svc.Backtest(c.ctx, q, monitor.BacktestOptions{Since: from, Limit: max(*limit, 1)})
		if err != nil {
			return err
		}
		period := "among all stored stories"
		if !from.IsZero() {
			period = "since " + msg.DateTime(from).String()
			if strings.HasSuffix(*since, "d") {
				period = "in the last " + strings.TrimSuffix(*since, "d") + " days"
			}
		}
		fmt.Fprintf(c.out, "%s would have matched %s.\n", plural(bt.Total, "story", "stories"), period)
		shown := bt.Newest
		if len(shown) > *limit {
			shown = shown[:*limit]
		}
		if len(shown) > 0 {
			fmt.Fprintln(c.out, "Newest:")
		}
		for _, r := range shown {
			printHighlighted(c.out, &r, c.now())
		}
		return nil
	}
}

// printHighlighted prints a report with its matched words in brackets:
// the title, and a snippet when the hits are elsewhere.
func printHighlighted(w io.Writer, r *monitor.Report, now time.Time) {
	a := &r.Article
	fmt.Fprintf(w, "  %s  %s — %s\n", when(a.Published, now), inert.Text(a.FeedName), inert.Text(r.Title().Mark("[", "]")))
	if r.HitsBeyondTitle() {
		s := r.Snippet(160)
		fmt.Fprintf(w, "      %s: %s\n", s.Field, inert.Text(s.Mark("[", "]")))
	}
}

func topicsApply(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	since := fs.String("since", "all", "only stories published since: a duration (30d) or a date; \"all\" for every stored story")
	return func(c *cmdCtx, args []string) error {
		if len(args) != 1 {
			return usagef("topics apply needs exactly one topic NAME")
		}
		from, err := parseSinceOrAll(*since, c.now())
		if err != nil {
			return usageError{err.Error()}
		}
		t, err := c.svc.TopicByName(c.ctx, args[0])
		if err != nil {
			return err
		}
		n, err := c.svc.ApplyTopic(c.ctx, t.ID, from)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.out, "Added %s to topic %q (no alerts for them).\n", plural(n, "past story", "past stories"), t.Name)
		return nil
	}
}

func parseSinceOrAll(s string, now time.Time) (time.Time, error) {
	if s == "all" || s == "" {
		return time.Time{}, nil
	}
	return parseSince(s, now)
}

// shellQuote quotes a name for a command line when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
