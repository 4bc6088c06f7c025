package app

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/feed"
	"codeberg.org/newswatch/newswatch/monitor/msg"
	"codeberg.org/newswatch/newswatch/monitor/opml"
)

// feedsView lists the feeds with their health, adds feeds by address
// (fetched once to check them), and edits one feed's name, schedule and
// state. OPML files import and export the list.
type feedsView struct {
	u       *UI
	content fyne.CanvasObject
	feeds   []monitor.Feed
	list    *widget.List
	sel     *monitor.Feed

	url      *widget.Entry
	addBtn   *widget.Button
	addError *widget.Label
	useAlt   *widget.Button
	alt      string

	detail    *fyne.Container
	title     *widget.Label
	address   *widget.Label
	health    *widget.Label
	lastError *widget.Label
	name      *widget.Entry
	schedule  *widget.Entry
	schedNote *widget.Label
	enabled   *widget.Check
	saveBtn   *widget.Button
	removeBtn *widget.Button
	checkBtn  *widget.Button
	none      *widget.Label
}

func newFeedsView(u *UI) *feedsView {
	v := &feedsView{u: u}
	v.url = widget.NewEntry()
	v.url.SetPlaceHolder(lang.L("https://www.tagesschau.de/xml/rss2/ — a feed or a page that names one"))
	v.url.OnSubmitted = func(string) { v.add() }
	v.addBtn = widget.NewButtonWithIcon(lang.L("Add feed"), theme.ContentAddIcon(), v.add)
	v.addBtn.Importance = widget.HighImportance
	v.addError = widget.NewLabel("")
	v.addError.Importance = widget.DangerImportance
	v.addError.Wrapping = fyne.TextWrapWord
	v.addError.Hide()
	v.useAlt = widget.NewButton("", func() {
		v.url.SetText(v.alt)
		v.add()
	})
	v.useAlt.Hide()
	importBtn := widget.NewButtonWithIcon(lang.L("Import OPML…"), theme.FolderOpenIcon(), v.importOPML)
	exportBtn := widget.NewButtonWithIcon(lang.L("Export OPML…"), theme.DocumentSaveIcon(), v.exportOPML)
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewHBox(v.addBtn, importBtn, exportBtn), v.url),
		v.addError, v.useAlt)

	v.list = widget.NewList(func() int { return len(v.feeds) }, func() fyne.CanvasObject {
		icon := widget.NewIcon(theme.ConfirmIcon())
		name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		name.Truncation = fyne.TextTruncateEllipsis
		info := widget.NewLabel("")
		info.Truncation = fyne.TextTruncateEllipsis
		info.SizeName = theme.SizeNameCaptionText
		return container.NewBorder(nil, nil, icon, nil, container.New(&tightVBox{}, name, info))
	}, v.updateItem)
	v.list.OnSelected = func(i widget.ListItemID) {
		f := v.feeds[i]
		v.showFeed(&f)
	}

	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.Wrapping = fyne.TextWrapWord
	v.address = widget.NewLabel("")
	v.address.Wrapping = fyne.TextWrapBreak
	v.address.Importance = widget.LowImportance
	v.health = widget.NewLabel("")
	v.health.Wrapping = fyne.TextWrapWord
	v.lastError = widget.NewLabel("")
	v.lastError.Wrapping = fyne.TextWrapWord
	v.lastError.Importance = widget.DangerImportance
	v.name = widget.NewEntry()
	v.schedule = widget.NewEntry()
	v.schedule.SetPlaceHolder(lang.L("empty: the global schedule"))
	v.schedule.OnChanged = func(string) { v.validateSchedule() }
	v.schedNote = note2()
	v.enabled = widget.NewCheck(lang.L("Check this feed"), nil)
	v.saveBtn = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), v.save)
	v.saveBtn.Importance = widget.HighImportance
	v.removeBtn = widget.NewButtonWithIcon(lang.L("Remove"), theme.DeleteIcon(), v.remove)
	v.checkBtn = widget.NewButtonWithIcon(lang.L("Check all now"), theme.ViewRefreshIcon(), u.checkNow)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Name"), v.name),
		widget.NewFormItem(lang.L("Schedule"), container.NewVBox(v.schedule, v.schedNote)),
		widget.NewFormItem("", v.enabled),
	)
	v.detail = container.NewVBox(v.title, v.address, v.health, v.lastError, form,
		container.NewHBox(v.saveBtn, v.removeBtn, v.checkBtn))
	v.none = widget.NewLabel(lang.L("Select a feed to see its state and settings."))
	v.none.Importance = widget.LowImportance
	v.none.Alignment = fyne.TextAlignCenter
	right := container.NewStack(container.NewVScroll(container.NewPadded(v.detail)), container.NewCenter(v.none))
	split := container.NewHSplit(v.list, right)
	split.Offset = 0.45
	v.content = container.NewBorder(container.NewPadded(top), nil, nil, nil, split)
	v.detail.Hide()
	return v
}

