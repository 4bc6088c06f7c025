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
	"log/slog"
	"os"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/internal/demo"
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/inert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
	"codeberg.org/newswatch/newswatch/monitor/store"
)

// Desktop opens the desktop app on the engine; main provides it.
type Desktop func(svc *monitor.Service, dataDir string, opt DesktopOptions) error

// DesktopOptions say how the desktop app starts.
type DesktopOptions struct {
	// Demo runs on a temporary data directory with the built-in demo
	// feeds; it leaves the user's own settings alone.
	Demo bool
	// Minimized starts with the window hidden, only the tray icon showing
	// (--minimized; the login autostart entry uses it).
	Minimized bool
}

// Env is what a command runs with; tests provide their own.
type Env struct {
	Stdout, Stderr io.Writer
	Desktop        Desktop
	// Context ends a running "run" (main cancels it on SIGINT/SIGTERM).
	Context context.Context
	// Now and Logger are optional.
	Now    func() time.Time
	Logger *slog.Logger
}

// usageError is bad input on the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

const usage = `Newswatch watches news feeds for your topics and alerts you to new stories.

Usage:
  newswatch [--data DIR]                      open the desktop app
  newswatch --minimized                       open the desktop app in the tray, without its window
  newswatch --demo                            try it: the app with built-in demo feeds
  newswatch feeds add URL [--name N] [--schedule SPEC] [--no-check]
  newswatch feeds list
  newswatch feeds set URL [--full-text on|off|auto] [--name N] [--schedule SPEC]
  newswatch feeds remove URL
  newswatch feeds import FILE.opml
  newswatch feeds export [-o FILE]
  newswatch topics add NAME [QUERY]           (QUERY defaults to NAME)
  newswatch topics list
  newswatch topics remove NAME
  newswatch topics test QUERY [--since 30d|all] [--limit N]
  newswatch topics apply NAME [--since 30d|all]
  newswatch check                             check every feed once now
  newswatch run                               check on schedule until interrupted
  newswatch export [--format csv|json] [--topic T] [--since 24h|DATE]
                   [--until DATE] [--unread] [--starred] [--bom] [-o FILE]
  newswatch settings [schedule SPEC | retention DAYS]
  newswatch version

Every command takes --data DIR (default $NEWSWATCH_DATA, else
$XDG_DATA_HOME/newswatch, i.e. ~/.local/share/newswatch).
Schedules are cron specs: "*/15 * * * *", "@hourly", "@every 10m",
optionally after "CRON_TZ=Europe/Berlin ".
--full-text says whether the web page of each new story is read, so that
topics match its whole text: on, off, or auto (the default: on for feeds
whose stories are teasers — short summaries, no article text).
`

// Run runs the command line and returns the exit status.
func Run(args []string, env Env) int {
	if env.Context == nil {
		env.Context = context.Background()
	}
	err := run(args, env)
	if err == nil {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(env.Stderr, "newswatch: %s\nRun 'newswatch help' for usage.\n", inert.Text(err.Error()))
		return 2
	}
	fmt.Fprintf(env.Stderr, "newswatch: %s\n", msg.Sentence(inert.Text(err.Error())))
	return 1
}

