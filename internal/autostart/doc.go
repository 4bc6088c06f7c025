// Package autostart starts Newswatch when the user logs in: through an XDG
// autostart entry on Linux and the BSDs (autostart.go), through the
// per-user Run key of the registry on Windows (autostart_windows.go). On
// other systems (macOS) it does not, and says so.
//
// Enabled, Enable and Disable read and change what the system will do at
// the next login; the state lives there only, so the app's checkbox shows
// what will happen, also after the user changed it in the system's own
// settings.
//
// It is plain Go without Fyne; the desktop app calls it from its settings.
package autostart

// ID is the app's ID, which names the XDG entry (as in FyneApp.toml).
const ID = "org.codeberg.newswatch"

// MinimizedFlag is the command-line flag the entry starts the app with, so
// it comes up in the tray.
const MinimizedFlag = "--minimized"
