package app

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// showErrorDialog shows an error as one readable sentence, in the app's
// language.
func showErrorDialog(w fyne.Window, err error) {
	dialog.ShowError(errors.New(msg.Sentence(trErr(err))), w)
}