func (v *feedsView) updateItem(i widget.ListItemID, o fyne.CanvasObject) {
	f := v.feeds[i]
	c := o.(*fyne.Container)
	text := c.Objects[0].(*fyne.Container)
	icon := c.Objects[1].(*widget.Icon)
	text.Objects[0].(*widget.Label).SetText(f.DisplayName())
	info := text.Objects[1].(*widget.Label)
	now := v.u.opt.Now()
	switch {
	case f.Gone:
		icon.SetResource(theme.NewErrorThemedResource(theme.CancelIcon()))
		info.SetText(tf("Gone — the server removed it · {{.Address}}", "Address", f.URL))
	case !f.Enabled:
		icon.SetResource(theme.NewDisabledResource(theme.MediaPauseIcon()))
		info.SetText(tf("Off · {{.Address}}", "Address", f.URL))
	case !f.LastError.IsZero():
		icon.SetResource(theme.NewErrorThemedResource(theme.ErrorIcon()))
		info.SetText(trMsg(f.LastError))
	case f.LastFetch.IsZero():
		icon.SetResource(theme.NewDisabledResource(theme.HistoryIcon()))
		info.SetText(tf("Not checked yet · next {{.Next}}", "Next", relTime(v.u.eng.NextRun(v.u.ctx, f), now)))
	default:
		icon.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
		info.SetText(nf("{{.N}} items · checked {{.Checked}} · next {{.Next}}", f.ItemCount,
			"Checked", relTime(f.LastSuccess, now), "Next", relTime(v.u.eng.NextRun(v.u.ctx, f), now)))
	}
}

// refresh reads the feeds again.
func (v *feedsView) refresh() {
	feeds, err := v.u.eng.Feeds(v.u.ctx)
	if err != nil {
		v.u.showError(err)
		return
	}
	v.feeds = feeds
	v.list.Refresh()
	if v.sel != nil {
		for i := range feeds {
			if feeds[i].ID == v.sel.ID {
				f := feeds[i]
				v.showFeed(&f)
				return
			}
		}
		v.sel = nil
		v.detail.Hide()
		v.none.Show()
	}
}

func (v *feedsView) showFeed(f *monitor.Feed) {
	v.sel = f
	now := v.u.opt.Now()
	v.title.SetText(f.DisplayName())
	v.address.SetText(f.URL)
	health := nf("{{.N}} items in the feed · last success {{.Success}} · last attempt {{.Attempt}}", f.ItemCount,
		"Success", relTimeOrNever(f.LastSuccess, now), "Attempt", relTimeOrNever(f.LastFetch, now))
	if f.Failures > 1 {
		health += " · " + tf("{{.N}} failures in a row (checking less often until it works again)", "N", f.Failures)
	}
	v.health.SetText(health)
	if !f.LastError.IsZero() {
		v.lastError.SetText(trMsg(f.LastError))
		v.lastError.Show()
	} else {
		v.lastError.Hide()
	}
	v.name.SetText(f.Name)
	v.name.SetPlaceHolder(f.Title)
	v.schedule.SetText(f.Schedule)
	v.enabled.SetChecked(f.Enabled)
	if f.Gone {
		v.enabled.Text = lang.L("Check this feed again (the server said it is gone)")
	} else {
		v.enabled.Text = lang.L("Check this feed")
	}
	v.enabled.Refresh()
	v.validateSchedule()
	v.none.Hide()
	v.detail.Show()
}

func relTimeOrNever(t, now time.Time) string {
	if t.IsZero() {
		return lang.L("never")
	}
	return relTime(t, now)
}

func (v *feedsView) validateSchedule() {
	spec := strings.TrimSpace(v.schedule.Text)
	now := v.u.opt.Now()
	if spec == "" {
		st, err := v.u.eng.Settings(v.u.ctx)
		if err == nil {
			if s, err := monitor.ParseSchedule(st.Schedule); err == nil {
				setNote(v.schedNote, tf("Global schedule ({{.Schedule}}): next check {{.Next}}.", "Schedule", st.Schedule, "Next", relTime(s.Next(now), now)), false)
			}
		}
		v.saveBtn.Enable()
		return
	}
	s, err := monitor.ParseSchedule(spec)
	if err != nil {
		setNote(v.schedNote, msg.Sentence(trErr(err)), true)
		v.saveBtn.Disable()
		return
	}
	setNote(v.schedNote, tf("Own schedule: next check {{.Next}}.", "Next", relTime(s.Next(now), now)), false)
	v.saveBtn.Enable()
}

