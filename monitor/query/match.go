package query

import (
	"slices"
	"strings"
	"sync"
)

// Prepared is a Doc folded and split into words once, ready to be matched
// against any number of queries. Release returns its memory for reuse.
type Prepared struct {
	fields [numFields]preparedField
	buf    []byte
	words  []span
}

type preparedField struct {
	Folded
	words []span // word spans in the folded text
}

type span struct{ start, end int32 }

var preparedPool = sync.Pool{New: func() any { return new(Prepared) }}

// Prepare folds every field of d and finds its words.
func Prepare(d Doc) *Prepared { return prepare(d, maskAll) }

// shortFields are the fields that are folded first by TestDoc.
const shortFields fieldMask = 1<<Title | 1<<Categories | 1<<Author | 1<<FeedTitle

// prepare folds the fields of d in mask; the others stay empty.
func prepare(d Doc, mask fieldMask) *Prepared {
	p := preparedPool.Get().(*Prepared)
	texts := [numFields]string{d.Title, d.Summary, d.Content,
		strings.Join(d.Categories, CategorySeparator), d.Author, d.Feed}
	size := 0
	for i := range texts {
		if mask&(1<<i) == 0 {
			texts[i] = ""
		}
		size += len(texts[i]) + 8
	}
	if cap(p.buf) < size {
		p.buf = make([]byte, 0, size+size/4)
	}
	if cap(p.words) < size/6+4 {
		p.words = make([]span, 0, size/6+size/24+4)
	}
	buf, words := p.buf[:0], p.words[:0]
	for i, t := range texts {
		f := &p.fields[i]
		n := len(words)
		f.Folded, words, buf = fold(t, words, buf)
		f.words = words[n:len(words):len(words)]
	}
	return p
}

// Release hands the prepared article's memory back for reuse. Neither it
// nor anything taken from it (the folded texts) may be used afterwards;
// hits already returned stay valid.
func (p *Prepared) Release() {
	*p = Prepared{buf: p.buf, words: p.words}
	preparedPool.Put(p)
}

// Size is the number of bytes of text in the prepared article.
func (p *Prepared) Size() int {
	n := 0
	for i := range p.fields {
		n += len(p.fields[i].src)
	}
	return n
}

// Set is many queries compiled together, so that matching an article
// against all of them costs about as much as matching it against one: the
// article's words are walked once through a trie of every query's words,
// and only the queries whose words occurred are evaluated.
type Set struct {
	queries []*Query
	atoms   []wordSpec
	trie    *trie // atoms that start at a word start
	infix   *trie // atoms that may start inside a word
	// leafAtoms[q][leaf] are the atom IDs of a leaf's words; joinedAtom
	// the atom of its joined compound, or -1.
	leafAtoms  [][][]int32
	joinedAtom [][]int32
	// atomQueries lists the queries that use each atom; always lists the
	// queries with regular expressions, which are evaluated every time.
	atomQueries [][]int32
	always      []int32
	pool        sync.Pool
}

// SetMatch is one query of a Set that matched, by its index.
type SetMatch struct {
	Query int
	Hits  []Hit
}

// NewSet compiles queries for matching together.
func NewSet(queries []*Query) *Set {
	s := &Set{queries: queries}
	ids := map[wordSpec]int32{}
	atomID := func(w wordSpec) int32 {
		if id, ok := ids[w]; ok {
			return id
		}
		id := int32(len(s.atoms))
		ids[w] = id
		s.atoms = append(s.atoms, w)
		s.atomQueries = append(s.atomQueries, nil)
		return id
	}
	s.leafAtoms = make([][][]int32, len(queries))
	s.joinedAtom = make([][]int32, len(queries))
	for qi, q := range queries {
		s.leafAtoms[qi] = make([][]int32, len(q.leaves))
		s.joinedAtom[qi] = make([]int32, len(q.leaves))
		hasRegex := false
		use := func(id int32) {
			if l := s.atomQueries[id]; len(l) == 0 || l[len(l)-1] != int32(qi) {
				s.atomQueries[id] = append(l, int32(qi))
			}
		}
		for li, l := range q.leaves {
			s.joinedAtom[qi][li] = -1
			if l.kind == lRegex {
				hasRegex = true
				continue
			}
			ids := make([]int32, len(l.words))
			for wi, w := range l.words {
				ids[wi] = atomID(w)
				use(ids[wi])
			}
			s.leafAtoms[qi][li] = ids
			if l.joined != nil {
				id := atomID(*l.joined)
				s.joinedAtom[qi][li] = id
				use(id)
			}
		}
		if hasRegex {
			s.always = append(s.always, int32(qi))
		}
	}
	var normal, infix []int32
	for id, w := range s.atoms {
		if w.infix {
			infix = append(infix, int32(id))
		} else {
			normal = append(normal, int32(id))
		}
	}
	s.trie = buildTrie(s.atoms, normal)
	s.infix = buildTrie(s.atoms, infix)
	s.pool.New = func() any { return &scratch{hits: make([][]wordHit, len(s.atoms))} }
	return s
}

