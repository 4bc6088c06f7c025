package app

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/feed"
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
	v.url.SetPlaceHolder("https://www.tagesschau.de/xml/rss2/ — a feed or a page that names one")
	v.url.OnSubmitted = func(string) { v.add() }
	v.addBtn = widget.NewButtonWithIcon("Add feed", theme.ContentAddIcon(), v.add)
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
	importBtn := widget.NewButtonWithIcon("Import OPML…", theme.FolderOpenIcon(), v.importOPML)
	exportBtn := widget.NewButtonWithIcon("Export OPML…", theme.DocumentSaveIcon(), v.exportOPML)
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
	v.schedule.SetPlaceHolder("empty: the global schedule")
	v.schedule.OnChanged = func(string) { v.validateSchedule() }
	v.schedNote = note2()
	v.enabled = widget.NewCheck("Check this feed", nil)
	v.saveBtn = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), v.save)
	v.saveBtn.Importance = widget.HighImportance
	v.removeBtn = widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), v.remove)
	v.checkBtn = widget.NewButtonWithIcon("Check all now", theme.ViewRefreshIcon(), u.checkNow)
	form := widget.NewForm(
		widget.NewFormItem("Name", v.name),
		widget.NewFormItem("Schedule", container.NewVBox(v.schedule, v.schedNote)),
		widget.NewFormItem("", v.enabled),
	)
	v.detail = container.NewVBox(v.title, v.address, v.health, v.lastError, form,
		container.NewHBox(v.saveBtn, v.removeBtn, v.checkBtn))
	v.none = widget.NewLabel("Select a feed to see its state and settings.")
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
		info.SetText("Gone — the server removed it. " + f.URL)
	case !f.Enabled:
		icon.SetResource(theme.NewDisabledResource(theme.MediaPauseIcon()))
		info.SetText("Off · " + f.URL)
	case !f.LastError.IsZero():
		icon.SetResource(theme.NewErrorThemedResource(theme.ErrorIcon()))
		info.SetText(f.LastError.String())
	case f.LastFetch.IsZero():
		icon.SetResource(theme.NewDisabledResource(theme.HistoryIcon()))
		info.SetText("Not checked yet · next " + relTime(v.u.eng.NextRun(v.u.ctx, f), now))
	default:
		icon.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
		info.SetText(fmt.Sprintf("%d items · checked %s · next %s", f.ItemCount, relTime(f.LastSuccess, now),
			relTime(v.u.eng.NextRun(v.u.ctx, f), now)))
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
	health := fmt.Sprintf("%d items in the feed · last success %s · last attempt %s", f.ItemCount,
		relTimeOrNever(f.LastSuccess, now), relTimeOrNever(f.LastFetch, now))
	if f.Failures > 1 {
		health += fmt.Sprintf(" · %d failures in a row (checking less often until it works again)", f.Failures)
	}
	v.health.SetText(health)
	if !f.LastError.IsZero() {
		v.lastError.SetText(f.LastError.String())
		v.lastError.Show()
	} else {
		v.lastError.Hide()
	}
	v.name.SetText(f.Name)
	v.name.SetPlaceHolder(f.Title)
	v.schedule.SetText(f.Schedule)
	v.enabled.SetChecked(f.Enabled)
	if f.Gone {
		v.enabled.Text = "Check this feed again (the server said it is gone)"
	} else {
		v.enabled.Text = "Check this feed"
	}
	v.enabled.Refresh()
	v.validateSchedule()
	v.none.Hide()
	v.detail.Show()
}

func relTimeOrNever(t, now time.Time) string {
	if t.IsZero() {
		return "never"
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
				setNote(v.schedNote, "Global schedule ("+st.Schedule+"): next check "+relTime(s.Next(now), now)+".", false)
			}
		}
		v.saveBtn.Enable()
		return
	}
	s, err := monitor.ParseSchedule(spec)
	if err != nil {
		setNote(v.schedNote, sentence(err.Error()), true)
		v.saveBtn.Disable()
		return
	}
	setNote(v.schedNote, "Own schedule: next check "+relTime(s.Next(now), now)+".", false)
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
	v.u.progress.SetText("Fetching " + raw + " …")
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
		v.u.progress.SetText(fmt.Sprintf("Added %q with %d stories.", f.DisplayName(), f.ItemCount))
		v.sel = &f
		v.refresh()
		v.u.updateStatus()
		// Take the new feed's stories in now rather than at the next tick.
		v.u.checkNow()
	})
}

func (v *feedsView) showAddError(err error) {
	v.addError.SetText(sentence(err.Error()))
	v.addError.Show()
	var fe *feed.Error
	if errors.As(err, &fe) && len(fe.Alternates) > 0 {
		v.alt = fe.Alternates[0]
		v.useAlt.SetText("Add the feed the page names: " + v.alt)
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
		setNote(v.schedNote, sentence(err.Error()), true)
		return
	}
	v.u.progress.SetText("Saved " + f.DisplayName() + ".")
	v.refresh()
	v.u.updateStatus()
}

func (v *feedsView) remove() {
	if v.sel == nil {
		return
	}
	f := *v.sel
	dialog.ShowConfirm("Remove "+f.DisplayName()+"?",
		"Newswatch stops checking it. Its matched stories stay in the timeline.", func(ok bool) {
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
			v.u.showError(fmt.Errorf("%s: %w", r.URI().Name(), err))
			return
		}
		msg := fmt.Sprintf("Imported %d feeds.", len(res.Added))
		if len(res.Skipped) > 0 {
			msg += fmt.Sprintf(" %d were already there.", len(res.Skipped))
		}
		if len(res.Refused) > 0 {
			msg += "\nRefused:\n" + strings.Join(res.Refused, "\n")
		}
		dialog.ShowInformation("OPML import", msg, v.u.win)
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
		return monitor.ImportResult{}, errors.New("the file lists no feeds")
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
			v.u.showError(fmt.Errorf("cannot write %s: %w", w.URI().Name(), err))
			return
		}
		v.u.progress.SetText("Exported the feeds to " + w.URI().Name() + ".")
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
