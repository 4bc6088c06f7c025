package app

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"

	"codeberg.org/newswatch/newswatch/monitor/export"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// exportCSV asks where to save what the timeline shows as CSV.
func (t *timelineView) exportCSV() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			t.u.showError(err)
			return
		}
		if w == nil {
			return
		}
		var buf bytes.Buffer
		n, err := t.writeCSV(&buf)
		if err == nil {
			_, err = w.Write(buf.Bytes())
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.u.showError(msg.Errorf(err, msg.T("The export to {{.File}} failed: {{.Reason}}"), "File", w.URI().Name(), "Reason", msg.Of(err)))
			return
		}
		t.u.progress.SetText(nf("Exported {{.N}} rows to {{.File}}.", n, "File", w.URI().Name()))
	}, t.u.win)
	d.SetFileName(t.exportName())
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// writeCSV writes the matches of the stories the timeline shows, one row
// per story and topic, with a byte-order mark so Excel reads UTF-8.
func (t *timelineView) writeCSV(w io.Writer) (int, error) {
	ms, err := t.u.eng.Matches(t.u.ctx, t.filter.MatchFilter())
	if err != nil {
		return 0, err
	}
	return len(ms), export.WriteCSV(w, ms, true)
}

// exportName suggests a file name: the topic (or view) and the date.
func (t *timelineView) exportName() string {
	name := lang.X("file.all", "all")
	switch {
	case t.filter.TopicID != 0:
		for _, tp := range t.topics {
			if tp.ID == t.filter.TopicID {
				name = tp.Name
			}
		}
	case t.filter.Starred:
		name = lang.X("file.starred", "starred")
	case t.filter.Unread:
		name = lang.X("file.unread", "unread")
	}
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>| `, r) {
			return '-'
		}
		return r
	}, name)
	return fmt.Sprintf("newswatch-%s-%s.csv", name, t.u.opt.Now().Format(time.DateOnly))
}
