package app

import (
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/monitor"
)

// sideList is the list of filters at the side of the timeline: all
// stories, unread, starred, and each topic, with their unread counts.
// Choosing one sets the timeline model's filter.
type sideList struct {
	model   *timelineModel
	list    *widget.List
	content fyne.CanvasObject
	items   []sideItem
	sel     int
}

// sideItem is one filter of the side list.
type sideItem struct {
	label   string
	icon    fyne.Resource
	color   color.Color
	topicID int64
	starred bool
	unread  bool
	count   int
}

func newSideList(m *timelineModel, h *hooks) *sideList {
	s := &sideList{model: m}
	s.list = widget.NewList(func() int { return len(s.items) }, func() fyne.CanvasObject { return newSideRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*sideRow).show(s.items[i]) })
	s.list.OnSelected = s.onSelected
	// At least wide enough for its own entries (and "9999" unread) in the
	// app's language; topic names may truncate.
	w := float32(0)
	for _, t := range []string{lang.L("All stories"), lang.L("Unread"), lang.L("Starred")} {
		w = max(w, fyne.MeasureText(t, theme.TextSize(), fyne.TextStyle{}).Width)
	}
	w += theme.IconInlineSize() + fyne.MeasureText("9999", theme.TextSize(), fyne.TextStyle{Bold: true}).Width + 6*theme.InnerPadding()
	minWidth := canvas.NewRectangle(color.Transparent)
	minWidth.SetMinSize(fyne.NewSize(w, 0))
	s.content = container.NewBorder(widget.NewLabelWithStyle(lang.L("Show"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		nil, nil, nil, container.NewStack(minWidth, s.list))
	h.add(m.countsChanged.listen(s.rebuild))
	h.add(m.rowsChanged.listen(s.rebuild)) // the filter may have changed
	h.add(m.topicsChanged.listen(s.rebuild))
	s.rebuild()
	return s
}

// rebuild lists the filters with the model's topics and counts, and
// selects the one the model shows.
func (s *sideList) rebuild() {
	m := s.model
	items := []sideItem{
		{label: lang.L("All stories"), icon: theme.ListIcon(), count: m.counts.Unread},
		{label: lang.L("Unread"), icon: theme.VisibilityIcon(), unread: true, count: m.counts.Unread},
		{label: lang.L("Starred"), icon: theme.ConfirmIcon(), starred: true, count: m.counts.Starred},
	}
	for _, t := range m.topics {
		items = append(items, sideItem{label: t.Name, color: paletteColor(t.Color, t.ID), topicID: t.ID,
			count: m.counts.TopicUnread[t.ID]})
	}
	s.items = items
	sel := 0
	for i, it := range items {
		if it.topicID == m.filter.TopicID && it.starred == m.filter.Starred && it.unread == m.filter.Unread {
			sel = i
			break
		}
	}
	s.list.Refresh()
	if m.filter.StoryIDs != nil { // an alert's stories: none of these
		s.list.UnselectAll()
		return
	}
	s.sel = sel
	s.list.Select(sel)
}

func (s *sideList) onSelected(i widget.ListItemID) {
	if i < 0 || i >= len(s.items) {
		return
	}
	it := s.items[i]
	s.sel = i
	f := s.model.filter
	f.TopicID, f.Starred, f.Unread, f.StoryIDs = it.topicID, it.starred, it.unread, nil
	s.model.setFilter(f)
}

// sideRow is one row of the side list: an icon (or the topic's colour),
// the label and the unread count.
type sideRow struct {
	widget.BaseWidget
	icon  *widget.Icon
	dot   *canvas.Circle
	label *widget.Label
	count *widget.Label
}

func newSideRow() *sideRow {
	r := &sideRow{icon: widget.NewIcon(theme.ListIcon()), dot: canvas.NewCircle(color.Transparent),
		label: widget.NewLabel(""), count: widget.NewLabel("")}
	r.label.Truncation = fyne.TextTruncateEllipsis
	r.count.TextStyle = fyne.TextStyle{Bold: true}
	r.count.Importance = widget.HighImportance
	r.ExtendBaseWidget(r)
	return r
}

func (r *sideRow) CreateRenderer() fyne.WidgetRenderer {
	dot := container.NewCenter(container.NewGridWrap(fyne.NewSize(10, 10), r.dot))
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, container.NewStack(r.icon, dot), r.count, r.label))
}

func (r *sideRow) show(it sideItem) {
	r.label.SetText(it.label)
	if it.color != nil {
		r.icon.Hide()
		r.dot.FillColor = it.color
		r.dot.Show()
		r.dot.Refresh()
	} else {
		r.dot.Hide()
		r.icon.SetResource(it.icon)
		r.icon.Show()
	}
	if it.count > 0 {
		r.count.SetText(strconv.Itoa(it.count))
	} else {
		r.count.SetText("")
	}
}

// filterName names what a filter shows, for file names: the topic's name,
// "starred", "unread" or "all".
func filterName(f monitor.Filter, topics []monitor.Topic) string {
	switch {
	case f.TopicID != 0:
		for _, t := range topics {
			if t.ID == f.TopicID {
				return t.Name
			}
		}
	case f.Starred:
		return lang.X("file.starred", "starred")
	case f.Unread:
		return lang.X("file.unread", "unread")
	}
	return lang.X("file.all", "all")
}
