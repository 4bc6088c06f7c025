package cli

import (
	"flag"
	"fmt"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/inert"
)

// optString is a flag that knows whether it was given.
type optString struct {
	value string
	set   bool
}

func (o *optString) String() string     { return o.value }
func (o *optString) Set(v string) error { o.value, o.set = v, true; return nil }

// feedsSet changes a feed's settings: its name, schedule and whether the
// web pages of its new stories are read for their full text.
func feedsSet(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	var name, schedule, fullText optString
	fs.Var(&name, "name", "name for the feed")
	fs.Var(&schedule, "schedule", "own cron schedule (\"\" for the global one)")
	fs.Var(&fullText, "full-text", "read the full articles: on, off or auto")
	return func(c *cmdCtx, args []string) error {
		if len(args) != 1 {
			return usagef("feeds set needs exactly one URL")
		}
		if !name.set && !schedule.set && !fullText.set {
			return usagef("feeds set: say what to change (--name, --schedule, --full-text on|off|auto)")
		}
		f, err := c.svc.FeedByURL(c.ctx, feedAddress(args[0]))
		if err != nil {
			return err
		}
		if fullText.set {
			mode, err := monitor.ParseFullTextMode(fullText.value)
			if err != nil {
				return usagef("%s", err.Error())
			}
			f.FullText = mode
		}
		if name.set {
			f.Name = name.value
		}
		if schedule.set {
			f.Schedule = schedule.value
		}
		if err := c.svc.UpdateFeed(c.ctx, f); err != nil {
			return err
		}
		f, err = c.svc.FeedByURL(c.ctx, f.URL)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.out, "Saved %q (%s).\n", f.DisplayName(), inert.Text(f.URL))
		if fullText.set {
			fmt.Fprintln(c.out, f.FullTextState().String())
		}
		return nil
	}
}

// fullTextColumn is the feed list's FULL TEXT column: the setting, and
// for automatic what it decided.
func fullTextColumn(f monitor.Feed) string {
	switch {
	case f.FullText != monitor.FullTextAuto:
		return f.FullText.String()
	case f.LastSuccess.IsZero():
		return "auto"
	case f.Teasers:
		return "auto (on)"
	}
	return "auto (off)"
}
