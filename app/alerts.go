package app

import (
	"context"
	"io"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// alertHistory is what the Alerts screen needs of the engine.
type alertHistory interface {
	events
	AlertHistory(ctx context.Context, f monitor.AlertFilter) ([]monitor.Alert, error)
	DeleteAlerts(ctx context.Context, ids []int64) (int, error)
	ExportAlerts(ctx context.Context, w io.Writer, f monitor.AlertFilter, bom bool) (int, error)
}

// alertsView is the alert history, the analyst's audit trail: every alert
// the engine decided, newest first — when, its kind, what it said, and
// whether it was shown or held back and why. Each entry shows what it
// named (as a click on its notification does); the history can be
// exported as CSV and entries deleted.
type alertsView struct {
	eng     alertHistory
	acts    *actions
	show    func(monitor.Alert) // show what an alert named
	content fyne.CanvasObject

	period  *widget.Select
	list    *widget.List
	count   *widget.Label
	empty   *widget.Label
	alerts  []monitor.Alert
	sel     int
	delBtn  *widget.Button
	periods []time.Duration // 0: all
}

func newAlertsView(eng alertHistory, acts *actions, show func(monitor.Alert), h *hooks) *alertsView {
	v := &alertsView{eng: eng, acts: acts, show: show, sel: -1,
		periods: []time.Duration{24 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour, 0}}
	v.period = widget.NewSelect([]string{lang.L("Last 24 hours"), lang.L("Last 7 days"), lang.L("Last 30 days"), lang.L("All")}, nil)
	v.period.SetSelectedIndex(1)
	v.period.OnChanged = func(string) { v.refresh() }
	v.count = widget.NewLabel("")
	v.count.Importance = widget.LowImportance
	exportBtn := widget.NewButtonWithIcon(lang.L("Export CSV…"), theme.DocumentSaveIcon(), v.export)
	v.delBtn = widget.NewButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), v.remove)
	v.delBtn.Disable()
	v.list = widget.NewList(func() int { return len(v.alerts) }, func() fyne.CanvasObject { return newAlertRow(v.onShow) },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*alertRow).set(v.alerts[i], acts.now()) })
	v.list.OnSelected = func(i widget.ListItemID) { v.sel = i; v.delBtn.Enable() }
	v.list.OnUnselected = func(widget.ListItemID) { v.sel = -1; v.delBtn.Disable() }
	v.empty = widget.NewLabel(lang.L("No alerts in this period. Every alert Newswatch shows or holds back is kept here."))
	v.empty.Alignment = fyne.TextAlignCenter
	v.empty.Wrapping = fyne.TextWrapWord
	v.empty.Hide()
	top := container.NewBorder(nil, nil, container.NewHBox(sized(v.period, selectWidth(v.period.Options)), v.count),
		container.NewHBox(exportBtn, v.delBtn))
	v.content = container.NewBorder(container.NewPadded(top), nil, nil, nil,
		container.NewStack(v.list, container.NewCenter(container.NewGridWrap(fyne.NewSize(420, 80), v.empty))))
	h.add(eng.Subscribe(func(ev monitor.Event) {
		if len(ev.Alerts) > 0 || ev.Changed&monitor.AlertsChanged != 0 {
			acts.run.ui(v.refresh)
		}
	}))
	return v
}

// filter is the period chosen.
func (v *alertsView) filter() monitor.AlertFilter {
	var f monitor.AlertFilter
	if i := v.period.SelectedIndex(); i >= 0 && v.periods[i] > 0 {
		f.Since = v.acts.now().Add(-v.periods[i])
	}
	return f
}

// refresh reads the history of the period chosen.
func (v *alertsView) refresh() {
	f := v.filter()
	var as []monitor.Alert
	var err error
	v.acts.run.bg(func() {
		as, err = v.eng.AlertHistory(v.acts.ctx, f)
	}, func() {
		if err != nil {
			v.acts.showError(err)
			return
		}
		v.alerts = as
		v.list.UnselectAll()
		v.list.Refresh()
		v.count.SetText(nf("{{.N}} alerts", len(as)))
		if len(as) == 0 {
			v.empty.Show()
		} else {
			v.empty.Hide()
		}
	})
}

func (v *alertsView) onShow(a monitor.Alert) { v.show(a) }

// remove deletes the selected alert from the history.
func (v *alertsView) remove() {
	if v.sel < 0 || v.sel >= len(v.alerts) {
		return
	}
	id := v.alerts[v.sel].ID
	var err error
	v.acts.run.bg(func() {
		_, err = v.eng.DeleteAlerts(v.acts.ctx, []int64{id})
	}, func() {
		if err != nil {
			v.acts.showError(err)
		}
		v.refresh()
	})
}

// export saves the period's history as CSV.
func (v *alertsView) export() {
	f := v.filter()
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			v.acts.showError(err)
			return
		}
		if w == nil {
			return
		}
		v.acts.save(w, func(out io.Writer) (int, error) { return v.eng.ExportAlerts(v.acts.ctx, out, f, true) }, func(n int) {
			v.acts.notice(nf("Exported {{.N}} alerts to {{.File}}.", n, "File", w.URI().Name()))
		})
	}, v.acts.win)
	d.SetFileName("newswatch-alerts-" + v.acts.now().Format("2006-01-02") + ".csv")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// alertRow is one alert of the history: when, its kind and what it said,
// what became of it, and a button that shows what it named.
type alertRow struct {
	widget.BaseWidget
	when, kind, title *widget.Label
	outcome           *widget.Label
	showBtn           *widget.Button
	a                 monitor.Alert
}

func newAlertRow(show func(monitor.Alert)) *alertRow {
	r := &alertRow{when: widget.NewLabel(""), kind: widget.NewLabel("")}
	r.title, r.outcome = rowLabels()
	r.when.SizeName = theme.SizeNameCaptionText
	r.kind.SizeName = theme.SizeNameCaptionText
	r.kind.Importance = widget.LowImportance
	r.showBtn = widget.NewButtonWithIcon(lang.L("Show"), theme.VisibilityIcon(), func() { show(r.a) })
	r.showBtn.Importance = widget.LowImportance
	r.ExtendBaseWidget(r)
	return r
}

func (r *alertRow) CreateRenderer() fyne.WidgetRenderer {
	left := container.New(&tightVBox{}, r.when, r.kind)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, sized(left, 110), container.NewCenter(r.showBtn),
		container.New(&tightVBox{}, r.title, r.outcome)))
}

func (r *alertRow) set(a monitor.Alert, now time.Time) {
	r.a = a
	r.when.SetText(trMsg(msg.Moment(a.At, now)))
	r.kind.SetText(trMsg(a.Kind.Message()))
	r.title.SetText(trMsg(a.Title))
	outcome := trMsg(a.Outcome(now))
	if b := trMsg(a.Body); b != "" {
		outcome += "  ·  " + b
	}
	r.outcome.SetText(outcome)
	switch {
	case a.Status == alert.Held:
		r.outcome.Importance = widget.WarningImportance
	default:
		r.outcome.Importance = widget.MediumImportance
	}
	r.outcome.Refresh()
	if len(a.Stories) > 0 || a.FeedID != 0 {
		r.showBtn.Enable()
	} else {
		r.showBtn.Disable()
	}
}
