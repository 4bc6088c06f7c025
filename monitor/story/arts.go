package story

// artTable keeps the indexed articles' stories and information by ID, in
// a slice from the lowest ID up: the articles of a window were stored
// one after the other, so their IDs are nearly dense, and a posting's
// article is found without hashing.
type artTable struct {
	base int64    // the ID of list[0]
	list []memArt // by ID - base; ok false: not indexed
	n    int
}

type memArt struct {
	story int64
	at    int64
	info  Info
	ok    bool
}

func (t *artTable) get(id int64) (memArt, bool) {
	i := id - t.base
	if i < 0 || i >= int64(len(t.list)) {
		return memArt{}, false
	}
	a := t.list[i]
	return a, a.ok
}

func (t *artTable) set(id int64, a memArt) {
	a.ok = true
	if len(t.list) == 0 {
		t.base = id
	}
	if id < t.base {
		// Room below, at least as much as there is: IDs that come out
		// of order cost amortised constant time.
		grow := max(t.base-id, int64(len(t.list)))
		list := make([]memArt, int64(len(t.list))+grow, int64(len(t.list))+grow+int64(cap(t.list)-len(t.list)))
		copy(list[grow:], t.list)
		t.list, t.base = list, t.base-grow
	}
	i := id - t.base
	for i >= int64(len(t.list)) {
		t.list = append(t.list, memArt{})
	}
	if !t.list[i].ok {
		t.n++
	}
	t.list[i] = a
}

// keep drops the articles keep says no to, and the room below the first
// one left.
func (t *artTable) keep(keep func(a memArt) bool) {
	first := -1
	for i := range t.list {
		a := &t.list[i]
		if !a.ok {
			continue
		}
		if !keep(*a) {
			*a = memArt{}
			t.n--
			continue
		}
		if first < 0 {
			first = i
		}
	}
	if first < 0 {
		*t = artTable{}
		return
	}
	t.list = append([]memArt(nil), t.list[first:]...)
	t.base += int64(first)
}
