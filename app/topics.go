package app

import (
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// previewDays is how far back the topic editor's preview looks.
const previewDays = 30

// topicsView lists the topics and edits one: its name, its query (checked
// as you type, with a preview of what it would have matched), colour,
// whether it is on and whether it notifies.
type topicsView struct {
	u       *UI
	content fyne.CanvasObject
	topics  []monitor.Topic
	list    *widget.List
	editing *monitor.Topic // nil: a new topic

	heading    *widget.Label
	name       *widget.Entry
	query      *widget.Entry
	problem    *widget.Label
	explain    *widget.Label
	enabled    *widget.Check
	notify     *widget.Check
	colors     *fyne.Container
	color      string
	saveBtn    *widget.Button
	deleteBtn  *widget.Button
	preview    *widget.Label
	previewBox *fyne.Container
	gen        int
	timer      *time.Timer
}

func newTopicsView(u *UI) *topicsView {
	v := &topicsView{u: u}
	v.list = widget.NewList(func() int { return len(v.topics) }, func() fyne.CanvasObject {
		dot := canvas.NewCircle(color.Transparent)
		name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		name.Truncation = fyne.TextTruncateEllipsis
		q := widget.NewLabel("")
		q.Truncation = fyne.TextTruncateEllipsis
		q.SizeName = theme.SizeNameCaptionText
		state := widget.NewLabel("")
		state.SizeName = theme.SizeNameCaptionText
		return container.NewBorder(nil, nil, container.NewCenter(container.NewGridWrap(fyne.NewSize(12, 12), dot)), state,
			container.New(&tightVBox{}, name, q))
	}, func(i widget.ListItemID, o fyne.CanvasObject) {
		t := v.topics[i]
		c := o.(*fyne.Container)
		text := c.Objects[0].(*fyne.Container)
		text.Objects[0].(*widget.Label).SetText(t.Name)
		text.Objects[1].(*widget.Label).SetText(t.Query)
		dot := c.Objects[1].(*fyne.Container).Objects[0].(*fyne.Container).Objects[0].(*canvas.Circle)
		dot.FillColor = paletteColor(t.Color, t.ID)
		dot.Refresh()
		state := lang.L("on")
		switch {
		case !t.Enabled:
			state = lang.L("off")
		case !t.Notify:
			state = lang.L("silent")
		}
		c.Objects[2].(*widget.Label).SetText(state)
	})
	v.list.OnSelected = func(i widget.ListItemID) {
		t := v.topics[i]
		v.edit(&t)
	}
	addBtn := widget.NewButtonWithIcon(lang.L("New topic"), theme.ContentAddIcon(), func() {
		v.list.UnselectAll()
		v.edit(nil)
	})
	addBtn.Importance = widget.HighImportance

	v.heading = widget.NewLabelWithStyle(lang.L("New topic"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.name = widget.NewEntry()
	v.name.SetPlaceHolder(lang.L("Ukraine"))
	v.name.OnChanged = func(string) { v.validate() }
	v.query = widget.NewMultiLineEntry()
	v.query.SetPlaceHolder(lang.L("Ukraine (Waffen OR Munition) -Fußball     — empty: the name"))
	v.query.Wrapping = fyne.TextWrapWord
	v.query.SetMinRowsVisible(2)
	v.query.OnChanged = func(string) { v.validate() }
	v.problem = widget.NewLabel("")
	v.problem.Importance = widget.DangerImportance
	v.problem.Wrapping = fyne.TextWrapWord
	v.explain = widget.NewLabel("")
	v.explain.Importance = widget.LowImportance
	v.explain.Wrapping = fyne.TextWrapWord
	v.enabled = widget.NewCheck(lang.L("Watch this topic"), nil)
	v.notify = widget.NewCheck(lang.L("Notify me of new stories"), nil)
	v.colors = container.NewHBox()
	for _, hex := range topicPalette {
		hex := hex
		c, _ := parseHex(hex)
		b := newColorSwatch(c, func() { v.color = hex; v.syncColors() })
		v.colors.Add(b)
	}
	v.saveBtn = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), v.save)
	v.saveBtn.Importance = widget.HighImportance
	v.deleteBtn = widget.NewButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), v.remove)
	v.preview = widget.NewLabel("")
	v.preview.Wrapping = fyne.TextWrapWord
	v.previewBox = container.NewVBox()

	help := widget.NewRichTextFromMarkdown(lang.L("Words must all occur; `OR` for either, `-word` to exclude, `\"two words\"` for a phrase, " +
		"`word*` for a prefix, `*word` inside compounds, `title:` to look only in titles. " +
		"Case, accents and ä/ae, ö/oe, ü/ue, ß/ss do not matter; terms also find inflections (Nordkorea → nordkoreanische)."))
	help.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Name"), v.name),
		widget.NewFormItem(lang.L("Query"), container.NewVBox(v.query, v.problem)),
		widget.NewFormItem(lang.L("Colour"), v.colors),
		widget.NewFormItem("", container.NewHBox(v.enabled, v.notify)),
	)
	editor := container.NewVBox(v.heading, form, help, v.explain,
		container.NewHBox(v.saveBtn, v.deleteBtn), widget.NewSeparator(), v.preview, v.previewBox)
	left := container.NewBorder(container.NewPadded(addBtn), nil, nil, nil, v.list)
	split := container.NewHSplit(left, container.NewVScroll(container.NewPadded(editor)))
	split.Offset = 0.3
	v.content = split
	v.edit(nil)
	return v
}

