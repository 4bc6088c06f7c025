package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// colorSwatch is a tappable colour for the topic editor.
type colorSwatch struct {
	widget.BaseWidget
	c        color.Color
	selected bool
	onTap    func()
	ring     *canvas.Circle
}

func newColorSwatch(c color.Color, onTap func()) *colorSwatch {
	s := &colorSwatch{c: c, onTap: onTap}
	s.ExtendBaseWidget(s)
	return s
}

func (s *colorSwatch) setSelected(b bool) {
	s.selected = b
	s.Refresh()
}

func (s *colorSwatch) Tapped(*fyne.PointEvent) { s.onTap() }

func (s *colorSwatch) MinSize() fyne.Size { return fyne.NewSize(26, 26) }

func (s *colorSwatch) CreateRenderer() fyne.WidgetRenderer {
	s.ring = canvas.NewCircle(color.Transparent)
	s.ring.StrokeWidth = 2
	dot := canvas.NewCircle(s.c)
	r := &swatchRenderer{s: s, dot: dot}
	r.Refresh()
	return r
}

type swatchRenderer struct {
	s   *colorSwatch
	dot *canvas.Circle
}

func (r *swatchRenderer) Layout(size fyne.Size) {
	r.s.ring.Resize(size)
	r.dot.Move(fyne.NewPos(5, 5))
	r.dot.Resize(fyne.NewSize(size.Width-10, size.Height-10))
}
func (r *swatchRenderer) MinSize() fyne.Size { return r.s.MinSize() }
func (r *swatchRenderer) Refresh() {
	if r.s.selected {
		r.s.ring.StrokeColor = theme.Color(theme.ColorNameForeground)
	} else {
		r.s.ring.StrokeColor = color.Transparent
	}
	r.s.ring.Refresh()
	r.dot.Refresh()
}
func (r *swatchRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.s.ring, r.dot} }
func (r *swatchRenderer) Destroy()                     {}
