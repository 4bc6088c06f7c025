// Package cli is Newswatch's command line: the subcommands that run the
// engine without a window (feeds, topics, check, run, export, settings).
// It prints plain text for people and exits non-zero with one clear
// message on bad input.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/inert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Env is what a command prints to and runs with; tests provide their own.
type Env struct {
	Stdout, Stderr io.Writer
	// Context ends a running "run" (main cancels it on SIGINT/SIGTERM).
	Context context.Context
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// usageError is bad input on the command line: exit status 2.
type usageError struct{ msg string }

// IsUsage reports whether err is a mistake on the command line.
func IsUsage(err error) bool { return errors.As(err, new(usageError)) }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

const usage = `Newswatch watches news feeds for your topics and alerts you to new stories.

Usage:
  newswatch [--data DIR]                      open the desktop app
  newswatch --minimized                       open the desktop app in the tray, without its window
  newswatch --demo                            try it: the app with built-in demo feeds
  newswatch feeds add URL [--name N] [--schedule SPEC] [--no-check]
  newswatch feeds list
  newswatch feeds set URL [--full-text on|off|auto] [--coverage-alerts on|off]
                   [--name N] [--schedule SPEC]
  newswatch feeds remove URL
  newswatch feeds import FILE.opml
  newswatch feeds export [-o FILE]
  newswatch topics add NAME [QUERY]           (QUERY defaults to NAME)
  newswatch topics list
  newswatch topics remove NAME
  newswatch topics test QUERY [--since 30d|all] [--limit N]
  newswatch topics apply NAME [--since 30d|all]
  newswatch topics escalate NAME off|default|SOURCES WITHIN   (e.g. 3 2h)
  newswatch topics set NAME [--priority normal|high|critical]
                   [--delivery now|every:30m|digest:08:00,16:00] [--spikes on|off] [--notify on|off]
  newswatch stories [--topic T] [--since 24h|DATE] [--limit N] [--json]
  newswatch check                             check every feed once now
  newswatch run                               check on schedule until interrupted
  newswatch export [--format csv|json] [--topic T] [--since 24h|DATE]
                   [--until DATE] [--unread] [--starred] [--bom] [-o FILE]
  newswatch alerts [--since 7d|DATE|all] [--until DATE] [--topic T] [--kind K] [--limit N]
                   [--csv [--bom] [-o FILE]]
  newswatch alerts delete ID... | --before DATE
  newswatch settings [schedule SPEC | retention DAYS | notifications on|off | pause on|off
                   | quiet FROM-TO|on|off | dead-after DURATION]
  newswatch team [set postgres://HOST/DATABASE [--user NAME] [--no-poll] [--my-topics] | off]
  newswatch migrate --from sqlite:PATH --to postgres://HOST/DATABASE [--user NAME]
  newswatch version

Every command takes --data DIR (default ` + defaultDataDir + `).
A team shares one PostgreSQL database: --store postgres://HOST/DATABASE (or
NEWSWATCH_STORE, or newswatch team set) uses it instead of the data
directory's own database, as --user NAME (default: your system user name;
NEWSWATCH_USER); --my-topics shows only your personal topics (topics add
--personal). newswatch run --no-alerts is a server that checks feeds for
the team; run --no-poll (and the desktop app with --no-poll) leaves checking
to the servers and only follows what they find; run --lease-timeout 1m is
how long a server that is not seen keeps its feeds.
Schedules are cron specs: "*/15 * * * *", "@hourly", "@every 10m",
optionally after "CRON_TZ=Europe/Berlin ".
--full-text says whether the web page of each new story is read, so that
topics match its whole text: on, off, or auto (the default: on for feeds
whose stories are teasers — short summaries, no article text).
Alerts: every decision (shown, held back in quiet hours, paused, silenced,
or gathered for a summary) is in the alert history (newswatch alerts).
`

// Command is a parsed command line: the desktop app or a subcommand, and
// the data directory to run on. main opens the data directory and builds
// the engine, then starts the desktop app (Desktop) or calls Run.
type Command struct {
	// DataFlag is --data as given ("": the default, see monitor.DataDir).
	DataFlag string
	// Desktop: no subcommand, open the desktop app; Demo on a temporary
	// data directory with the demo feeds; Minimized in the tray only.
	Desktop, Demo, Minimized bool
	// NeedsData is false for help, version and migrate, which run without
	// the data directory's engine (Run's engine is then nil).
	NeedsData bool
	// DirOnly is true for commands that need the data directory but no
	// engine (team: it must run when the team database cannot be reached).
	DirOnly bool
	// Team chooses the store (a team database) and how the engine works
	// on it (see team.go).
	Team TeamOptions
	run  func(c *cmdCtx) error
}

// Parse reads the command line (without the program name). A mistake in
// it is an error for which IsUsage is true.
func Parse(args []string) (*Command, error) {
	cmd := &Command{NeedsData: true}
	// The data directory may be given before the subcommand.
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch a := args[0]; {
		case a == "-h" || a == "--help" || a == "-help":
			return printing(usage), nil
		case a == "--version" || a == "-version":
			return printing("newswatch " + monitor.Version + "\n"), nil
		case a == "--data" || a == "-data":
			if len(args) < 2 {
				return nil, usagef("--data needs a directory")
			}
			cmd.DataFlag, args = args[1], args[2:]
		case strings.HasPrefix(a, "--data=") || strings.HasPrefix(a, "-data="):
			cmd.DataFlag, args = a[strings.IndexByte(a, '=')+1:], args[1:]
		case a == "--demo" || a == "-demo":
			cmd.Demo, args = true, args[1:]
		case a == "--minimized" || a == "-minimized":
			cmd.Minimized, args = true, args[1:]
		default:
			rest, ok, err := cmd.globalOption(args)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, usagef("unknown option %s", a)
			}
			args = rest
		}
	}
	if len(args) == 0 {
		cmd.Desktop = true
		return cmd, nil
	}
	if cmd.Demo {
		return nil, usagef("--demo starts the desktop app; it takes no subcommand")
	}
	if cmd.Minimized {
		return nil, usagef("--minimized starts the desktop app; it takes no subcommand")
	}
	name, rest := args[0], args[1:]
	var err error
	switch name {
	case "help":
		return printing(usage), nil
	case "version":
		return printing("newswatch " + monitor.Version + "\n"), nil
	case "feeds":
		err = cmd.sub(rest, map[string]subcommand{
			"add": feedsAdd, "list": feedsList, "set": feedsSet, "remove": feedsRemove, "import": feedsImport, "export": feedsExport,
		}, "feeds add|list|set|remove|import|export")
	case "topics":
		err = cmd.sub(rest, topicCommands, "topics add|list|remove|test|apply|escalate|set")
	case "stories":
		err = cmd.command(rest, storiesCmd)
	case "check":
		err = cmd.command(rest, checkCmd)
	case "run":
		err = cmd.command(rest, func(fs *flag.FlagSet) func(*cmdCtx, []string) error {
			cmd.runFlags(fs)
			return runCmd(fs)
		})
	case "team":
		err = cmd.command(rest, teamCmd)
		cmd.DirOnly = true
	case "migrate":
		err = cmd.command(rest, migrateCmd)
		cmd.NeedsData = false
	case "export":
		err = cmd.command(rest, exportCmd)
	case "settings":
		err = cmd.command(rest, settingsCmd)
	case "alerts":
		if len(rest) > 0 && rest[0] == "delete" {
			err = cmd.command(rest[1:], alertsDelete)
		} else {
			err = cmd.command(rest, alertsCmd)
		}
	default:
		err = usagef("unknown command %q", name)
	}
	if err != nil {
		return nil, err
	}
	return cmd, nil
}