// refresh reads the topics again.
func (v *topicsView) refresh() {
	topics, err := v.u.eng.Topics(v.u.ctx)
	if err != nil {
		v.u.showError(err)
		return
	}
	v.topics = topics
	v.list.Refresh()
	if v.editing != nil {
		for i, t := range topics {
			if t.ID == v.editing.ID {
				v.list.Select(i)
			}
		}
	}
}

// edit fills the editor with a topic, or empties it for a new one.
func (v *topicsView) edit(t *monitor.Topic) {
	v.editing = t
	if t == nil {
		v.heading.SetText(lang.L("New topic"))
		v.name.SetText("")
		v.query.SetText("")
		v.enabled.SetChecked(true)
		v.notify.SetChecked(true)
		v.color = topicPalette[len(v.topics)%len(topicPalette)]
		v.deleteBtn.Hide()
	} else {
		v.heading.SetText(lang.L("Edit topic"))
		v.name.SetText(t.Name)
		v.query.SetText(t.Query)
		v.enabled.SetChecked(t.Enabled)
		v.notify.SetChecked(t.Notify)
		v.color = t.Color
		if v.color == "" {
			v.color = topicPalette[int(t.ID)%len(topicPalette)]
		}
		v.deleteBtn.Show()
	}
	v.syncColors()
	v.validate()
}

func (v *topicsView) syncColors() {
	for i, o := range v.colors.Objects {
		o.(*colorSwatch).setSelected(strings.EqualFold(topicPalette[i], v.color))
	}
}

// effectiveQuery is the query the topic will have: the query, else the name.
func (v *topicsView) effectiveQuery() string {
	if q := strings.TrimSpace(v.query.Text); q != "" {
		return q
	}
	return strings.TrimSpace(v.name.Text)
}

// validate checks the query as it is typed and schedules the preview.
func (v *topicsView) validate() {
	q := v.effectiveQuery()
	if q == "" {
		v.problem.SetText("")
		v.explain.SetText("")
		v.saveBtn.Disable()
		v.dropPreview()
		v.setPreview(lang.L("Type a name and a query to see which stored stories it would have matched."), nil)
		return
	}
	parsed, err := query.Parse(q)
	if err != nil {
		v.problem.SetText(msg.Sentence(trErr(err)))
		v.problem.Show()
		v.explain.SetText("")
		v.saveBtn.Disable()
		v.dropPreview()
		v.setPreview("", nil)
		return
	}
	v.problem.SetText("")
	v.problem.Hide()
	var how []string
	for _, m := range parsed.Explain() {
		how = append(how, trMsg(m))
	}
	v.explain.SetText(strings.Join(how, "\n"))
	if strings.TrimSpace(v.name.Text) == "" {
		v.saveBtn.Disable()
	} else {
		v.saveBtn.Enable()
	}
	v.schedulePreview(q)
}

// dropPreview forgets a preview scheduled or running for an earlier
// query, so it cannot show over what the query is now.
func (v *topicsView) dropPreview() {
	v.gen++
	if v.timer != nil {
		v.timer.Stop()
	}
}

