// Command newswatch is the Newswatch desktop news monitor. Without a
// subcommand it opens the desktop app; with one (feeds, topics, check,
// run, export, settings) it works headless. See `newswatch help`.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	fyneapp "fyne.io/fyne/v2/app"

	_ "codeberg.org/newswatch/newswatch/internal/localefix" // first: see its comment

	"codeberg.org/newswatch/newswatch/app"
	"codeberg.org/newswatch/newswatch/cli"
	"codeberg.org/newswatch/newswatch/monitor"
)

// AppID is the application's ID, as in FyneApp.toml.
const AppID = "org.codeberg.newswatch"

// started is when the process started, for NEWSWATCH_TRACE_STARTUP.
var started = time.Now()

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Context: ctx, Desktop: desktop})
	stop()
	os.Exit(code)
}

func desktop(svc *monitor.Service, dataDir string, opt cli.DesktopOptions) error {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	o := app.Options{Logger: logger}
	if os.Getenv("NEWSWATCH_TRACE_STARTUP") != "" {
		// For the benchmarks: when the first timeline is on screen.
		o.TraceStartup = func(n int) {
			fmt.Fprintf(os.Stderr, "newswatch: first timeline after %d ms (%d stories)\n", time.Since(started).Milliseconds(), n)
		}
	}
	id := AppID
	if opt.Demo {
		id += ".demo" // its own preferences: the demo leaves the user's alone
		o.Demo, o.NoWelcome = true, true
	}
	app.New(fyneapp.NewWithID(id), svc, o).Run()
	return nil
}
