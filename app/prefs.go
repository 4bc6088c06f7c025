package app

import (
	"fyne.io/fyne/v2"
)

// Preference keys and defaults of the desktop app's own settings (the
// engine's settings, such as the schedule, live in its database).
const (
	prefNotifications  = "notifications"
	prefQuietEnabled   = "quietHours"
	prefQuietFrom      = "quietFrom"
	prefQuietTo        = "quietTo"
	prefCloseToTray    = "closeToTray"
	prefStartMinimized = "startMinimized"
	prefPaused         = "alertsPaused"
	prefWelcomed       = "welcomed"
	prefWindowWidth    = "windowWidth"
	prefWindowHeight   = "windowHeight"
	prefLanguage       = "language"

	defaultQuietFrom = "22:00"
	defaultQuietTo   = "07:00"
)

// prefs are typed getters and setters over fyne.Preferences. The alert
// switches (notifications, quiet hours, pause) are the engine's now; their
// getters here only read what an older version stored, to copy it once
// (alertprefs.go).
type prefs struct{ p fyne.Preferences }

func (s prefs) notifications() bool      { return s.p.BoolWithFallback(prefNotifications, true) }
func (s prefs) quietEnabled() bool       { return s.p.BoolWithFallback(prefQuietEnabled, false) }
func (s prefs) quietFrom() string        { return s.p.StringWithFallback(prefQuietFrom, defaultQuietFrom) }
func (s prefs) quietTo() string          { return s.p.StringWithFallback(prefQuietTo, defaultQuietTo) }
func (s prefs) closeToTray() bool        { return s.p.BoolWithFallback(prefCloseToTray, true) }
func (s prefs) setCloseToTray(v bool)    { s.p.SetBool(prefCloseToTray, v) }
func (s prefs) startMinimized() bool     { return s.p.BoolWithFallback(prefStartMinimized, false) }
func (s prefs) setStartMinimized(v bool) { s.p.SetBool(prefStartMinimized, v) }
func (s prefs) paused() bool             { return s.p.BoolWithFallback(prefPaused, false) }

// language is the code of the language the user chose; empty: the system's.
func (s prefs) language() string     { return s.p.StringWithFallback(prefLanguage, "") }
func (s prefs) setLanguage(v string) { s.p.SetString(prefLanguage, v) }
func (s prefs) welcomed() bool       { return s.p.BoolWithFallback(prefWelcomed, false) }
func (s prefs) setWelcomed(v bool)   { s.p.SetBool(prefWelcomed, v) }

// windowSize is the size the window had when it was last closed.
func (s prefs) windowSize() fyne.Size {
	return fyne.NewSize(float32(s.p.FloatWithFallback(prefWindowWidth, 1200)),
		float32(s.p.FloatWithFallback(prefWindowHeight, 760)))
}

func (s prefs) setWindowSize(size fyne.Size) {
	if size.Width >= 400 && size.Height >= 300 {
		s.p.SetFloat(prefWindowWidth, float64(size.Width))
		s.p.SetFloat(prefWindowHeight, float64(size.Height))
	}
}
