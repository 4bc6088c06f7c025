package app

import (
	"log/slog"

	"codeberg.org/newswatch/newswatch/monitor/alert"
)

// The alert switches (desktop notifications, pause, quiet hours) are the
// engine's settings: it decides every alert by them, in every process.
// The app still shows and edits them from its preferences and hands each
// change to the engine (pushAlertSwitches); on its first start with an
// engine that decides, it copies them over once.

// prefAlertsInEngine says that the switches were copied to the engine.
const prefAlertsInEngine = "alertSwitchesInEngine"

// copyAlertSwitchesOnce copies the switches to the engine the first time
// the app runs on an engine that decides the alerts.
func (a *actions) copyAlertSwitchesOnce() {
	if a.alerts == nil || a.prefs.p.BoolWithFallback(prefAlertsInEngine, false) {
		return
	}
	a.pushAlertSwitches()
	a.prefs.p.SetBool(prefAlertsInEngine, true)
}

// pushAlertSwitches hands the switches, as the preferences hold them, to
// the engine.
func (a *actions) pushAlertSwitches() {
	if a.alerts == nil {
		return
	}
	p := a.prefs
	on, paused := p.notifications(), p.paused()
	q := alert.Quiet{On: p.quietEnabled()}
	from, err1 := alert.ParseClock(p.quietFrom())
	to, err2 := alert.ParseClock(p.quietTo())
	quietOK := err1 == nil && err2 == nil
	q.From, q.To = from, to
	var err error
	a.run.bg(func() {
		err = a.alerts.SetNotifications(a.ctx, on)
		if err == nil {
			err = a.alerts.SetPaused(a.ctx, paused)
		}
		if err == nil && quietOK {
			err = a.alerts.SetQuietHours(a.ctx, q)
		}
	}, func() {
		if err != nil {
			a.log.Error("alert settings", slog.Any("err", err))
			a.showError(err)
		}
	})
}
