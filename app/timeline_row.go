package app

import (
	"time"

	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// timelineRow is one row of the timeline: a day heading; a story with its
// time, topic chips, headline, how many reports and sources it has, and a
// snippet around what matched; or, under the open story, one of its
// reports. A story not loaded yet shows as an empty row until it arrives.
type timelineRow struct {
	widget.BaseWidget
	heading *widget.Label
	head    *fyne.Container
	story   *fyne.Container
	indent  *canvas.Rectangle // a report's row is indented under its story
	unread  *canvas.Rectangle
	updated *widget.Label // "+2 sources"
	star    *widget.Icon
	clock   *widget.Label
	chips   []*chip
	chipBox []*fyne.Container
	more    *widget.Label
	title   *markedText
	snippet *markedText
	line1   *fyne.Container
	index   int // the timeline's row it shows (kept by the timeline view)
}

// maxChips is how many topic chips a row shows before "+N".
const maxChips = 3

func newTimelineRow() *timelineRow {
	r := &timelineRow{}
	r.heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.head = container.NewBorder(nil, widget.NewSeparator(), nil, nil, container.NewVBox(layout.NewSpacer(), r.heading))
	r.unread = canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
	r.unread.SetMinSize(fyne.NewSize(4, 4))
	r.indent = canvas.NewRectangle(color.Transparent)
	r.indent.SetMinSize(fyne.NewSize(2*theme.IconInlineSize(), 4))
	r.indent.Hide()
	r.updated = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.updated.Importance = widget.HighImportance
	r.updated.Hide()
	r.star = widget.NewIcon(theme.ConfirmIcon())
	r.clock = widget.NewLabel("00:00")
	r.clock.SizeName = theme.SizeNameCaptionText
	chips := container.NewHBox()
	for range maxChips {
		c := newChip("", color.Transparent)
		box := container.NewCenter(c)
		r.chips, r.chipBox = append(r.chips, c), append(r.chipBox, box)
		chips.Add(box)
	}
	r.more = widget.NewLabel("")
	r.more.Importance = widget.LowImportance
	chips.Add(r.more)
	chips.Add(r.updated)
	// The title is a markedText rather than a truncating Label: Fyne 2.7
	// shapes a truncated label's whole text again, with a new shaper, on
	// every change and every layout, which made filling the rows while
	// scrolling two thirds of the UI goroutine's work.
	r.title = newMarkedText()
	r.title.oneLine = true
	r.snippet = newMarkedText()
	r.snippet.dim, r.snippet.oneLine = true, true
	r.line1 = container.NewBorder(nil, nil, chips, nil, r.title)
	left := container.NewHBox(r.indent, r.unread, r.clock)
	text := container.New(&tightVBox{}, r.line1, r.snippet)
	// The star keeps its room when hidden, so rows line up alike.
	r.story = container.NewBorder(nil, nil, left, container.NewGridWrap(fyne.NewSquareSize(theme.IconInlineSize()), r.star), text)
	r.ExtendBaseWidget(r)
	return r
}

func (r *timelineRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(r.head, r.story))
}

func (r *timelineRow) showHeading(text string) {
	r.story.Hide()
	r.heading.SetText(text)
	r.head.Show()
}

// showLoading keeps the row's room while its story loads.
func (r *timelineRow) showLoading() {
	r.head.Hide()
	r.story.Hide()
}

