package app

import (
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// remove asks, then removes the selected feed.
func (v *feedsView) remove() {
	if v.sel == nil {
		return
	}
	f := *v.sel
	dialog.ShowConfirm(tf("Remove “{{.Name}}”?", "Name", f.DisplayName()),
		lang.L("Newswatch stops checking it. Its matched stories stay in the timeline."), func(ok bool) {
			if !ok {
				return
			}
			var err error
			v.acts.run.bg(func() {
				err = v.eng.RemoveFeed(v.acts.ctx, f.ID)
			}, func() {
				if err != nil {
					v.acts.showError(err)
					return
				}
				v.sel = nil
				v.list.UnselectAll()
			})
		}, v.acts.win)
}

func (v *feedsView) importOPML() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			v.acts.showError(err)
			return
		}
		if r != nil {
			v.importFrom(r, r.URI().Name())
		}
	}, v.acts.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".opml", ".xml"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// importFrom adds the feeds of an OPML file and says what it did.
func (v *feedsView) importFrom(r io.ReadCloser, name string) {
	var res monitor.ImportResult
	var err error
	v.acts.run.bg(func() {
		defer r.Close()
		res, err = v.eng.ImportOPML(v.acts.ctx, r)
	}, func() {
		if err != nil {
			v.acts.showError(msg.Errorf(err, msg.T("{{.File}}: {{.Reason}}"), "File", name, "Reason", msg.Of(err)))
			return
		}
		text := nf("Imported {{.N}} feeds.", len(res.Added))
		if len(res.Skipped) > 0 {
			text += " " + nf("{{.N}} were already there.", len(res.Skipped))
		}
		if len(res.Refused) > 0 {
			text += "\n" + lang.L("Refused:")
			for _, r := range res.Refused {
				text += "\n" + trMsg(r)
			}
		}
		dialog.ShowInformation(lang.L("OPML import"), text, v.acts.win)
	})
}

func (v *feedsView) exportOPML() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			v.acts.showError(err)
			return
		}
		if w == nil {
			return
		}
		v.acts.save(w, func(out io.Writer) (int, error) { return v.eng.ExportOPML(v.acts.ctx, out) }, func(int) {
			v.acts.notice(tf("Exported the feeds to {{.File}}.", "File", w.URI().Name()))
		})
	}, v.acts.win)
	d.SetFileName("newswatch-feeds.opml")
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}
