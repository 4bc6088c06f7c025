package pgstore

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// Full-text search on PostgreSQL's own text search. Topics fold text one
// way (monitor/query.Fold: lower case, accents off, ä=ae, ö=oe, ü=ue,
// ß=ss), and the index must fold it the same way, or a backtest would
// lose matches. So the store folds each article's text with query.Fold
// and keeps its distinct words, and PostgreSQL makes the tsvector of
// those with the "newswatch" text search configuration (simple, with
// unaccent first where the extension is installed); queries go through
// the same configuration. For SQL written by hand the migration adds
// newswatch_fold(text), the same folding in SQL (German rules, then
// unaccent):
//
//	SELECT title FROM articles
//	WHERE fts @@ to_tsquery('newswatch', newswatch_fold('Außenminister'));
//
// (The German rules cannot live in the configuration itself: its only
// folding dictionary, unaccent, reads its rules from a file on the
// server, where ä is a.)

// setupSearch makes the text search configuration and newswatch_fold,
// with unaccent when it can be had (it is a trusted extension: a database
// owner may create it).
func setupSearch(ctx context.Context, tx pgx.Tx) error {
	unaccent := true
	sp, err := tx.Begin(ctx) // a savepoint: the extension may be missing
	if err != nil {
		return err
	}
	if _, err := sp.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS unaccent`); err != nil {
		unaccent = false
		if err := sp.Rollback(ctx); err != nil {
			return err
		}
	} else if err := sp.Commit(ctx); err != nil {
		return err
	}
	fold := `translate(replace(replace(replace(replace(replace(replace(replace(lower(normalize(t, NFC)),
		'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'þ', 'th'), 'øđłı', 'odli')`
	mapping := "simple"
	if unaccent {
		fold = `unaccent('unaccent', ` + fold + `)`
		mapping = "unaccent, simple"
	}
	for _, q := range []string{
		`DO $$ BEGIN
			IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'newswatch'
				AND cfgnamespace = current_schema()::regnamespace) THEN
				CREATE TEXT SEARCH CONFIGURATION newswatch (COPY = simple);
			END IF;
		END $$`,
		`ALTER TEXT SEARCH CONFIGURATION newswatch ALTER MAPPING FOR asciiword, word, numword,
			asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart WITH ` + mapping,
		`CREATE OR REPLACE FUNCTION newswatch_fold(t text) RETURNS text
			LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ` + fold + ` $$`,
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// maxIndexed is how many bytes of distinct words an article's tsvector
// holds at most (a tsvector is limited to 1 MB); an article with more is
// marked fts_partial and always read by backtests.
const maxIndexed = 512 << 10

// maxLexeme is the longest word PostgreSQL indexes (longer ones are left
// out of a tsvector, and of a tsquery).
const maxLexeme = 2000

// ftsDoc is the text the article's tsvector is made of: the distinct
// words of its folded texts (title, summary, content, full text,
// categories, author, feed), one space apart; partial when they did not
// all fit.
func ftsDoc(a *monitor.Article) (doc string, partial bool) {
	var b strings.Builder
	seen := map[string]bool{}
	for _, text := range []string{a.Title, a.Summary, a.Content, a.FullText, a.CategoriesText(), a.Author, a.FeedName} {
		for _, w := range words(query.FoldString(text)) {
			if seen[w] || len(w) > maxLexeme {
				partial = partial || len(w) > maxLexeme
				continue
			}
			if b.Len()+len(w)+1 > maxIndexed {
				return b.String(), true
			}
			seen[w] = true
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
	}
	return b.String(), partial
}

// words splits folded text into its words: runs of query.IsWordByte.
func words(folded string) []string {
	var out []string
	start := -1
	for i := 0; i < len(folded); i++ {
		if query.IsWordByte(folded[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, folded[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, folded[start:])
	}
	return out
}

// tsQuery translates what query.Prefilter and query.SearchExpr make (an
// SQLite FTS5 expression: "word", "prefix"*, AND, OR, parentheses) into
// to_tsquery's syntax: 'word', 'prefix':*, &, |. A quoted string of
// several words becomes all of them (&, never less than the phrase). all
// is true when the expression cannot narrow anything (a word too long to
// be indexed, say), none when it is empty.
func tsQuery(expr string) (tsq string, all bool) {
	p := &ftsParser{src: expr}
	n := p.or()
	if p.bad {
		return "", true
	}
	return n.text, n.all
}

type tsNode struct {
	text string
	all  bool
}

// ftsParser reads an FTS5 expression, AND binding tighter than OR.
type ftsParser struct {
	src string
	pos int
	bad bool
}

func (p *ftsParser) skip() {
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
}

func (p *ftsParser) keyword(k string) bool {
	p.skip()
	if strings.HasPrefix(p.src[p.pos:], k+" ") || strings.HasPrefix(p.src[p.pos:], k+"(") || strings.HasPrefix(p.src[p.pos:], k+`"`) {
		p.pos += len(k)
		return true
	}
	return false
}

func (p *ftsParser) or() tsNode {
	parts := []tsNode{p.and()}
	for p.keyword("OR") {
		parts = append(parts, p.and())
	}
	if len(parts) == 1 {
		return parts[0]
	}
	var texts []string
	for _, n := range parts {
		if n.all {
			return tsNode{all: true}
		}
		texts = append(texts, n.text)
	}
	return tsNode{text: "(" + strings.Join(texts, " | ") + ")"}
}

func (p *ftsParser) and() tsNode {
	parts := []tsNode{p.term()}
	for p.keyword("AND") {
		parts = append(parts, p.term())
	}
	var texts []string
	for _, n := range parts {
		if !n.all {
			texts = append(texts, n.text)
		}
	}
	switch len(texts) {
	case 0:
		return tsNode{all: true}
	case 1:
		return tsNode{text: texts[0]}
	}
	return tsNode{text: "(" + strings.Join(texts, " & ") + ")"}
}

func (p *ftsParser) term() tsNode {
	p.skip()
	if p.pos >= len(p.src) {
		p.bad = true
		return tsNode{all: true}
	}
	if p.src[p.pos] == '(' {
		p.pos++
		n := p.or()
		p.skip()
		if p.pos >= len(p.src) || p.src[p.pos] != ')' {
			p.bad = true
		}
		p.pos++
		return n
	}
	if p.src[p.pos] != '"' {
		p.bad = true
		return tsNode{all: true}
	}
	// A quoted string; "" is a quote inside it.
	var b strings.Builder
	p.pos++
	for {
		if p.pos >= len(p.src) {
			p.bad = true
			return tsNode{all: true}
		}
		c := p.src[p.pos]
		p.pos++
		if c == '"' {
			if p.pos < len(p.src) && p.src[p.pos] == '"' {
				b.WriteByte('"')
				p.pos++
				continue
			}
			break
		}
		b.WriteByte(c)
	}
	prefix := p.pos < len(p.src) && p.src[p.pos] == '*'
	if prefix {
		p.pos++
	}
	ws := words(query.FoldString(b.String()))
	if len(ws) == 0 {
		return tsNode{all: true}
	}
	lexemes := make([]string, 0, len(ws))
	for i, w := range ws {
		if len(w) > maxLexeme {
			return tsNode{all: true}
		}
		l := "'" + w + "'"
		if prefix && i == len(ws)-1 {
			l += ":*"
		}
		lexemes = append(lexemes, l)
	}
	if len(lexemes) == 1 {
		return tsNode{text: lexemes[0]}
	}
	return tsNode{text: "(" + strings.Join(lexemes, " & ") + ")"}
}
