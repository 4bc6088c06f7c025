// Package assets holds Newswatch's icons, embedded into the binary. The
// PNGs are drawn by ./icongen.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

//go:embed tray.png
var trayPNG []byte

//go:embed tray-alert.png
var trayAlertPNG []byte

// Icon is the application icon.
var Icon = fyne.NewStaticResource("newswatch.png", iconPNG)

// Tray is the tray icon; TrayAlert is shown while unread matches exist.
var (
	Tray      = fyne.NewStaticResource("newswatch-tray.png", trayPNG)
	TrayAlert = fyne.NewStaticResource("newswatch-tray-alert.png", trayAlertPNG)
)
