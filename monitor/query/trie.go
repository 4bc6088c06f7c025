package query

// trie finds which of a set of folded words a word of an article starts
// with (prefix atoms) or is (whole-word atoms) in one walk over the word.
// Bytes are mapped to classes so a node's transitions are a small dense
// row.
type trie struct {
	starts [256]bool // bytes some atom starts with
	class  [256]uint16
	nc     int
	next   []int32   // next[node*nc+class] is the child, 0 for none
	prefix [][]int32 // atoms a word may start with, ending at each node
	whole  [][]int32 // atoms a word must equal, ending at each node
	// ends[node] has bit 1 when prefix atoms end there, bit 2 for whole
	// ones: a byte per node is cheaper to test than a slice header.
	ends []uint8
}

func buildTrie(atoms []wordSpec, ids []int32) *trie {
	if len(ids) == 0 {
		return nil
	}
	t := &trie{nc: 1}
	for _, id := range ids {
		w := atoms[id].text
		for i := 0; i < len(w); i++ {
			if t.class[w[i]] == 0 {
				t.class[w[i]] = uint16(t.nc)
				t.nc++
			}
		}
	}
	t.next = make([]int32, t.nc)
	t.prefix = [][]int32{nil}
	t.whole = [][]int32{nil}
	for _, id := range ids {
		w := atoms[id].text
		if w != "" {
			t.starts[w[0]] = true
		}
		st := 0
		for i := 0; i < len(w); i++ {
			c := int(t.class[w[i]])
			nx := int(t.next[st*t.nc+c])
			if nx == 0 {
				nx = len(t.prefix)
				t.next[st*t.nc+c] = int32(nx)
				t.next = append(t.next, make([]int32, t.nc)...)
				t.prefix = append(t.prefix, nil)
				t.whole = append(t.whole, nil)
			}
			st = nx
		}
		if atoms[id].mode == mWhole {
			t.whole[st] = append(t.whole[st], id)
		} else {
			t.prefix[st] = append(t.prefix[st], id)
		}
	}
	t.ends = make([]uint8, len(t.prefix))
	for i := range t.ends {
		if len(t.prefix[i]) > 0 {
			t.ends[i] |= 1
		}
		if len(t.whole[i]) > 0 {
			t.ends[i] |= 2
		}
	}
	return t
}

// single returns the byte every atom starts with, if there is only one.
func (t *trie) single() (byte, bool) {
	found, n := byte(0), 0
	for c, ok := range t.starts {
		if ok {
			found, n = byte(c), n+1
		}
	}
	return found, n == 1
}

// first reports whether some atom starts with byte c.
func (t *trie) first(c byte) bool { return t.starts[c] }

// scan follows text[start:end] from the root and records for the word
// every prefix atom on the way and, when whole is set and the walk reaches
// end, the whole-word atoms there.
func (t *trie) scan(text string, start, end int, whole bool, sc *scratch, f Field, word int32) {
	st := 0
	for k := start; k < end; k++ {
		c := t.class[text[k]]
		if c == 0 {
			return
		}
		st = int(t.next[st*t.nc+int(c)])
		if st == 0 {
			return
		}
		if t.ends[st]&1 != 0 {
			for _, a := range t.prefix[st] {
				sc.record(a, f, word)
			}
		}
	}
	if whole && t.ends[st]&2 != 0 {
		for _, a := range t.whole[st] {
			sc.record(a, f, word)
		}
	}
}
