package app

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// timelineView is the main screen: the filters at the side, the matched
// stories (newest first, under day headings), the story view, and the
// toolbar above them.
type timelineView struct {
	u       *UI
	content fyne.CanvasObject

	side      *widget.List
	sideItems []sideItem
	sideSel   int

	list   *widget.List
	empty  *widget.Label
	search *widget.Entry

	checkBtn, readBtn, exportBtn, pauseBtn *widget.Button

	filter  monitor.TimelineFilter
	rows    []tlRow
	cache   map[int64]*monitor.Story
	cursor  int   // highlighted row, -1 for none
	openID  int64 // article shown in the story view
	topics  []monitor.Topic
	counts  monitor.Counts
	gen     int // reload generation: older results are dropped
	keyMove bool
	timer   *time.Timer
	// shownOnce: the first timeline has been shown.
	shownOnce bool
}

// tlRow is a row of the timeline: a day heading or a story.
type tlRow struct {
	heading   string
	articleID int64
}

// sideItem is one filter in the side list.
type sideItem struct {
	label   string
	icon    fyne.Resource
	color   color.Color
	topicID int64
	starred bool
	unread  bool
	count   int
}

// pageSize is how many stories are loaded at once around the rows shown;
// maxCached bounds the stories kept.
const (
	pageSize  = 60
	maxCached = 3000
)

