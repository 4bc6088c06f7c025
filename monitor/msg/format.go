package msg

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentence makes a message read as a sentence: its first letter a capital
// (when it starts with a letter; a message starting with a quote or a
// number keeps them), a full stop at the end unless it ends in ".", "?" or
// "!". The command line and the desktop app both write errors with it.
func Sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	if r, n := utf8.DecodeRuneInString(s); unicode.IsLower(r) {
		s = string(unicode.ToUpper(r)) + s[n:]
	}
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}

// thousands joins a number's digits before and after a thousands
// separator; its translation puts the separator of the language
// (3,000,000 in English, 3.000.000 in German).
var thousands = T("{{.High}},{{.Low}}")

// Number is n written for people, with thousands separators in the
// message's language: a message value, as in msg.New(tmpl, "Depth",
// msg.Number(3000000)).
func Number(n int64) Message {
	neg := n < 0
	digits := strconv.FormatInt(n, 10)
	if neg {
		digits = digits[1:]
	}
	m := number(digits)
	if neg {
		if m.Tmpl == literal {
			return Literal("-" + digits)
		}
		m.Args["High"] = prefix("-", m.Args["High"])
	}
	return m
}

func number(digits string) Message {
	if len(digits) <= 3 {
		return Literal(digits)
	}
	cut := len(digits) - 3
	return New(thousands, "High", number(digits[:cut]), "Low", digits[cut:])
}

// prefix puts p before a number's leading group.
func prefix(p string, v any) any {
	m := v.(Message)
	if m.Tmpl == literal {
		return Literal(p + m.Args["Text"].(string))
	}
	m.Args["High"] = prefix(p, m.Args["High"])
	return m
}
