package query

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

// Folded is a text in its matching form together with the way back to the
// original, so a match found in the folded text can be highlighted in the
// text the user sees.
type Folded struct {
	Text  string
	src   string
	ascii bool // src was pure ASCII: folded offsets are original offsets
	// anchors mark the characters where the texts get out of step.
	anchors []anchor
}

// Fold returns the matching form of s: lower case, accents removed, and the
// German equivalences applied (ä=ae, ö=oe, ü=ue, ß=ss), so that "Außenminister",
// "AUSSENMINISTER" and "aussenminister" fold to the same text. Soft hyphens
// and zero-width characters disappear; punctuation of other scripts becomes
// its ASCII counterpart or a space; everything else is kept, lower-cased.
func Fold(s string) Folded {
	f, _, _ := fold(s, nil, nil)
	return f
}

// FoldString is Fold without the way back, for queries and keys.
func FoldString(s string) string { return Fold(s).Text }

var asciiLower = func() (t [128]byte) {
	for i := range t {
		t[i] = byte(i)
		if 'A' <= i && i <= 'Z' {
			t[i] = byte(i) + 'a' - 'A'
		}
	}
	return t
}()

// asciiFold holds, for each ASCII byte, its lower case and in the high bit
// whether it is part of a word, so the fast path needs one lookup.
var asciiFold = func() (t [128]byte) {
	for c := range t {
		t[c] = asciiLower[c]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			t[c] |= 0x80
		}
	}
	return t
}()

// fold folds s and returns its words (runs of word bytes in the folded
// text), appended to words. The folded text is written into the unused
// capacity of buf (which is allocated when too small) and buf is returned
// grown past it, so many texts can share one allocation.
func fold(s string, words []span, buf []byte) (Folded, []span, []byte) {
	off := len(buf)
	if cap(buf)-off < len(s)+8 {
		buf = make([]byte, 0, len(s)+8)
		off = 0
	}
	buf = buf[:cap(buf)]
	if words == nil && len(s) > 0 {
		words = make([]span, 0, len(s)/6+1)
	}
	var anchors []anchor
	ascii := true
	n := off    // end of what is written to buf
	start := -1 // start of the current word in buf
	prevBase := rune(0)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf { // ASCII fast path
			f := asciiFold[c]
			if f&0x80 != 0 {
				if start < 0 {
					start = n
				}
			} else if start >= 0 {
				words = append(words, span{int32(start - off), int32(n - off)})
				start = -1
			}
			buf[n] = f & 0x7f
			n++
			i++
			continue
		}
		ascii = false
		r, size := utf8.DecodeRuneInString(s[i:])
		if n > off && buf[n-1] < utf8.RuneSelf && (i == 0 || s[i-1] < utf8.RuneSelf) {
			prevBase = rune(buf[n-1]) // the ASCII letter before, for a combining umlaut
		}
		out, base := foldRune(r, prevBase)
		if len(out) != size || utf8.RuneCountInString(out) != 1 {
			anchors = append(anchors, anchor{folded: int32(n - off), orig: int32(i), flen: uint8(len(out)), olen: uint8(size)})
		}
		if n+len(out)+len(s)-i > len(buf) {
			// Folding grew the text (rare): move to a larger buffer.
			nb := make([]byte, n-off+len(out)+len(s)-i+64)
			copy(nb, buf[off:n])
			buf, n, start = nb, n-off, start-off
			if start < -1 {
				start = -1
			}
			off = 0
		}
		for j := 0; j < len(out); j++ {
			if IsWordByte(out[j]) {
				if start < 0 {
					start = n
				}
			} else if start >= 0 {
				words = append(words, span{int32(start - off), int32(n - off)})
				start = -1
			}
			buf[n] = out[j]
			n++
		}
		prevBase = base
		i += size
	}
	if start >= 0 {
		words = append(words, span{int32(start - off), int32(n - off)})
	}
	// These bytes are never written again: share them as the string.
	text := unsafe.String(unsafe.SliceData(buf[off:]), n-off)
	return Folded{Text: text, src: s, ascii: ascii, anchors: anchors}, words, buf[:n]
}

