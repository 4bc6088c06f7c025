//go:build !linux && !freebsd && !openbsd && !netbsd && !dragonfly

package app

// Windows and macOS always have a tray (the notification area, the menu
// bar) and notifications, which Fyne reaches without D-Bus.

func trayHostPresent() bool { return true }

func notificationServicePresent() bool { return true }