// Len is the number of queries in the set.
func (s *Set) Len() int { return len(s.queries) }

// wordHit is an atom found at a word of a field.
type wordHit struct {
	field Field
	word  int32
}

// scratch is the per-article state of a match, reused through a pool.
type scratch struct {
	hits    [][]wordHit // by atom
	touched []int32     // atoms with hits, to reset
	cand    []int32     // candidate queries
	seen    []bool      // by query: already a candidate
	leaf    []leafState // by leaf of the query being evaluated
	found   []found     // explain's working list
}

type leafState struct {
	done  bool
	ok    bool
	spans []fieldSpan
}

type fieldSpan struct {
	field      Field
	start, end int32 // in the folded text
}

func (sc *scratch) record(atom int32, f Field, word int32) {
	l := sc.hits[atom]
	if n := len(l); n > 0 && l[n-1].field == f && l[n-1].word == word {
		return
	}
	if len(l) == 0 {
		sc.touched = append(sc.touched, atom)
	}
	sc.hits[atom] = append(l, wordHit{f, word})
}

func (sc *scratch) has(atom int32, f Field, word int32) bool {
	for _, h := range sc.hits[atom] {
		if h.field == f && h.word == word {
			return true
		}
	}
	return false
}

// Match returns the queries of the set that match the article, in set
// order, each with its hits.
func (s *Set) Match(p *Prepared) []SetMatch { return s.match(p, true) }

// Matching returns the queries of the set that match, without hits: a
// little cheaper when only the answer counts.
func (s *Set) Matching(p *Prepared) []int {
	ms := s.match(p, false)
	out := make([]int, len(ms))
	for i, m := range ms {
		out[i] = m.Query
	}
	return out
}

func (s *Set) match(p *Prepared, explain bool) []SetMatch {
	sc := s.pool.Get().(*scratch)
	defer s.release(sc)
	if len(sc.seen) < len(s.queries) {
		sc.seen = make([]bool, len(s.queries))
	}

	for f := Field(0); f < numFields; f++ {
		pf := &p.fields[f]
		t := pf.Text
		if s.trie != nil {
			for wi, w := range pf.words {
				if s.trie.first(t[w.start]) {
					s.trie.scan(t, int(w.start), int(w.end), true, sc, f, int32(wi))
				}
			}
		}
		if s.infix != nil {
			s.scanInfix(pf, f, sc)
		}
	}

	for _, a := range sc.touched {
		for _, q := range s.atomQueries[a] {
			if !sc.seen[q] {
				sc.seen[q] = true
				sc.cand = append(sc.cand, q)
			}
		}
	}
	for _, q := range s.always {
		if !sc.seen[q] {
			sc.seen[q] = true
			sc.cand = append(sc.cand, q)
		}
	}
	slices.Sort(sc.cand)

	var out []SetMatch
	for _, qi := range sc.cand {
		q := s.queries[qi]
		if cap(sc.leaf) < len(q.leaves) {
			sc.leaf = make([]leafState, len(q.leaves))
		}
		sc.leaf = sc.leaf[:len(q.leaves)]
		for i := range sc.leaf {
			sc.leaf[i] = leafState{spans: sc.leaf[i].spans[:0]}
		}
		e := evaluator{s: s, q: int(qi), p: p, sc: sc, quick: !explain}
		if e.eval(q.root) {
			m := SetMatch{Query: int(qi)}
			if explain {
				m.Hits = e.explain(q.root)
			}
			out = append(out, m)
		}
	}
	return out
}

// scanInfix finds the atoms that may start inside words: from every byte
// that can begin one (found with IndexByte when only one byte can), to the
// end of its word.
func (s *Set) scanInfix(pf *preparedField, f Field, sc *scratch) {
	t, words := pf.Text, pf.words
	wi := 0
	try := func(k int) {
		for wi < len(words) && int(words[wi].end) <= k {
			wi++
		}
		if wi < len(words) && int(words[wi].start) <= k {
			s.infix.scan(t, k, int(words[wi].end), false, sc, f, int32(wi))
		}
	}
	if b, ok := s.infix.single(); ok {
		for k := 0; ; k++ {
			i := strings.IndexByte(t[k:], b)
			if i < 0 {
				return
			}
			k += i
			try(k)
		}
	}
	for k := 0; k < len(t); k++ {
		if s.infix.starts[t[k]] {
			try(k)
		}
	}
}

func (s *Set) release(sc *scratch) {
	for _, a := range sc.touched {
		sc.hits[a] = sc.hits[a][:0]
	}
	sc.touched = sc.touched[:0]
	for _, q := range sc.cand {
		sc.seen[q] = false
	}
	sc.cand = sc.cand[:0]
	s.pool.Put(sc)
}

