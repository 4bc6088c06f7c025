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
)

// previewDays is how far back the topic editor's preview looks.
const previewDays = 30

// topicsView lists the topics and edits one: its name, its query (checked
// as you type, with a preview of what it would have matched), colour,
// whether it is on and whether it notifies.
type topicsView struct {
	eng     topicEditor
	acts    *actions
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
	alerts     *topicAlerts // how the topic alerts, and its volume
	colors     []*colorSwatch
	color      string
	saveBtn    *widget.Button
	deleteBtn  *widget.Button
	preview    *widget.Label
	previewBox *fyne.Container
	gen        int // preview generation: an older answer is dropped
	timer      *time.Timer
}

func newTopicsView(eng topicEditor, acts *actions, h *hooks) *topicsView {
	v := &topicsView{eng: eng, acts: acts}
	v.list = widget.NewList(func() int { return len(v.topics) }, func() fyne.CanvasObject { return newTopicRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*topicRow).show(v.topics[i]) })
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
	v.alerts = newTopicAlerts()
	colors := container.NewHBox()
	for _, hex := range topicPalette {
		c, _ := parseHex(hex)
		s := newColorSwatch(c, func() { v.color = hex; v.syncColors() })
		v.colors = append(v.colors, s)
		colors.Add(s)
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
	form := widget.NewForm(append([]*widget.FormItem{
		widget.NewFormItem(lang.L("Name"), v.name),
		widget.NewFormItem(lang.L("Query"), container.NewVBox(v.query, v.problem)),
		widget.NewFormItem(lang.L("Colour"), colors),
		widget.NewFormItem("", container.NewHBox(v.enabled, v.notify)),
	}, v.alerts.items...)...)
	editor := container.NewVBox(v.heading, form, help, v.explain,
		container.NewHBox(v.saveBtn, v.deleteBtn), widget.NewSeparator(), v.preview, v.previewBox)
	left := container.NewBorder(container.NewPadded(addBtn), nil, nil, nil, v.list)
	split := container.NewHSplit(left, container.NewVScroll(container.NewPadded(editor)))
	split.Offset = 0.3
	v.content = split
	h.add(eng.Subscribe(func(ev monitor.Event) {
		if ev.Changed&monitor.TopicsChanged != 0 {
			acts.run.ui(v.refresh)
		}
	}))
	v.edit(nil)
	return v
}

// refresh reads the topics again.
func (v *topicsView) refresh() {
	var topics []monitor.Topic
	var err error
	v.acts.run.bg(func() {
		topics, err = v.eng.Topics(v.acts.ctx)
	}, func() {
		if err != nil {
			v.acts.showError(err)
			return
		}
		v.topics = topics
		v.list.Refresh()
		if v.editing == nil {
			return
		}
		for i, t := range topics {
			if t.ID == v.editing.ID {
				v.list.Select(i)
			}
		}
	})
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
		v.alerts.show(monitor.Topic{})
		v.color = topicPalette[len(v.topics)%len(topicPalette)]
		v.deleteBtn.Hide()
	} else {
		v.heading.SetText(lang.L("Edit topic"))
		v.name.SetText(t.Name)
		v.query.SetText(t.Query)
		v.enabled.SetChecked(t.Enabled)
		v.notify.SetChecked(t.Notify)
		v.alerts.show(*t)
		v.loadVolume(*t)
		v.color = t.Color
		if v.color == "" {
			v.color = topicPalette[int(t.ID)%len(topicPalette)]
		}
		v.deleteBtn.Show()
	}
	v.syncColors()
	v.validate()
}

// loadVolume reads a topic's volume and draws it.
func (v *topicsView) loadVolume(t monitor.Topic) {
	var vol monitor.Volume
	var err error
	v.acts.run.bg(func() {
		vol, err = v.eng.TopicVolume(v.acts.ctx, t.ID)
	}, func() {
		if err == nil && v.editing != nil && v.editing.ID == t.ID {
			v.alerts.showVolume(vol, paletteColor(t.Color, t.ID), v.acts.now())
		}
	})
}

func (v *topicsView) syncColors() {
	for i, s := range v.colors {
		s.setSelected(strings.EqualFold(topicPalette[i], v.color))
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
		v.showProblem("")
		v.explain.SetText("")
		v.saveBtn.Disable()
		v.dropPreview()
		v.setPreview(lang.L("Type a name and a query to see which stored stories it would have matched."), nil)
		return
	}
	c := v.eng.CheckQuery(q) // the parser only: no database
	if !c.OK() {
		v.showProblem(msg.Sentence(trMsg(c.Problem)))
		v.explain.SetText("")
		v.saveBtn.Disable()
		v.dropPreview()
		v.setPreview("", nil)
		return
	}
	v.showProblem("")
	how := make([]string, len(c.Explain))
	for i, m := range c.Explain {
		how[i] = trMsg(m)
	}
	v.explain.SetText(strings.Join(how, "\n"))
	if strings.TrimSpace(v.name.Text) == "" {
		v.saveBtn.Disable()
	} else {
		v.saveBtn.Enable()
	}
	v.schedulePreview(q)
}

