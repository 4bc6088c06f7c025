package query

import (
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// Expander lists the indexed words that contain sub, so a *term can be
// narrowed through the index's vocabulary; ok is false when there are too
// many to be worth it.
type Expander func(sub string) (words []string, ok bool)

// Prefilter returns an SQLite FTS5 query that every article the query
// matches also matches, for an index of folded text (FoldString, tokenized
// with unicode61): it narrows a search over stored articles to the few
// worth matching exactly. *infix terms are narrowed to the indexed words
// that contain them when expand is given. What an index of words cannot
// see (regular expressions, exclusions) is left out, so the filter only
// ever lets more through. all is true when nothing is left to filter on;
// none is true when no stored article can match (an *infix term that no
// indexed word contains).
func (q *Query) Prefilter(expand Expander) (expr string, all, none bool) {
	f := q.root.prefilter(expand)
	return f.expr, f.kind == fAll, f.kind == fNone
}

type filterKind uint8

const (
	fExpr filterKind = iota
	fAll             // no restriction
	fNone            // nothing can match
)

type filter struct {
	kind filterKind
	expr string
}

var (
	passAll  = filter{kind: fAll}
	passNone = filter{kind: fNone}
)

func and(fs []filter) filter {
	var parts []string
	for _, f := range fs {
		switch f.kind {
		case fNone:
			return passNone
		case fExpr:
			parts = append(parts, f.expr)
		}
	}
	if len(parts) == 0 {
		return passAll
	}
	return filter{expr: join(parts, " AND ")}
}

func or(fs []filter) filter {
	var parts []string
	for _, f := range fs {
		switch f.kind {
		case fAll:
			return passAll
		case fExpr:
			parts = append(parts, f.expr)
		}
	}
	if len(parts) == 0 {
		return passNone
	}
	return filter{expr: join(parts, " OR ")}
}

func (n *node) prefilter(expand Expander) filter {
	switch n.kind {
	case nNot:
		return passAll // "not X" cannot narrow a word index
	case nLeaf:
		return n.leaf.prefilter(expand)
	}
	fs := make([]filter, len(n.kids))
	for i, k := range n.kids {
		fs[i] = k.prefilter(expand)
	}
	if n.kind == nAnd {
		return and(fs)
	}
	return or(fs)
}

func (l *leaf) prefilter(expand Expander) filter {
	if l.kind == lRegex {
		fs := make([]filter, len(l.reWords))
		for i, w := range l.reWords {
			fs[i] = wordSpec{text: w, infix: true}.prefilter(expand)
		}
		return and(fs)
	}
	fs := make([]filter, len(l.words))
	for i, w := range l.words {
		fs[i] = w.prefilter(expand)
	}
	words := and(fs)
	if l.joined == nil {
		return words
	}
	return or([]filter{words, l.joined.prefilter(expand)})
}

func (w wordSpec) prefilter(expand Expander) filter {
	switch {
	case w.text == "":
		return passAll
	case w.infix:
		if expand == nil {
			return passAll
		}
		words, ok := expand(w.text)
		if !ok {
			return passAll
		}
		fs := make([]filter, len(words))
		for i, t := range words {
			fs[i] = filter{expr: quote(t)}
		}
		return or(fs)
	case w.mode == mWhole:
		return filter{expr: quote(w.text)}
	}
	return filter{expr: quote(w.text) + "*"}
}

// quote makes a word an FTS5 string.
func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func join(parts []string, op string) string {
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, op) + ")"
}

// requiredWords returns the runs of word characters (at least three) of
// the literals every match of the regular expression must contain: those
// concatenated at its top level.
func requiredWords(pattern string) []string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	re = re.Simplify()
	var lits []*syntax.Regexp
	switch re.Op {
	case syntax.OpLiteral:
		lits = []*syntax.Regexp{re}
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if sub.Op == syntax.OpLiteral {
				lits = append(lits, sub)
			}
		}
	}
	var out []string
	for _, lit := range lits {
		for _, run := range strings.FieldsFunc(FoldString(string(lit.Rune)), func(r rune) bool {
			return r < utf8.RuneSelf && !IsWordByte(byte(r))
		}) {
			if len(run) >= 3 {
				out = append(out, run)
			}
		}
	}
	return out
}

// SearchExpr turns what a user types into a search box into an FTS5
// expression for the same index: every word, folded, as a prefix ("lawr
// nordk" finds Lawrow and nordkoreanische). It returns "" when the text
// has no words.
func SearchExpr(text string) string {
	f, words, _ := fold(text, nil, nil)
	parts := make([]string, 0, len(words))
	for _, w := range words {
		parts = append(parts, quote(f.Text[w.start:w.end])+"*")
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, " AND ")
}
