package story

import (
	"cmp"
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
//
// Readers (Lookup, Draft) share it with one writer at a time. A key's
// newest postings wait unsorted in a short tail that is merged into the
// sorted list when it fills, so adding an article costs about the same
// whatever the order of the dates and however common its keys (inserting
// each posting in place moved half of a common key's list every time).
type MemIndex struct {
	mu     sync.RWMutex
	keys   map[uint64]int32 // key → its list in lists
	lists  []postings
	arts   artTable
	top    int64  // the highest article ID added
	oldest int64  // the oldest article's date (Unix ms; 0: none)
	epoch  uint64 // raised whenever postings are dropped (Forget)
}

// postings are one key's: sorted by date (then article), and a tail of
// the newest adds in any order, merged when it holds tailSize or an
// eighth of the sorted ones (so a common key's long list is moved
// seldom).
type postings struct {
	sorted []memPost
	tail   []memPost
	last   int64 // the highest article ID among them
}

// tailSize is how many postings wait unsorted before they are merged.
const tailSize = 16

// memPost is a posting as kept: 16 bytes.
type memPost struct {
	at      int64 // Unix ms
	article int64
}

func comparePosts(a, b memPost) int {
	if c := cmp.Compare(a.at, b.at); c != 0 {
		return c
	}
	return cmp.Compare(a.article, b.article)
}

// NewMemIndex returns an empty index.
func NewMemIndex() *MemIndex { return NewMemIndexSize(0, 0) }

// NewMemIndexSize returns an empty index with room for about this many
// articles and keys.
func NewMemIndexSize(articles, keys int) *MemIndex {
	return &MemIndex{keys: make(map[uint64]int32, keys), lists: make([]postings, 0, keys),
		arts: artTable{list: make([]memArt, 0, articles)}}
}

// Add indexes an article by its keys (Features.Keys).
func (m *MemIndex) Add(keys []uint64, article, story int64, at time.Time, info Info) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.add(keys, article, story, at.UnixMilli(), info, true)
}

// Bulk adds many articles at once, as when a window is loaded: their
// postings are gathered first, then laid out in one allocation and each
// key's sorted once, instead of merged as they come. add may be called
// any number of times until Bulk returns; keys is not kept.
func (m *MemIndex) Bulk(fill func(add func(keys []uint64, article, story int64, at time.Time, info Info))) {
	m.mu.Lock()
	defer m.mu.Unlock()
	slots := make([]int32, 0, cap(m.lists)*3)
	posts := make([]memPost, 0, cap(m.lists)*3)
	fill(func(keys []uint64, article, story int64, at time.Time, info Info) {
		ms := at.UnixMilli()
		m.noteArticle(article, story, ms, info)
		for _, k := range keys {
			slots = append(slots, m.slot(k))
			posts = append(posts, memPost{at: ms, article: article})
		}
	})
	// Each list's part of one array, in the order of the lists.
	end := make([]int32, len(m.lists))
	for _, i := range slots {
		end[i]++
	}
	total := int32(0)
	for i, n := range end {
		total += n
		end[i] = total
	}
	arena := make([]memPost, total)
	next := end // filled from the back: next[i] ends as list i's start
	for j := len(slots) - 1; j >= 0; j-- {
		i := slots[j]
		next[i]--
		arena[next[i]] = posts[j]
	}
	// The postings as one number each (date, then article, from the
	// lowest of each), which sorts much faster, when they fit.
	var lowAt, lowArt, highAt, highArt int64
	for j, t := range posts {
		if j == 0 {
			lowAt, highAt, lowArt, highArt = t.at, t.at, t.article, t.article
		}
		lowAt, highAt = min(lowAt, t.at), max(highAt, t.at)
		lowArt, highArt = min(lowArt, t.article), max(highArt, t.article)
	}
	const artBits = 34
	packed := highArt-lowArt < 1<<artBits && highAt-lowAt < 1<<(63-artBits)
	var scratch []uint64
	for i := range m.lists {
		start, stop := next[i], total
		if i+1 < len(m.lists) {
			stop = next[i+1]
		}
		if start == stop {
			continue
		}
		part := arena[start:stop:stop] // appending copies: the next list follows
		p := &m.lists[i]
		for _, t := range part {
			p.last = max(p.last, t.article)
		}
		if len(p.sorted) == 0 && len(p.tail) == 0 {
			p.sorted = part
			switch {
			case slices.IsSortedFunc(part, comparePosts):
			case packed:
				scratch = scratch[:0]
				for _, t := range part {
					scratch = append(scratch, uint64(t.at-lowAt)<<artBits|uint64(t.article-lowArt))
				}
				slices.Sort(scratch)
				for j, v := range scratch {
					part[j] = memPost{at: int64(v>>artBits) + lowAt, article: int64(v&(1<<artBits-1)) + lowArt}
				}
			default:
				slices.SortFunc(part, comparePosts)
			}
			continue
		}
		p.tail = append(p.tail, part...)
		p.merge()
	}
}

// add indexes an article (m.mu held). With merge false, tails grow
// without limit: the caller sorts them.
func (m *MemIndex) add(keys []uint64, article, story, ms int64, info Info, merge bool) {
	m.noteArticle(article, story, ms, info)
	for _, k := range keys {
		m.lists[m.slot(k)].put(memPost{at: ms, article: article}, merge)
	}
}

