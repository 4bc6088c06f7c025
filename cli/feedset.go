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

// onOff reads "on" or "off" for the flag name.
func onOff(name, v string) (bool, error) {
	switch v {
	case "on", "yes", "true":
		return true, nil
	case "off", "no", "false":
		return false, nil
	}
	return false, usagef("--%s %q: use on or off", name, v)
}

// feedsSet changes a feed's settings: its name, schedule, whether the
// web pages of its new stories are read for their full text, and whether
// it raises coverage alerts (dead or silent).
func feedsSet(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	var name, schedule, fullText, coverage optString
	fs.Var(&name, "name", "name for the feed")
	fs.Var(&schedule, "schedule", "own cron schedule (\"\" for the global one)")
	fs.Var(&fullText, "full-text", "read the full articles: on, off or auto")
	fs.Var(&coverage, "coverage-alerts", "alert when the feed is dead or silent: on or off")
	return func(c *cmdCtx, args []string) error {
		if len(args) != 1 {
			return usagef("feeds set needs exactly one URL")
		}
		if !name.set && !schedule.set && !fullText.set && !coverage.set {
			return usagef("feeds set: say what to change (--name, --schedule, --full-text on|off|auto, --coverage-alerts on|off)")
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
		if coverage.set {
			on, err := onOff("coverage-alerts", coverage.value)
			if err != nil {
				return err
			}
			f.CoverageOff = !on
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
		if f, err = c.svc.FeedByURL(c.ctx, f.URL); err != nil {
			return err
		}
		fmt.Fprintf(c.out, "Saved %q (%s).\n", f.DisplayName(), inert.Text(f.URL))
		if fullText.set {
			fmt.Fprintln(c.out, f.FullTextState().String())
		}
		if coverage.set {
			fmt.Fprintln(c.out, coverageText(f))
		}
		return nil
	}
}

// coverageText says whether a feed raises coverage alerts.
func coverageText(f monitor.Feed) string {
	if f.CoverageOff {
		return "Coverage alerts are off: no alert when it is dead or silent."
	}
	return "Coverage alerts are on: an alert when it is dead or silent, a note when it is back."
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
