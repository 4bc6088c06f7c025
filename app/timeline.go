package app

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// timelineView is the main screen: the side list of filters, the matched
// stories (newest first, under day headings), the story view, and the
// toolbar above them. It shows the timeline model and changes it; the
// check and the alerts' pause are the app's, handed in as actions.
type timelineView struct {
	model   *timelineModel
	acts    *actions
	content fyne.CanvasObject

	side   *sideList
	list   *widget.List
	empty  *widget.Label
	search *widget.Entry
	// banner says whose stories are shown when an alert's are (and
	// offers all of them again).
	banner     *fyne.Container
	bannerText *widget.Label

	checkBtn, readBtn, exportBtn, pauseBtn *widget.Button

	cursor  int  // highlighted row, -1 for none
	keyMove bool // the cursor moves: selecting a row does not open it
	timer   *time.Timer

	// shown is the widget the list last gave each row to (the rows on
	// screen, and a few it keeps for reuse), so a story that loads redraws
	// only its own row.
	shown map[int]*timelineRow
}

func newTimelineView(m *timelineModel, acts *actions, story fyne.CanvasObject, h *hooks) *timelineView {
	t := &timelineView{model: m, acts: acts, cursor: -1, shown: map[int]*timelineRow{}}
	t.search = widget.NewEntry()
	t.search.SetPlaceHolder(lang.L("Search stories (Ctrl+F)"))
	t.search.OnChanged = t.onSearchChanged
	t.checkBtn = widget.NewButtonWithIcon(lang.L("Check now"), theme.ViewRefreshIcon(), acts.checkNow)
	t.readBtn = widget.NewButtonWithIcon(lang.L("Mark all read"), theme.ConfirmIcon(), m.markAllRead)
	t.exportBtn = widget.NewButtonWithIcon(lang.L("Export CSV"), theme.DocumentSaveIcon(), t.exportCSV)
	t.pauseBtn = widget.NewButtonWithIcon("", theme.MediaPauseIcon(), func() { acts.setPaused(!acts.paused()) })
	h.add(acts.pauseChanged.listen(t.syncPause))
	h.add(acts.checkingChanged.listen(t.syncChecking))
	t.syncPause()
	t.syncChecking()

	t.side = newSideList(m, h)
	t.list = widget.NewList(func() int { return len(m.rows) }, func() fyne.CanvasObject { return newTimelineRow() }, t.updateRow)
	t.list.OnSelected = t.onSelected
	t.empty = widget.NewLabel("")
	t.empty.Alignment = fyne.TextAlignCenter
	t.empty.Wrapping = fyne.TextWrapWord

	h.add(m.rowsChanged.listen(t.onRows))
	h.add(m.storyChanged.listen(t.onStories))
	h.add(m.topicsChanged.listen(t.list.Refresh)) // chips
	h.add(m.openChanged.listen(t.onOpen))
	h.add(m.reportChanged.listen(func(int) { t.refreshReports() }))

	toolbar := container.NewBorder(nil, nil, nil,
		container.NewHBox(t.checkBtn, t.readBtn, t.exportBtn, t.pauseBtn), t.search)
	t.bannerText = widget.NewLabel("")
	t.bannerText.Truncation = fyne.TextTruncateEllipsis
	t.bannerText.Importance = widget.HighImportance
	all := widget.NewButtonWithIcon(lang.L("Show all stories"), theme.ListIcon(), func() { m.setFilter(monitor.Filter{}) })
	t.banner = container.NewBorder(nil, nil, nil, all, t.bannerText)
	t.banner.Hide()
	stories := container.NewBorder(t.banner, nil, nil, nil,
		container.NewStack(t.list, container.NewCenter(container.NewGridWrap(fyne.NewSize(360, 80), t.empty))))
	split := container.NewHSplit(stories, story)
	split.Offset = 0.56
	main := container.NewHSplit(t.side.content, container.NewBorder(container.NewPadded(toolbar), nil, nil, nil, split))
	main.Offset = 0.17
	t.content = main
	t.onRows()
	return t
}

func (t *timelineView) syncPause() {
	if t.acts.paused() {
		t.pauseBtn.SetText(lang.L("Resume alerts"))
		t.pauseBtn.SetIcon(theme.MediaPlayIcon())
	} else {
		t.pauseBtn.SetText(lang.L("Pause alerts"))
		t.pauseBtn.SetIcon(theme.MediaPauseIcon())
	}
}

func (t *timelineView) syncChecking() {
	if t.acts.checking() {
		t.checkBtn.Disable()
	} else {
		t.checkBtn.Enable()
	}
}

func (t *timelineView) onSearchChanged(s string) {
	t.acts.run.later(&t.timer, 250*time.Millisecond, func() {
		f := t.model.filter
		f.Search = s
		t.model.setFilter(f)
	})
}

// onRows shows the model's rows, keeps the open story highlighted, and
// says why the list is empty when it is.
func (t *timelineView) onRows() {
	m := t.model
	if m.filter.StoryIDs != nil {
		t.bannerText.SetText(tf("The stories of “{{.Alert}}”", "Alert", m.filterLabel))
		t.banner.Show()
	} else {
		t.banner.Hide()
	}
	t.cursor = m.rowOf(m.openID)
	t.keyMove = true
	if t.cursor >= 0 {
		t.list.Select(t.cursor)
	} else {
		t.list.UnselectAll()
	}
	t.keyMove = false
	t.list.Refresh()
	switch {
	case !m.loaded || len(m.rows) > 0:
		t.empty.Hide()
		return
	case m.filter.Search != "":
		t.empty.SetText(lang.L("No stories match your search."))
	case len(m.topics) == 0:
		t.empty.SetText(lang.L("No topics yet. Add a topic, such as Ukraine or Nordkorea, on the Topics tab; matching stories appear here."))
	case m.filter.Starred:
		t.empty.SetText(lang.L("No starred stories. Star a story to keep it here."))
	case m.filter.Unread:
		t.empty.SetText(lang.L("Nothing unread. New matches appear here after each check."))
	default:
		t.empty.SetText(lang.L("No matching stories yet. They appear here as your feeds bring them."))
	}
	t.empty.Show()
}

