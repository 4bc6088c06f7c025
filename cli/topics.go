package cli

import (
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"codeberg.org/newswatch/newswatch/monitor"
)

var topicCommands = map[string]subcommand{
	"add": topicsAdd, "list": topicsList, "remove": topicsRemove,
}

func topicsAdd(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	quiet := fs.Bool("no-notify", false, "store matches without desktop notifications")
	return func(c *cmdCtx, args []string) error {
		if len(args) == 0 {
			return usagef("topics add needs a NAME (and optionally a QUERY)")
		}
		name, query := args[0], strings.Join(args[1:], " ")
		t, err := c.svc.AddTopic(c.ctx, monitor.Topic{Name: name, Query: query, Enabled: true, Notify: !*quiet})
		if err != nil {
			return err
		}
		fmt.Fprintf(c.out, "Added topic %q with query: %s\n", t.Name, t.Query)
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
		fmt.Fprintln(tw, "TOPIC\tQUERY\tSTATE")
		for _, t := range topics {
			state := "on"
			if !t.Enabled {
				state = "off"
			} else if !t.Notify {
				state = "on, no notifications"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", t.Name, t.Query, state)
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
