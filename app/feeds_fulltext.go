package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// fullTextForm is the feed form's "Fetch full articles": a select of the
// setting, what it does for this feed now (automatic's decision), and
// what the feed's last pages missed.
type fullTextForm struct {
	choice *widget.Select
	state  *widget.Label
	missed *widget.Label
	box    fyne.CanvasObject
}

// fullTextModes are the select's modes, in the order of its options.
var fullTextModes = []monitor.FullTextMode{monitor.FullTextAuto, monitor.FullTextOn, monitor.FullTextOff}

func newFullTextForm() *fullTextForm {
	f := &fullTextForm{
		choice: widget.NewSelect([]string{lang.L("Automatic"), lang.L("On"), lang.L("Off")}, nil),
		state:  newNote(),
		missed: newNote(),
	}
	f.missed.Importance = widget.WarningImportance
	f.box = container.NewVBox(f.choice, f.state, f.missed)
	return f
}

// show shows a feed's setting and state.
func (f *fullTextForm) show(feed monitor.Feed) {
	for i, m := range fullTextModes {
		if m == feed.FullText {
			f.choice.SetSelectedIndex(i)
		}
	}
	setNote(f.state, trMsg(feed.FullTextState()), false)
	if feed.PagesNote.IsZero() {
		setNote(f.missed, "", false)
	} else {
		setNote(f.missed, msg.Sentence(trMsg(feed.PagesNote)), false)
		f.missed.Importance = widget.WarningImportance
		f.missed.Refresh()
	}
}

// mode is the selected setting.
func (f *fullTextForm) mode() monitor.FullTextMode {
	if i := f.choice.SelectedIndex(); i >= 0 {
		return fullTextModes[i]
	}
	return monitor.FullTextAuto
}
