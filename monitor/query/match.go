package query

import (
	"slices"
	"strings"
	"sync"
)

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
