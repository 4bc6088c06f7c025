package cli

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
)

func exportCmd(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	format := fs.String("format", "csv", "csv or json")
	topic := fs.String("topic", "", "only this topic")
	since := fs.String("since", "", "only stories published since: a duration (24h, 7d) or a date")
	until := fs.String("until", "", "only stories published until this date (inclusive)")
	unread := fs.Bool("unread", false, "only unread stories")
	starred := fs.Bool("starred", false, "only starred stories")
	bom := fs.Bool("bom", false, "start the CSV with a UTF-8 byte-order mark (for Excel)")
	out := fs.String("o", "", "write to FILE instead of standard output")
	return func(c *cmdCtx, args []string) error {
		if len(args) != 0 {
			return usagef("export takes no arguments (use -o FILE)")
		}
		f, err := monitor.ParseExportFormat(*format)
		if err != nil {
			return usageError{err.Error()}
		}
		now := c.now()
		filter := monitor.Filter{Unread: *unread, Starred: *starred}
		if filter.Since, err = parseSince(*since, now); err != nil {
			return usageError{err.Error()}
		}
		if filter.Until, err = parseUntil(*until); err != nil {
			return usageError{err.Error()}
		}
		if *topic != "" {
			t, err := c.svc.TopicByName(c.ctx, *topic)
			if err != nil {
				return err
			}
			filter.TopicID = t.ID
		}
		var n int
		err = writeFile(c, *out, func(w io.Writer) error {
			n, err = c.svc.Export(c.ctx, w, monitor.ExportOptions{Format: f, Filter: filter, BOM: *bom})
			return err
		})
		if err == nil && *out != "" && *out != "-" {
			fmt.Fprintf(c.env.Stderr, "Wrote %s to %s.\n", plural(n, "match", "matches"), *out)
		}
		return err
	}
}

// parseSince reads "24h", "90m", "7d", "2w", a date (2006-01-02, local
// midnight) or an RFC 3339 time.
func parseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if n := len(s); n > 1 && (s[n-1] == 'd' || s[n-1] == 'w') {
		if v, err := strconv.Atoi(s[:n-1]); err == nil && v >= 0 {
			days := v
			if s[n-1] == 'w' {
				days *= 7
			}
			return now.AddDate(0, 0, -days), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	if t, err := parseDate(s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--since %q: use a duration like 24h or 7d, or a date like 2026-11-01", s)
}

// parseUntil reads a date (the whole day is included) or an RFC 3339 time.
func parseUntil(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, time.Local); err == nil {
		return t.AddDate(0, 0, 1), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--until %q: use a date like 2026-11-24 or a time like 2026-11-24T18:00:00Z", s)
}

func parseDate(s string) (time.Time, error) {
	if t, err := time.ParseInLocation("2006-01-02", s, time.Local); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

func settingsCmd(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	return func(c *cmdCtx, args []string) error {
		switch {
		case len(args) == 0:
			st, err := c.svc.Settings(c.ctx)
			if err != nil {
				return err
			}
			next := "?"
			if sched, err := monitor.ParseSchedule(st.Schedule); err == nil {
				next = when(sched.Next(c.now()), c.now())
			}
			fmt.Fprintf(c.out, "schedule       %s (next check %s)\nretention      %d days (unmatched stories)\n",
				st.Schedule, next, st.RetentionDays)
			printAlertSettings(c, st)
			fmt.Fprintf(c.out, "data           %s\n", c.dataDir)
			return nil
		case len(args) >= 2 && args[0] == "schedule":
			spec := strings.Join(args[1:], " ")
			if err := c.svc.SetSchedule(c.ctx, spec); err != nil {
				return err
			}
			fmt.Fprintf(c.out, "Feeds are now checked on the schedule %q.\n", spec)
			return nil
		case len(args) == 2 && args[0] == "retention":
			days, err := strconv.Atoi(strings.TrimSuffix(args[1], "d"))
			if err != nil {
				return usagef("retention needs a number of days, not %q", args[1])
			}
			if err := c.svc.SetRetentionDays(c.ctx, days); err != nil {
				return err
			}
			fmt.Fprintf(c.out, "Unmatched stories are now kept for %d days.\n", days)
			return nil
		}
		if ok, err := setAlertSetting(c, args); ok {
			return err
		}
		return usagef("settings takes no arguments, or one of: schedule SPEC, retention DAYS, notifications on|off, " +
			"pause on|off, quiet FROM-TO|on|off, dead-after DURATION")
	}
}
