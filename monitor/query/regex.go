package query

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Limits on a regular expression. RE2 matches in time linear in the text,
// but the factor is the number of the program's instructions that can be
// active at once: /(\w+\s?){1000}Q/ compiles to 6,000 and takes a tenth
// of a second per long story, for every story, every cycle. A program is
// kept small, and a repetition of something that itself repeats (the
// threads that multiply) is kept short. /nord.{0,200}korea/ (411
// instructions, each only active after "nord") passes.
const (
	maxRegexLen    = 500
	maxRegexInsts  = 500
	maxNestedCount = 10
)

// regexLeaf compiles a regular expression term.
func (p *parser) regexLeaf(t token, l *leaf) (*leaf, error) {
	if t.text == "" {
		return nil, p.errAt(t.pos, msg.T("empty regular expression"))
	}
	if len(t.text) > maxRegexLen {
		return nil, p.errAt(t.pos, msg.T("regular expression longer than {{.Max}} characters"), "Max", maxRegexLen)
	}
	expr := "(?i)" + foldPattern(t.text)
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, p.errAt(t.pos, msg.T("invalid regular expression ({{.Reason}})"), "Reason", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	if re.MatchString("") {
		// It would match every story (an empty field, or a place
		// between two characters); only what it finds counts.
		return nil, p.errAt(t.pos, msg.T("regular expression that matches empty text (it would find every story)"))
	}
	if err := p.regexCost(t, expr); err != nil {
		return nil, err
	}
	l.kind, l.re = lRegex, re
	l.reWords = requiredWords(re.String())
	return l, nil
}

// regexCost refuses a regular expression that would make matching slow:
// too many instructions, or a long repetition of a repetition.
func (p *parser) regexCost(t token, expr string) error {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil // regexp.Compile accepted it: the same parser
	}
	if n := nestedRepeat(re, false); n > maxNestedCount {
		return p.errAt(t.pos, msg.T("regular expression that repeats a repetition {{.Count}} times, which makes matching slow (at most {{.Max}})"),
			"Count", msg.Number(int64(n)), "Max", maxNestedCount)
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return nil
	}
	if n := len(prog.Inst); n > maxRegexInsts {
		return p.errAt(t.pos, msg.T("regular expression too complex to match quickly ({{.Size}} steps, at most {{.Max}})"),
			"Size", msg.Number(int64(n)), "Max", msg.Number(maxRegexInsts))
	}
	return nil
}

// nestedRepeat returns the largest count of a counted repetition ({n} or
// {n,m}) in re whose body itself repeats (*, +, ?, {}), or, inside such
// a body (inner), of any repetition.
func nestedRepeat(re *syntax.Regexp, inner bool) int {
	worst := 0
	if re.Op == syntax.OpRepeat && (inner || repeats(re.Sub[0])) {
		worst = max(re.Min, re.Max)
	}
	for _, sub := range re.Sub {
		worst = max(worst, nestedRepeat(sub, inner || isRepeat(re)))
	}
	return worst
}

func isRepeat(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		return true
	}
	return false
}

// repeats reports whether re holds a repetition.
func repeats(re *syntax.Regexp) bool {
	if isRepeat(re) {
		return true
	}
	for _, sub := range re.Sub {
		if repeats(sub) {
			return true
		}
	}
	return false
}

// foldPattern folds the non-ASCII letters of a regular expression (ä to
// ae, ...) so it can run over folded text; ASCII is left alone, so escapes
// such as \S keep their meaning.
func foldPattern(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < utf8.RuneSelf {
			b.WriteRune(r)
			continue
		}
		f, _ := foldRune(r, 0)
		b.WriteString(f)
	}
	return b.String()
}