func newTimelineView(u *UI) *timelineView {
	t := &timelineView{u: u, cursor: -1, cache: map[int64]*monitor.Story{}}
	t.search = widget.NewEntry()
	t.search.SetPlaceHolder(lang.L("Search stories (Ctrl+F)"))
	t.search.OnChanged = t.onSearchChanged
	t.checkBtn = widget.NewButtonWithIcon(lang.L("Check now"), theme.ViewRefreshIcon(), u.checkNow)
	t.readBtn = widget.NewButtonWithIcon(lang.L("Mark all read"), theme.ConfirmIcon(), t.markAllRead)
	t.exportBtn = widget.NewButtonWithIcon(lang.L("Export CSV"), theme.DocumentSaveIcon(), t.exportCSV)
	t.pauseBtn = widget.NewButtonWithIcon("", theme.MediaPauseIcon(), func() { u.setPaused(!u.prefs.paused()) })
	t.syncPause()

	t.side = widget.NewList(func() int { return len(t.sideItems) }, t.createSideItem, t.updateSideItem)
	t.side.OnSelected = t.onSideSelected

	t.list = widget.NewList(func() int { return len(t.rows) }, func() fyne.CanvasObject { return newTimelineItem() }, t.updateItem)
	t.list.OnSelected = t.onSelected
	t.empty = widget.NewLabel("")
	t.empty.Alignment = fyne.TextAlignCenter
	t.empty.Wrapping = fyne.TextWrapWord

	toolbar := container.NewBorder(nil, nil, nil,
		container.NewHBox(t.checkBtn, t.readBtn, t.exportBtn, t.pauseBtn), t.search)
	stories := container.NewStack(t.list, container.NewCenter(container.NewGridWrap(fyne.NewSize(360, 80), t.empty)))
	split := container.NewHSplit(stories, u.story.content)
	split.Offset = 0.56
	// The side list is at least wide enough for its own entries (and
	// "9999" unread) in the app's language; topic names may truncate.
	sideW := float32(0)
	for _, s := range []string{lang.L("All stories"), lang.L("Unread"), lang.L("Starred")} {
		sideW = max(sideW, fyne.MeasureText(s, theme.TextSize(), fyne.TextStyle{}).Width)
	}
	sideW += theme.IconInlineSize() + fyne.MeasureText("9999", theme.TextSize(), fyne.TextStyle{Bold: true}).Width + 6*theme.InnerPadding()
	sideMin := canvas.NewRectangle(color.Transparent)
	sideMin.SetMinSize(fyne.NewSize(sideW, 0))
	sideBox := container.NewBorder(widget.NewLabelWithStyle(lang.L("Show"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil,
		container.NewStack(sideMin, t.side))
	main := container.NewHSplit(sideBox, container.NewBorder(container.NewPadded(toolbar), nil, nil, nil, split))
	main.Offset = 0.17
	t.content = main
	return t
}

// syncPause shows the pause button's state.
func (t *timelineView) syncPause() {
	if t.u.prefs.paused() {
		t.pauseBtn.SetText(lang.L("Resume alerts"))
		t.pauseBtn.SetIcon(theme.MediaPlayIcon())
	} else {
		t.pauseBtn.SetText(lang.L("Pause alerts"))
		t.pauseBtn.SetIcon(theme.MediaPauseIcon())
	}
}

// setTopics updates the side list after the topics changed.
func (t *timelineView) setTopics(topics []monitor.Topic) {
	t.topics = topics
	if t.filter.TopicID != 0 {
		found := false
		for _, tp := range topics {
			found = found || tp.ID == t.filter.TopicID
		}
		if !found {
			t.filter.TopicID = 0
			t.sideSel = 0
		}
	}
	t.rebuildSide()
	t.cache = map[int64]*monitor.Story{} // chips may have changed
	t.list.Refresh()
}

func (t *timelineView) rebuildSide() {
	items := []sideItem{
		{label: lang.L("All stories"), icon: theme.ListIcon(), count: t.counts.Unread},
		{label: lang.L("Unread"), icon: theme.VisibilityIcon(), unread: true, count: t.counts.Unread},
		{label: lang.L("Starred"), icon: theme.ConfirmIcon(), starred: true, count: t.counts.Starred},
	}
	for _, tp := range t.topics {
		items = append(items, sideItem{label: tp.Name, color: paletteColor(tp.Color, tp.ID), topicID: tp.ID,
			count: t.counts.Topics[tp.ID].Unread})
	}
	t.sideItems = items
	if t.sideSel >= len(items) {
		t.sideSel = 0
	}
	t.side.Refresh()
	t.side.Select(t.sideSel)
}

func (t *timelineView) createSideItem() fyne.CanvasObject {
	icon := widget.NewIcon(theme.ListIcon())
	dot := canvas.NewCircle(color.Transparent)
	mark := container.NewStack(icon, container.NewCenter(container.NewGridWrap(fyne.NewSize(10, 10), dot)))
	label := widget.NewLabel("")
	label.Truncation = fyne.TextTruncateEllipsis
	count := widget.NewLabel("")
	count.Importance = widget.LowImportance
	return container.NewBorder(nil, nil, mark, count, label)
}

func (t *timelineView) updateSideItem(i widget.ListItemID, o fyne.CanvasObject) {
	it := t.sideItems[i]
	c := o.(*fyne.Container)
	label := c.Objects[0].(*widget.Label)
	mark := c.Objects[1].(*fyne.Container)
	count := c.Objects[2].(*widget.Label)
	icon := mark.Objects[0].(*widget.Icon)
	dot := mark.Objects[1].(*fyne.Container).Objects[0].(*fyne.Container).Objects[0].(*canvas.Circle)
	label.SetText(it.label)
	if it.color != nil {
		icon.Hide()
		dot.FillColor = it.color
		dot.Show()
		dot.Refresh()
	} else {
		dot.Hide()
		icon.SetResource(it.icon)
		icon.Show()
	}
	if it.count > 0 {
		count.SetText(strconv.Itoa(it.count))
		count.TextStyle = fyne.TextStyle{Bold: true}
		count.Importance = widget.HighImportance
	} else {
		count.SetText("")
	}
	count.Refresh()
}

func (t *timelineView) onSideSelected(i widget.ListItemID) {
	if i < 0 || i >= len(t.sideItems) {
		return
	}
	it := t.sideItems[i]
	t.sideSel = i
	f := monitor.TimelineFilter{TopicID: it.topicID, Starred: it.starred, Unread: it.unread, Search: t.filter.Search}
	if f == t.filter {
		return
	}
	t.filter = f
	t.reload()
}

func (t *timelineView) onSearchChanged(s string) {
	t.u.later(&t.timer, 250*time.Millisecond, func() {
		if t.filter.Search != s {
			t.filter.Search = s
			t.reload()
		}
	})
}

// reload reads the timeline for the current filter, and the counts, off
// the UI goroutine; the newest request wins.
func (t *timelineView) reload() {
	t.gen++
	gen, f := t.gen, t.filter
	eng, ctx := t.u.eng, t.u.ctx
	var entries []monitor.TimelineEntry
	var counts monitor.Counts
	var err error
	t.u.background(func() {
		entries, err = eng.Timeline(ctx, f)
		if err == nil {
			counts, err = eng.Counts(ctx)
		}
	}, func() {
		if gen != t.gen {
			return
		}
		if err != nil {
			if ctx.Err() == nil {
				t.u.showError(err)
			}
			return
		}
		t.counts = counts
		t.setEntries(entries)
		t.rebuildSide()
		if !t.shownOnce {
			t.shownOnce = true
			// Loading the first timeline made garbage the size of the
			// store's timeline; give it back rather than keep it for
			// hours of idling in the tray.
			t.u.trimMemory(2 * time.Second)
		}
		if trace := t.u.opt.TraceStartup; trace != nil {
			t.u.opt.TraceStartup = nil
			trace(len(entries))
		}
	})
}

// setEntries turns the timeline's stories into rows with day headings and
// keeps the open story highlighted.
func (t *timelineView) setEntries(entries []monitor.TimelineEntry) {
	now := t.u.opt.Now()
	rows := make([]tlRow, 0, len(entries)+len(entries)/20+1)
	var day time.Time
	for _, e := range entries {
		p := e.Published.Local()
		if day.IsZero() || !sameDay(p, day) {
			day = p
			rows = append(rows, tlRow{heading: dayHeading(p, now)})
		}
		rows = append(rows, tlRow{articleID: e.ArticleID})
	}
	t.rows = rows
	t.cache = map[int64]*monitor.Story{}
	t.cursor = t.rowOf(t.openID)
	t.keyMove = true
	if t.cursor >= 0 {
		t.list.Select(t.cursor)
	} else {
		t.list.UnselectAll()
	}
	t.keyMove = false
	t.list.Refresh()
	switch {
	case len(rows) > 0:
		t.empty.Hide()
	case t.filter.Search != "":
		t.empty.SetText(lang.L("No stories match your search."))
		t.empty.Show()
	case len(t.topics) == 0:
		t.empty.SetText(lang.L("No topics yet. Add a topic, such as Ukraine or Nordkorea, on the Topics tab; matching stories appear here."))
		t.empty.Show()
	case t.filter.Starred:
		t.empty.SetText(lang.L("No starred stories. Star a story to keep it here."))
		t.empty.Show()
	case t.filter.Unread:
		t.empty.SetText(lang.L("Nothing unread. New matches appear here after each check."))
		t.empty.Show()
	default:
		t.empty.SetText(lang.L("No matching stories yet. They appear here as your feeds bring them."))
		t.empty.Show()
	}
}

func (t *timelineView) rowOf(articleID int64) int {
	if articleID == 0 {
		return -1
	}
	for i, r := range t.rows {
		if r.articleID == articleID {
			return i
		}
	}
	return -1
}

// dayHeading names a day: "Today", "Yesterday", else the date.
func dayHeading(d, now time.Time) string {
	d, now = d.Local(), now.Local()
	switch {
	case sameDay(d, now):
		return tf("Today — {{.Date}}", "Date", longDate(d, now))
	case sameDay(d, now.AddDate(0, 0, -1)):
		return tf("Yesterday — {{.Date}}", "Date", longDate(d, now))
	}
	return longDate(d, now)
}

// storyAt returns the story of row i, loading its page when needed.
func (t *timelineView) storyAt(i int) *monitor.Story {
	id := t.rows[i].articleID
	if s, ok := t.cache[id]; ok {
		return s
	}
	if len(t.cache) > maxCached {
		t.cache = map[int64]*monitor.Story{}
	}
	var ids []int64
	for j := max(0, i-pageSize/4); j < len(t.rows) && len(ids) < pageSize; j++ {
		if r := t.rows[j]; r.articleID != 0 {
			if _, ok := t.cache[r.articleID]; !ok {
				ids = append(ids, r.articleID)
			}
		}
	}
	stories, err := t.u.eng.Stories(t.u.ctx, ids)
	if err != nil {
		return nil
	}
	for _, id := range ids {
		t.cache[id] = nil // deleted meanwhile: remembered as missing
	}
	for k := range stories {
		s := stories[k]
		t.cache[s.Article.ID] = &s
	}
	return t.cache[id]
}

func (t *timelineView) updateItem(i widget.ListItemID, o fyne.CanvasObject) {
	item := o.(*timelineItem)
	if i >= len(t.rows) {
		return
	}
	r := t.rows[i]
	if r.heading != "" {
		item.showHeading(r.heading)
		return
	}
	s := t.storyAt(i)
	if s == nil {
		item.showHeading("")
		return
	}
	item.showStory(s, t.topics)
}

func (t *timelineView) onSelected(i widget.ListItemID) {
	if i < 0 || i >= len(t.rows) {
		return
	}
	if t.rows[i].heading != "" {
		t.list.Unselect(i)
		if t.cursor >= 0 {
			t.list.Select(t.cursor)
		}
		return
	}
	t.cursor = i
	if t.keyMove {
		return
	}
	t.open(i)
}

// open shows row i's story and marks it read.
func (t *timelineView) open(i int) {
	s := t.storyAt(i)
	if s == nil {
		return
	}
	t.openID = s.Article.ID
	t.u.story.show(s)
	if !s.Read {
		t.setRead(s, true)
	}
}

// openArticle opens a story by article ID (from the tray), clearing
// filters that would hide it.
func (t *timelineView) openArticle(id int64) {
	t.openID = id
	if i := t.rowOf(id); i >= 0 {
		t.list.Select(i)
		t.list.ScrollTo(i)
		return
	}
	t.filter = monitor.TimelineFilter{}
	t.search.SetText("")
	t.sideSel = 0
	t.reload()
	if stories, err := t.u.eng.Stories(t.u.ctx, []int64{id}); err == nil && len(stories) == 1 {
		s := stories[0]
		t.u.story.show(&s)
		if !s.Read {
			t.setRead(&s, true)
		}
	}
}

func (t *timelineView) setRead(s *monitor.Story, read bool) {
	if err := t.u.eng.SetRead(t.u.ctx, read, s.Article.ID); err != nil {
		t.u.showError(err)
		return
	}
	s.Read = read
	if c, ok := t.cache[s.Article.ID]; ok && c != nil && c != s {
		c.Read = read
	}
	if i := t.rowOf(s.Article.ID); i >= 0 {
		t.list.RefreshItem(i)
	}
	if t.openID == s.Article.ID {
		t.u.story.syncState(s)
	}
	t.refreshCounts()
}

func (t *timelineView) setStarred(s *monitor.Story, starred bool) {
	if err := t.u.eng.SetStarred(t.u.ctx, s.Article.ID, starred); err != nil {
		t.u.showError(err)
		return
	}
	s.Starred = starred
	if c, ok := t.cache[s.Article.ID]; ok && c != nil && c != s {
		c.Starred = starred
	}
	if i := t.rowOf(s.Article.ID); i >= 0 {
		t.list.RefreshItem(i)
	}
	t.refreshCounts()
}

func (t *timelineView) deleteStory(s *monitor.Story) {
	if err := t.u.eng.DeleteStory(t.u.ctx, s.Article.ID); err != nil {
		t.u.showError(err)
		return
	}
	if t.openID == s.Article.ID {
		t.openID = 0
		t.u.story.clear()
	}
	t.reload()
}

// refreshCounts updates the side list's numbers and the tray.
func (t *timelineView) refreshCounts() {
	if c, err := t.u.eng.Counts(t.u.ctx); err == nil {
		t.counts = c
		t.rebuildSide()
	}
	t.u.tray.refresh()
}

func (t *timelineView) markAllRead() {
	if err := t.u.eng.MarkAllRead(t.u.ctx, t.filter); err != nil {
		t.u.showError(err)
		return
	}
	for _, s := range t.cache {
		if s != nil {
			s.Read = true
		}
	}
	t.list.Refresh()
	t.refreshCounts()
	if t.filter.Unread {
		t.reload()
	}
}

// moveCursor moves the highlight by delta rows (at least one story),
// stopping at the ends and skipping headings.
func (t *timelineView) moveCursor(delta int) {
	if len(t.rows) == 0 || delta == 0 {
		return
	}
	step := 1
	if delta < 0 {
		step = -1
	}
	i := min(max(t.cursor+delta, 0), len(t.rows)-1)
	for i >= 0 && i < len(t.rows) && t.rows[i].heading != "" {
		i += step
	}
	if i < 0 || i >= len(t.rows) {
		// Only headings that way: back to the nearest story.
		for i = min(max(i, 0), len(t.rows)-1); i >= 0 && i < len(t.rows) && t.rows[i].heading != ""; i -= step {
		}
	}
	if i < 0 || i >= len(t.rows) || i == t.cursor {
		return
	}
	t.keyMove = true
	t.list.Select(i)
	t.keyMove = false
	t.list.ScrollTo(i)
}

func (t *timelineView) openCursor() {
	if t.cursor >= 0 && t.cursor < len(t.rows) {
		t.open(t.cursor)
	}
}

func (t *timelineView) toggleCursorRead() {
	if t.cursor < 0 || t.cursor >= len(t.rows) || t.rows[t.cursor].heading != "" {
		return
	}
	if s := t.storyAt(t.cursor); s != nil {
		t.setRead(s, !s.Read)
	}
}

// timelineItem is one row of the timeline: a day heading or a story.
type timelineItem struct {
	widget.BaseWidget
	heading *widget.Label
	head    *fyne.Container
	story   *fyne.Container
	unread  *canvas.Rectangle
	star    *widget.Icon
	clock   *widget.Label
	chips   *fyne.Container
	more    *widget.Label
	title   *widget.Label
	line2   *widget.RichText
	line1   *fyne.Container
}

const maxChips = 3

func newTimelineItem() *timelineItem {
	it := &timelineItem{}
	it.heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	it.head = container.NewBorder(nil, widget.NewSeparator(), nil, nil, container.NewVBox(layout.NewSpacer(), it.heading))
	it.unread = canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
	it.unread.SetMinSize(fyne.NewSize(4, 4))
	it.star = widget.NewIcon(theme.ConfirmIcon())
	it.clock = widget.NewLabel("00:00")
	it.clock.SizeName = theme.SizeNameCaptionText
	it.chips = container.NewHBox()
	for i := 0; i < maxChips; i++ {
		it.chips.Add(container.NewCenter(newChip("", color.Transparent)))
	}
	it.more = widget.NewLabel("")
	it.more.Importance = widget.LowImportance
	it.chips.Add(it.more)
	it.title = widget.NewLabel("")
	it.title.Truncation = fyne.TextTruncateEllipsis
	it.line2 = widget.NewRichText()
	it.line2.Truncation = fyne.TextTruncateEllipsis
	it.line1 = container.NewBorder(nil, nil, it.chips, nil, it.title)
	left := container.NewHBox(it.unread, it.clock)
	text := container.New(&tightVBox{}, it.line1, it.line2)
	// The star keeps its room when hidden, so rows line up alike.
	it.story = container.NewBorder(nil, nil, left, container.NewGridWrap(fyne.NewSquareSize(theme.IconInlineSize()), it.star), text)
	it.ExtendBaseWidget(it)
	return it
}

func (it *timelineItem) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(it.head, it.story))
}

