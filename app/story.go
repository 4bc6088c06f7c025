package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// storyView shows the timeline model's open story: its headline, how many
// reports and sources it has, its topics, and one report at a time — the
// lead first — with its source and times, its summary (and full text: the
// text of its web page once read, else the feed's content) with the
// matched words in bold; below, every report with its feed, time and
// matched words, each to be read here or opened in the browser. Feed text
// is shown as plain text only, never as HTML.
type storyView struct {
	model   *timelineModel
	acts    *actions
	content fyne.CanvasObject
	story   *monitor.Story
	report  *monitor.Report // the report shown

	title    *widget.Label
	meta     *widget.Label
	chips    *fyne.Container
	repTitle *markedText // the report's title when it is not the headline
	repMeta  *widget.Label
	body     *markedText
	full     *markedText
	fullBox  *fyne.Container
	where    *widget.Label // the terms found in the full text
	link     *widget.Label
	reports  *fyne.Container // every report
	repBox   *fyne.Container

	openBtn, readBtn, starBtn, copyBtn, deleteBtn *widget.Button
	placeholder                                   *widget.Label
	page                                          *fyne.Container
}

func newStoryView(m *timelineModel, acts *actions, h *hooks) *storyView {
	v := &storyView{model: m, acts: acts}
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.Wrapping = fyne.TextWrapWord
	v.title.SizeName = theme.SizeNameSubHeadingText
	v.meta = widget.NewLabel("")
	v.meta.Importance = widget.LowImportance
	v.meta.Wrapping = fyne.TextWrapWord
	v.chips = container.NewHBox()
	v.repTitle = newMarkedText()
	v.repMeta = widget.NewLabel("")
	v.repMeta.Importance = widget.LowImportance
	v.repMeta.Wrapping = fyne.TextWrapWord
	v.body = newMarkedText()
	v.full = newMarkedText()
	v.where = widget.NewLabel("")
	v.where.Importance = widget.LowImportance
	v.where.Wrapping = fyne.TextWrapWord
	v.fullBox = container.NewVBox(widget.NewSeparator(), widget.NewLabelWithStyle(lang.L("Full text"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), v.where, v.full)
	v.link = widget.NewLabel("")
	v.link.Importance = widget.LowImportance
	v.link.Truncation = fyne.TextTruncateEllipsis
	v.reports = container.NewVBox()
	v.repBox = container.NewVBox(widget.NewSeparator(), widget.NewLabelWithStyle(lang.L("Reports"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), v.reports)

	v.openBtn = widget.NewButtonWithIcon(lang.L("Open in browser"), theme.ComputerIcon(), v.onOpenLink)
	v.openBtn.Importance = widget.HighImportance
	v.readBtn = widget.NewButtonWithIcon(lang.L("Mark unread"), theme.VisibilityOffIcon(), v.onRead)
	v.starBtn = widget.NewButtonWithIcon(lang.L("Star"), theme.ConfirmIcon(), v.onStar)
	v.copyBtn = widget.NewButtonWithIcon(lang.L("Copy link"), theme.ContentCopyIcon(), v.onCopy)
	v.deleteBtn = widget.NewButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), v.onDelete)
	// The buttons wrap to the width the story pane has (German labels are
	// long): they never make the pane wider than the timeline leaves it.
	buttons := container.New(layout.NewRowWrapLayout(), v.openBtn, v.readBtn, v.starBtn, v.copyBtn, v.deleteBtn)
	v.page = container.NewVBox(v.title, v.meta, v.chips, buttons, widget.NewSeparator(),
		v.repTitle, v.repMeta, v.body, v.fullBox, v.link, v.repBox)
	v.placeholder = widget.NewLabel(lang.L("Select a story to read it here."))
	v.placeholder.Alignment = fyne.TextAlignCenter
	v.placeholder.Importance = widget.LowImportance
	v.content = container.NewStack(container.NewVScroll(container.NewPadded(v.page)), container.NewCenter(v.placeholder))
	h.add(m.openChanged.listen(v.show))
	h.add(m.reportChanged.listen(v.showReport))
	v.show(m.openStory())
	return v
}

func (v *storyView) onOpenLink() {
	if v.report != nil {
		v.acts.openLink(v.report.Article.Link)
	}
}

func (v *storyView) onRead() {
	if v.story != nil {
		v.model.setRead([]int64{v.story.ID}, !v.story.Read)
	}
}

func (v *storyView) onStar() {
	if v.story != nil {
		v.model.setStarred([]int64{v.story.ID}, !v.story.Starred)
	}
}

func (v *storyView) onCopy() {
	if v.report != nil && v.report.Article.Link != "" {
		v.acts.copyText(v.report.Article.Link)
		v.acts.notice(lang.L("Link copied."))
	}
}

