package app

import (
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/monitor"
)

// markedText shows a paragraph of plain text, wrapped at word boundaries,
// with some words in bold (the matched terms). It lays out its words
// itself: Fyne's rich text splits a word into single letters when a
// styled segment starts near the end of a line.
type markedText struct {
	widget.BaseWidget
	words []mword
	dim   bool // secondary text colour
}

type mword struct {
	text string
	bold bool
}

func newMarkedText() *markedText {
	m := &markedText{}
	m.ExtendBaseWidget(m)
	return m
}

// set shows text with the spans in bold (widened to whole words).
func (m *markedText) set(text string, spans []monitor.Span) {
	spans = toSpaces(text, spans)
	m.words = m.words[:0]
	add := func(s string, bold bool) {
		for _, w := range strings.Fields(s) {
			m.words = append(m.words, mword{w, bold})
		}
	}
	last := 0
	for _, sp := range spans {
		add(text[last:sp.Start], false)
		add(text[sp.Start:sp.End], true)
		last = sp.End
	}
	add(text[last:], false)
	m.Refresh()
}

func (m *markedText) CreateRenderer() fyne.WidgetRenderer {
	r := &markedRenderer{m: m}
	r.Refresh()
	return r
}

type markedRenderer struct {
	m     *markedText
	texts []*canvas.Text
	objs  []fyne.CanvasObject
	space float32
	lineH float32
}

func (r *markedRenderer) Refresh() {
	th := r.m.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	size := th.Size(theme.SizeNameText)
	fg := th.Color(theme.ColorNameForeground, v)
	if r.m.dim {
		fg = th.Color(theme.ColorNamePlaceHolder, v)
	}
	for len(r.texts) < len(r.m.words) {
		r.texts = append(r.texts, canvas.NewText("", fg))
	}
	r.texts = r.texts[:len(r.m.words)]
	r.objs = r.objs[:0]
	for i, w := range r.m.words {
		t := r.texts[i]
		t.Text, t.TextSize, t.TextStyle = w.text, size, fyne.TextStyle{Bold: w.bold}
		t.Color = fg
		if w.bold {
			t.Color = th.Color(theme.ColorNameForeground, v)
		}
		t.Resize(t.MinSize())
		r.objs = append(r.objs, t)
	}
	r.space = fyne.MeasureText(" ", size, fyne.TextStyle{}).Width
	r.lineH = fyne.MeasureText("Mg", size, fyne.TextStyle{}).Height
	r.Layout(r.m.Size())
	canvas.Refresh(r.m)
}

// place lays the words out for width and returns the height used.
func (r *markedRenderer) place(width float32, move bool) float32 {
	pad := theme.InnerPadding()
	x, y := pad, pad
	avail := width - pad
	for _, t := range r.texts {
		w := t.MinSize().Width
		if x > pad && x+w > avail {
			x, y = pad, y+r.lineH
		}
		if move {
			// Whole pixels: text at fractional positions renders blurred.
			t.Move(fyne.NewPos(float32(math.Round(float64(x))), float32(math.Round(float64(y)))))
		}
		x += w + r.space
	}
	if len(r.texts) == 0 {
		return 0
	}
	return y + r.lineH + pad
}

func (r *markedRenderer) Layout(size fyne.Size) { r.place(size.Width, true) }

func (r *markedRenderer) MinSize() fyne.Size {
	width := r.m.Size().Width
	if width <= 0 {
		width = 400
	}
	return fyne.NewSize(theme.InnerPadding()*4, r.place(width, false))
}

func (r *markedRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *markedRenderer) Destroy()                     {}

// Resize lays the words out again for a new width; the height follows.
func (m *markedText) Resize(s fyne.Size) {
	if s.Width == m.Size().Width {
		m.BaseWidget.Resize(s)
		return
	}
	m.BaseWidget.Resize(s)
	m.Refresh()
}
