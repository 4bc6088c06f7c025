package story

import (
	"slices"
	"sort"
	"sync"
	"time"
)

// MemIndex is an Index in memory: postings by key, each key's sorted by
// date, so a key's window is found by binary search. The store keeps one
// for the window of recent articles (loaded from its table of features,
// brought up to date before each write); the one-off assignment of a
// store's articles on upgrade and the tests use it alone.
type MemIndex struct {
	mu    sync.Mutex
	byKey map[uint64][]memPost
	arts  map[int64]memArt
}

// memPost is a posting as kept: 16 bytes.
type memPost struct {
	at      int64 // Unix ms
	article int64
}

type memArt struct {
	story int64
	at    int64
	info  Info
}

// NewMemIndex returns an empty index.
func NewMemIndex() *MemIndex {
	return &MemIndex{byKey: map[uint64][]memPost{}, arts: map[int64]memArt{}}
}

// Add indexes an article by its keys (Features.Keys).
func (m *MemIndex) Add(keys []uint64, article, story int64, at time.Time, info Info) {
	ms := at.UnixMilli()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.arts[article] = memArt{story: story, at: ms, info: info}
	for _, k := range keys {
		ps := m.byKey[k]
		i := len(ps)
		for i > 0 && ps[i-1].at > ms {
			i--
		}
		m.byKey[k] = slices.Insert(ps, i, memPost{at: ms, article: article})
	}
}

// Len is the number of articles indexed.
func (m *MemIndex) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.arts)
}

// Forget drops the articles dated before t.
func (m *MemIndex) Forget(before time.Time) {
	ms := before.UnixMilli()
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, ps := range m.byKey {
		i := sort.Search(len(ps), func(j int) bool { return ps[j].at >= ms })
		switch {
		case i == len(ps):
			delete(m.byKey, k)
		case i > 0:
			m.byKey[k] = slices.Clone(ps[i:])
		}
	}
	for id, a := range m.arts {
		if a.at < ms {
			delete(m.arts, id)
		}
	}
}

// Lookup implements Index: a common key costs no more than a rare one.
func (m *MemIndex) Lookup(keys []uint64, from, to time.Time, limit int) ([]int, []Posting, error) {
	lo, hi := from.UnixMilli(), to.UnixMilli()
	m.mu.Lock()
	defer m.mu.Unlock()
	counts := make([]int, len(keys))
	var out []Posting
	for i, k := range keys {
		ps := m.byKey[k]
		a := sort.Search(len(ps), func(j int) bool { return ps[j].at >= lo })
		b := sort.Search(len(ps), func(j int) bool { return ps[j].at > hi })
		if b-a >= limit {
			counts[i] = limit
			continue
		}
		counts[i] = b - a
		for j := b - 1; j >= a; j-- {
			art := m.arts[ps[j].article]
			out = append(out, Posting{Key: k, Article: ps[j].article, Story: art.story,
				At: time.UnixMilli(ps[j].at).UTC(), Info: art.info})
		}
	}
	return counts, out, nil
}
