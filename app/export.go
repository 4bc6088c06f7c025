package app

import (
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"codeberg.org/newswatch/newswatch/monitor"
)

// exportCSV asks where to save what the timeline shows as CSV.
func (t *timelineView) exportCSV() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			t.acts.showError(err)
			return
		}
		if w == nil {
			return
		}
		f := t.model.filter
		t.acts.save(w, func(out io.Writer) (int, error) { return t.writeCSV(out, f) }, func(n int) {
			t.acts.notice(nf("Exported {{.N}} rows to {{.File}}.", n, "File", w.URI().Name()))
		})
	}, t.acts.win)
	d.SetFileName(t.exportName())
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// writeCSV writes the matches of the stories the timeline shows, one row
// per story and topic, with a byte-order mark so Excel reads UTF-8.
func (t *timelineView) writeCSV(w io.Writer, f monitor.Filter) (int, error) {
	return t.model.src.Export(t.model.ctx, w, monitor.ExportOptions{Format: monitor.CSV, Filter: f, BOM: true})
}

// exportName suggests a file name: the topic (or view) and the date.
func (t *timelineView) exportName() string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>| `, r) {
			return '-'
		}
		return r
	}, filterName(t.model.filter, t.model.topics))
	return fmt.Sprintf("newswatch-%s-%s.csv", name, t.acts.now().Format("2006-01-02"))
}
