package app

import (
	"slices"

	"codeberg.org/newswatch/newswatch/monitor"
)

// What the user does to the timeline's stories: open, read, star,
// delete. Each shows at once and is saved in the background; a save that
// fails puts the screen back and says why.

// open shows a story in the story view and marks it read; it loads the
// story first when needed.
func (m *timelineModel) open(id int64) {
	m.openID = id
	if s := m.stories[id]; s != nil {
		m.showOpen(s)
		return
	}
	var stories []monitor.Story
	var err error
	m.run.bg(func() {
		stories, err = m.src.Stories(m.ctx, []int64{id})
	}, func() {
		if err != nil {
			m.fail(err)
			return
		}
		if m.openID != id || len(stories) == 0 {
			return
		}
		s := stories[0]
		m.stories[id] = &s
		m.showOpen(&s)
	})
}

func (m *timelineModel) showOpen(s *monitor.Story) {
	m.openChanged.emit(s)
	if !s.Read {
		m.setRead([]int64{s.ID}, true)
	}
}

// openStory is the story shown in the story view, if any.
func (m *timelineModel) openStory() *monitor.Story {
	if m.openID == 0 {
		return nil
	}
	return m.stories[m.openID]
}

// closeStory empties the story view.
func (m *timelineModel) closeStory() {
	m.openID = 0
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
	if slices.Contains(ids, m.openID) {
		if s := m.stories[m.openID]; s != nil {
			m.openChanged.emit(s)
		}
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
		keep := make([]monitor.TimelineEntry, 0, len(m.rows))
		for _, r := range m.rows {
			if r.id != 0 && !gone[r.id] {
				keep = append(keep, monitor.TimelineEntry{StoryID: r.id, Published: r.day})
			}
		}
		m.setRows(withHeadings(keep))
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
