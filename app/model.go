package app

import (
	"context"
	"slices"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// timelineModel owns what the timeline shows: the filter, the rows (day
// headings and stories, newest first), the stories loaded so far, the
// counts, the topics and the open story. Every read and write of the
// engine runs off the UI goroutine; the results are applied on it, and the
// views that listen (the timeline list, the side list, the story view,
// the tray, the window title) are told what changed.
//
// A check cycle that found nothing changes nothing here; one with new
// matches adds their stories without reloading the rest.
type timelineModel struct {
	src     timelineSource
	ctx     context.Context
	run     *runner
	onError func(error)

	filter      monitor.Filter
	filterLabel string        // what the filter's StoryIDs are (an alert's title)
	base        []tlRow       // headings and stories
	rows        []tlRow       // base, with the open story's reports under it
	index       map[int64]int // story ID → row in base
	extraAt     int           // the open story's row in base (-1: no report rows)
	extraN      int           // how many report rows follow it in rows
	stories     map[int64]*monitor.Story
	pending     map[int64]bool // stories being loaded
	missing     map[int64]bool // stories deleted meanwhile
	counts      monitor.Counts
	topics      []monitor.Topic
	openID      int64
	opened      *monitor.Story // the open story with all its reports
	report      int            // the report the story view shows (index in open.Reports)
	loaded      bool           // the first rows have arrived
	gen         int            // reload generation: an older answer is dropped

	// What listeners are told.
	rowsChanged   changed                // the rows changed as a whole
	storyChanged  signal[[]int64]        // these stories loaded or changed
	countsChanged changed                // counts
	topicsChanged changed                // the topics (names, colours)
	openChanged   signal[*monitor.Story] // the open story (nil: none)
	reportChanged signal[int]            // the story view shows another report of the open story
}

// tlRow is a row of the timeline: a day heading (id 0), a story, or one
// of the open story's reports listed under it (report > 0: its index + 1;
// moreReports: the line saying how many more the story view lists).
type tlRow struct {
	day    time.Time // the heading's day, or the story's date
	id     int64
	report int
}

// isStory reports whether the row is a story's (not a heading, not a
// report listed under the open story).
func (r tlRow) isStory() bool { return r.id != 0 && r.report == 0 }

// moreReports is the report of the row that stands for the reports not
// listed under the open story.
const moreReports = -1

// maxReportRows is how many of the open story's reports are listed under
// it; the story view lists them all.
const maxReportRows = 8

// Paging: stories are loaded pageSize at a time around the rows shown, and
// at most maxLoaded are kept.
const (
	pageSize  = 60
	maxLoaded = 3000
)

func newTimelineModel(ctx context.Context, src timelineSource, run *runner, onError func(error)) *timelineModel {
	m := &timelineModel{src: src, ctx: ctx, run: run, onError: onError,
		stories: map[int64]*monitor.Story{}, pending: map[int64]bool{}, missing: map[int64]bool{},
		index: map[int64]int{}, counts: monitor.Counts{TopicUnread: map[int64]int{}}}
	return m
}

// attach follows the engine's events until ctx ends and loads the first
// rows.
func (m *timelineModel) attach() {
	cancel := m.src.Subscribe(m.onEvent)
	go func() {
		<-m.ctx.Done()
		cancel()
	}()
	m.reloadTopics()
	m.reload()
}

// onEvent runs on the engine's goroutine.
func (m *timelineModel) onEvent(ev monitor.Event) {
	switch {
	case ev.Cycle != nil && len(ev.Cycle.Stories) > 0:
		ids := slices.Clone(ev.Cycle.Stories)
		m.run.ui(func() { m.add(ids) })
	case ev.Changed&monitor.TopicsChanged != 0:
		m.run.ui(func() {
			m.reloadTopics()
			m.reload()
		})
	case ev.Changed&monitor.MatchesChanged != 0:
		m.run.ui(m.reload)
	}
}

// setFilter shows what the filter selects.
func (m *timelineModel) setFilter(f monitor.Filter) {
	if slices.Equal(f.StoryIDs, m.filter.StoryIDs) && f.TopicID == m.filter.TopicID && f.Unread == m.filter.Unread &&
		f.Starred == m.filter.Starred && f.Search == m.filter.Search {
		return
	}
	m.filter = f
	m.reload()
}

// reload reads the rows for the filter, and the counts; the newest
// request wins.
func (m *timelineModel) reload() {
	m.gen++
	gen, f := m.gen, m.filter
	var rows []tlRow
	var index map[int64]int
	var counts monitor.Counts
	var err error
	m.run.bg(func() {
		var entries []monitor.TimelineEntry
		if entries, err = m.src.Timeline(m.ctx, f); err == nil {
			rows = withHeadings(entries)
			index = indexRows(rows)
			counts, err = m.src.Counts(m.ctx)
		}
	}, func() {
		if gen != m.gen {
			return
		}
		if err != nil {
			m.fail(err)
			return
		}
		m.setRows(rows, index)
		m.stories = map[int64]*monitor.Story{}
		if m.opened != nil {
			m.stories[m.opened.ID] = m.opened // the story view shows it still
		}
		m.pending = map[int64]bool{}
		m.missing = map[int64]bool{}
		m.setCounts(counts)
		if !m.loaded {
			m.loaded = true
			traceFirstTimeline(m.storyCount())
		}
		m.rowsChanged.emit()
	})
}

// add puts the stories of new matches into the rows, where their dates
// belong, without reloading the others; stories already there are read
// again (their full text arrived). The rows are merged in the background,
// from the rows shown when the cycle ended (with 100,000 rows the merge
// takes tens of milliseconds); if they changed meanwhile, the merge is
// done again on the UI goroutine.
func (m *timelineModel) add(ids []int64) {
	f := m.filter
	f.StoryIDs = ids
	gen, base := m.gen, m.base
	var entries []monitor.TimelineEntry
	var stories []monitor.Story
	var merged []tlRow
	var index map[int64]int
	var counts monitor.Counts
	var err error
	m.run.bg(func() {
		if entries, err = m.src.Timeline(m.ctx, f); err != nil {
			return
		}
		shown := make([]int64, len(entries))
		for i, e := range entries {
			shown[i] = e.StoryID
		}
		if stories, err = m.src.Stories(m.ctx, shown); err == nil {
			counts, err = m.src.Counts(m.ctx)
		}
		if err == nil && len(entries) > 0 {
			merged = merge(base, entries)
			index = indexRows(merged)
		}
	}, func() {
		if err != nil {
			m.fail(err)
			return
		}
		m.setCounts(counts)
		if gen != m.gen {
			return // a reload since brings them anyway
		}
		m.trimLoaded() // a window that is never scrolled loads no page, which would trim them
		changed := make([]int64, 0, len(stories))
		for i := range stories {
			s := stories[i]
			m.stories[s.ID] = &s
			changed = append(changed, s.ID)
		}
		if m.opened != nil && slices.Contains(ids, m.opened.ID) {
			m.refreshOpen() // it gained reports
		}
		if len(entries) > 0 {
			if !sameRows(m.base, base) { // changed since: merge with what is shown
				merged, index = merge(m.base, entries), nil
			}
			m.setRows(merged, index)
			m.rowsChanged.emit()
		}
		// Rows and the open story show what changed (a full text arrived).
		m.emitChanged(changed)
	})
}

// withHeadings turns entries (newest first) into rows with a heading
// before each day.
func withHeadings(entries []monitor.TimelineEntry) []tlRow {
	rows := make([]tlRow, 0, len(entries)+len(entries)/20+1)
	var day time.Time
	for _, e := range entries {
		p := e.Published.Local()
		if day.IsZero() || !msg.SameDay(p, day) {
			day = p
			rows = append(rows, tlRow{day: p})
		}
		rows = append(rows, tlRow{day: p, id: e.StoryID})
	}
	return rows
}

// merge adds entries to rows (both newest first), replacing rows of the
// same stories.
func merge(rows []tlRow, entries []monitor.TimelineEntry) []tlRow {
	add := map[int64]bool{}
	for _, e := range entries {
		add[e.StoryID] = true
	}
	all := make([]monitor.TimelineEntry, 0, len(rows)+len(entries))
	for _, r := range rows {
		if r.id != 0 && r.report == 0 && !add[r.id] {
			all = append(all, monitor.TimelineEntry{StoryID: r.id, Published: r.day})
		}
	}
	all = append(all, entries...)
	slices.SortStableFunc(all, func(a, b monitor.TimelineEntry) int {
		if c := b.Published.Compare(a.Published); c != 0 {
			return c
		}
		switch {
		case a.StoryID > b.StoryID:
			return -1
		case a.StoryID < b.StoryID:
			return 1
		}
		return 0
	})
	return withHeadings(all)
}

// setRows shows base, rows of headings and stories, with the open
// story's reports listed under its row; index is indexRows(base), or nil
// to make it here. Rows are never changed in place (add merges them in
// the background).
func (m *timelineModel) setRows(base []tlRow, index map[int64]int) {
	if index == nil {
		index = indexRows(base)
	}
	m.base, m.index = base, index
	m.rows, m.extraAt, m.extraN = base, -1, 0
	if s := m.opened; s != nil && len(s.Reports) > 1 {
		if at, ok := index[s.ID]; ok {
			n := min(len(s.Reports), maxReportRows)
			extra := make([]tlRow, 0, n+1)
			for k := range n {
				extra = append(extra, tlRow{day: base[at].day, id: s.ID, report: k + 1})
			}
			if len(s.Reports) > n {
				extra = append(extra, tlRow{day: base[at].day, id: s.ID, report: moreReports})
			}
			m.rows = slices.Concat(base[:at+1], extra, base[at+1:])
			m.extraAt, m.extraN = at, len(extra)
		}
	}
}

// indexRows maps each story of rows to its row.
func indexRows(rows []tlRow) map[int64]int {
	index := make(map[int64]int, len(rows))
	for i, r := range rows {
		if r.id != 0 && r.report == 0 {
			index[r.id] = i
		}
	}
	return index
}

// sameRows reports whether a and b are the same rows (the same slice).
func sameRows(a, b []tlRow) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

func (m *timelineModel) setCounts(c monitor.Counts) {
	if c.TopicUnread == nil {
		c.TopicUnread = map[int64]int{}
	}
	m.counts = c
	m.countsChanged.emit()
}

// trimLoaded forgets the loaded stories but the open one when more than
// maxLoaded are kept; the rows on screen load theirs again.
func (m *timelineModel) trimLoaded() {
	if len(m.stories) <= maxLoaded {
		return
	}
	m.stories = map[int64]*monitor.Story{}
	if m.opened != nil {
		m.stories[m.opened.ID] = m.opened
	}
}

// storyCount is how many stories the rows hold.
func (m *timelineModel) storyCount() int { return len(m.index) }

// rowOf is the row of a story, or -1.
func (m *timelineModel) rowOf(id int64) int {
	i, ok := m.index[id]
	if !ok {
		return -1
	}
	if m.extraN > 0 && i > m.extraAt {
		i += m.extraN // below the open story's report rows
	}
	return i
}

// story returns row i's story when it is loaded; otherwise it asks for
// the page around it and returns nil (the row shows when it arrives).
func (m *timelineModel) story(i int) *monitor.Story {
	if i < 0 || i >= len(m.rows) || m.rows[i].id == 0 || m.rows[i].report != 0 {
		return nil
	}
	id := m.rows[i].id
	if s, ok := m.stories[id]; ok {
		return s
	}
	if !m.pending[id] && !m.missing[id] {
		m.loadPage(i)
	}
	return m.stories[id] // loaded already when synchronous
}

// loadPage loads the stories of the rows around row i that are not
// loaded yet.
func (m *timelineModel) loadPage(i int) {
	m.trimLoaded()
	var ids []int64
	for j := max(0, i-pageSize/4); j < len(m.rows) && len(ids) < pageSize; j++ {
		id := m.rows[j].id
		if _, ok := m.stories[id]; id != 0 && !ok && !m.pending[id] && !m.missing[id] {
			ids = append(ids, id)
			m.pending[id] = true
		}
	}
	gen := m.gen
	var stories []monitor.Story
	var err error
	m.run.bg(func() {
		stories, err = m.src.Stories(m.ctx, ids)
	}, func() {
		for _, id := range ids {
			delete(m.pending, id)
		}
		if gen != m.gen {
			return
		}
		if err != nil {
			m.fail(err)
			return
		}
		for _, id := range ids {
			m.missing[id] = true // unless it comes back below
		}
		for k := range stories {
			s := stories[k]
			delete(m.missing, s.ID)
			m.stories[s.ID] = &s
		}
		m.storyChanged.emit(ids)
	})
}