func (v *storyView) onDelete() {
	if v.story == nil {
		return
	}
	id := v.story.ID
	dialog.ShowConfirm(lang.L("Delete this story?"),
		lang.L("It leaves the timeline and its topics. The feed will not bring it back."),
		func(ok bool) {
			if ok {
				v.model.remove([]int64{id})
			}
		}, v.acts.win)
}

// show displays a story (nil: the placeholder) with the report the model
// chose (the lead). The same story shown again only brings its read and
// starred state up to date.
func (v *storyView) show(s *monitor.Story) {
	if s == nil {
		v.story, v.report = nil, nil
		v.page.Hide()
		v.placeholder.Show()
		return
	}
	same := v.story == s
	v.story = s
	v.syncState()
	if same {
		return
	}
	v.title.SetText(s.Article.Title)
	now := v.acts.now()
	if n := len(s.Reports); n > 1 {
		v.meta.SetText(strings.Join([]string{nf("{{.N}} reports", n), nf("{{.N}} sources", max(s.Sources, 1)),
			tf("since {{.When}}", "When", trMsg(msg.Moment(s.FirstSeen, now))),
			tf("latest {{.When}}", "When", trMsg(msg.Moment(s.LastSeen, now)))}, "  ·  "))
		v.meta.Show()
	} else {
		v.meta.Hide()
	}
	v.chips.RemoveAll()
	for _, t := range s.Topics {
		v.chips.Add(newChip(t.Name, paletteColor(t.Color, t.ID)))
	}
	v.listReports()
	v.showReport(v.model.report)
	v.placeholder.Hide()
	v.page.Show()
}

// listReports lists every report of the story, oldest first.
func (v *storyView) listReports() {
	v.reports.RemoveAll()
	s := v.story
	if len(s.Reports) < 2 {
		v.repBox.Hide()
		return
	}
	for i := range s.Reports {
		r := &s.Reports[i]
		v.reports.Add(newReportLine(r, v.acts.now(), func() { v.model.showReport(i) }, func() { v.acts.openLink(r.Article.Link) }))
	}
	v.repBox.Show()
}

// showReport shows report i of the story (the lead when i is out of range).
func (v *storyView) showReport(i int) {
	s := v.story
	if s == nil {
		return
	}
	r := &s.Report
	if i >= 0 && i < len(s.Reports) {
		r = &s.Reports[i]
	}
	v.report = r
	for k, o := range v.reports.Objects {
		o.(*reportLine).setShown(k == i)
	}
	a := &r.Article
	if a.Title != s.Article.Title {
		v.repTitle.set(r.Title())
		v.repTitle.Show()
	} else {
		v.repTitle.Hide()
	}
	parts := []string{a.FeedName, tf("published {{.When}}", "When", trMsg(msg.DateTime(a.Published)))}
	if !a.PublishedKnown {
		parts[1] = lang.L("no date given")
	}
	seen := trMsg(msg.DateTime(a.FirstSeen))
	if a.PublishedKnown && msg.SameDay(a.FirstSeen, a.Published) {
		seen = msg.Clock(a.FirstSeen) // the same day: the time says it
	}
	parts = append(parts, tf("first seen {{.When}}", "When", seen))
	if a.Author != "" {
		parts = append(parts, a.Author)
	}
	v.repMeta.SetText(strings.Join(parts, "  ·  "))
	if a.Summary == "" {
		v.body.set(monitor.Plain(lang.L("(no summary)")))
	} else {
		v.body.set(r.Summary())
	}
	switch {
	case a.FullText != "": // the web page's text (see monitor's pages.go)
		v.full.set(r.FullText())
		v.fullBox.Show()
		if terms := r.FullTextTerms(); len(terms) > 0 {
			v.where.SetText(tf("Found in the text of the web page: {{.Terms}}", "Terms", strings.Join(terms, ", ")))
			v.where.Show()
		} else {
			v.where.Hide()
		}
	case a.Content != "":
		v.full.set(r.Content())
		v.fullBox.Show()
		v.where.Hide()
	default:
		v.fullBox.Hide()
	}
	if a.Link != "" {
		v.link.SetText(a.Link)
		v.openBtn.Enable()
		v.copyBtn.Enable()
	} else {
		v.link.SetText(lang.L("This story has no web link."))
		v.openBtn.Disable()
		v.copyBtn.Disable()
	}
}

// syncState shows whether the story is read and starred on its buttons.
func (v *storyView) syncState() {
	if v.story.Read {
		v.readBtn.SetText(lang.L("Mark unread"))
		v.readBtn.SetIcon(theme.VisibilityOffIcon())
	} else {
		v.readBtn.SetText(lang.L("Mark read"))
		v.readBtn.SetIcon(theme.VisibilityIcon())
	}
	if v.story.Starred {
		v.starBtn.SetText(lang.L("Unstar"))
	} else {
		v.starBtn.SetText(lang.L("Star"))
	}
}
