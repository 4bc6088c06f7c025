package app

import (
	"log/slog"

	"codeberg.org/newswatch/newswatch/monitor/alert"
)

// The alert switches (desktop notifications, pause, quiet hours) are the
// engine's settings: it decides every alert by them, in every process,
// and records why it held one back. The app shows them as the engine has
// them and changes them through it. Older versions kept them in the app's
// preferences; the first start on an engine that decides copies them over
// once.

// prefAlertsInEngine says that the switches were copied to the engine.
const prefAlertsInEngine = "alertSwitchesInEngine"

// switchState is the alert switches as the engine has them.
type switchState struct {
	notifications, paused bool
	quiet                 alert.Quiet
}

// loadSwitches reads the switches from the engine (copying the old
// preferences over first, once) and tells who shows them.
func (a *actions) loadSwitches() {
	copyOld := !a.prefs.p.BoolWithFallback(prefAlertsInEngine, false)
	old := switchState{notifications: a.prefs.notifications(), paused: a.prefs.paused(), quiet: alert.Quiet{On: a.prefs.quietEnabled()}}
	from, err1 := alert.ParseClock(a.prefs.quietFrom())
	to, err2 := alert.ParseClock(a.prefs.quietTo())
	old.quiet.From, old.quiet.To = from, to
	var sw switchState
	var err error
	a.run.bg(func() {
		if copyOld {
			if err = a.alerts.SetNotifications(a.ctx, old.notifications); err == nil {
				err = a.alerts.SetPaused(a.ctx, old.paused)
			}
			if err == nil && err1 == nil && err2 == nil {
				err = a.alerts.SetQuietHours(a.ctx, old.quiet)
			}
			if err != nil {
				return
			}
		}
		st, serr := a.alerts.Settings(a.ctx)
		sw, err = switchState{notifications: st.Notifications, paused: st.Paused, quiet: st.QuietHours}, serr
	}, func() {
		if err != nil {
			a.log.Error("alert settings", slog.Any("err", err))
			a.showError(err)
			return
		}
		if copyOld {
			a.prefs.p.SetBool(prefAlertsInEngine, true)
		}
		a.sw = sw
		a.pauseChanged.emit()
	})
}

// setSwitches changes the switches: on screen at once, in the engine in
// the background (and back on screen if that fails).
func (a *actions) setSwitches(sw switchState) {
	was := a.sw
	a.sw = sw
	a.pauseChanged.emit()
	var err error
	a.run.bg(func() {
		if sw.notifications != was.notifications {
			err = a.alerts.SetNotifications(a.ctx, sw.notifications)
		}
		if err == nil && sw.paused != was.paused {
			err = a.alerts.SetPaused(a.ctx, sw.paused)
		}
		if err == nil && sw.quiet != was.quiet {
			err = a.alerts.SetQuietHours(a.ctx, sw.quiet)
		}
	}, func() {
		if err != nil {
			a.sw = was
			a.pauseChanged.emit()
			a.showError(err)
		}
	})
}