func run(args []string, env Env) error {
	// The data directory may be given before the subcommand.
	var dataFlag string
	demoMode, minimized := false, false
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch a := args[0]; {
		case a == "-h" || a == "--help" || a == "-help":
			fmt.Fprint(env.Stdout, usage)
			return nil
		case a == "--version" || a == "-version":
			fmt.Fprintf(env.Stdout, "newswatch %s\n", monitor.Version)
			return nil
		case a == "--data" || a == "-data":
			if len(args) < 2 {
				return usagef("--data needs a directory")
			}
			dataFlag, args = args[1], args[2:]
		case strings.HasPrefix(a, "--data=") || strings.HasPrefix(a, "-data="):
			dataFlag, args = a[strings.IndexByte(a, '=')+1:], args[1:]
		case a == "--demo" || a == "-demo":
			demoMode, args = true, args[1:]
		case a == "--minimized" || a == "-minimized":
			minimized, args = true, args[1:]
		default:
			return usagef("unknown option %s", a)
		}
	}
	if len(args) == 0 {
		if env.Desktop == nil {
			return errors.New("this build has no desktop app; use a subcommand")
		}
		if demoMode {
			return runDemo(env, minimized)
		}
		c, err := open(dataFlag, env)
		if err != nil {
			return err
		}
		defer c.svc.Close()
		return env.Desktop(c.svc, c.dataDir, DesktopOptions{Minimized: minimized})
	}
	if demoMode {
		return usagef("--demo starts the desktop app; it takes no subcommand")
	}
	if minimized {
		return usagef("--minimized starts the desktop app; it takes no subcommand")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help":
		fmt.Fprint(env.Stdout, usage)
		return nil
	case "version":
		fmt.Fprintf(env.Stdout, "newswatch %s\n", monitor.Version)
		return nil
	case "feeds":
		return withSub(rest, dataFlag, env, map[string]subcommand{
			"add": feedsAdd, "list": feedsList, "set": feedsSet, "remove": feedsRemove, "import": feedsImport, "export": feedsExport,
		}, "feeds add|list|set|remove|import|export")
	case "topics":
		return withSub(rest, dataFlag, env, topicCommands, "topics add|list|remove|test|apply")
	case "check":
		return withCommand(rest, dataFlag, env, checkCmd)
	case "run":
		return withCommand(rest, dataFlag, env, runCmd)
	case "export":
		return withCommand(rest, dataFlag, env, exportCmd)
	case "settings":
		return withCommand(rest, dataFlag, env, settingsCmd)
	}
	return usagef("unknown command %q", cmd)
}

// cmdCtx is what a subcommand gets: the engine, its flags, the output.
type cmdCtx struct {
	svc     *monitor.Service
	dataDir string
	env     Env
	out     io.Writer
	ctx     context.Context
}

// subcommand declares its flags on fs and returns the function that runs
// once the flags and positional arguments are parsed.
type subcommand func(fs *flag.FlagSet) func(c *cmdCtx, args []string) error

func withSub(args []string, dataFlag string, env Env, subs map[string]subcommand, names string) error {
	if len(args) == 0 {
		return usagef("%s: which one? (%s)", strings.Fields(names)[0], names)
	}
	sub, ok := subs[args[0]]
	if !ok {
		return usagef("unknown command %q; use %s", args[0], names)
	}
	return withCommand(args[1:], dataFlag, env, sub)
}

func withCommand(args []string, dataFlag string, env Env, sub subcommand) error {
	fs := flag.NewFlagSet("newswatch", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	data := fs.String("data", dataFlag, "data directory")
	runFn := sub(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError{err.Error()}
	}
	c, err := open(*data, env)
	if err != nil {
		return err
	}
	defer c.svc.Close()
	return runFn(c, pos)
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

func open(dataFlag string, env Env) (*cmdCtx, error) {
	dir, err := monitor.DataDir(dataFlag)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(dir)
	if err != nil {
		return nil, err
	}
	svc := monitor.New(monitor.Config{Store: st, Now: env.Now, Logger: env.Logger})
	return &cmdCtx{svc: svc, dataDir: dir, env: env, out: env.Stdout, ctx: env.Context}, nil
}

// when formats a time for people: "14:05" today, else "3 Nov 14:05".
func when(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	t, now = t.Local(), now.Local()
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return t.Format("15:04")
	}
	if t.Year() == now.Year() {
		return t.Format("2 Jan 15:04")
	}
	return t.Format("2 Jan 2006 15:04")
}

// runDemo opens the desktop app on a temporary data directory with the
// demo feeds and topics; everything is removed when it closes.
func runDemo(env Env, minimized bool) error {
	dir, err := os.MkdirTemp("", "newswatch-demo-*")
	if err != nil {
		return fmt.Errorf("create the demo's data directory: %w", err)
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithCancel(env.Context)
	defer cancel()
	srv, err := demo.Start(ctx, 4*time.Second)
	if err != nil {
		return err
	}
	c, err := open(dir, env)
	if err != nil {
		return err
	}
	defer c.svc.Close()
	if err := srv.Setup(ctx, c.svc); err != nil {
		return fmt.Errorf("set up the demo: %w", err)
	}
	fmt.Fprintf(env.Stdout, "Newswatch demo: feeds on %s, data in %s (removed on exit).\n", srv.URL, dir)
	return env.Desktop(c.svc, dir, DesktopOptions{Demo: true, Minimized: minimized})
}