func (it *timelineItem) showHeading(text string) {
	it.story.Hide()
	it.heading.SetText(text)
	it.head.Show()
}

func (it *timelineItem) showStory(s *monitor.Story, topics []monitor.Topic) {
	it.head.Hide()
	a := &s.Article
	it.clock.SetText(clock(a.Published))
	if s.Read {
		it.unread.FillColor = color.Transparent
		it.title.TextStyle = fyne.TextStyle{}
	} else {
		it.unread.FillColor = theme.Color(theme.ColorNamePrimary)
		it.title.TextStyle = fyne.TextStyle{Bold: true}
	}
	it.unread.Refresh()
	it.title.SetText(a.Title)
	if s.Starred {
		it.star.Show()
	} else {
		it.star.Hide()
	}
	for i := 0; i < maxChips; i++ {
		c := it.chips.Objects[i].(*fyne.Container)
		if i < len(s.Topics) {
			ref := s.Topics[i]
			c.Objects[0].(*chip).set(ref.Name, paletteColor(ref.Color, ref.ID))
			c.Show()
			c.Refresh() // the chip's size follows its text
		} else {
			c.Hide()
		}
	}
	if n := len(s.Topics) - maxChips; n > 0 {
		it.more.SetText(fmt.Sprintf("+%d", n))
		it.more.Show()
	} else {
		it.more.Hide()
	}
	it.chips.Refresh()
	it.line1.Refresh() // the chips' width may have changed
	it.line2.Segments = snippetSegments(a, s.Hits, true)
	it.line2.Refresh()
	it.story.Show()
}

