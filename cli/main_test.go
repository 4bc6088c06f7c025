package cli

import (
	"context"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/pgstore"
	"codeberg.org/newswatch/newswatch/monitor/store"
)

// Run is what cmd/newswatch does for a subcommand: parse, open the data
// directory's store, build the engine, run, close; it returns the exit
// status. (The desktop app is not started here.)
func Run(args []string, env Env) int {
	cmd, err := Parse(args)
	if err != nil || !cmd.NeedsData {
		if err == nil {
			err = cmd.Run(nil, "", env)
		}
		return ExitCode(err, env)
	}
	if env.Context == nil {
		env.Context = context.Background()
	}
	dir, err := monitor.DataDir(cmd.DataFlag)
	if err != nil {
		return ExitCode(err, env)
	}
	if cmd.DirOnly {
		return ExitCode(cmd.Run(nil, dir, env), env)
	}
	team, err := cmd.Team.Resolve(dir)
	if err != nil {
		return ExitCode(err, env)
	}
	var st monitor.Store
	if team.Store != "" {
		st, err = pgstore.Open(env.Context, team.Store, pgstore.Options{User: team.User, MineOnly: team.MineOnly})
	} else {
		st, err = store.Open(dir)
	}
	if err != nil {
		return ExitCode(err, env)
	}
	svc := monitor.New(monitor.Config{Store: st, Now: env.Now, NoPolling: team.NoPolling, NoAlerts: team.NoAlerts,
		LeaseTimeout: team.LeaseTimeout})
	if cmd.Desktop {
		err = errNoDesktop
	} else {
		err = cmd.Run(svc, dir, env)
	}
	if cerr := svc.Close(); err == nil {
		err = cerr
	}
	return ExitCode(err, env)
}

var errNoDesktop = usageError{"the tests start no desktop app"}
