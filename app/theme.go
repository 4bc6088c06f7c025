package app

import (
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// topicPalette are the colours a topic can have: distinct, readable with
// white text, calm.
var topicPalette = []string{
	"#1e88e5", "#e53935", "#43a047", "#fb8c00", "#8e24aa",
	"#00897b", "#3949ab", "#d81b60", "#6d4c41", "#546e7a",
}

// paletteColor returns the colour for a topic: its own, or one from the
// palette picked by its ID.
func paletteColor(hex string, id int64) color.Color {
	if c, ok := parseHex(hex); ok {
		return c
	}
	c, _ := parseHex(topicPalette[int(id)%len(topicPalette)])
	return c
}

func parseHex(s string) (color.NRGBA, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(s) != 6 {
		return color.NRGBA{}, false
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return color.NRGBA{}, false
	}
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}, true
}

// chip is a small coloured label: a topic's name on its colour.
type chip struct {
	widget.BaseWidget
	text  string
	color color.Color
}

func newChip(text string, c color.Color) *chip {
	ch := &chip{text: text, color: c}
	ch.ExtendBaseWidget(ch)
	return ch
}

func (c *chip) set(text string, col color.Color) {
	if c.text == text && c.color == col {
		return
	}
	c.text, c.color = text, col
	c.Refresh()
}

func (c *chip) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(c.color)
	bg.CornerRadius = theme.InputRadiusSize()
	label := canvas.NewText(c.text, color.White)
	label.TextSize = theme.CaptionTextSize()
	label.TextStyle = fyne.TextStyle{Bold: true}
	return &chipRenderer{chip: c, bg: bg, label: label}
}

type chipRenderer struct {
	chip  *chip
	bg    *canvas.Rectangle
	label *canvas.Text
}

const chipPadH, chipPadV = 6, 2

func (r *chipRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	ls := r.label.MinSize()
	r.label.Move(fyne.NewPos(chipPadH, (size.Height-ls.Height)/2))
	r.label.Resize(ls)
}

func (r *chipRenderer) MinSize() fyne.Size {
	ls := r.label.MinSize()
	return fyne.NewSize(ls.Width+2*chipPadH, ls.Height+2*chipPadV)
}

func (r *chipRenderer) Refresh() {
	r.bg.FillColor = r.chip.color
	r.label.Text = r.chip.text
	r.Layout(r.chip.Size())
	r.bg.Refresh()
	r.label.Refresh()
}

func (r *chipRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.label} }
func (r *chipRenderer) Destroy()                     {}
