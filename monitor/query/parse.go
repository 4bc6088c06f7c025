package query

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Limits that keep a hostile or runaway query cheap.
const (
	maxQueryLen = 4000
	maxAtoms    = 200
	maxDepth    = 40
)

// SyntaxError is a query the parser refuses, with the 1-based column (in
// characters) of the problem.
type SyntaxError struct {
	Column int
	Msg    string      // the problem, in English
	Text   msg.Message // the problem, translatable
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s at column %d", e.Msg, e.Column)
}

// Message is the whole message, translatable.
func (e *SyntaxError) Message() msg.Message {
	return msg.New(msg.T("{{.Problem}} at column {{.Column}}"), "Problem", e.Text, "Column", e.Column)
}

func syntaxError(col int, tmpl string, kv ...any) *SyntaxError {
	m := msg.New(tmpl, kv...)
	return &SyntaxError{Column: col, Msg: m.String(), Text: m}
}

// fieldMask is a set of Fields.
type fieldMask uint8

const (
	maskDefault = 1<<Title | 1<<Summary | 1<<Content | 1<<Categories | 1<<FullText
	maskAll     = 1<<numFields - 1
)

var fieldScopes = map[string]fieldMask{
	"title":    1 << Title,
	"summary":  1<<Summary | 1<<Content,
	"text":     1<<Summary | 1<<Content | 1<<FullText,
	"content":  1<<Summary | 1<<Content,
	"category": 1 << Categories,
	"author":   1 << Author,
	"feed":     1 << FeedTitle,
	"fulltext": 1 << FullText,
}

// nodeKind is the kind of a query node.
type nodeKind uint8

const (
	nAnd nodeKind = iota
	nOr
	nNot
	nLeaf
)

// node is the parsed query: operators over leaves.
type node struct {
	kind nodeKind
	kids []*node
	leaf *leaf
	pos  int // byte offset in the query, for messages
}

// leafKind says how a leaf matches.
type leafKind uint8

const (
	lWords leafKind = iota // one word, or adjacent words (phrase, hyphenated term)
	lRegex
)

// leaf is one term of the query: a word, a phrase or a regex.
type leaf struct {
	kind  leafKind
	text  string // as written in the query, for Hit.Term
	words []wordSpec
	// joined is the hyphen-free compound of a hyphenated term
	// (Ukraine-Krieg also matches Ukrainekrieg); nil otherwise.
	joined *wordSpec
	re     *regexp.Regexp
	// reWords are pieces of words every match of re contains, for the
	// full-text prefilter.
	reWords []string
	fields  fieldMask
	id      int // index in the compiled query's leaves
}

// wordMode says where a word term may match.
type wordMode uint8

const (
	mPrefix wordMode = iota // at the start of a word, followed by anything
	mWhole                  // the whole word
)

// wordSpec is one folded word of a term.
type wordSpec struct {
	text  string // folded, possibly stemmed
	mode  wordMode
	infix bool // may start inside a word (*term)
}

type parser struct {
	src   string
	toks  []token
	i     int
	atoms int
	depth int
}

func (p *parser) errAt(pos int, tmpl string, kv ...any) *SyntaxError {
	return syntaxError(utf8.RuneCountInString(p.src[:min(pos, len(p.src))])+1, tmpl, kv...)
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }

// startsPrimary reports whether a token can begin an operand.
func startsPrimary(k tokKind) bool {
	switch k {
	case tWord, tPhrase, tRegex, tLParen, tNot, tMinus, tField:
		return true
	}
	return false
}

func opName(t token) string {
	if t.raw != "" {
		return t.raw
	}
	return "?"
}

// parseAnd := parseOr { [AND] parseOr }
func (p *parser) parseAnd(fields fieldMask) (*node, error) {
	n := &node{kind: nAnd, pos: p.peek().pos}
	for {
		t := p.peek()
		switch {
		case t.kind == tAnd:
			if len(n.kids) == 0 {
				return nil, p.errAt(t.pos, msg.T(`"{{.Op}}" needs a term before it`), "Op", opName(t))
			}
			p.next()
			if !startsPrimary(p.peek().kind) {
				return nil, p.errAt(t.pos, msg.T(`"{{.Op}}" needs a term after it`), "Op", opName(t))
			}
		case t.kind == tOr:
			return nil, p.errAt(t.pos, msg.T(`"{{.Op}}" needs a term before it`), "Op", opName(t))
		case startsPrimary(t.kind):
		default:
			if len(n.kids) == 1 {
				return n.kids[0], nil
			}
			return n, nil
		}
		kid, err := p.parseOr(fields)
		if err != nil {
			return nil, err
		}
		n.kids = append(n.kids, kid)
	}
}