// Original maps the folded byte range [start, end) to the byte range of the
// original text that produced it, always on whole characters. It is not
// safe for concurrent use on the same Folded.
func (f *Folded) Original(start, end int) (int, int) {
	if start < 0 || end > len(f.Text) || start > end {
		return 0, 0
	}
	if f.ascii {
		return start, end
	}
	os, _ := f.locate(start)
	if end == start {
		return os, os
	}
	// The original character holding the last folded byte, to its end: a
	// range ending inside an expansion (the "a" of "ae" from "ä") still
	// covers the whole character.
	last, size := f.locate(end - 1)
	return os, last + size
}

// locate finds the original character that produced folded byte pos: its
// offset and size.
func (f *Folded) locate(pos int) (int, int) {
	// The last anchor at or before pos; after it, folded and original
	// text run in step.
	i := sort.Search(len(f.anchors), func(i int) bool { return int(f.anchors[i].folded) > pos }) - 1
	o := pos
	if i >= 0 {
		a := f.anchors[i]
		if pos < int(a.folded)+int(a.flen) {
			return int(a.orig), int(a.olen)
		}
		o = int(a.orig) + int(a.olen) + pos - int(a.folded) - int(a.flen)
	}
	if o >= len(f.src) {
		return len(f.src), 0
	}
	for o > 0 && f.src[o]&0xC0 == 0x80 {
		o-- // a byte inside a character folded to one of the same size
	}
	_, size := utf8.DecodeRuneInString(f.src[o:])
	return o, size
}

// anchor records a character whose folded form differs in length or
// number of characters from the original (ä → ae, é → e, a dropped soft
// hyphen): where it starts in both texts and how long it is in each.
type anchor struct {
	folded, orig int32
	flen, olen   uint8
}

// foldRune folds one non-ASCII rune. prev is the last base letter written,
// so that a combining diaeresis after a, o or u (decomposed "ü") becomes "e".
// It returns the folded text and the base letter to remember.
func foldRune(r, prev rune) (string, rune) {
	switch r {
	case 'ä', 'Ä':
		return "ae", 'e'
	case 'ö', 'Ö':
		return "oe", 'e'
	case 'ü', 'Ü':
		return "ue", 'e'
	case 'ß', 'ẞ':
		return "ss", 's'
	case 'æ', 'Æ':
		return "ae", 'e'
	case 'œ', 'Œ':
		return "oe", 'e'
	case 'ø', 'Ø':
		return "o", 'o'
	case 'đ', 'Đ':
		return "d", 'd'
	case 'ł', 'Ł':
		return "l", 'l'
	case 'þ', 'Þ':
		return "th", 'h'
	case 'ı':
		return "i", 'i'
	case '\u0308': // combining diaeresis: decomposed umlaut
		if prev == 'a' || prev == 'o' || prev == 'u' {
			return "e", 'e'
		}
		return "", prev
	case '\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff': // soft hyphen, zero width
		return "", prev
	case '\u00a0', '\u2007', '\u202f': // non-breaking spaces
		return " ", ' '
	}
	if unicode.Is(unicode.Mn, r) { // other combining marks: accents
		return "", prev
	}
	if r < foldTableSize {
		if s := foldTable[r]; s != "" {
			rs, _ := utf8.DecodeLastRuneInString(s)
			return s, rs
		}
	}
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		// Punctuation and symbols of other scripts become their ASCII
		// counterparts, so „Nordkorea“ and «Ukraine» end words like "x" does.
		switch {
		case unicode.Is(unicode.Pd, r):
			return "-", '-'
		case r == '’' || r == '‘' || r == 'ʼ':
			return "'", '\''
		}
		return " ", ' '
	}
	l := unicode.ToLower(r)
	return string(l), l
}

const foldTableSize = 0x2000

// foldTable holds the folded form of the accented letters below U+2000
// (Latin, Greek, Cyrillic) whose decomposition is a base letter plus marks.
var foldTable = func() []string {
	t := make([]string, foldTableSize)
	for r := rune(0x80); r < foldTableSize; r++ {
		if !unicode.IsLetter(r) {
			continue
		}
		l := unicode.ToLower(r)
		d := norm.NFD.String(string(l))
		var b strings.Builder
		for _, c := range d {
			if !unicode.Is(unicode.Mn, c) {
				b.WriteRune(c)
			}
		}
		if s := b.String(); s != string(r) && s != "" {
			t[r] = s
		}
	}
	return t
}()

// IsWordByte reports whether folded byte c can be part of a word. Every
// byte of a multi-byte character counts as a word byte, so words in other
// scripts stay whole.
func IsWordByte(c byte) bool {
	return c >= 0x80 || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9')
}
