package app

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/robfig/cron/v3"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// feedsView lists the feeds with their health, adds feeds by address
// (fetched once to check them), and edits one feed's name, schedule,
// state and full-text setting (feeds_fulltext.go). OPML files import and export the list (feeds_opml.go).
type feedsView struct {
	eng     feedManager
	acts    *actions
	content fyne.CanvasObject
	feeds   []feedInfo
	global  string // the global schedule
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
	coverage  *widget.Check // coverage alerts for this feed
	covState  *widget.Label // "dead since 14:05"
	fullText  *fullTextForm
	saveBtn   *widget.Button
	removeBtn *widget.Button
	checkBtn  *widget.Button
	none      *widget.Label
}

// feedInfo is a feed with when it is checked next.
type feedInfo struct {
	monitor.Feed
	next time.Time
}

func newFeedsView(eng feedManager, acts *actions, h *hooks) *feedsView {
	v := &feedsView{eng: eng, acts: acts}
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

	v.list = widget.NewList(func() int { return len(v.feeds) }, func() fyne.CanvasObject { return newFeedRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*feedRow).show(v.feeds[i], acts.now()) })
	v.list.OnSelected = func(i widget.ListItemID) {
		f := v.feeds[i]
		v.showFeed(f)
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
	v.schedNote = newNote()
	v.enabled = widget.NewCheck(lang.L("Check this feed"), nil)
	v.coverage = widget.NewCheck(lang.L("Alert me when this feed fails for hours or falls silent"), nil)
	v.covState = widget.NewLabel("")
	v.covState.Importance = widget.WarningImportance
	v.covState.Wrapping = fyne.TextWrapWord
	v.covState.Hide()
	v.fullText = newFullTextForm()
	v.saveBtn = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), v.save)
	v.saveBtn.Importance = widget.HighImportance
	v.removeBtn = widget.NewButtonWithIcon(lang.L("Remove"), theme.DeleteIcon(), v.remove)
	v.checkBtn = widget.NewButtonWithIcon(lang.L("Check all now"), theme.ViewRefreshIcon(), acts.checkNow)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Name"), v.name),
		widget.NewFormItem(lang.L("Schedule"), container.NewVBox(v.schedule, v.schedNote)),
		widget.NewFormItem(lang.L("Fetch full articles"), v.fullText.box),
		widget.NewFormItem("", v.enabled),
		widget.NewFormItem("", v.coverage),
	)
	v.detail = container.NewVBox(v.title, v.address, v.health, v.covState, v.lastError, form,
		container.NewHBox(v.saveBtn, v.removeBtn, v.checkBtn))
	v.none = widget.NewLabel(lang.L("Select a feed to see its state and settings."))
	v.none.Importance = widget.LowImportance
	v.none.Alignment = fyne.TextAlignCenter
	right := container.NewStack(container.NewVScroll(container.NewPadded(v.detail)), container.NewCenter(v.none))
	split := container.NewHSplit(v.list, right)
	split.Offset = 0.45
	v.content = container.NewBorder(container.NewPadded(top), nil, nil, nil, split)
	v.detail.Hide()
	h.add(eng.Subscribe(func(ev monitor.Event) {
		if ev.Cycle != nil || ev.Changed&(monitor.FeedsChanged|monitor.SettingsChanged) != 0 {
			acts.run.ui(v.refresh)
		}
	}))
	return v
}

// refresh reads the feeds, when each is checked next, and the global
// schedule.
func (v *feedsView) refresh() {
	var feeds []feedInfo
	var global string
	var err error
	v.acts.run.bg(func() {
		var fs []monitor.Feed
		if fs, err = v.eng.Feeds(v.acts.ctx); err != nil {
			return
		}
		for _, f := range fs {
			feeds = append(feeds, feedInfo{f, v.eng.NextRun(v.acts.ctx, f)})
		}
		var st monitor.Settings
		if st, err = v.eng.Settings(v.acts.ctx); err == nil {
			global = st.Schedule
		}
	}, func() {
		if err != nil {
			v.acts.showError(err)
			return
		}
		v.feeds, v.global = feeds, global
		v.list.Refresh()
		if v.sel == nil {
			return
		}
		for i, f := range feeds {
			if f.ID == v.sel.ID {
				v.list.Select(i) // shows it
				v.showFeed(f)
				return
			}
		}
		v.sel = nil
		v.detail.Hide()
		v.none.Show()
	})
}

// showFeedID selects a feed by its ID (from a coverage alert).
func (v *feedsView) showFeedID(id int64) {
	v.sel = &monitor.Feed{ID: id}
	v.refresh()
}

