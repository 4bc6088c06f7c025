package query

import (
	"fmt"
	"strings"
	"sync"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Field names a part of an article that a query can match.
type Field uint8

// The fields of an article.
const (
	Title Field = iota
	Summary
	Content
	Categories
	Author
	FeedTitle
	// FullText is the text of the article's web page, read after the
	// feed's item arrived (for feeds that carry only a teaser).
	FullText
	numFields
)

var fieldNames = [numFields]string{"title", "summary", "content", "category", "author", "feed", "fulltext"}

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
	FullText                              string // the web page's text, when it was read
}

// CategorySeparator joins a Doc's categories into the one text whose byte
// offsets a Hit in the Categories field refers to.
const CategorySeparator = ", "

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

// Query is a parsed topic query.
type Query struct {
	src    string
	root   *node
	leaves []*leaf

	once sync.Once
	set  *Set // a set of this query alone, for Match
}

var _ Matcher = (*Query)(nil)

// Parse reads a query. A query it cannot read exactly as written is refused
// with a *SyntaxError naming the problem and its column.
func Parse(s string) (*Query, error) {
	if len(s) > maxQueryLen {
		return nil, syntaxError(1, msg.T("the query is longer than {{.Max}} characters"), "Max", maxQueryLen)
	}
	p := &parser{src: s}
	if err := p.lex(); err != nil {
		return nil, err
	}
	if p.peek().kind == tEOF {
		return nil, syntaxError(1, msg.T("empty query"))
	}
	root, err := p.parseAnd(maskDefault)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		if t.kind == tRParen {
			return nil, p.errAt(t.pos, msg.T(`unexpected ")"`))
		}
		return nil, p.errAt(t.pos, msg.T(`unexpected "{{.Op}}"`), "Op", opName(t))
	}
	if !root.positive() {
		if or := root.orWithExclusion(); or != nil {
			return nil, p.errAt(or.pos, msg.T("an OR with an excluded term would match almost every story"))
		}
		return nil, syntaxError(1, msg.T("the query only excludes; it needs at least one term that must occur"))
	}
	q := &Query{src: s, root: root}
	root.walk(func(n *node) {
		if n.kind == nLeaf {
			n.leaf.id = len(q.leaves)
			q.leaves = append(q.leaves, n.leaf)
		}
	})
	return q, nil
}

func (n *node) walk(fn func(*node)) {
	fn(n)
	for _, k := range n.kids {
		k.walk(fn)
	}
}

// String returns the query as written.
func (q *Query) String() string { return q.src }

// Match reports whether the article matches, with every occurrence of every
// term that made it match.
func (q *Query) Match(p *Prepared) ([]Hit, bool) {
	q.once.Do(func() { q.set = NewSet([]*Query{q}) })
	ms := q.set.Match(p)
	if len(ms) == 0 {
		return nil, false
	}
	return ms[0].Hits, true
}

// Test reports whether the article matches, without finding the hits.
func (q *Query) Test(p *Prepared) bool {
	q.once.Do(func() { q.set = NewSet([]*Query{q}) })
	return len(q.set.Matching(p)) > 0
}

// TestDoc reports whether d matches, folding no more of it than needed.
// A query without NOT that matches the short fields alone (title,
// categories, author, feed) matches the whole article, whatever its
// summary and content hold, so those, most of the text, are folded only
// when it does not. It is Test(Prepare(d)), for articles only counted.
func (q *Query) TestDoc(d Doc) bool {
	if !q.root.negates() {
		p := prepare(d, shortFields)
		ok := q.Test(p)
		p.Release()
		if ok {
			return true
		}
	}
	p := Prepare(d)
	defer p.Release()
	return q.Test(p)
}

// Terms lists the query's terms as written, in order, for display.
func (q *Query) Terms() []string {
	out := make([]string, len(q.leaves))
	for i, l := range q.leaves {
		out[i] = l.text
	}
	return out
}

// Describe explains in words how each term of the query is matched, for the
// topic editor and `topics test`: "Ukraine: words starting with ukrain".
func (q *Query) Describe() []string {
	var out []string
	for _, m := range q.Explain() {
		out = append(out, m.String())
	}
	return out
}

// Explain is Describe as translatable messages.
func (q *Query) Explain() []msg.Message {
	var out []msg.Message
	for _, l := range q.leaves {
		out = append(out, msg.New(msg.T("{{.Term}}: {{.How}}"), "Term", l.text, "How", l.describe()))
	}
	return out
}

func (l *leaf) describe() msg.Message {
	var how msg.Message
	if l.kind == lRegex {
		how = msg.New(msg.T("regular expression {{.Expr}}"), "Expr", l.re.String())
	} else {
		for i, w := range l.words {
			var part msg.Message
			switch {
			case w.infix:
				part = msg.New(msg.T("words containing {{.Word}}"), "Word", w.text)
			case w.mode == mWhole:
				part = msg.New(msg.T("the word {{.Word}}"), "Word", w.text)
			default:
				part = msg.New(msg.T("words starting with {{.Word}}"), "Word", w.text)
			}
			if i == 0 {
				how = part
			} else {
				how = msg.New(msg.T("{{.First}}, then {{.Next}}"), "First", how, "Next", part)
			}
		}
		if l.joined != nil {
			how = msg.New(msg.T("{{.Words}}, or words starting with {{.Joined}}"), "Words", how, "Joined", l.joined.text)
		}
	}
	if l.fields != maskDefault {
		var names []string
		for f := Field(0); f < numFields; f++ {
			if l.fields&(1<<f) != 0 {
				names = append(names, f.String())
			}
		}
		how = msg.New(msg.T("{{.How}} in {{.Fields}}"), "How", how, "Fields", strings.Join(names, ", "))
	}
	return how
}