// schedulePreview runs the backtest shortly after typing stops.
func (v *topicsView) schedulePreview(q string) {
	v.gen++
	gen := v.gen
	v.u.later(&v.timer, 300*time.Millisecond, func() {
		since := v.u.opt.Now().AddDate(0, 0, -previewDays)
		var bt monitor.Backtest
		var err error
		v.u.background(func() {
			bt, err = v.u.eng.Backtest(v.u.ctx, q, monitor.BacktestOptions{Since: since, Limit: 8})
		}, func() {
			if gen != v.gen {
				return
			}
			if err != nil {
				v.setPreview(tf("The preview failed: {{.Reason}}", "Reason", trErr(err)), nil)
				return
			}
			text := nf("{{.N}} stories in the last {{.Days}} days would have matched.", bt.Total, "Days", previewDays)
			if bt.Total > len(bt.Matches) && len(bt.Matches) > 0 {
				text += " " + lang.L("The newest:")
			}
			v.setPreview(text, bt.Matches)
		})
	})
}

func (v *topicsView) setPreview(text string, ms []monitor.Match) {
	v.preview.SetText(text)
	v.previewBox.RemoveAll()
	for i := range ms {
		m := &ms[i]
		a := &m.Article
		title := newMarkedText()
		title.set(a.Title, monitor.HitSpans(a.Title, m.Hits, query.Title))
		sn := monitor.MakeSnippet(a, m.Hits, 220)
		line2 := newMarkedText()
		line2.dim = true
		line2.set(a.FeedName+" · "+sn.Text, shiftSpans(sn.Spans, len(a.FeedName+" · ")))
		v.previewBox.Add(container.New(&tightVBox{}, title, line2))
	}
}

func (v *topicsView) save() {
	t := monitor.Topic{Name: strings.TrimSpace(v.name.Text), Query: v.effectiveQuery(),
		Enabled: v.enabled.Checked, Notify: v.notify.Checked, Color: v.color}
	if v.editing == nil {
		added, err := v.u.eng.AddTopic(v.u.ctx, t)
		if err != nil {
			v.problem.SetText(msg.Sentence(trErr(err)))
			v.problem.Show()
			return
		}
		v.editing = &added
		// Fill the timeline with the past stories it matches, silently.
		var n int
		var applyErr error
		v.u.background(func() {
			n, applyErr = v.u.eng.ApplyTopic(v.u.ctx, added.ID, time.Time{})
		}, func() {
			if applyErr != nil {
				v.u.showError(applyErr)
				return
			}
			v.u.progress.SetText(nf("“{{.Topic}}”: {{.N}} earlier stories added to the timeline.", n, "Topic", added.Name))
			v.u.timeline.reload()
		})
	} else {
		t.ID, t.Created = v.editing.ID, v.editing.Created
		if err := v.u.eng.UpdateTopic(v.u.ctx, t); err != nil {
			v.problem.SetText(msg.Sentence(trErr(err)))
			v.problem.Show()
			return
		}
		v.editing = &t
		v.u.timeline.reload()
	}
	v.heading.SetText(lang.L("Edit topic"))
	v.deleteBtn.Show()
	v.u.reloadTopics()
	v.refresh()
}

func (v *topicsView) remove() {
	if v.editing == nil {
		return
	}
	t := *v.editing
	dialog.ShowConfirm(tf("Delete topic “{{.Name}}”?", "Name", t.Name),
		lang.L("Its matches leave the timeline; the stories stay for other topics."), func(ok bool) {
			if !ok {
				return
			}
			if err := v.u.eng.RemoveTopic(v.u.ctx, t.ID); err != nil {
				v.u.showError(err)
				return
			}
			v.list.UnselectAll()
			v.edit(nil)
			v.u.reloadTopics()
			v.refresh()
			v.u.timeline.reload()
		}, v.u.win)
}

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

// shiftSpans moves spans by n bytes (text was put in front).
func shiftSpans(spans []monitor.Span, n int) []monitor.Span {
	out := make([]monitor.Span, len(spans))
	for i, s := range spans {
		out[i] = monitor.Span{Start: s.Start + n, End: s.End + n}
	}
	return out
}
