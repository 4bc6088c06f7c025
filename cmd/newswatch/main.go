// Command newswatch is the Newswatch desktop news monitor. Without a
// subcommand it opens the desktop app; with one (feeds, topics, check,
// run, export, settings) it works headless. See `newswatch help`.
//
// Start-up reads top to bottom: parse the command line (cli.Parse), open
// the data directory's store, build the engine, then start the desktop app
// (desktop.go) or run the subcommand; on the way out the engine is closed
// once its running checks have ended.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	_ "codeberg.org/newswatch/newswatch/internal/localefix" // first: see its comment

	"codeberg.org/newswatch/newswatch/cli"
	"codeberg.org/newswatch/newswatch/internal/demo"
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/pgstore"
	"codeberg.org/newswatch/newswatch/monitor/store"
)

// openStore opens the team database the options name, else the data
// directory's own database.
func openStore(ctx context.Context, dir string, team cli.TeamOptions) (monitor.Store, error) {
	if team.Store == "" {
		return store.Open(dir)
	}
	return pgstore.Open(ctx, team.Store, pgstore.Options{User: team.User, MineOnly: team.MineOnly})
}

// AppID is the application's ID, as in FyneApp.toml.
const AppID = "org.codeberg.newswatch"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string) int {
	cmd, err := cli.Parse(args)
	useConsole(cmd, err) // Windows: a subcommand writes to the console it came from
	env := cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Context: ctx}
	if err != nil {
		return cli.ExitCode(err, env)
	}
	if !cmd.NeedsData {
		return cli.ExitCode(cmd.Run(nil, "", env), env)
	}

	dir, err := monitor.DataDir(cmd.DataFlag)
	if err == nil && cmd.DirOnly {
		return cli.ExitCode(cmd.Run(nil, dir, env), env)
	}
	var srv *demo.Server
	if err == nil && cmd.Demo {
		// The demo runs on a temporary data directory of its own, with
		// synthetic feeds on loopback; both go when it ends.
		if dir, err = os.MkdirTemp("", "newswatch-demo-*"); err == nil {
			defer os.RemoveAll(dir)
			srv, err = demo.Start(ctx, 4*time.Second)
		}
	}
	if err != nil {
		return cli.ExitCode(err, env)
	}
	team, err := cmd.Team.Resolve(dir)
	if err != nil || cmd.Demo {
		team = cli.TeamOptions{} // the demo keeps to its own data directory
	}
	if err != nil && !cmd.Demo {
		return cli.ExitCode(err, env)
	}
	st, err := openStore(ctx, dir, team)
	if err != nil {
		if cmd.Desktop && team.Store != "" {
			teamStartError(err, dir) // started from the menu: no terminal to print to
		}
		return cli.ExitCode(err, env)
	}
	svc := monitor.New(monitor.Config{Store: st, NoPolling: team.NoPolling, NoAlerts: team.NoAlerts,
		LeaseTimeout: team.LeaseTimeout})
	if srv != nil {
		if err = srv.Setup(ctx, svc); err == nil {
			fmt.Fprintf(env.Stdout, "Newswatch demo: feeds on %s, data in %s (removed on exit).\n", srv.URL, dir)
		}
	}
	if err == nil {
		if cmd.Desktop {
			err = desktop(svc, dir, cmd)
		} else {
			err = cmd.Run(svc, dir, env)
		}
	}
	if cerr := svc.Close(); err == nil {
		err = cerr
	}
	return cli.ExitCode(err, env)
}
