// Package query is the topic query language of Newswatch: it parses a
// topic's query, folds text for German-aware matching, matches articles and
// explains each match (which term matched in which field, where).
//
// This first version understands one or more terms, all of which must occur
// ("Ukraine Russland"); a term in double quotes may hold spaces ("Sergej
// Lawrow"). Matching is case-insensitive, ignores accents, treats ä/ae, ö/oe,
// ü/ue and ß/ss as equal, and finds a term at the start of a word, so
// "Nordkorea" matches "nordkoreanische" and "Ukraine" matches "Ukraine-Krieg".
// It covers title, summary, content and categories.
package query

import (
	"fmt"
	"strings"
)

// Field names a part of an article that a query can match.
type Field uint8

// The fields of an article, in the order they are searched.
const (
	Title Field = iota
	Summary
	Content
	Categories
	Author
	FeedTitle
	numFields
)

var fieldNames = [numFields]string{"title", "summary", "content", "category", "author", "feed"}

func (f Field) String() string {
	if f < numFields {
		return fieldNames[f]
	}
	return fmt.Sprintf("field(%d)", f)
}

// Doc is an article as the matcher sees it: plain text fields.
type Doc struct {
	Title, Summary, Content, Author, Feed string
	Categories                            []string
}

// CategorySeparator joins a Doc's categories into the one text whose byte
// offsets a Hit in the Categories field refers to.
const CategorySeparator = ", "

// Prepared is a Doc folded once, ready to be matched against many queries.
type Prepared struct {
	fields [numFields]Folded
}

// Prepare folds every field of d.
func Prepare(d Doc) *Prepared {
	p := &Prepared{}
	texts := [numFields]string{d.Title, d.Summary, d.Content,
		strings.Join(d.Categories, CategorySeparator), d.Author, d.Feed}
	for i, t := range texts {
		p.fields[i] = Fold(t)
	}
	return p
}

// Hit is one occurrence of a query term in an article: the term as the user
// wrote it, the field, and the byte range [Start, End) in the original text
// of that field (for categories: in the categories joined by
// CategorySeparator).
type Hit struct {
	Term  string `json:"term"`
	Field Field  `json:"field"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Matcher is what every query offers: does the article match, and which
// terms matched where.
type Matcher interface {
	Match(p *Prepared) ([]Hit, bool)
	String() string
}

// SyntaxError is a query the parser refuses, with the 1-based column of the
// problem.
type SyntaxError struct {
	Column int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s at column %d", e.Msg, e.Column)
}

// Query is a parsed topic query.
type Query struct {
	src   string
	terms []term
}

type term struct {
	text   string // as written
	folded string
}

// matchFields are the fields a plain term searches.
var matchFields = []Field{Title, Summary, Content, Categories}

// Parse reads a query. It refuses an empty query and an unclosed quote.
func Parse(s string) (*Query, error) {
	q := &Query{src: s}
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"':
			end := strings.IndexByte(s[i+1:], '"')
			if end < 0 {
				return nil, &SyntaxError{Column: i + 1, Msg: "unclosed quote"}
			}
			if err := q.add(s[i+1:i+1+end], i+1); err != nil {
				return nil, err
			}
			i += end + 2
		default:
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r' && s[j] != '"' {
				j++
			}
			if err := q.add(s[i:j], i+1); err != nil {
				return nil, err
			}
			i = j
		}
	}
	if len(q.terms) == 0 {
		return nil, &SyntaxError{Column: 1, Msg: "empty query"}
	}
	return q, nil
}

func (q *Query) add(text string, col int) error {
	folded := strings.Join(strings.Fields(FoldString(text)), " ")
	if folded == "" {
		return &SyntaxError{Column: col, Msg: "empty term"}
	}
	q.terms = append(q.terms, term{text: strings.TrimSpace(text), folded: folded})
	return nil
}

// String returns the query as written.
func (q *Query) String() string { return q.src }

// Match reports whether every term occurs in the article, with every
// occurrence of every term.
func (q *Query) Match(p *Prepared) ([]Hit, bool) {
	var hits []Hit
	for _, t := range q.terms {
		found := false
		for _, f := range matchFields {
			fd := &p.fields[f]
			for _, at := range findWordStart(fd.Text, t.folded) {
				s, e := fd.Original(at, at+len(t.folded))
				hits = append(hits, Hit{Term: t.text, Field: f, Start: s, End: e})
				found = true
			}
		}
		if !found {
			return nil, false
		}
	}
	return hits, true
}

// maxHitsPerTerm bounds the hits reported for one term in one field.
const maxHitsPerTerm = 32

// findWordStart returns the positions where needle occurs in text at the
// start of a word.
func findWordStart(text, needle string) []int {
	var at []int
	for off := 0; len(at) < maxHitsPerTerm; {
		i := strings.Index(text[off:], needle)
		if i < 0 {
			break
		}
		pos := off + i
		if pos == 0 || !IsWordByte(text[pos-1]) {
			at = append(at, pos)
		}
		off = pos + 1
	}
	return at
}