// snippetSegments renders the feed's name and a snippet around the
// matched terms, the terms in bold.
func snippetSegments(a *monitor.Article, hits []query.Hit, withFeed bool) []widget.RichTextSegment {
	var segs []widget.RichTextSegment
	dim := widget.RichTextStyle{Inline: true, ColorName: theme.ColorNamePlaceHolder, SizeName: theme.SizeNameText}
	if withFeed {
		segs = append(segs, &widget.TextSegment{Text: a.FeedName + "  ·  ", Style: dim})
	}
	sn := monitor.MakeSnippet(a, hits, 220)
	return append(segs, markSegments(sn.Text, sn.Spans, dim)...)
}

// markSegments splits text into plain and highlighted segments. A
// highlight grows to the spaces around it (the whole of "EU-Kommission"
// for a hit on "EU"), since rich text may wrap a line where two segments
// meet.
func markSegments(text string, spans []monitor.Span, plain widget.RichTextStyle) []widget.RichTextSegment {
	spans = toSpaces(text, spans)
	hl := plain
	hl.ColorName = theme.ColorNameForeground
	hl.TextStyle = fyne.TextStyle{Bold: true}
	var segs []widget.RichTextSegment
	last := 0
	for _, sp := range spans {
		if sp.Start > last {
			segs = append(segs, &widget.TextSegment{Text: clean(text[last:sp.Start]), Style: plain})
		}
		segs = append(segs, &widget.TextSegment{Text: clean(text[sp.Start:sp.End]), Style: hl})
		last = sp.End
	}
	if last < len(text) {
		segs = append(segs, &widget.TextSegment{Text: clean(text[last:]), Style: plain})
	}
	return segs
}

// toSpaces widens spans to the nearest spaces and merges those that meet.
func toSpaces(text string, spans []monitor.Span) []monitor.Span {
	out := make([]monitor.Span, 0, len(spans))
	for _, sp := range spans {
		for sp.Start > 0 && text[sp.Start-1] != ' ' {
			sp.Start--
		}
		for sp.End < len(text) && text[sp.End] != ' ' {
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

// clean keeps feed text on one line inside rich text.
func clean(s string) string { return strings.ReplaceAll(s, "\n", " ") }

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
