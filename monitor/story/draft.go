package story

import (
	"sync"
	"time"
)

// A Draft is a decision taken against a MemIndex while others may add
// to it (the store drafts outside its write lock, on every core); Confirm
// takes it as it is when nothing added since could change it, or decides
// again. It remembers where its keys' lists are in the index, so that
// confirming it and adding its article cost no hashing (and makes the
// lists of its keys that had none, empty, beforehand).
type Draft struct {
	Decision
	idx    *MemIndex
	keys   []uint64
	counts []int
	slots  []int32 // each key's list in idx.lists
	top    int64
	epoch  uint64
}

// Draft decides the story of an article as Assign does, against the
// index as it is now.
func (m *MemIndex) Draft(f *Features, at time.Time, source string) Draft {
	keys := f.Keys()
	d := Draft{idx: m, keys: keys}
	if len(keys) == 0 {
		return d
	}
	d.slots = make([]int32, len(keys))
	buf := postingPool.Get().(*[]Posting)
	m.mu.RLock()
	counts, ps := m.lookup(keys, at.Add(-Window).UnixMilli(), at.Add(Window).UnixMilli(), Limit, d.slots, (*buf)[:0])
	d.counts, d.top, d.epoch = counts, m.top, m.epoch
	m.mu.RUnlock()
	d.Decision = decide(f, SourceHash(source), keys, counts, ps)
	*buf = ps[:0]
	postingPool.Put(buf)
	m.reserve(&d)
	return d
}

// postingPool keeps the postings of lookups whose postings are not
// returned.
var postingPool = sync.Pool{New: func() any { return new([]Posting) }}

// reserve makes empty lists for the draft's keys that have none (the
// title's and the bands' mostly): an empty list changes no lookup, and
// Forget drops it.
func (m *MemIndex) reserve(d *Draft) {
	missing := false
	for _, s := range d.slots {
		missing = missing || s < 0
	}
	if !missing {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.epoch != d.epoch {
		return // the lists were rebuilt: the slots are no use
	}
	for n, s := range d.slots {
		if s < 0 {
			d.slots[n] = m.slot(d.keys[n])
		}
	}
}

// slot returns a key's list, made when missing (m.mu held).
func (m *MemIndex) slot(k uint64) int32 {
	i, ok := m.keys[k]
	if !ok {
		i = int32(len(m.lists))
		m.lists = append(m.lists, postings{})
		m.keys[k] = i
	}
	return i
}

// Confirm returns the decision Assign would take against the index now
// for the article a draft was made for (the same features, date and
// source): the draft's, when no article added since shares one of its
// keys that were not common already (nor were postings dropped), else a
// decision taken anew. again says which.
func (m *MemIndex) Confirm(d *Draft, f *Features, at time.Time, source string) (dec Decision, again bool) {
	if d.idx == m {
		m.mu.RLock()
		changed := m.changed(d)
		m.mu.RUnlock()
		if !changed {
			return d.Decision, false
		}
	}
	return m.decideNow(f, at, source), true
}

// decideNow is Assign on m, its postings kept for the next.
func (m *MemIndex) decideNow(f *Features, at time.Time, source string) Decision {
	keys := f.Keys()
	if len(keys) == 0 {
		return Decision{}
	}
	buf := postingPool.Get().(*[]Posting)
	m.mu.RLock()
	counts, ps := m.lookup(keys, at.Add(-Window).UnixMilli(), at.Add(Window).UnixMilli(), Limit, nil, (*buf)[:0])
	m.mu.RUnlock()
	d := decide(f, SourceHash(source), keys, counts, ps)
	*buf = ps[:0]
	postingPool.Put(buf)
	return d
}

// changed reports whether the lookup of a draft could find anything else
// now: a key it found fewer than Limit times gained a posting since, or
// postings were dropped (m.mu held). A key found Limit times or more
// still is: postings are only added.
func (m *MemIndex) changed(d *Draft) bool {
	if m.epoch != d.epoch {
		return true
	}
	if m.top == d.top {
		return false
	}
	for n, k := range d.keys {
		if d.counts[n] >= Limit {
			continue
		}
		i := d.slots[n]
		if i < 0 {
			var ok bool
			if i, ok = m.keys[k]; !ok {
				continue
			}
		}
		if m.lists[i].last > d.top {
			return true
		}
	}
	return false
}

// AddDrafted indexes the article a draft was made for, as Add does.
func (m *MemIndex) AddDrafted(d *Draft, article, story int64, at time.Time, info Info) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if d.idx != m || d.epoch != m.epoch || d.slots == nil {
		m.add(d.keys, article, story, at.UnixMilli(), info, true)
		return
	}
	ms := at.UnixMilli()
	m.noteArticle(article, story, ms, info)
	for n, k := range d.keys {
		i := d.slots[n]
		if i < 0 {
			i = m.slot(k)
		}
		m.lists[i].put(memPost{at: ms, article: article}, true)
	}
}
