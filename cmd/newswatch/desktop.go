//go:build cgo || ci

package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"codeberg.org/newswatch/newswatch/app"
	"codeberg.org/newswatch/newswatch/cli"
	"codeberg.org/newswatch/newswatch/internal/autostart"
	"codeberg.org/newswatch/newswatch/internal/instance"
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// desktop runs the desktop app on the engine until the user quits: one
// app per data directory (a second start shows the running one's window),
// start at login wired to internal/autostart. It returns once the app's
// scheduler has stopped, so main may close the engine.
func desktop(svc *monitor.Service, dataDir string, cmd *cli.Command) error {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	o := app.Options{Logger: logger, Minimized: cmd.Minimized}
	id := AppID
	if cmd.Demo {
		id += ".demo" // its own preferences: the demo leaves the user's alone
		o.Demo, o.NoWelcome = true, true
	} else {
		o.TeamDir = dataDir
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
	if cmd.Minimized {
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
		if cmd.Minimized {
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
	ui.Run() // returns once the scheduler has stopped
	return nil
}
