package story

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/french"
	"github.com/blevesearch/snowballstem/german"

	"codeberg.org/newswatch/newswatch/monitor/query"
)

// Lang is a text's language, as far as Extract tells.
type Lang uint8

// The languages told apart (LangUnknown: none of them clearly).
const (
	LangUnknown Lang = iota
	LangDE
	LangEN
	LangFR
)

func (l Lang) String() string {
	switch l {
	case LangDE:
		return "de"
	case LangEN:
		return "en"
	case LangFR:
		return "fr"
	}
	return ""
}

// token is a word of the text: folded, and how it was written.
type token struct {
	folded  string // query.FoldString of the word
	capital bool   // written with a capital first letter
	initial bool   // first word of a sentence (or of the text)
	number  bool   // digits (with . or , between them)
}

// tokenize splits text into words: runs of letters and digits; a . or ,
// between digits stays inside a number ("1.000", "2,5"). Hyphens and
// apostrophes split ("Ukraine-Krieg", "l'Ukraine").
func tokenize(text string, out []token) []token { return tokenizeMax(text, out, -1) }

// tokenizeMax is tokenize that stops when out holds max tokens (max < 0:
// no limit).
func tokenizeMax(text string, out []token, max int) []token {
	initial := true
	i := 0
	for i < len(text) && (max < 0 || len(out) < max) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			switch r {
			case '.', '!', '?', ':', '\n', '«', '»', '"', '“', '„', '—':
				initial = true
			}
			i += n
			continue
		}
		start := i
		digits := true
		for i < len(text) {
			r, n := utf8.DecodeRuneInString(text[i:])
			if isWordRune(r) {
				if !unicode.IsDigit(r) {
					digits = false
				}
				i += n
				continue
			}
			// 1.000 and 2,5: a separator between digits.
			if (r == '.' || r == ',') && digits && i+1 < len(text) && text[i+1] >= '0' && text[i+1] <= '9' {
				i++
				continue
			}
			break
		}
		word := text[start:i]
		first, _ := utf8.DecodeRuneInString(word)
		out = append(out, token{folded: foldWord(word), capital: unicode.IsUpper(first),
			initial: initial, number: digits})
		initial = false
	}
	return out
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// foldWord is query.FoldString of one word, without its work for words
// of plain ASCII letters and digits (most of them): those only need
// lower case.
func foldWord(w string) string {
	upper := false
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 0x80 {
			return query.FoldString(w)
		}
		if 'A' <= c && c <= 'Z' {
			upper = true
		}
	}
	if !upper {
		return w
	}
	b := []byte(w)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// detectLang is the language whose distinctive function words the text
// uses most: at least three of them, and more than any other language's.
func detectLang(toks []token) Lang {
	var n [4]int
	for _, t := range toks {
		if m := markerLangs[t.folded]; m != 0 {
			for l := LangDE; l <= LangFR; l++ {
				if m&(1<<l) != 0 {
					n[l]++
				}
			}
		}
	}
	best, second := LangUnknown, 0
	for l := LangDE; l <= LangFR; l++ {
		if n[l] > n[best] {
			second = n[best]
			best = l
		} else if n[l] > second {
			second = n[l]
		}
	}
	if best == LangUnknown || n[best] < 3 || n[best] == second {
		return LangUnknown
	}
	return best
}

// stemmer stems folded words with the Snowball stemmer of a language.
type stemmer struct {
	lang Lang
	env  *snowballstem.Env
	stem func(*snowballstem.Env) bool
}

func newStemmer(l Lang) stemmer {
	s := stemmer{lang: l, env: snowballstem.NewEnv("")}
	switch l {
	case LangDE:
		s.stem = german.Stem
	case LangEN:
		s.stem = english.Stem
	case LangFR:
		s.stem = french.Stem
	}
	return s
}

// of returns the stem of a folded word; words of an unknown language
// are kept as they are. Stems are kept (news repeat their words): a
// cache per language of at most stemCacheSize words, emptied when full.
func (s stemmer) of(w string) string {
	if s.stem == nil || len(w) < 4 {
		return w
	}
	c := &stemCaches[s.lang]
	c.mu.RLock()
	st, ok := c.m[w]
	c.mu.RUnlock()
	if ok {
		return st
	}
	s.env.SetCurrent(w)
	s.stem(s.env)
	st = s.env.Current()
	c.mu.Lock()
	if c.m == nil || len(c.m) >= stemCacheSize {
		c.m = make(map[string]string, 1024)
	}
	c.m[w] = st
	c.mu.Unlock()
	return st
}

const stemCacheSize = 50000

var stemCaches [4]struct {
	mu sync.RWMutex
	m  map[string]string
}

// isStop reports whether a folded word is a stop word of any language.
func isStop(w string) bool { return stopAll[w] }

// normTitle is the title as a key: folded words joined by single spaces,
// with the marks outlets put before it ("+++", "Liveblog:") kept as
// words; empty when it has fewer than five words.
func normTitle(toks []token) string {
	if len(toks) < 5 {
		return ""
	}
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.folded)
	}
	return b.String()
}

// normNumber writes a number without its separators of thousands: 1.000,
// 1,000 and 1000 agree; 2,5 and 2.5 agree.
func normNumber(w string) string {
	if !strings.ContainsAny(w, ".,") {
		return strings.TrimLeft(w, "0")
	}
	parts := strings.FieldsFunc(w, func(r rune) bool { return r == '.' || r == ',' })
	thousands := len(parts) > 1
	for _, p := range parts[1:] {
		if len(p) != 3 {
			thousands = false
		}
	}
	if thousands {
		return strings.TrimLeft(strings.Join(parts, ""), "0")
	}
	return strings.Join(parts, ".")
}
