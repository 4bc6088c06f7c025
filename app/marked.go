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

// markedText is the app's one way to show text with matched words in
// bold: timeline rows, the story view and the topic editor's preview all
// use it (the tray's menu can show no bold; it shows the text only). It
// wraps at word boundaries, or keeps to one line ending in "…" (oneLine).
// It lays out its words itself: Fyne's rich text splits a word into single
// letters when a styled segment starts near the end of a line. Words of
// one style on one line are drawn as one text.
type markedText struct {
	widget.BaseWidget
	words   []mword
	dim     bool // plain words in the secondary text colour
	oneLine bool // one line, cut with "…"
}

type mword struct {
	text  string
	bold  bool
	brk   bool    // a paragraph break ("\n\n" in the text), not a word
	width float32 // measured at the current text size
}

func newMarkedText() *markedText {
	m := &markedText{}
	m.ExtendBaseWidget(m)
	return m
}

// set shows marked text; a highlight grows to the whole word (all of
// "EU-Kommission" for a hit on "EU"). A blank line ("\n\n") starts a new
// paragraph (full texts have them).
func (m *markedText) set(t monitor.Marked) {
	spans := toWords(t.Text, t.Spans)
	m.words = m.words[:0]
	add := func(s string, bold bool) {
		for i, para := range strings.Split(s, "\n\n") {
			if i > 0 && len(m.words) > 0 && !m.words[len(m.words)-1].brk {
				m.words = append(m.words, mword{brk: true})
			}
			for _, w := range strings.Fields(para) {
				m.words = append(m.words, mword{text: w, bold: bold})
			}
		}
	}
	last := 0
	for _, sp := range spans {
		add(t.Text[last:sp.Start], false)
		add(t.Text[sp.Start:sp.End], true)
		last = sp.End
	}
	add(t.Text[last:], false)
	m.Refresh()
}

// toWords widens spans to the spaces around them and merges those that
// meet.
func toWords(text string, spans []monitor.Span) []monitor.Span {
	out := make([]monitor.Span, 0, len(spans))
	for _, sp := range spans {
		for sp.Start > 0 && !isSpaceByte(text[sp.Start-1]) {
			sp.Start--
		}
		for sp.End < len(text) && !isSpaceByte(text[sp.End]) {
			sp.End++
		}
		if n := len(out); n > 0 && sp.Start <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, sp.End)
			continue
		}
		out = append(out, sp)
	}
	return out
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\n' }

func (m *markedText) CreateRenderer() fyne.WidgetRenderer {
	r := &markedRenderer{m: m}
	r.Refresh()
	return r
}

type markedRenderer struct {
	m      *markedText
	texts  []*canvas.Text // one per run of words
	objs   []fyne.CanvasObject
	size   float32
	space  float32
	ellips float32
	lineH  float32
	plain  fyne.ThemeColorName
}

func (r *markedRenderer) Refresh() {
	th := r.m.Theme()
	r.size = th.Size(theme.SizeNameText)
	r.space = fyne.MeasureText(" ", r.size, fyne.TextStyle{}).Width
	r.ellips = fyne.MeasureText("…", r.size, fyne.TextStyle{}).Width
	r.lineH = fyne.MeasureText("Mg", r.size, fyne.TextStyle{}).Height
	r.plain = theme.ColorNameForeground
	if r.m.dim {
		r.plain = theme.ColorNamePlaceHolder
	}
	for i := range r.m.words {
		w := &r.m.words[i]
		w.width = fyne.MeasureText(w.text, r.size, fyne.TextStyle{Bold: w.bold}).Width
	}
	r.Layout(r.m.Size())
	canvas.Refresh(r.m)
}

// run is words of one style on one line, drawn as one text.
type run struct {
	text string
	bold bool
	x, y float32
}

// place lays the words out for width and returns the runs and the
// height used. One line (oneLine) that does not fit ends with "…" after
// the last word that leaves room for it; it shows no paragraph breaks.
func (r *markedRenderer) place(width float32) ([]run, float32) {
	pad := theme.InnerPadding()
	avail := width - pad
	words := r.m.words
	if len(words) == 0 {
		return nil, 0
	}
	if r.m.oneLine {
		x, fit := pad, 0 // fit: the words that leave room for " …"
		for i, w := range words {
			if w.brk {
				continue
			}
			if x > pad && x+w.width > avail {
				runs := r.runs(words[:fit], avail, false)
				if n := len(runs); n > 0 {
					runs[n-1].text += " …"
				}
				return runs, pad + r.lineH + pad
			}
			if x+w.width+r.space+r.ellips <= avail {
				fit = i + 1
			}
			x += w.width + r.space
		}
	}
	runs := r.runs(words, avail, !r.m.oneLine)
	if len(runs) == 0 {
		return nil, 0
	}
	return runs, runs[len(runs)-1].y + r.lineH + pad
}

// runs places words from the top left, wrapping (and breaking
// paragraphs) or not at avail.
func (r *markedRenderer) runs(words []mword, avail float32, wrap bool) []run {
	pad := theme.InnerPadding()
	x, y := pad, pad
	var runs []run
	for _, w := range words {
		if w.brk {
			if wrap {
				x, y = pad, y+r.lineH*1.5
			}
			continue
		}
		if wrap && x > pad && x+w.width > avail {
			x, y = pad, y+r.lineH
		}
		if n := len(runs); n > 0 && runs[n-1].bold == w.bold && runs[n-1].y == y {
			runs[n-1].text += " " + w.text
		} else {
			runs = append(runs, run{text: w.text, bold: w.bold, x: x, y: y})
		}
		x += w.width + r.space
	}
	return runs
}

func (r *markedRenderer) Layout(size fyne.Size) {
	runs, _ := r.place(size.Width)
	th := r.m.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	for len(r.texts) < len(runs) {
		r.texts = append(r.texts, canvas.NewText("", nil))
	}
	r.texts = r.texts[:len(runs)]
	r.objs = r.objs[:0]
	for i, rn := range runs {
		t := r.texts[i]
		t.Text, t.TextSize, t.TextStyle = rn.text, r.size, fyne.TextStyle{Bold: rn.bold}
		t.Color = th.Color(r.plain, v)
		if rn.bold {
			t.Color = th.Color(theme.ColorNameForeground, v)
		}
		// Whole pixels: text at fractional positions renders blurred.
		t.Move(fyne.NewPos(float32(math.Round(float64(rn.x))), float32(math.Round(float64(rn.y)))))
		t.Resize(t.MinSize())
		t.Refresh()
		r.objs = append(r.objs, t)
	}
}

func (r *markedRenderer) MinSize() fyne.Size {
	pad := theme.InnerPadding()
	if r.m.oneLine {
		return fyne.NewSize(pad*4, r.lineH+2*pad)
	}
	width := r.m.Size().Width
	if width <= 0 {
		width = 400
	}
	_, h := r.place(width)
	return fyne.NewSize(pad*4, h)
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
