//go:build linux || freebsd || openbsd || netbsd || dragonfly

package app

import (
	"os"

	"github.com/godbus/dbus/v5"
)

// On Linux and the BSDs the tray and the notifications are D-Bus services
// that a desktop may lack. These checks let the app adapt instead of
// hiding its window into a tray nobody shows, or logging a failed
// notification every cycle. Other systems always have both
// (dbus_other.go).

// busHasName reports whether a service owns the name on the session bus,
// or can be started for it. Without a session bus it answers false and
// never starts one.
func busHasName(name string) bool {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return false
	}
	conn, err := dbus.SessionBus() // shared with Fyne; never closed
	if err != nil {
		return false
	}
	var has bool
	if conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&has) == nil && has {
		return true
	}
	var names []string
	if conn.BusObject().Call("org.freedesktop.DBus.ListActivatableNames", 0).Store(&names) == nil {
		for _, n := range names {
			if n == name {
				return true
			}
		}
	}
	return false
}

// trayHostPresent reports whether a StatusNotifierItem host shows tray
// icons.
func trayHostPresent() bool {
	return busHasName("org.kde.StatusNotifierWatcher")
}

// notificationServicePresent reports whether desktop notifications can be
// shown.
func notificationServicePresent() bool {
	return busHasName("org.freedesktop.Notifications")
}
