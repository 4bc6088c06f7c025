//go:build cgo || ci

package main

import (
	fyneapp "fyne.io/fyne/v2/app"

	"codeberg.org/newswatch/newswatch/app"
)

// teamStartError shows the desktop app's window of a team database that
// cannot be opened (see app.TeamStartError) until the user closes it.
func teamStartError(err error, dataDir string) {
	a := fyneapp.NewWithID(AppID)
	app.TeamStartError(a, err, dataDir).ShowAndRun()
}