// refreshReports redraws the open story's report rows (which one the
// story view shows is bold).
func (t *timelineView) refreshReports() {
	for i, r := range t.model.rows {
		if r.report != 0 {
			t.list.RefreshItem(i)
		}
	}
}

// onStories redraws the rows of stories that loaded or changed. It sets
// the row widgets that show them itself: the list's RefreshItem refreshes
// the whole list (Fyne 2.7), which for a page of 60 stories loaded while
// scrolling laid out every visible row 60 times.
func (t *timelineView) onStories(ids []int64) {
	for _, id := range ids {
		i := t.model.rowOf(id)
		if r := t.shown[i]; r != nil && r.index == i {
			t.updateRow(i, r)
		}
	}
}

// maxShown is how many rows shown keeps: more than a screen shows.
const maxShown = 100

// onOpen highlights the open story's row.
func (t *timelineView) onOpen(s *monitor.Story) {
	t.keyMove = true
	defer func() { t.keyMove = false }()
	if s == nil {
		t.cursor = -1
		t.list.UnselectAll()
		return
	}
	if i := t.model.rowOf(s.ID); i >= 0 && i != t.cursor {
		t.cursor = i
		t.list.Select(i)
	}
}

func (t *timelineView) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	r := o.(*timelineRow)
	if t.shown[r.index] == r {
		delete(t.shown, r.index)
	}
	r.index, t.shown[i] = i, r
	if len(t.shown) > maxShown {
		// The list drops widgets it no longer needs: forget the rows far
		// from the one it shows now.
		for j := range t.shown {
			if j < i-maxShown/2 || j > i+maxShown/2 {
				delete(t.shown, j)
			}
		}
	}
	m := t.model
	if i >= len(m.rows) {
		return
	}
	row := m.rows[i]
	switch {
	case row.id == 0:
		r.showHeading(trMsg(msg.Day(row.day, t.acts.now())))
	case row.report == moreReports && m.opened != nil:
		r.showMore(len(m.opened.Reports) - maxReportRows)
	case row.report > 0 && m.opened != nil && row.report <= len(m.opened.Reports):
		r.showReport(&m.opened.Reports[row.report-1], row.report-1 == m.report)
	default:
		if s := m.story(i); s != nil {
			r.showStory(s, t.acts.now())
		} else {
			r.showLoading()
		}
	}
}

func (t *timelineView) onSelected(i widget.ListItemID) {
	m := t.model
	if i < 0 || i >= len(m.rows) {
		return
	}
	if row := m.rows[i]; row.id == 0 || row.report != 0 {
		// A heading, or a report of the open story: the cursor stays on
		// the story; a report is shown in the story view.
		t.keyMove = true
		t.list.Unselect(i)
		if t.cursor >= 0 {
			t.list.Select(t.cursor)
		}
		t.keyMove = false
		if row.report > 0 {
			m.showReport(row.report - 1)
		}
		return
	}
	t.cursor = i
	if !t.keyMove {
		m.open(m.rows[i].id)
	}
}

// moveCursor moves the highlight by delta rows (at least one story),
// stopping at the ends and skipping headings.
func (t *timelineView) moveCursor(delta int) {
	rows := t.model.rows
	if len(rows) == 0 || delta == 0 {
		return
	}
	step := 1
	if delta < 0 {
		step = -1
	}
	i := min(max(t.cursor+delta, 0), len(rows)-1)
	for i >= 0 && i < len(rows) && !rows[i].isStory() {
		i += step
	}
	if i < 0 || i >= len(rows) {
		// Only headings that way: back to the nearest story.
		for i = min(max(i, 0), len(rows)-1); i >= 0 && i < len(rows) && !rows[i].isStory(); i -= step {
		}
	}
	if i < 0 || i >= len(rows) || i == t.cursor {
		return
	}
	t.keyMove = true
	t.list.Select(i)
	t.keyMove = false
	t.list.ScrollTo(i)
}

// moveCursorToEnd moves the highlight to the first (home) or last story.
func (t *timelineView) moveCursorToEnd(last bool) {
	if last {
		t.moveCursor(len(t.model.rows))
	} else {
		t.moveCursor(-len(t.model.rows))
	}
}

// openCursor opens the highlighted story.
func (t *timelineView) openCursor() {
	rows := t.model.rows
	if t.cursor >= 0 && t.cursor < len(rows) && rows[t.cursor].isStory() {
		t.model.open(rows[t.cursor].id)
	}
}

// toggleCursorRead marks the highlighted story read or unread.
func (t *timelineView) toggleCursorRead() {
	if s := t.model.story(t.cursor); s != nil {
		t.model.setRead([]int64{s.ID}, !s.Read)
	}
}

// showStories shows only the stories an alert named (label: the alert),
// and opens the first.
func (t *timelineView) showStories(ids []int64, label string) {
	t.search.SetText("")
	t.model.filterLabel = label
	t.model.setFilter(monitor.Filter{StoryIDs: ids})
	t.model.open(ids[0])
}

// showStory scrolls to a story and opens it (from the tray, or a
// notification), clearing a filter that would hide it.
func (t *timelineView) showStory(id int64) {
	m := t.model
	if i := m.rowOf(id); i >= 0 {
		t.list.ScrollTo(i)
		m.open(id)
		return
	}
	t.search.SetText("")
	m.setFilter(monitor.Filter{})
	m.open(id)
}
