package monitor

import (
	"context"
	"strconv"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/alert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// The alerts' switches are engine settings, so that every process on a
// data directory decides alike and records why (the desktop app kept
// them in its own preferences before; it copies them over once).
const (
	settingNotifications = "notifications"  // "1" or "0"
	settingPaused        = "alerts_paused"  // "1" or "0"
	settingQuietOn       = "quiet_hours"    // "1" or "0"
	settingQuietFrom     = "quiet_from"     // "22:00"
	settingQuietTo       = "quiet_to"       // "07:00"
	settingDeadAfter     = "dead_after_min" // minutes
)

// Bounds of how long a feed fails before it is reported dead.
const (
	MinDeadAfter = 15 * time.Minute
	MaxDeadAfter = 7 * 24 * time.Hour
)

// alertSettings reads the alerts' switches into st (defaults for what is
// not set or unreadable).
func (s *Service) alertSettings(ctx context.Context, st *Settings) error {
	d := alert.DefaultSettings
	st.Notifications, st.Paused, st.QuietHours, st.DeadAfter = d.Notifications, d.Paused, d.Quiet, alert.DefaultDeadAfter
	flag := func(key string, into *bool) error {
		v, ok, err := s.store.Setting(ctx, key)
		if ok && (v == "0" || v == "1") {
			*into = v == "1"
		}
		return err
	}
	clock := func(key string, into *alert.Clock) error {
		v, ok, err := s.store.Setting(ctx, key)
		if c, perr := alert.ParseClock(v); ok && perr == nil {
			*into = c
		}
		return err
	}
	for _, err := range []error{
		flag(settingNotifications, &st.Notifications),
		flag(settingPaused, &st.Paused),
		flag(settingQuietOn, &st.QuietHours.On),
		clock(settingQuietFrom, &st.QuietHours.From),
		clock(settingQuietTo, &st.QuietHours.To),
	} {
		if err != nil {
			return err
		}
	}
	v, ok, err := s.store.Setting(ctx, settingDeadAfter)
	if n, perr := strconv.Atoi(v); ok && perr == nil && validDeadAfter(time.Duration(n)*time.Minute) == nil {
		st.DeadAfter = time.Duration(n) * time.Minute
	}
	return err
}

// decisionSettings are the settings as the decisions see them.
func (st Settings) decisionSettings() alert.Settings {
	return alert.Settings{Notifications: st.Notifications, Paused: st.Paused, Quiet: st.QuietHours}
}

func boolSetting(v bool) string {
	if v {
		return "1"
	}
	return "0"
}

// SetNotifications switches desktop notifications on or off. Off holds
// back every alert, critical ones too (they are still recorded).
func (s *Service) SetNotifications(ctx context.Context, on bool) error {
	return s.setAlertSettings(ctx, settingNotifications, boolSetting(on))
}

// SetPaused pauses alerts (all but critical topics are held back) or
// resumes them.
func (s *Service) SetPaused(ctx context.Context, paused bool) error {
	return s.setAlertSettings(ctx, settingPaused, boolSetting(paused))
}

// SetQuietHours sets the quiet hours: on or off, from and to (local
// times of day; a range past midnight wraps).
func (s *Service) SetQuietHours(ctx context.Context, q alert.Quiet) error {
	if q.From < 0 || q.From >= 24*60 || q.To < 0 || q.To >= 24*60 {
		return msg.Errorf(nil, msg.T("Quiet hours need times of day like 22:00 and 07:00."))
	}
	return s.setAlertSettings(ctx, settingQuietOn, boolSetting(q.On),
		settingQuietFrom, q.From.String(), settingQuietTo, q.To.String())
}

// SetDeadAfter sets how long a feed fails before it is reported dead.
func (s *Service) SetDeadAfter(ctx context.Context, d time.Duration) error {
	if err := validDeadAfter(d); err != nil {
		return err
	}
	return s.setAlertSettings(ctx, settingDeadAfter, strconv.Itoa(int(d/time.Minute)))
}

func validDeadAfter(d time.Duration) error {
	if d < MinDeadAfter || d > MaxDeadAfter || d%time.Minute != 0 {
		return msg.Errorf(nil, msg.T("A feed is reported dead after 15 minutes to 7 days of failures, in whole minutes, not {{.Duration}}."),
			"Duration", d.String())
	}
	return nil
}

// setAlertSettings stores key/value pairs and tells the subscribers.
func (s *Service) setAlertSettings(ctx context.Context, kv ...string) error {
	for i := 0; i+1 < len(kv); i += 2 {
		if err := s.store.SetSetting(ctx, kv[i], kv[i+1]); err != nil {
			return err
		}
	}
	s.changed(SettingsChanged)
	return nil
}