func (v *topicsView) showProblem(text string) {
	v.problem.SetText(text)
	if text == "" {
		v.problem.Hide()
	} else {
		v.problem.Show()
	}
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
	v.acts.run.later(&v.timer, 300*time.Millisecond, func() {
		since := v.acts.now().AddDate(0, 0, -previewDays)
		var bt monitor.Backtest
		var err error
		v.acts.run.bg(func() {
			bt, err = v.eng.Backtest(v.acts.ctx, q, monitor.BacktestOptions{Since: since, Limit: 8})
		}, func() {
			if gen != v.gen {
				return
			}
			if err != nil {
				v.setPreview(tf("The preview failed: {{.Reason}}", "Reason", trErr(err)), nil)
				return
			}
			text := nf("{{.N}} stories in the last {{.Days}} days would have matched.", bt.Total, "Days", previewDays)
			if bt.Total > len(bt.Newest) && len(bt.Newest) > 0 {
				text += " " + lang.L("The newest:")
			}
			v.setPreview(text, bt.Newest)
		})
	})
}

func (v *topicsView) setPreview(text string, reports []monitor.Report) {
	v.preview.SetText(text)
	v.previewBox.RemoveAll()
	for i := range reports {
		r := &reports[i]
		title := newMarkedText()
		title.set(r.Title())
		line2 := newMarkedText()
		line2.dim = true
		line2.set(monitor.Join(" · ", monitor.Plain(r.Article.FeedName), r.Snippet(220).Marked))
		v.previewBox.Add(container.New(&tightVBox{}, title, line2))
	}
}

func (v *topicsView) save() {
	t := monitor.Topic{Name: strings.TrimSpace(v.name.Text), Query: v.effectiveQuery(),
		Enabled: v.enabled.Checked, Notify: v.notify.Checked, Color: v.color}
	if err := v.alerts.read(&t); err != nil {
		v.showProblem(msg.Sentence(trErr(err)))
		return
	}
	editing := v.editing
	var err error
	v.saveBtn.Disable()
	v.acts.run.bg(func() {
		if editing == nil {
			t, err = v.eng.AddTopic(v.acts.ctx, t)
			return
		}
		t.ID, t.Created = editing.ID, editing.Created
		err = v.eng.UpdateTopic(v.acts.ctx, t)
	}, func() {
		v.saveBtn.Enable()
		if err != nil {
			v.showProblem(msg.Sentence(trErr(err)))
			return
		}
		v.editing = &t
		v.heading.SetText(lang.L("Edit topic"))
		v.deleteBtn.Show()
		if editing == nil {
			v.applyPast(t)
		}
	})
}

// applyPast fills the timeline with the past stories a new topic matches,
// without alerting for them.
func (v *topicsView) applyPast(t monitor.Topic) {
	var n int
	var err error
	v.acts.run.bg(func() {
		n, err = v.eng.ApplyTopic(v.acts.ctx, t.ID, time.Time{})
	}, func() {
		if err != nil {
			v.acts.showError(err)
			return
		}
		v.acts.notice(nf("“{{.Topic}}”: {{.N}} earlier stories added to the timeline.", n, "Topic", t.Name))
	})
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
			var err error
			v.acts.run.bg(func() {
				err = v.eng.RemoveTopic(v.acts.ctx, t.ID)
			}, func() {
				if err != nil {
					v.acts.showError(err)
					return
				}
				v.list.UnselectAll()
				v.edit(nil)
			})
		}, v.acts.win)
}

// topicRow is a topic in the list: its colour, name and query, and
// whether it is on, silent or off.
type topicRow struct {
	widget.BaseWidget
	dot   *canvas.Circle
	name  *widget.Label
	query *widget.Label
	state *widget.Label
}

func newTopicRow() *topicRow {
	r := &topicRow{dot: canvas.NewCircle(color.Transparent), state: widget.NewLabel("")}
	r.name, r.query = rowLabels()
	r.state.SizeName = theme.SizeNameCaptionText
	r.ExtendBaseWidget(r)
	return r
}

func (r *topicRow) CreateRenderer() fyne.WidgetRenderer {
	dot := container.NewCenter(container.NewGridWrap(fyne.NewSize(12, 12), r.dot))
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, dot, r.state, container.New(&tightVBox{}, r.name, r.query)))
}

func (r *topicRow) show(t monitor.Topic) {
	r.name.SetText(t.Name)
	r.query.SetText(t.Query)
	r.dot.FillColor = paletteColor(t.Color, t.ID)
	r.dot.Refresh()
	r.state.SetText(trMsg(t.State()))
}