// parseOr := parseUnary { OR parseUnary }
func (p *parser) parseOr(fields fieldMask) (*node, error) {
	first, err := p.parseUnary(fields)
	if err != nil {
		return nil, err
	}
	n := &node{kind: nOr, kids: []*node{first}, pos: first.pos}
	for p.peek().kind == tOr {
		op := p.next()
		if !startsPrimary(p.peek().kind) {
			return nil, p.errAt(op.pos, msg.T(`"{{.Op}}" needs a term after it`), "Op", opName(op))
		}
		kid, err := p.parseUnary(fields)
		if err != nil {
			return nil, err
		}
		n.kids = append(n.kids, kid)
	}
	if len(n.kids) == 1 {
		return first, nil
	}
	return n, nil
}

func (p *parser) parseUnary(fields fieldMask) (*node, error) {
	t := p.peek()
	if t.kind == tNot || t.kind == tMinus {
		p.next()
		if !startsPrimary(p.peek().kind) {
			return nil, p.errAt(t.pos, msg.T(`"{{.Op}}" needs a term after it`), "Op", opName(t))
		}
		kid, err := p.parseUnary(fields)
		if err != nil {
			return nil, err
		}
		return &node{kind: nNot, kids: []*node{kid}, pos: t.pos}, nil
	}
	return p.parsePrimary(fields)
}

func (p *parser) parsePrimary(fields fieldMask) (*node, error) {
	t := p.next()
	switch t.kind {
	case tField:
		if k := p.peek().kind; k != tWord && k != tPhrase && k != tRegex && k != tLParen {
			return nil, p.errAt(t.pos, msg.T(`"{{.Field}}" needs a term right after the colon`), "Field", t.raw)
		}
		return p.parsePrimary(fieldScopes[t.text])
	case tLParen:
		p.depth++
		if p.depth > maxDepth {
			return nil, p.errAt(t.pos, msg.T("parentheses nested more than {{.Max}} deep"), "Max", maxDepth)
		}
		if p.peek().kind == tRParen {
			return nil, p.errAt(t.pos, msg.T("empty parentheses"))
		}
		n, err := p.parseAnd(fields)
		if err != nil {
			return nil, err
		}
		if p.peek().kind != tRParen {
			return nil, p.errAt(t.pos, msg.T("unclosed parenthesis"))
		}
		p.next()
		p.depth--
		return n, nil
	case tRParen:
		return nil, p.errAt(t.pos, msg.T(`unexpected ")"`))
	case tWord, tPhrase, tRegex:
		p.atoms++
		if p.atoms > maxAtoms {
			return nil, p.errAt(t.pos, msg.T("too many terms (at most {{.Max}})"), "Max", maxAtoms)
		}
		l, err := p.makeLeaf(t, fields)
		if err != nil {
			return nil, err
		}
		return &node{kind: nLeaf, leaf: l, pos: t.pos}, nil
	}
	return nil, p.errAt(t.pos, msg.T(`unexpected "{{.Op}}"`), "Op", opName(t))
}

func (p *parser) makeLeaf(t token, fields fieldMask) (*leaf, error) {
	l := &leaf{text: t.raw, fields: fields}
	switch t.kind {
	case tRegex:
		return p.regexLeaf(t, l)
	case tPhrase:
		if strings.TrimSpace(t.text) == "" {
			return nil, p.errAt(t.pos, msg.T("empty quotes"))
		}
	}
	words, joined := termWords(t.text)
	if len(words) == 0 {
		if t.kind == tPhrase {
			return nil, p.errAt(t.pos, msg.T("the phrase has no letters or digits"))
		}
		return nil, p.errAt(t.pos, msg.T(`the term "{{.Term}}" has no letters or digits`), "Term", t.raw)
	}
	l.words, l.joined = words, joined
	return l, nil
}

// positive reports whether the node can only match when at least one of
// its leaves occurs (NOT never satisfies that; OR needs it of every
// branch).
func (n *node) positive() bool {
	switch n.kind {
	case nLeaf:
		return true
	case nNot:
		return false
	case nAnd:
		for _, k := range n.kids {
			if k.positive() {
				return true
			}
		}
		return false
	}
	for _, k := range n.kids {
		if !k.positive() {
			return false
		}
	}
	return true
}

// negates reports whether the node holds a NOT: only a query without one
// is monotone, matching a text whenever it matches part of it.
func (n *node) negates() bool {
	if n.kind == nNot {
		return true
	}
	for _, k := range n.kids {
		if k.negates() {
			return true
		}
	}
	return false
}

// orWithExclusion finds an OR that has an excluding branch, for the error
// message of a query that would match almost everything.
func (n *node) orWithExclusion() *node {
	if n.kind == nOr {
		for _, k := range n.kids {
			if !k.positive() {
				return n
			}
		}
	}
	for _, k := range n.kids {
		if o := k.orWithExclusion(); o != nil {
			return o
		}
	}
	return nil
}
