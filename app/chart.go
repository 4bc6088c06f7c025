package app

import (
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// barChart draws counts as bars (a topic's stories per hour or per day),
// the highest one's count at its top left, a label under each end.
type barChart struct {
	widget.BaseWidget
	values      []int
	color       color.Color
	first, last string // under the first and the last bar
}

// chartHeight is the bars' height.
const chartHeight = 56

func newBarChart() *barChart {
	c := &barChart{color: theme.Color(theme.ColorNamePrimary)}
	c.ExtendBaseWidget(c)
	return c
}

// set shows values (oldest first) in the colour c, with labels under the
// first and the last bar.
func (c *barChart) set(values []int, col color.Color, first, last string) {
	c.values, c.color, c.first, c.last = values, col, first, last
	c.Refresh()
}

func (c *barChart) CreateRenderer() fyne.WidgetRenderer {
	r := &chartRenderer{c: c, axis: canvas.NewRectangle(theme.Color(theme.ColorNameSeparator)),
		max:   canvas.NewText("", theme.Color(theme.ColorNamePlaceHolder)),
		first: canvas.NewText("", theme.Color(theme.ColorNamePlaceHolder)),
		last:  canvas.NewText("", theme.Color(theme.ColorNamePlaceHolder))}
	for _, t := range []*canvas.Text{r.max, r.first, r.last} {
		t.TextSize = theme.CaptionTextSize()
	}
	r.last.Alignment = fyne.TextAlignTrailing
	r.Refresh()
	return r
}

type chartRenderer struct {
	c                *barChart
	bars             []*canvas.Rectangle
	axis             *canvas.Rectangle
	max, first, last *canvas.Text
	objs             []fyne.CanvasObject
}

func (r *chartRenderer) Refresh() {
	for len(r.bars) < len(r.c.values) {
		r.bars = append(r.bars, canvas.NewRectangle(r.c.color))
	}
	r.bars = r.bars[:len(r.c.values)]
	top := 0
	for _, v := range r.c.values {
		top = max(top, v)
	}
	r.max.Text = ""
	if top > 0 {
		r.max.Text = strconv.Itoa(top)
	}
	r.first.Text, r.last.Text = r.c.first, r.c.last
	r.objs = r.objs[:0]
	for _, b := range r.bars {
		b.FillColor = r.c.color
		r.objs = append(r.objs, b)
	}
	r.objs = append(r.objs, r.axis, r.max, r.first, r.last)
	r.Layout(r.c.Size())
	canvas.Refresh(r.c)
}

func (r *chartRenderer) Layout(size fyne.Size) {
	n := len(r.bars)
	labelH := fyne.MeasureText("0", theme.CaptionTextSize(), fyne.TextStyle{}).Height
	base := float32(chartHeight)
	r.axis.Move(fyne.NewPos(0, base))
	r.axis.Resize(fyne.NewSize(size.Width, 1))
	r.max.Move(fyne.NewPos(0, 0))
	r.first.Move(fyne.NewPos(0, base+2))
	r.last.Move(fyne.NewPos(size.Width-r.last.MinSize().Width, base+2))
	r.first.Resize(r.first.MinSize())
	r.last.Resize(r.last.MinSize())
	if n == 0 {
		return
	}
	top := 0
	for _, v := range r.c.values {
		top = max(top, v)
	}
	slot := size.Width / float32(n)
	gap := min(float32(2), slot/4)
	for i, b := range r.bars {
		h := float32(0)
		if top > 0 {
			h = (base - labelH) * float32(r.c.values[i]) / float32(top)
		}
		if r.c.values[i] > 0 {
			h = max(h, 1)
		}
		b.Move(fyne.NewPos(float32(i)*slot, base-h))
		b.Resize(fyne.NewSize(slot-gap, h))
	}
}

func (r *chartRenderer) MinSize() fyne.Size {
	labelH := fyne.MeasureText("0", theme.CaptionTextSize(), fyne.TextStyle{}).Height
	return fyne.NewSize(float32(max(len(r.bars), 30)*3), chartHeight+2+labelH)
}

func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *chartRenderer) Destroy()                     {}