// noteArticle keeps an article's story and information (m.mu held).
func (m *MemIndex) noteArticle(article, story, ms int64, info Info) {
	m.arts.set(article, memArt{story: story, at: ms, info: info})
	m.top = max(m.top, article)
	if m.arts.n == 1 || ms < m.oldest {
		m.oldest = ms
	}
}

// put adds a posting to the tail, and merges a full tail when merge is
// set.
func (p *postings) put(t memPost, merge bool) {
	p.tail = append(p.tail, t)
	p.last = max(p.last, t.article)
	if merge && len(p.tail) >= max(tailSize, len(p.sorted)/8) {
		p.merge()
	}
}

// merge sorts the tail into the sorted list, from the back, in place.
func (p *postings) merge() {
	slices.SortFunc(p.tail, comparePosts)
	n, k := len(p.sorted), len(p.tail)
	p.sorted = slices.Grow(p.sorted, k)[:n+k]
	i, j := n-1, k-1
	for w := n + k - 1; j >= 0; w-- {
		if i >= 0 && comparePosts(p.sorted[i], p.tail[j]) > 0 {
			p.sorted[w] = p.sorted[i]
			i--
		} else {
			p.sorted[w] = p.tail[j]
			j--
		}
	}
	p.tail = p.tail[:0]
}

// SetStory moves an indexed article to another story.
func (m *MemIndex) SetStory(article, story int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if a, ok := m.arts.get(article); ok {
		a.story = story
		m.arts.set(article, a)
	}
}

// Len is the number of articles indexed.
func (m *MemIndex) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.arts.n
}

// Forget drops the articles dated before t.
func (m *MemIndex) Forget(before time.Time) {
	ms := before.UnixMilli()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.arts.n == 0 || m.oldest >= ms {
		return // nothing that old
	}
	m.epoch++
	keys := make(map[uint64]int32, len(m.keys))
	lists := make([]postings, 0, len(m.lists))
	for k, i := range m.keys {
		p := m.lists[i]
		if len(p.tail) > 0 {
			p.merge()
		}
		a := sort.Search(len(p.sorted), func(j int) bool { return p.sorted[j].at >= ms })
		if a == len(p.sorted) {
			continue
		}
		if a > 0 {
			p.sorted = slices.Clone(p.sorted[a:])
		}
		keys[k] = int32(len(lists))
		lists = append(lists, p)
	}
	m.keys, m.lists = keys, lists
	m.oldest = 0
	first := true
	m.arts.keep(func(a memArt) bool {
		if a.at < ms {
			return false
		}
		if first || a.at < m.oldest {
			m.oldest, first = a.at, false
		}
		return true
	})
}

// Lookup implements Index: a common key costs no more than a rare one.
// Each key's postings come newest first.
func (m *MemIndex) Lookup(keys []uint64, from, to time.Time, limit int) ([]int, []Posting, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	counts, out := m.lookup(keys, from.UnixMilli(), to.UnixMilli(), limit, nil, nil)
	return counts, out, nil
}

// lookup is Lookup with m.mu held (for reading at least), the postings
// appended to out. When slots is given, it gets each key's list in
// m.lists (-1: none).
func (m *MemIndex) lookup(keys []uint64, lo, hi int64, limit int, slots []int32, out []Posting) ([]int, []Posting) {
	counts := make([]int, len(keys))
	for n, k := range keys {
		i, ok := m.keys[k]
		if slots != nil {
			slots[n] = -1
			if ok {
				slots[n] = i
			}
		}
		if !ok {
			continue
		}
		p := &m.lists[i]
		s := p.sorted
		a := sort.Search(len(s), func(j int) bool { return s[j].at >= lo })
		if a+limit <= len(s) && s[a+limit-1].at <= hi {
			counts[n] = limit // common: the sorted ones say so already
			continue
		}
		b := a + sort.Search(len(s)-a, func(j int) bool { return s[a+j].at > hi })
		c := b - a
		for j := 0; j < len(p.tail) && c < limit; j++ {
			if t := p.tail[j]; t.at >= lo && t.at <= hi {
				c++
			}
		}
		if c >= limit {
			counts[n] = limit
			continue
		}
		counts[n] = c
		// Newest first: the sorted ones backwards, merged with the
		// tail's (sorted first).
		var tail []memPost
		if len(p.tail) > 0 {
			tail = make([]memPost, 0, c-(b-a))
			for _, t := range p.tail {
				if t.at >= lo && t.at <= hi {
					tail = append(tail, t)
				}
			}
			slices.SortFunc(tail, comparePosts)
		}
		j, t := b-1, len(tail)-1
		for j >= a || t >= 0 {
			if t < 0 || j >= a && comparePosts(s[j], tail[t]) > 0 {
				out = append(out, m.posting(k, s[j]))
				j--
			} else {
				out = append(out, m.posting(k, tail[t]))
				t--
			}
		}
	}
	return counts, out
}

func (m *MemIndex) posting(key uint64, t memPost) Posting {
	art, _ := m.arts.get(t.article)
	return Posting{Key: key, Article: t.article, Story: art.story, At: t.at, Info: art.info}
}
