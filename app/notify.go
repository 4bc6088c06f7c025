package app

import (
	"context"
	"log/slog"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
	"codeberg.org/newswatch/newswatch/monitor/inert"
)

// watchAlerts delivers the alerts the engine decided to show (see
// monitor/alert: the engine decides and records every alert; the app
// decides nothing) until ctx ends. It runs on the engine's goroutine,
// never the window's.
func watchAlerts(ctx context.Context, src events, notify func(title, body string), log *slog.Logger) {
	cancel := src.Subscribe(func(ev monitor.Event) {
		for _, a := range ev.Alerts {
			if a.Status != alert.Shown {
				continue
			}
			title, body := alertNote(a)
			log.Debug("alert", slog.Int64("id", a.ID), slog.String("kind", string(a.Kind)))
			notify(title, body)
		}
	})
	go func() {
		<-ctx.Done()
		cancel()
	}()
}

// alertNote is an alert's title and body in the app's language, inert
// for the notification daemon (no control characters; the body, which
// freedesktop daemons read as markup, escaped).
func alertNote(a monitor.Alert) (title, body string) {
	return inert.Notification(trMsg(a.Title), trMsg(a.Body))
}
