package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/inert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// feedAddress turns a relative file path into an absolute one; URLs pass.
func feedAddress(arg string) string {
	if strings.Contains(arg, "://") || filepath.IsAbs(arg) {
		return arg
	}
	if _, err := os.Stat(arg); err == nil {
		if abs, err := filepath.Abs(arg); err == nil {
			return abs
		}
	}
	return arg
}

func feedsAdd(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	name := fs.String("name", "", "name for the feed")
	schedule := fs.String("schedule", "", "own cron schedule")
	noCheck := fs.Bool("no-check", false, "add without fetching the feed once")
	return func(c *cmdCtx, args []string) error {
		if len(args) != 1 {
			return usagef("feeds add needs exactly one URL")
		}
		f, err := c.svc.AddFeed(c.ctx, feedAddress(args[0]),
			monitor.AddFeedOptions{Name: *name, Schedule: *schedule, Probe: !*noCheck})
		if err != nil {
			return err
		}
		fmt.Fprintf(c.out, "Added %q (%s).\n", f.DisplayName(), inert.Text(f.URL))
		if !*noCheck {
			switch f.ItemCount {
			case 0:
				fmt.Fprintln(c.out, "The feed lists no stories now.")
			case 1:
				fmt.Fprintln(c.out, "The feed lists 1 story now; it is stored at the next check.")
			default:
				fmt.Fprintf(c.out, "The feed lists %d stories now; they are stored at the next check.\n", f.ItemCount)
			}
		}
		fmt.Fprintf(c.out, "Next check: %s.\n", when(c.svc.NextRun(c.ctx, f), c.now()))
		return nil
	}
}

func (c *cmdCtx) now() time.Time {
	if c.env.Now != nil {
		return c.env.Now()
	}
	return time.Now()
}

func feedsList(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	return func(c *cmdCtx, args []string) error {
		if len(args) != 0 {
			return usagef("feeds list takes no arguments")
		}
		feeds, err := c.svc.Feeds(c.ctx)
		if err != nil {
			return err
		}
		if len(feeds) == 0 {
			fmt.Fprintln(c.out, "No feeds yet. Add one with: newswatch feeds add URL")
			return nil
		}
		st, err := c.svc.Settings(c.ctx)
		if err != nil {
			return err
		}
		now := c.now()
		tw := tabwriter.NewWriter(c.out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "\tFEED\tSCHEDULE\tITEMS\tFULL TEXT\tLAST SUCCESS\tNEXT CHECK\tURL")
		for _, f := range feeds {
			mark, next := "ok", when(c.svc.NextRun(c.ctx, f), now)
			switch {
			case f.Gone:
				mark, next = "GONE", "-"
			case !f.Enabled:
				mark, next = "off", "-"
			case !f.LastError.IsZero():
				mark = "FAIL"
			case f.LastFetch.IsZero():
				mark = "new"
			}
			sched := f.Schedule
			if sched == "" {
				sched = st.Schedule + " (global)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", mark, f.DisplayName(), sched, f.ItemCount,
				fullTextColumn(f), when(f.LastSuccess, now), next, inert.Text(f.URL))
		}
		tw.Flush()
		for _, f := range feeds {
			if cov := f.CoverageState(now); !cov.IsZero() {
				fmt.Fprintf(c.out, "\n%s is %s (coverage alert).\n", f.DisplayName(), inert.Text(cov.String()))
			}
			if !f.LastError.IsZero() {
				fmt.Fprintf(c.out, "\n%s: %s", f.DisplayName(), inert.Text(f.LastError.String()))
				if f.Failures > 1 {
					fmt.Fprintf(c.out, " (%d failures in a row)", f.Failures)
				}
				fmt.Fprintln(c.out)
			}
			if !f.PagesNote.IsZero() {
				fmt.Fprintf(c.out, "\n%s: %s\n", f.DisplayName(), msg.Sentence(inert.Text(f.PagesNote.String())))
			}
		}
		return nil
	}
}

func feedsRemove(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	return func(c *cmdCtx, args []string) error {
		if len(args) != 1 {
			return usagef("feeds remove needs exactly one URL")
		}
		f, err := c.svc.FeedByURL(c.ctx, feedAddress(args[0]))
		if err != nil {
			return err
		}
		if err := c.svc.RemoveFeed(c.ctx, f.ID); err != nil {
			return err
		}
		fmt.Fprintf(c.out, "Removed %q; its matched stories stay in the timeline.\n", f.DisplayName())
		return nil
	}
}

func feedsImport(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	return func(c *cmdCtx, args []string) error {
		if len(args) != 1 {
			return usagef("feeds import needs exactly one OPML file")
		}
		fh, err := os.Open(args[0])
		if err != nil {
			return fmt.Errorf("cannot read %s: %w", args[0], msg.Cause(err))
		}
		defer fh.Close()
		res, err := c.svc.ImportOPML(c.ctx, fh)
		if err != nil {
			return fmt.Errorf("%s: %w", args[0], err)
		}
		fmt.Fprintf(c.out, "Imported %d feeds", len(res.Added))
		if len(res.Skipped) > 0 {
			fmt.Fprintf(c.out, "; %d were already there", len(res.Skipped))
		}
		fmt.Fprintln(c.out, ".")
		for _, r := range res.Refused {
			fmt.Fprintf(c.out, "Refused %s\n", inert.Text(r.String()))
		}
		return nil
	}
}

func feedsExport(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	out := fs.String("o", "", "write to FILE instead of standard output")
	return func(c *cmdCtx, args []string) error {
		if len(args) != 0 {
			return usagef("feeds export takes no arguments (use -o FILE)")
		}
		var n int
		err := writeFile(c, *out, func(w io.Writer) (err error) {
			n, err = c.svc.ExportOPML(c.ctx, w)
			return err
		})
		if err == nil && *out != "" && *out != "-" {
			fmt.Fprintf(c.env.Stderr, "Wrote %d feeds to %s.\n", n, *out)
		}
		return err
	}
}
