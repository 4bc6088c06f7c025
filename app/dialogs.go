package app

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
)

// sentence makes an error message read as a sentence: capital first
// letter, full stop at the end.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}

// showErrorDialog shows an error as one readable sentence.
func showErrorDialog(w fyne.Window, err error) {
	dialog.ShowError(errors.New(sentence(err.Error())), w)
}
