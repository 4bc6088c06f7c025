package story

import (
	"math"
	mathbits "math/bits"
	"sync"
	"time"
)

// Window is how far apart (either way) two reports of one story may be.
const Window = 48 * time.Hour

// Limit is the most postings read per key; a key with more within the
// window is common and weighs nothing.
const Limit = 32

// Thresholds of the term similarity (see the package comment).
var (
	MinSimilarity      = 0.24
	MinSimilaritySame  = 0.36 // two reports of one source: a follow-up, not a column that recurs
	MinSimilarityCross = 0.40 // reports in different languages
	minShared          = 3
	minRare            = 2
	rareDF             = 8 // a key found at most this often in the window is rare
)

// Posting says that an indexed article has a key.
type Posting struct {
	Key     uint64
	Article int64
	Story   int64
	At      int64 // the article's date, Unix milliseconds
	Info    Info
}

// Info is what the index keeps about an indexed article, beside its
// story: enough to score it without reading it.
type Info struct {
	Kind     Kind
	Lang     Lang
	Size     uint8  // its terms
	LangFree uint8  // its terms that are names, numbers or places
	Source   uint32 // SourceHash of its source
}

// InfoOf is the Info of an article with these features from this source.
func InfoOf(f *Features, source string) Info {
	all, free := f.Size()
	return Info{Kind: f.Kind, Lang: f.Lang, Size: uint8(all), LangFree: uint8(free), Source: SourceHash(source)}
}

// Pack and UnpackInfo keep an Info in one integer (for SQL).
func (i Info) Pack() int64 {
	return int64(i.Kind)&3 | int64(i.Lang)&3<<2 | int64(i.Size)<<4 | int64(i.LangFree)<<12 | int64(i.Source)<<20
}

// UnpackInfo reverses Pack.
func UnpackInfo(v int64) Info {
	return Info{Kind: Kind(v & 3), Lang: Lang(v >> 2 & 3), Size: uint8(v >> 4), LangFree: uint8(v >> 12), Source: uint32(v >> 20)}
}

// Index is what Assign reads: the postings of recently stored articles.
type Index interface {
	// Lookup returns, for each key in order, how many indexed articles
	// dated within [from, to] have it (limit meaning limit or more), and
	// the postings of the keys found fewer than limit times (a common key
	// weighs nothing, so its postings are not needed).
	Lookup(keys []uint64, from, to time.Time, limit int) (counts []int, postings []Posting, err error)
}

// Why says why an article joined a story.
type Why uint8

// The reasons to join (New: it starts a story).
const (
	New Why = iota
	NearDuplicate
	SameTitle
	SameEvent
)

func (w Why) String() string {
	return [...]string{"new", "near-duplicate", "same title", "same event"}[w]
}

// Decision is where an article goes.
type Decision struct {
	Story   int64 // 0: it starts a story
	Article int64 // the report that decided it
	Why     Why
	Score   float64
}

// Assign decides the story of an article with features f, dated at,
// from source, against the index.
func Assign(idx Index, f *Features, at time.Time, source string) (Decision, error) {
	keys := f.Keys()
	if len(keys) == 0 {
		return Decision{}, nil
	}
	counts, ps, err := idx.Lookup(keys, at.Add(-Window), at.Add(Window), Limit)
	if err != nil {
		return Decision{}, err
	}
	return decide(f, SourceHash(source), keys, counts, ps), nil
}

// scratch is what decide needs for a while, kept for the next.
type scratch struct {
	cands     []candidate
	byArticle map[int64]int32
}

var scratchPool = sync.Pool{New: func() any { return &scratch{byArticle: make(map[int64]int32, 64)} }}

// candidate is an indexed article that shares keys with the new one.
type candidate struct {
	article int64
	story   int64
	info    Info
	bands   int
	title   bool
	shared  uint32 // the new article's terms it has, by index
}

// candidate.shared holds MaxTerms bits.
const _ = uint(32 - MaxTerms)

