package query

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Folded is a text in its matching form together with a map back to the
// original, so a match found in the folded text can be highlighted in the
// text the user sees.
type Folded struct {
	Text string
	// orig[i] is the byte offset in the original text of the character that
	// produced folded byte i; orig[len(Text)] is the original length.
	orig []int32
	src  string
}

// Fold returns the matching form of s: lower case, accents removed, and the
// German equivalences applied (ä=ae, ö=oe, ü=ue, ß=ss), so that "Außenminister",
// "AUSSENMINISTER" and "aussenminister" fold to the same text. Soft hyphens
// and zero-width characters disappear; all other characters (spaces,
// punctuation, digits, other scripts) are kept, lower-cased.
func Fold(s string) Folded {
	var b strings.Builder
	b.Grow(len(s) + len(s)/16)
	orig := make([]int32, 0, len(s)+len(s)/16+1)
	prevBase := rune(0) // last base letter written, for combining umlauts
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf { // ASCII fast path
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
			orig = append(orig, int32(i))
			prevBase = rune(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		out, base := foldRune(r, prevBase)
		for j := 0; j < len(out); j++ {
			orig = append(orig, int32(i))
		}
		b.WriteString(out)
		prevBase = base
		i += size
	}
	orig = append(orig, int32(len(s)))
	return Folded{Text: b.String(), orig: orig, src: s}
}

// FoldString is Fold without the offset map, for queries and keys.
func FoldString(s string) string { return Fold(s).Text }

// Original maps the folded byte range [start, end) to the byte range of the
// original text that produced it, always on whole characters.
func (f Folded) Original(start, end int) (int, int) {
	if start < 0 || end > len(f.Text) || start > end {
		return 0, 0
	}
	os := int(f.orig[start])
	if end == start {
		return os, os
	}
	last := int(f.orig[end-1])
	_, size := utf8.DecodeRuneInString(f.src[last:])
	oe := last + size
	// A folded range ending inside an expansion (the "a" of "ae" from "ä")
	// still covers the whole original character.
	if next := int(f.orig[end]); next > oe {
		oe = next
	}
	return os, oe
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
	if r < 0x2000 {
		if s, ok := foldTable[r]; ok {
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

// foldTable holds the folded form of the accented letters below U+2000
// (Latin, Greek, Cyrillic) whose decomposition is a base letter plus marks.
var foldTable = func() map[rune]string {
	t := make(map[rune]string)
	for r := rune(0x80); r < 0x2000; r++ {
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
