//go:build !windows && !linux && !freebsd && !openbsd && !netbsd && !dragonfly

package autostart

import "codeberg.org/newswatch/newswatch/monitor/msg"

// On macOS (and other systems without XDG autostart) Newswatch does not
// set itself up to start at login yet: Enabled says no, and Enable says
// how to do it by hand.

// Enabled reports false: nothing here starts Newswatch at login.
func Enabled() (bool, error) { return false, nil }

// Enable explains that the system's own settings do it.
func Enable(exe string, args ...string) error {
	return msg.Errorf(nil, msg.T("Newswatch cannot start itself at login on this system; add it to the login items in the system settings."))
}

// Disable has nothing to remove.
func Disable() error { return nil }
