package story

import (
	"slices"
	"sort"
	"sync"
	"time"
)

// MemIndex is an Index in memory: for tests, for measuring the
// assignment on a labelled set, and for the one-off assignment of a
// store's articles when its database is upgraded.
type MemIndex struct {
	mu    sync.Mutex
	byKey map[uint64][]Posting // by key, oldest first
}

// NewMemIndex returns an empty index.
func NewMemIndex() *MemIndex { return &MemIndex{byKey: map[uint64][]Posting{}} }

// Add indexes an article's features.
func (m *MemIndex) Add(f *Features, article, story int64, at time.Time, info Info) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range f.Keys() {
		ps := m.byKey[k]
		p := Posting{Key: k, Article: article, Story: story, At: at, Info: info}
		i := len(ps)
		for i > 0 && ps[i-1].At.After(at) {
			i--
		}
		m.byKey[k] = slices.Insert(ps, i, p)
	}
}

// Forget drops the postings dated before t.
func (m *MemIndex) Forget(before time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, ps := range m.byKey {
		i := 0
		for i < len(ps) && ps[i].At.Before(before) {
			i++
		}
		if i == len(ps) {
			delete(m.byKey, k)
		} else if i > 0 {
			m.byKey[k] = slices.Clone(ps[i:])
		}
	}
}

// Lookup implements Index: each key's window is found by binary search,
// so a common key costs no more than a rare one.
func (m *MemIndex) Lookup(keys []uint64, from, to time.Time, limit int) ([]int, []Posting, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	counts := make([]int, len(keys))
	var out []Posting
	for i, k := range keys {
		ps := m.byKey[k]
		lo := sort.Search(len(ps), func(j int) bool { return !ps[j].At.Before(from) })
		hi := sort.Search(len(ps), func(j int) bool { return ps[j].At.After(to) })
		n := hi - lo
		if n >= limit {
			counts[i] = limit
			continue
		}
		counts[i] = n
		for j := hi - 1; j >= lo; j-- {
			out = append(out, ps[j])
		}
	}
	return counts, out, nil
}
