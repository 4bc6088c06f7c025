// Command newswatch is the Newswatch desktop news monitor. Without a
// subcommand it opens the desktop app; with one (feeds, topics, check,
// run, export, settings) it works headless. See `newswatch help`.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	_ "codeberg.org/newswatch/newswatch/internal/localefix" // first: see its comment

	"codeberg.org/newswatch/newswatch/app"
	"codeberg.org/newswatch/newswatch/cli"
	"codeberg.org/newswatch/newswatch/internal/autostart"
	"codeberg.org/newswatch/newswatch/internal/instance"
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
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
	o := app.Options{Logger: logger, Minimized: opt.Minimized}
	id := AppID
	if opt.Demo {
		id += ".demo" // its own preferences: the demo leaves the user's alone
		o.Demo, o.NoWelcome = true, true
	} else {
		o.Autostart = &app.Autostart{
			Enabled: autostart.Enabled,
			Enable: func() error {
				exe, err := os.Executable()
				if err != nil {
					return msg.Errorf(err, msg.T("The Newswatch program could not be found ({{.Reason}})."), "Reason", err.Error())
				}
				return autostart.Enable(exe, "--data", dataDir)
			},
			Disable: autostart.Disable,
		}
	}
	a := fyneapp.NewWithID(id)

	// One desktop app per data directory: a second start brings this
	// one's window to the front and exits. ui is set before the window
	// loop runs, and onShow's function runs on that loop.
	var ui *app.UI
	acquire := instance.Acquire
	if opt.Minimized {
		acquire = instance.AcquireQuietly // at login: do not pop up a running window
	}
	release, err := acquire(dataDir, func() {
		fyne.Do(func() {
			if ui != nil {
				ui.ShowWindow()
			}
		})
	})
	switch {
	case errors.Is(err, instance.ErrRunning):
		if opt.Minimized {
			fmt.Println("Newswatch is already running.")
		} else {
			fmt.Println("Newswatch is already running; its window was brought to the front.")
		}
		return nil
	case errors.Is(err, errors.ErrUnsupported):
		logger.Warn("cannot make sure Newswatch runs only once on this data directory", "err", err)
		release = func() {}
	case err != nil:
		return err
	}
	// Stop answering before the window loop ends, so no show request
	// reaches a closed window: when the user quits (BeforeQuit), and on
	// SIGINT/SIGTERM, on which Fyne quits by itself.
	defer release()
	o.BeforeQuit = release
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	go func() {
		<-sig
		release()
	}()
	ui = app.New(a, svc, o)
	ui.Run()
	return nil
}
