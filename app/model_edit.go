package app

import (
	"errors"
	"slices"

	"codeberg.org/newswatch/newswatch/monitor"
)

// What the user does to the timeline's stories: open, read, star,
// delete. Each shows at once and is saved in the background; a save that
// fails puts the screen back and says why.

// open shows a story in the story view with all its reports, lists them
// under its row, and marks it read. The story is read again from the
// engine (a row holds only what a row shows).
func (m *timelineModel) open(id int64) {
	m.openID = id
	var full monitor.Story
	var err error
	m.run.bg(func() {
		full, err = m.src.Story(m.ctx, id)
	}, func() {
		if errors.Is(err, monitor.ErrNotFound) || m.openID != id {
			return // deleted meanwhile, or another story opened since
		}
		if err != nil {
			m.fail(err)
			return
		}
		m.show(&full)
		if !m.opened.Read {
			m.setRead([]int64{id}, true)
		}
	})
}

// show makes s the open story: the story view shows its lead report, the
// timeline lists its reports under its row.
func (m *timelineModel) show(s *monitor.Story) {
	m.opened = s
	m.report = slices.IndexFunc(s.Reports, func(r monitor.Report) bool { return r.Article.ID == s.Article.ID })
	if _, ok := m.stories[s.ID]; !ok {
		m.stories[s.ID] = s
	}
	m.setRows(m.base, m.index)
	m.rowsChanged.emit()
	m.openChanged.emit(s)
}

// refreshOpen reads the open story again (it gained reports), without
// marking it read.
func (m *timelineModel) refreshOpen() {
	id := m.openID
	var full monitor.Story
	var err error
	m.run.bg(func() {
		full, err = m.src.Story(m.ctx, id)
	}, func() {
		if err == nil && m.openID == id {
			m.show(&full)
		}
	})
}

// openStory is the story shown in the story view, if any, with all its
// reports.
func (m *timelineModel) openStory() *monitor.Story { return m.opened }

// showReport shows another report of the open story (an index of its
// Reports) in the story view.
func (m *timelineModel) showReport(i int) {
	if m.opened == nil || i < 0 || i >= len(m.opened.Reports) {
		return
	}
	m.report = i
	m.reportChanged.emit(i)
}

// closeStory empties the story view.
func (m *timelineModel) closeStory() {
	m.openID, m.opened = 0, nil
	m.setRows(m.base, m.index)
	m.rowsChanged.emit()
	m.openChanged.emit(nil)
}

// setRead marks stories read or unread: on screen at once, in the
// database in the background (and back on screen if that fails).
func (m *timelineModel) setRead(ids []int64, read bool) {
	m.change(ids, func(s *monitor.Story) *bool { return &s.Read }, read,
		func() error { return m.src.SetRead(m.ctx, ids, read) })
}

// setStarred stars or unstars stories, like setRead.
func (m *timelineModel) setStarred(ids []int64, starred bool) {
	m.change(ids, func(s *monitor.Story) *bool { return &s.Starred }, starred,
		func() error { return m.src.SetStarred(m.ctx, ids, starred) })
}

func (m *timelineModel) change(ids []int64, field func(*monitor.Story) *bool, v bool, save func() error) {
	old := map[int64]bool{}
	for _, id := range ids {
		if s := m.stories[id]; s != nil {
			old[id] = *field(s)
			*field(s) = v
		}
		if m.opened != nil && m.opened.ID == id && m.opened != m.stories[id] {
			*field(m.opened) = v
		}
	}
	m.emitChanged(ids)
	var counts monitor.Counts
	var err error
	m.run.bg(func() {
		if err = save(); err == nil {
			counts, err = m.src.Counts(m.ctx)
		}
	}, func() {
		if err != nil {
			for id, was := range old {
				if s := m.stories[id]; s != nil {
					*field(s) = was
				}
				if m.opened != nil && m.opened.ID == id {
					*field(m.opened) = was
				}
			}
			m.emitChanged(ids)
			m.fail(err)
			return
		}
		m.setCounts(counts)
	})
}

// emitChanged tells the listeners that stories changed, the story view
// too when one of them is open.
func (m *timelineModel) emitChanged(ids []int64) {
	m.storyChanged.emit(ids)
	if m.opened != nil && slices.Contains(ids, m.opened.ID) {
		m.openChanged.emit(m.opened)
	}
}

// remove deletes stories from the timeline.
func (m *timelineModel) remove(ids []int64) {
	var counts monitor.Counts
	var err error
	m.run.bg(func() {
		if err = m.src.DeleteStories(m.ctx, ids); err == nil {
			counts, err = m.src.Counts(m.ctx)
		}
	}, func() {
		if err != nil {
			m.fail(err)
			return
		}
		gone := map[int64]bool{}
		for _, id := range ids {
			gone[id] = true
			delete(m.stories, id)
		}
		keep := make([]monitor.TimelineEntry, 0, len(m.base))
		for _, r := range m.base {
			if r.id != 0 && !gone[r.id] {
				keep = append(keep, monitor.TimelineEntry{StoryID: r.id, Published: r.day})
			}
		}
		m.setRows(withHeadings(keep), nil)
		m.setCounts(counts)
		if gone[m.openID] {
			m.closeStory()
		}
		m.rowsChanged.emit()
	})
}

// markAllRead marks every story the filter selects as read.
func (m *timelineModel) markAllRead() {
	f := m.filter
	var ids []int64
	var counts monitor.Counts
	var err error
	m.run.bg(func() {
		if ids, err = m.src.MarkAllRead(m.ctx, f); err == nil {
			counts, err = m.src.Counts(m.ctx)
		}
	}, func() {
		if err != nil {
			m.fail(err)
			return
		}
		for _, id := range ids {
			if s := m.stories[id]; s != nil {
				s.Read = true
			}
			if m.opened != nil && m.opened.ID == id {
				m.opened.Read = true
			}
		}
		m.setCounts(counts)
		m.emitChanged(ids)
		if m.filter.Unread {
			m.reload()
		}
	})
}

// reloadTopics reads the topics (names and colours of the side list and
// the chips).
func (m *timelineModel) reloadTopics() {
	var topics []monitor.Topic
	var err error
	m.run.bg(func() {
		topics, err = m.src.Topics(m.ctx)
	}, func() {
		if err != nil {
			m.fail(err)
			return
		}
		m.topics = topics
		if m.filter.TopicID != 0 && !slices.ContainsFunc(topics, func(t monitor.Topic) bool { return t.ID == m.filter.TopicID }) {
			f := m.filter
			f.TopicID = 0
			m.setFilter(f)
		}
		m.topicsChanged.emit()
	})
}

func (m *timelineModel) fail(err error) {
	if m.ctx.Err() == nil && m.onError != nil {
		m.onError(err)
	}
}
