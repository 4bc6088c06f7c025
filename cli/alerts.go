package cli

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
	"codeberg.org/newswatch/newswatch/monitor/inert"
)

// alertsCmd lists the alert history: every alert decision, shown or held
// back (and why), as a table or CSV.
func alertsCmd(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	since := fs.String("since", "7d", "only alerts decided since: a duration (24h, 7d) or a date; \"all\" for every one")
	until := fs.String("until", "", "only alerts decided until this date (inclusive)")
	topic := fs.String("topic", "", "only this topic's alerts")
	kind := fs.String("kind", "", "only alerts of this kind: stories, backlog, developing, spike or coverage")
	limit := fs.Int("limit", 0, "at most this many, the newest")
	asCSV := fs.Bool("csv", false, "write CSV (safe to open in a spreadsheet) instead of a table")
	bom := fs.Bool("bom", false, "start the CSV with a UTF-8 byte-order mark (for Excel)")
	out := fs.String("o", "", "write to FILE instead of standard output")
	return func(c *cmdCtx, args []string) error {
		if len(args) != 0 {
			return usagef("alerts takes no arguments (to delete: newswatch alerts delete)")
		}
		f := monitor.AlertFilter{Limit: *limit}
		var err error
		if f.Since, err = parseSinceOrAll(*since, c.now()); err != nil {
			return usageError{err.Error()}
		}
		if f.Until, err = parseUntil(*until); err != nil {
			return usageError{err.Error()}
		}
		if *limit < 0 {
			return usagef("--limit must be 0 or more")
		}
		if *kind != "" {
			k, ok := alert.ParseKind(strings.TrimSpace(*kind))
			if !ok {
				return usagef("--kind %q: use stories, backlog, developing, spike or coverage", *kind)
			}
			f.Kinds = []alert.Kind{k}
		}
		if *topic != "" {
			t, err := c.svc.TopicByName(c.ctx, *topic)
			if err != nil {
				return err
			}
			f.TopicID = t.ID
		}
		if !*asCSV {
			if *out != "" || *bom {
				return usagef("-o and --bom go with --csv")
			}
			as, err := c.svc.AlertHistory(c.ctx, f)
			if err != nil {
				return err
			}
			return printAlertTable(c.out, as, c.now())
		}
		var n int
		err = writeFile(c, *out, func(w io.Writer) (err error) {
			n, err = c.svc.ExportAlerts(c.ctx, w, f, *bom)
			return err
		})
		if err == nil && *out != "" && *out != "-" {
			fmt.Fprintf(c.env.Stderr, "Wrote %s to %s.\n", plural(n, "alert", "alerts"), *out)
		}
		return err
	}
}

// alertsDelete deletes alerts from the history: by ID, or all decided
// before a date. Pending ones (a summary still to come) are kept.
func alertsDelete(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	before := fs.String("before", "", "delete every alert decided before this date (or duration ago: 30d)")
	return func(c *cmdCtx, args []string) error {
		var ids []int64
		switch {
		case *before != "" && len(args) > 0:
			return usagef("alerts delete takes IDs or --before DATE, not both")
		case *before != "":
			t, err := parseSince(*before, c.now())
			if err != nil {
				return usageError{strings.Replace(err.Error(), "--since", "--before", 1)}
			}
			as, err := c.svc.AlertHistory(c.ctx, monitor.AlertFilter{Until: t})
			if err != nil {
				return err
			}
			for _, a := range as {
				ids = append(ids, a.ID)
			}
		case len(args) == 0:
			return usagef("alerts delete needs alert IDs (from newswatch alerts) or --before DATE")
		default:
			for _, a := range args {
				id, err := strconv.ParseInt(a, 10, 64)
				if err != nil || id <= 0 {
					return usagef("%q is not an alert ID", a)
				}
				ids = append(ids, id)
			}
		}
		n, err := c.svc.DeleteAlerts(c.ctx, ids)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.out, "Deleted %s from the history.\n", plural(n, "alert", "alerts"))
		if kept := len(ids) - n; kept > 0 && *before != "" {
			fmt.Fprintf(c.out, "%s still waiting for a summary stayed.\n", plural(kept, "alert", "alerts"))
		}
		return nil
	}
}

// alertSubject is the topic or feed an alert is about.
func alertSubject(a monitor.Alert) string {
	if a.FeedName != "" {
		return a.FeedName
	}
	return a.TopicName
}

func printAlertTable(w io.Writer, as []monitor.Alert, now time.Time) error {
	if len(as) == 0 {
		fmt.Fprintln(w, "No alerts in that time.")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tWHEN\tKIND\tTOPIC/FEED\tOUTCOME\tALERT\tSTORIES")
	for _, a := range as {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, when(a.At, now), a.Kind.Message(), inert.Text(alertSubject(a)),
			inert.Text(a.Outcome(now).String()), inert.Text(a.Title.String()), storyIDs(a.Stories, " "))
	}
	return tw.Flush()
}

// storyIDs lists story IDs (the first 20 and how many more).
func storyIDs(ids []int64, sep string) string {
	var parts []string
	for i, id := range ids {
		if i == 20 && sep == " " {
			parts = append(parts, fmt.Sprintf("+%d", len(ids)-20))
			break
		}
		parts = append(parts, strconv.FormatInt(id, 10))
	}
	return strings.Join(parts, sep)
}

// printAlerts prints a cycle's (or a summary's) alert decisions, one a
// line: what was shown, held back or gathered for a summary.
func printAlerts(w io.Writer, as []monitor.Alert, now time.Time) {
	for _, a := range as {
		line := a.Title.String()
		if b := a.Body.String(); b != "" && a.Status == alert.Shown {
			line += ": " + strings.ReplaceAll(b, "\n", "; ")
		}
		fmt.Fprintf(w, "Alert (%s): %s\n", inert.Text(a.Outcome(now).String()), inert.Text(line))
	}
}