// add fetches the address once and adds it when it is a feed; a page
// that names its feed offers that feed instead.
func (v *feedsView) add() {
	raw := strings.TrimSpace(v.url.Text)
	if raw == "" {
		return
	}
	v.addBtn.Disable()
	v.addError.Hide()
	v.useAlt.Hide()
	v.u.progress.SetText(tf("Fetching {{.Address}} …", "Address", raw))
	var f monitor.Feed
	var err error
	v.u.background(func() {
		f, err = v.u.eng.AddFeed(v.u.ctx, raw, monitor.AddFeedOptions{Probe: true})
	}, func() {
		v.addBtn.Enable()
		v.u.progress.SetText("")
		if err != nil {
			v.showAddError(err)
			return
		}
		v.url.SetText("")
		v.u.progress.SetText(nf("Added “{{.Name}}” with {{.N}} stories.", f.ItemCount, "Name", f.DisplayName()))
		v.sel = &f
		v.refresh()
		v.u.updateStatus()
		// Take the new feed's stories in now rather than at the next tick.
		v.u.checkNow()
	})
}

func (v *feedsView) showAddError(err error) {
	v.addError.SetText(msg.Sentence(trErr(err)))
	v.addError.Show()
	var fe *feed.Error
	if errors.As(err, &fe) && len(fe.Alternates) > 0 {
		v.alt = fe.Alternates[0]
		v.useAlt.SetText(tf("Add the feed the page names: {{.Address}}", "Address", v.alt))
		v.useAlt.Show()
	}
}

func (v *feedsView) save() {
	if v.sel == nil {
		return
	}
	f := *v.sel
	f.Name = strings.TrimSpace(v.name.Text)
	f.Schedule = strings.TrimSpace(v.schedule.Text)
	f.Enabled = v.enabled.Checked
	if err := v.u.eng.UpdateFeed(v.u.ctx, f); err != nil {
		setNote(v.schedNote, msg.Sentence(trErr(err)), true)
		return
	}
	v.u.progress.SetText(tf("Saved “{{.Name}}”.", "Name", f.DisplayName()))
	v.refresh()
	v.u.updateStatus()
}

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
			if err := v.u.eng.RemoveFeed(v.u.ctx, f.ID); err != nil {
				v.u.showError(err)
				return
			}
			v.sel = nil
			v.list.UnselectAll()
			v.refresh()
			v.u.updateStatus()
		}, v.u.win)
}

func (v *feedsView) importOPML() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			v.u.showError(err)
			return
		}
		if r == nil {
			return
		}
		defer r.Close()
		res, err := v.importFrom(r)
		if err != nil {
			v.u.showError(msg.Errorf(err, msg.T("{{.File}}: {{.Reason}}"), "File", r.URI().Name(), "Reason", msg.Of(err)))
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
		dialog.ShowInformation(lang.L("OPML import"), text, v.u.win)
		v.refresh()
		v.u.updateStatus()
	}, v.u.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".opml", ".xml"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// importFrom reads an OPML file and adds its feeds.
func (v *feedsView) importFrom(r io.Reader) (monitor.ImportResult, error) {
	outlines, err := opml.Read(r)
	if err != nil {
		return monitor.ImportResult{}, err
	}
	if len(outlines) == 0 {
		return monitor.ImportResult{}, msg.Errorf(nil, msg.T("The file lists no feeds."))
	}
	in := make([]monitor.Feed, len(outlines))
	for i, o := range outlines {
		in[i] = monitor.Feed{URL: o.URL, Name: o.Title, SiteURL: o.SiteURL, Schedule: o.Schedule}
	}
	return v.u.eng.ImportFeeds(v.u.ctx, in)
}

func (v *feedsView) exportOPML() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			v.u.showError(err)
			return
		}
		if w == nil {
			return
		}
		var buf bytes.Buffer
		if err := v.writeOPML(&buf); err != nil {
			w.Close()
			v.u.showError(err)
			return
		}
		_, err = w.Write(buf.Bytes())
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			v.u.showError(msg.Errorf(err, msg.T("{{.File}} could not be written ({{.Reason}})."), "File", w.URI().Name(), "Reason", err.Error()))
			return
		}
		v.u.progress.SetText(tf("Exported the feeds to {{.File}}.", "File", w.URI().Name()))
	}, v.u.win)
	d.SetFileName("newswatch-feeds.opml")
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

func (v *feedsView) writeOPML(w io.Writer) error {
	feeds, err := v.u.eng.Feeds(v.u.ctx)
	if err != nil {
		return err
	}
	outlines := make([]opml.Outline, len(feeds))
	for i, f := range feeds {
		outlines[i] = opml.Outline{Title: f.DisplayName(), URL: f.URL, SiteURL: f.SiteURL, Schedule: f.Schedule}
	}
	return opml.Write(w, "Newswatch feeds", outlines, v.u.opt.Now())
}
