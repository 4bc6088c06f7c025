package query

import (
	"strings"
	"unicode/utf8"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

type tokKind uint8

const (
	tEOF tokKind = iota
	tWord
	tPhrase
	tRegex
	tLParen
	tRParen
	tAnd
	tOr
	tNot
	tMinus
	tField
)

type token struct {
	kind tokKind
	text string // raw text (without quotes/slashes for phrases/regexes)
	raw  string // as written, for Hit.Term
	pos  int
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// lex splits the query into tokens.
func (p *parser) lex() error {
	s := p.src
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case isSpace(c):
			i++
		case c == '(':
			p.toks = append(p.toks, token{kind: tLParen, pos: i, raw: "("})
			i++
		case c == ')':
			p.toks = append(p.toks, token{kind: tRParen, pos: i, raw: ")"})
			i++
		case c == '|':
			p.toks = append(p.toks, token{kind: tOr, pos: i, raw: "|"})
			i++
		case c == '"' || strings.HasPrefix(s[i:], "„") || strings.HasPrefix(s[i:], "“"):
			open := i
			_, size := utf8.DecodeRuneInString(s[i:])
			j := i + size
			end := strings.IndexAny(s[j:], "\"“”")
			if end < 0 {
				return p.errAt(open, msg.T("unclosed quote"))
			}
			text := s[j : j+end]
			_, csize := utf8.DecodeRuneInString(s[j+end:])
			p.toks = append(p.toks, token{kind: tPhrase, text: text, raw: s[open : j+end+csize], pos: open})
			i = j + end + csize
		case c == '/':
			j := i + 1
			for j < len(s) && s[j] != '/' {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				j++
			}
			if j >= len(s) {
				return p.errAt(i, msg.T("unclosed regular expression"))
			}
			p.toks = append(p.toks, token{kind: tRegex, text: strings.ReplaceAll(s[i+1:j], `\/`, `/`), raw: s[i : j+1], pos: i})
			i = j + 1
		case c == '-' && (i+1 >= len(s) || isSpace(s[i+1]) || s[i+1] == ')'):
			return p.errAt(i, msg.T(`"-" needs a term right after it`))
		case c == '-':
			p.toks = append(p.toks, token{kind: tMinus, pos: i, raw: "-"})
			i++
		default:
			next, err := p.lexWord(i)
			if err != nil {
				return err
			}
			i = next
		}
	}
	p.toks = append(p.toks, token{kind: tEOF, pos: len(s)})
	return nil
}

// lexWord reads a bare word (or a field scope such as "title:") at i and
// returns where the next token starts.
func (p *parser) lexWord(i int) (int, error) {
	s := p.src
	stop := func(j int) bool {
		return isSpace(s[j]) || strings.IndexByte(`()"|`, s[j]) >= 0 ||
			strings.HasPrefix(s[j:], "„") || strings.HasPrefix(s[j:], "“")
	}
	j := i
	for j < len(s) && !stop(j) {
		if s[j] == ':' && j > i && isLetters(s[i:j]) {
			name := strings.ToLower(s[i:j])
			_, known := fieldScopes[name]
			atEnd := j+1 >= len(s) || isSpace(s[j+1]) || s[j+1] == ')'
			switch {
			case known && atEnd:
				return 0, p.errAt(i, msg.T(`"{{.Field}}" needs a term right after the colon`), "Field", s[i:j+1])
			case known:
				p.toks = append(p.toks, token{kind: tField, text: name, raw: s[i : j+1], pos: i})
				return j + 1, nil
			case !atEnd:
				return 0, p.errAt(i, msg.T(`unknown field "{{.Field}}" (fields: title, summary, text, content, fulltext, category, author, feed)`), "Field", s[i:j+1])
			}
			// A word ending in a colon ("Krieg:") is just punctuation.
		}
		j++
	}
	word := s[i:j]
	tok := token{kind: tWord, text: word, raw: word, pos: i}
	switch word {
	case "AND", "UND", "&&":
		tok.kind = tAnd
	case "OR", "ODER":
		tok.kind = tOr
	case "NOT", "NICHT":
		tok.kind = tNot
	}
	p.toks = append(p.toks, tok)
	return j, nil
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return s != ""
}