func decide(f *Features, source uint32, keys []uint64, counts []int, ps []Posting) Decision {
	// keys are the title's (when there is one), the bands', the terms';
	// the postings come key by key in that order.
	bands := 0
	if f.Title != 0 {
		bands = 1
	}
	terms := bands + len(f.Bands)
	df := make([]int, len(f.Terms))
	for i := range f.Terms {
		if terms+i < len(counts) {
			df[i] = counts[terms+i]
		}
	}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	cands, byArticle := sc.cands[:0], sc.byArticle
	clear(byArticle)
	defer func() { sc.cands = cands[:0] }()
	k := 0
	for _, p := range ps {
		for k < len(keys) && keys[k] != p.Key {
			k++
		}
		if k == len(keys) {
			break // not in the order of the keys (no index does that)
		}
		n, ok := byArticle[p.Article]
		if !ok {
			n = int32(len(cands))
			byArticle[p.Article] = n
			cands = append(cands, candidate{article: p.Article, story: p.Story, info: p.Info})
		}
		c := &cands[n]
		switch {
		case k < bands:
			c.title = true
		case k < terms:
			c.bands++
		default:
			c.shared |= 1 << (k - terms)
		}
	}
	weights := make([]float64, len(f.Terms))
	for i, t := range f.Terms {
		weights[i] = termWeight(t, df[i])
	}
	best := Decision{}
	consider := func(d Decision) {
		// The tie-breaks make the choice independent of the order of
		// the candidates.
		if d.Score > best.Score || d.Score == best.Score && (d.Story > best.Story ||
			d.Story == best.Story && d.Article < best.Article) {
			best = d
		}
	}
	for i := range cands {
		c := &cands[i]
		art := c.article
		switch {
		case c.bands >= NearDupBands:
			consider(Decision{Story: c.story, Article: art, Why: NearDuplicate, Score: 2 + float64(c.bands)/Bands})
			continue
		case c.title && (c.info.Source != source || c.bands >= 2) && c.info.Kind == f.Kind:
			consider(Decision{Story: c.story, Article: art, Why: SameTitle, Score: 2})
			continue
		}
		if f.Kind != News || c.info.Kind != News || c.shared == 0 {
			continue
		}
		// Reports in different languages, or of a language not told,
		// compare their names, numbers and places.
		s := 0.0
		if f.Lang == c.info.Lang {
			s = similarity(f, c, weights, df, false)
			if c.info.Source == source && s < MinSimilaritySame {
				s = 0
			}
		}
		if f.Lang != c.info.Lang || f.Lang == LangUnknown {
			s = max(s, similarity(f, c, weights, df, true))
		}
		if s > 0 {
			consider(Decision{Story: c.story, Article: art, Why: SameEvent, Score: s})
		}
	}
	return best
}

// termWeight weighs a term by how rare it is in the window (df other
// articles have it) and where it stands: title words and names count
// more, a common key nothing.
func termWeight(t Term, df int) float64 {
	if df >= Limit {
		return 0
	}
	w := math.Log(1 + float64(Limit)/float64(df+1))
	if t.Title {
		w *= 1.5
	}
	switch t.Class {
	case Name, Place:
		w *= 1.2
	case Number:
		w *= 1.1
	}
	return w
}

// similarity scores a news candidate: 0 when it falls short.
// With cross set it compares only names, numbers and places.
func similarity(f *Features, c *candidate, weights []float64, df []int, cross bool) float64 {
	var total, shared float64
	for i, t := range f.Terms {
		if cross && t.Class == Stem {
			continue
		}
		total += weights[i]
	}
	n, rare, named := 0, 0, 0
	for bits := c.shared; bits != 0; bits &= bits - 1 {
		i := mathbits.TrailingZeros32(bits)
		t := f.Terms[i]
		if cross && t.Class == Stem || weights[i] == 0 {
			continue
		}
		shared += weights[i]
		n++
		if df[i] <= rareDF {
			rare++
		}
		if t.Class != Stem {
			named++
		}
	}
	size := float64(c.info.Size)
	if cross {
		size = float64(c.info.LangFree)
	}
	if n < minShared || rare < minRare || total == 0 || size == 0 || cross && named < minShared {
		return 0
	}
	sim := math.Sqrt(shared / total * math.Min(1, float64(n)/size))
	limit := MinSimilarity
	if cross {
		limit = MinSimilarityCross
	}
	if sim < limit {
		return 0
	}
	return sim
}
