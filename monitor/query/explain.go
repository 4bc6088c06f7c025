package query

import (
	"slices"
)

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