// printing is a command that prints text and needs no data directory.
func printing(text string) *Command {
	return &Command{run: func(c *cmdCtx) error {
		_, err := io.WriteString(c.out, text)
		return err
	}}
}

// Run runs the subcommand on the engine (nil for a command that needs no
// data directory) opened on dataDir.
func (cmd *Command) Run(svc *monitor.Service, dataDir string, env Env) error {
	if cmd.run == nil {
		return errors.New("the desktop app is started by main, not by the command line")
	}
	if env.Context == nil {
		env.Context = context.Background()
	}
	return cmd.run(&cmdCtx{svc: svc, dataDir: dataDir, env: env, out: env.Stdout, ctx: env.Context, team: cmd.Team})
}

// ExitCode prints err, if any, as one sentence and returns the exit
// status: 0 for none, 2 for a mistake on the command line, 1 otherwise.
func ExitCode(err error, env Env) int {
	if err == nil {
		return 0
	}
	if IsUsage(err) {
		fmt.Fprintf(env.Stderr, "newswatch: %s\nRun 'newswatch help' for usage.\n", inert.Text(err.Error()))
		return 2
	}
	fmt.Fprintf(env.Stderr, "newswatch: %s\n", msg.Sentence(inert.Text(err.Error())))
	return 1
}

// cmdCtx is what a subcommand gets: the engine, its flags, the output.
type cmdCtx struct {
	svc     *monitor.Service
	dataDir string
	env     Env
	out     io.Writer
	ctx     context.Context
	team    TeamOptions // as given on the command line
}

// subcommand declares its flags on fs and returns the function that runs
// once the flags and positional arguments are parsed.
type subcommand func(fs *flag.FlagSet) func(c *cmdCtx, args []string) error

// sub parses a subcommand of a group ("feeds add ...").
func (cmd *Command) sub(args []string, subs map[string]subcommand, names string) error {
	if len(args) == 0 {
		return usagef("%s: which one? (%s)", strings.Fields(names)[0], names)
	}
	sub, ok := subs[args[0]]
	if !ok {
		return usagef("unknown command %q; use %s", args[0], names)
	}
	return cmd.command(args[1:], sub)
}

// command parses a subcommand's flags (--data among them, anywhere) and
// positional arguments.
func (cmd *Command) command(args []string, sub subcommand) error {
	fs := flag.NewFlagSet("newswatch", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	data := fs.String("data", cmd.DataFlag, "data directory")
	cmd.teamFlags(fs)
	runFn := sub(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError{err.Error()}
	}
	cmd.DataFlag = *data
	cmd.run = func(c *cmdCtx) error { return runFn(c, pos) }
	return nil
}

// parseInterspersed parses flags given before, between or after the
// positional arguments ("feeds add URL --name N").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// when says when t is, seen from now, as the desktop app says it
// ("12 min ago", "at 14:05", "3 Nov 09:12"; "never"), in English.
func when(t, now time.Time) string { return msg.When(t, now).String() }
