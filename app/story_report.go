package app

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// reportLine is one report in the story view's list: when and where it
// appeared, its title with the matched words in bold, and a button that
// opens it in the browser. A tap on it shows it in the story view.
type reportLine struct {
	widget.BaseWidget
	source *widget.Label
	title  *markedText
	open   *widget.Button
	bar    *canvas.Rectangle // marks the report shown
	onTap  func()
}

func newReportLine(r *monitor.Report, now time.Time, onTap, onOpen func()) *reportLine {
	l := &reportLine{onTap: onTap, source: widget.NewLabel(""), title: newMarkedText(),
		bar: canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))}
	l.source.SizeName = theme.SizeNameCaptionText
	l.source.Importance = widget.LowImportance
	l.source.SetText(trMsg(msg.Moment(r.Article.Published, now)) + "  ·  " + r.Article.FeedName)
	l.title.set(r.Title())
	l.bar.SetMinSize(fyne.NewSize(3, 3))
	l.bar.Hide()
	l.open = widget.NewButtonWithIcon("", theme.ComputerIcon(), onOpen)
	l.open.Importance = widget.LowImportance
	if r.Article.Link == "" {
		l.open.Disable()
	}
	l.ExtendBaseWidget(l)
	return l
}

func (l *reportLine) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, l.bar, container.NewCenter(l.open),
		container.New(&tightVBox{}, l.source, l.title)))
}

// setShown marks the line of the report the story view shows.
func (l *reportLine) setShown(shown bool) {
	if shown {
		l.bar.Show()
	} else {
		l.bar.Hide()
	}
}

func (l *reportLine) Tapped(*fyne.PointEvent) { l.onTap() }

// Cursor shows the line can be tapped.
func (l *reportLine) Cursor() desktop.Cursor { return desktop.PointerCursor }