func (v *feedsView) showFeed(f feedInfo) {
	v.sel = &f.Feed
	now := v.acts.now()
	v.title.SetText(f.DisplayName())
	v.address.SetText(f.URL)
	health := nf("{{.N}} items in the feed · last success {{.Success}} · last attempt {{.Attempt}}", f.ItemCount,
		"Success", trMsg(msg.When(f.LastSuccess, now)), "Attempt", trMsg(msg.When(f.LastFetch, now)))
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
	v.fullText.show(f.Feed)
	v.coverage.SetChecked(!f.CoverageOff)
	if f.Uncovered() {
		v.covState.SetText(msg.Sentence(trMsg(f.CoverageState(now))))
		v.covState.Show()
	} else {
		v.covState.Hide()
	}
	v.validateSchedule()
	v.none.Hide()
	v.detail.Show()
}

// nextCheck is when the shown feed is checked next on s: later than the
// schedule says while it is backed off after failures.
func (v *feedsView) nextCheck(s cron.Schedule, now time.Time) time.Time {
	if v.sel == nil {
		return s.Next(now)
	}
	return v.sel.NextCheck(s, now)
}

// validateSchedule checks the feed's own schedule as it is typed and says
// when the feed is checked next.
func (v *feedsView) validateSchedule() {
	spec := strings.TrimSpace(v.schedule.Text)
	now := v.acts.now()
	if spec == "" {
		if s, err := monitor.ParseSchedule(v.global); err == nil {
			setNote(v.schedNote, tf("Global schedule ({{.Schedule}}): next check {{.Next}}.", "Schedule", v.global,
				"Next", trMsg(msg.When(v.nextCheck(s, now), now))), false)
		} else {
			setNote(v.schedNote, "", false)
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
	setNote(v.schedNote, tf("Own schedule: next check {{.Next}}.", "Next", trMsg(msg.When(v.nextCheck(s, now), now))), false)
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
	v.acts.notice(tf("Fetching {{.Address}} …", "Address", raw))
	var f monitor.Feed
	var err error
	v.acts.run.bg(func() {
		f, err = v.eng.AddFeed(v.acts.ctx, raw, monitor.AddFeedOptions{Probe: true})
	}, func() {
		v.addBtn.Enable()
		v.acts.notice("")
		if err != nil {
			v.showAddError(err)
			return
		}
		v.url.SetText("")
		v.acts.notice(nf("Added “{{.Name}}” with {{.N}} stories.", f.ItemCount, "Name", f.DisplayName()))
		v.sel = &f
		// Take the new feed's stories in now rather than at the next tick.
		v.acts.checkNow()
	})
}

func (v *feedsView) showAddError(err error) {
	v.addError.SetText(msg.Sentence(trErr(err)))
	v.addError.Show()
	if v.alt = monitor.FeedSuggestion(err); v.alt != "" {
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
	f.FullText = v.fullText.mode()
	f.CoverageOff = !v.coverage.Checked
	var err error
	v.acts.run.bg(func() {
		err = v.eng.UpdateFeed(v.acts.ctx, f)
	}, func() {
		if err != nil {
			setNote(v.schedNote, msg.Sentence(trErr(err)), true)
			return
		}
		v.acts.notice(tf("Saved “{{.Name}}”.", "Name", f.DisplayName()))
	})
}

// feedRow is a feed in the list: a health icon, its name, and a line on
// its state.
type feedRow struct {
	widget.BaseWidget
	icon *widget.Icon
	name *widget.Label
	info *widget.Label
}

func newFeedRow() *feedRow {
	r := &feedRow{icon: widget.NewIcon(theme.ConfirmIcon())}
	r.name, r.info = rowLabels()
	r.ExtendBaseWidget(r)
	return r
}

func (r *feedRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, r.icon, nil, container.New(&tightVBox{}, r.name, r.info)))
}

func (r *feedRow) show(f feedInfo, now time.Time) {
	r.name.SetText(f.DisplayName())
	switch {
	case f.Gone:
		r.icon.SetResource(theme.NewErrorThemedResource(theme.CancelIcon()))
		r.info.SetText(tf("Gone — the server removed it · {{.Address}}", "Address", f.URL))
	case !f.Enabled:
		r.icon.SetResource(theme.NewDisabledResource(theme.MediaPauseIcon()))
		r.info.SetText(tf("Off · {{.Address}}", "Address", f.URL))
	case f.Uncovered():
		r.icon.SetResource(theme.NewWarningThemedResource(theme.WarningIcon()))
		info := msg.Sentence(trMsg(f.CoverageState(now)))
		if !f.LastError.IsZero() {
			info += " " + trMsg(f.LastError)
		}
		r.info.SetText(info)
	case !f.LastError.IsZero():
		r.icon.SetResource(theme.NewErrorThemedResource(theme.ErrorIcon()))
		r.info.SetText(trMsg(f.LastError))
	case f.LastFetch.IsZero():
		r.icon.SetResource(theme.NewDisabledResource(theme.HistoryIcon()))
		r.info.SetText(tf("Not checked yet · next {{.Next}}", "Next", trMsg(msg.When(f.next, now))))
	default:
		r.icon.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
		r.info.SetText(nf("{{.N}} items · checked {{.Checked}} · next {{.Next}}", f.ItemCount,
			"Checked", trMsg(msg.When(f.LastSuccess, now)), "Next", trMsg(msg.When(f.next, now))))
	}
}