// evaluator evaluates one query against one article.
type evaluator struct {
	s     *Set
	q     int
	p     *Prepared
	sc    *scratch
	quick bool // only whether it matches: a regex may stop at its first match
}

func (e *evaluator) eval(n *node) bool {
	switch n.kind {
	case nLeaf:
		return e.leaf(n.leaf).ok
	case nNot:
		return !e.eval(n.kids[0])
	case nAnd:
		for _, k := range n.kids {
			if !e.eval(k) {
				return false
			}
		}
		return true
	}
	for _, k := range n.kids {
		if e.eval(k) {
			return true
		}
	}
	return false
}

// maxSpansPerLeaf bounds the occurrences one term reports.
const maxSpansPerLeaf = 64

// leaf finds (once) where a leaf occurs in the article.
func (e *evaluator) leaf(l *leaf) *leafState {
	st := &e.sc.leaf[l.id]
	if st.done {
		return st
	}
	st.done = true
	add := func(f Field, a, b int32) {
		if len(st.spans) < maxSpansPerLeaf {
			st.spans = append(st.spans, fieldSpan{f, a, b})
		}
	}
	if l.kind == lRegex {
		for f := Field(0); f < numFields; f++ {
			if l.fields&(1<<f) == 0 {
				continue
			}
			if e.quick {
				// Only a match of at least one character counts, as below;
				// the leftmost match may be empty with a longer one later.
				text := e.p.fields[f].Text
				if m := l.re.FindStringIndex(text); m != nil && (m[1] > m[0] || slices.ContainsFunc(
					l.re.FindAllStringIndex(text, -1), func(m []int) bool { return m[1] > m[0] })) {
					st.ok = true
					return st
				}
				continue
			}
			for _, m := range l.re.FindAllStringIndex(e.p.fields[f].Text, maxSpansPerLeaf) {
				if m[1] > m[0] {
					add(f, int32(m[0]), int32(m[1]))
				}
			}
		}
		st.ok = len(st.spans) > 0
		return st
	}
	atoms := e.s.leafAtoms[e.q][l.id]
	for _, h := range e.sc.hits[atoms[0]] {
		if l.fields&(1<<h.field) == 0 {
			continue
		}
		words := e.p.fields[h.field].words
		end, ok := h.word, true
		for i := 1; i < len(atoms) && ok; i++ {
			next := h.word + int32(i)
			ok = int(next) < len(words) && e.sc.has(atoms[i], h.field, next) &&
				adjacent(e.p.fields[h.field].Text, words[next-1], words[next])
			end = next
		}
		if ok {
			add(h.field, words[h.word].start, words[end].end)
		}
	}
	if j := e.s.joinedAtom[e.q][l.id]; j >= 0 {
		for _, h := range e.sc.hits[j] {
			if l.fields&(1<<h.field) != 0 {
				w := e.p.fields[h.field].words[h.word]
				add(h.field, w.start, w.end)
			}
		}
	}
	st.ok = len(st.spans) > 0
	return st
}

// adjacent reports whether two words are next to each other in a phrase:
// separated only by spaces, hyphens or quotes.
func adjacent(t string, a, b span) bool {
	sep := t[a.end:b.start]
	if len(sep) > 3 {
		return false
	}
	for i := 0; i < len(sep); i++ {
		switch sep[i] {
		case ' ', '-', '"', '\'':
		default:
			return false
		}
	}
	return true
}

// found is a leaf occurrence on its way to becoming a Hit.
type found struct {
	term string
	sp   fieldSpan
}

// explain collects the hits of the leaves that made the query match:
// every leaf under a satisfied path, none under NOT.
func (e *evaluator) explain(root *node) []Hit {
	e.sc.found = e.sc.found[:0]
	e.collect(root)
	spans := e.sc.found
	// In text order, so mapping back to the original is one pass a field.
	slices.SortStableFunc(spans, func(a, b found) int {
		if a.sp.field != b.sp.field {
			return int(a.sp.field) - int(b.sp.field)
		}
		return int(a.sp.start) - int(b.sp.start)
	})
	hits := make([]Hit, len(spans))
	for i, f := range spans {
		a, b := e.p.fields[f.sp.field].Original(int(f.sp.start), int(f.sp.end))
		hits[i] = Hit{Term: f.term, Field: f.sp.field, Start: a, End: b}
	}
	return hits
}

func (e *evaluator) collect(n *node) {
	switch n.kind {
	case nNot:
		return
	case nLeaf:
	next:
		for _, sp := range e.leaf(n.leaf).spans {
			for _, f := range e.sc.found {
				if f.sp == sp {
					continue next
				}
			}
			e.sc.found = append(e.sc.found, found{n.leaf.text, sp})
		}
		return
	}
	for _, k := range n.kids {
		if e.eval(k) {
			e.collect(k)
		}
	}
}
