package query

import (
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
		strings.Join(d.Categories, CategorySeparator), d.Author, d.Feed, d.FullText}
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
