package cli

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
)

// TeamOptions choose the store and say how the engine works on a team
// database (see monitor's team.go).
type TeamOptions struct {
	// Store is --store (a postgres:// URL; "" the data directory's own
	// database, unless $NEWSWATCH_STORE or the data directory's team
	// setting names one: see Resolve).
	Store string
	// User is --user, the analyst in the team database ("" the system's
	// user name, or $NEWSWATCH_USER).
	User string
	// MineOnly is --my-topics: only the user's personal topics are shown.
	MineOnly bool
	// NoPolling is --no-poll (the desktop app and run): the team's
	// servers check the feeds; NoAlerts is run --no-alerts: a server
	// that claims no one's alerts.
	NoPolling, NoAlerts bool
	// LeaseTimeout is run --lease-timeout.
	LeaseTimeout time.Duration
}

// Resolve fills in what the command line left open: the store and user
// from the environment, else from the data directory's team setting.
func (o TeamOptions) Resolve(dataDir string) (TeamOptions, error) {
	if o.Store == "" {
		o.Store = os.Getenv(monitor.StoreEnv)
	}
	if o.User == "" {
		o.User = os.Getenv(monitor.UserEnv)
	}
	if o.Store == "" && dataDir != "" {
		c, err := monitor.LoadTeamConfig(dataDir)
		if err != nil {
			return o, err
		}
		if c.Store != "" {
			o.Store = c.Store
			o.User = cmpOr(o.User, c.User)
			o.NoPolling = o.NoPolling || c.NoPolling
			o.MineOnly = o.MineOnly || c.MineOnly
		}
	}
	if o.Store != "" {
		return o, monitor.ValidateStoreURL(o.Store)
	}
	return o, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// globalOption reads a team option given before the subcommand; ok is
// false when args[0] is none of them.
func (cmd *Command) globalOption(args []string) (rest []string, ok bool, err error) {
	a := args[0]
	name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
	switch name {
	case "store", "user":
		if !hasValue {
			if len(args) < 2 {
				return nil, true, usagef("--%s needs a value", name)
			}
			value, args = args[1], args[1:]
		}
		if name == "store" {
			cmd.Team.Store = value
		} else {
			cmd.Team.User = value
		}
		return args[1:], true, nil
	case "my-topics":
		cmd.Team.MineOnly = true
		return args[1:], true, nil
	case "no-poll":
		cmd.Team.NoPolling = true
		return args[1:], true, nil
	}
	return nil, false, nil
}

// teamFlags declares the team options every subcommand takes.
func (cmd *Command) teamFlags(fs *flag.FlagSet) {
	fs.StringVar(&cmd.Team.Store, "store", cmd.Team.Store, "team database (postgres://…)")
	fs.StringVar(&cmd.Team.User, "user", cmd.Team.User, "user in the team database")
	fs.BoolVar(&cmd.Team.MineOnly, "my-topics", cmd.Team.MineOnly, "only my personal topics")
}

// runFlags declares run's own options.
func (cmd *Command) runFlags(fs *flag.FlagSet) {
	fs.BoolVar(&cmd.Team.NoPolling, "no-poll", cmd.Team.NoPolling, "leave checking the feeds to the team's servers")
	fs.BoolVar(&cmd.Team.NoAlerts, "no-alerts", false, "claim no alerts (a server polling for the team)")
	fs.DurationVar(&cmd.Team.LeaseTimeout, "lease-timeout", 0, "how long a poller not seen keeps its feeds")
}

// teamCmd shows or changes the data directory's team database setting.
func teamCmd(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	noPoll := fs.Bool("no-poll", false, "leave checking the feeds to the team's servers")
	return func(c *cmdCtx, args []string) error {
		current, err := monitor.LoadTeamConfig(c.dataDir)
		if err != nil {
			return err
		}
		switch {
		case len(args) == 0:
			if current.Store == "" {
				fmt.Fprintf(c.out, "No team database: Newswatch uses its own database in %s.\n", c.dataDir)
				return nil
			}
			fmt.Fprintf(c.out, "Team database: %s\nUser: %s\nPolling: %s\nTopics shown: %s\n", monitor.RedactURL(current.Store),
				cmpOr(current.User, "(the system's user name)"), map[bool]string{true: "left to the team's servers", false: "this computer checks feeds too"}[current.NoPolling],
				map[bool]string{true: "only my personal topics", false: "the team's and mine"}[current.MineOnly])
			return nil
		case args[0] == "off" && len(args) == 1:
			if err := monitor.SaveTeamConfig(c.dataDir, monitor.TeamConfig{}); err != nil {
				return err
			}
			fmt.Fprintf(c.out, "Newswatch uses its own database in %s again (from its next start).\n", c.dataDir)
			return nil
		case args[0] == "set" && len(args) == 2:
			cfg := monitor.TeamConfig{Store: args[1], User: c.team.User, NoPolling: *noPoll, MineOnly: c.team.MineOnly}
			if err := monitor.SaveTeamConfig(c.dataDir, cfg); err != nil {
				return err
			}
			fmt.Fprintf(c.out, "Newswatch uses the team database %s from its next start.\n", monitor.RedactURL(cfg.Store))
			return nil
		}
		return usagef("team: use team, team set postgres://HOST/DATABASE [--user NAME] [--no-poll] [--my-topics], or team off")
	}
}
