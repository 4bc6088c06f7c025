package app

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

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
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}

// showErrorDialog shows an error as one readable sentence, in the app's
// language.
func showErrorDialog(w fyne.Window, err error) {
	dialog.ShowError(errors.New(sentence(trErr(err))), w)
}
