// Command newswatch is the Newswatch desktop news monitor. Without a
// subcommand it opens the desktop app; with one (feeds, topics, check,
// run, export, settings) it works headless. See `newswatch help`.
package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	fyneapp "fyne.io/fyne/v2/app"

	_ "codeberg.org/newswatch/newswatch/internal/localefix" // first: see its comment

	"codeberg.org/newswatch/newswatch/app"
	"codeberg.org/newswatch/newswatch/cli"
	"codeberg.org/newswatch/newswatch/monitor"
)

// AppID is the application's ID, as in FyneApp.toml.
const AppID = "org.codeberg.newswatch"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Context: ctx, Desktop: desktop})
	stop()
	os.Exit(code)
}

func desktop(svc *monitor.Service, dataDir string, opt cli.DesktopOptions) error {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	o := app.Options{Logger: logger}
	id := AppID
	if opt.Demo {
		id += ".demo" // its own preferences: the demo leaves the user's alone
		o.Title, o.NoWelcome = "Newswatch — demo", true
	}
	app.New(fyneapp.NewWithID(id), svc, o).Run()
	return nil
}