func (r *timelineRow) showStory(s *monitor.Story, now time.Time) {
	r.head.Hide()
	r.indent.Hide()
	a := &s.Article
	when := s.LastSeen
	if when.IsZero() {
		when = a.Published
	}
	r.clock.SetText(msg.Clock(when))
	title := monitor.Plain(a.Title)
	r.title.dim = false
	if s.Read {
		r.unread.FillColor = color.Transparent
	} else {
		r.unread.FillColor = theme.Color(theme.ColorNamePrimary)
		title.Spans = []monitor.Span{{Start: 0, End: len(a.Title)}} // all bold
	}
	r.unread.Refresh()
	r.title.set(title)
	if s.Starred {
		r.star.Show()
	} else {
		r.star.Hide()
	}
	for i, c := range r.chips {
		if i < len(s.Topics) {
			t := s.Topics[i]
			c.set(t.Name, paletteColor(t.Color, t.ID))
			r.chipBox[i].Show()
		} else {
			r.chipBox[i].Hide()
		}
	}
	if n := len(s.Topics) - maxChips; n > 0 {
		r.more.SetText(fmt.Sprintf("+%d", n))
		r.more.Show()
	} else {
		r.more.Hide()
	}
	if s.Updated && s.NewSources > 0 {
		r.updated.SetText(nf("+{{.N}} sources", s.NewSources))
		r.updated.Show()
	} else {
		r.updated.Hide()
	}
	r.line1.Refresh() // the chips' width may have changed
	r.snippet.set(monitor.Join("  ·  ", monitor.Plain(storyLine(s, now)), s.Snippet(220).Marked))
	r.story.Show()
}

// storyLine says where a story comes from: the feed of a story with one
// report, else "6 reports · 5 sources · since 03:09".
func storyLine(s *monitor.Story, now time.Time) string {
	n := max(s.ReportCount, len(s.Reports), 1)
	if n == 1 {
		return s.Article.FeedName
	}
	return nf("{{.N}} reports", n) + " · " + nf("{{.N}} sources", max(s.Sources, 1)) + " · " +
		tf("since {{.When}}", "When", trMsg(msg.Moment(s.FirstSeen, now)))
}

// showReport shows one of the open story's reports under its row: its
// time, its feed and title, and a snippet around what it matched.
func (r *timelineRow) showReport(rep *monitor.Report, shown bool) {
	r.head.Hide()
	r.indent.Show()
	r.unread.FillColor = color.Transparent
	if shown { // the report the story view shows
		r.unread.FillColor = theme.Color(theme.ColorNameForeground)
	}
	r.unread.Refresh()
	r.clock.SetText(msg.Clock(rep.Article.Published))
	r.title.dim = false
	r.title.set(monitor.Plain(rep.Article.FeedName + " — " + rep.Article.Title))
	r.star.Hide()
	for _, b := range r.chipBox {
		b.Hide()
	}
	r.more.Hide()
	r.updated.Hide()
	r.line1.Refresh()
	r.snippet.set(rep.Snippet(220).Marked)
	r.story.Show()
}

// showMore says how many more reports the story view lists.
func (r *timelineRow) showMore(n int) {
	r.head.Hide()
	r.indent.Show()
	r.unread.FillColor = color.Transparent
	r.unread.Refresh()
	r.clock.SetText("")
	r.title.dim = true
	r.title.set(monitor.Plain(nf("… and {{.N}} more reports — the story lists them all", n)))
	r.star.Hide()
	for _, b := range r.chipBox {
		b.Hide()
	}
	r.more.Hide()
	r.updated.Hide()
	r.line1.Refresh()
	r.snippet.set(monitor.Plain(""))
	r.story.Show()
}

// rowLabels are the two lines of a list row: a bold name and a line of
// smaller text under it, both cut with "…" when they do not fit.
func rowLabels() (name, info *widget.Label) {
	name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	info = widget.NewLabel("")
	info.Truncation = fyne.TextTruncateEllipsis
	info.SizeName = theme.SizeNameCaptionText
	return name, info
}

// tightVBox stacks two or more lines of text with less space between them
// than the theme's padding, so a list row reads as one item.
type tightVBox struct{}

// overlap is how much of each label's inner padding the next line takes.
func overlap() float32 { return theme.InnerPadding() * 1.25 }

func (tightVBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h - overlap()
	}
}

func (tightVBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for _, o := range objs {
		m := o.MinSize()
		w = max(w, m.Width)
		h += m.Height
	}
	if len(objs) > 1 {
		h -= overlap() * float32(len(objs)-1)
	}
	return fyne.NewSize(w, h)
}
