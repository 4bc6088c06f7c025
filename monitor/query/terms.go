package query

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// shortTerm is the longest term (in letters) that matches whole words only.
const shortTerm = 3

// termWords turns a term or phrase as written into folded word specs,
// applying the wildcard, short-term and stemming rules. For a single
// hyphenated term it also returns the joined compound ("Ukraine-Krieg"
// also matches "Ukrainekrieg").
func termWords(raw string) ([]wordSpec, *wordSpec) {
	chunks := strings.Fields(raw)
	var words []wordSpec
	var joined *wordSpec
	for _, chunk := range chunks {
		infix := strings.HasPrefix(chunk, "*")
		prefix := strings.HasSuffix(chunk, "*")
		parts, hyphenOnly := splitWords(strings.Trim(chunk, "*"))
		for i, part := range parts {
			w := wordSpec{text: FoldString(part)}
			last := i == len(parts)-1
			switch {
			case last && prefix:
				w.mode = mPrefix // explicit: no stemming, any length
			case utf8.RuneCountInString(part) <= shortTerm && !(i == 0 && infix):
				w.mode = mWhole
			default:
				w.mode, w.text = mPrefix, stem(w.text)
			}
			w.infix = i == 0 && infix
			words = append(words, w)
		}
		if len(chunks) == 1 && len(parts) > 1 && hyphenOnly {
			j := wordSpec{text: FoldString(strings.Join(parts, "")), mode: mPrefix, infix: infix}
			if !prefix {
				j.text = stem(j.text)
			}
			joined = &j
		}
	}
	return words, joined
}

// splitWords splits s at every character that is not a letter or digit
// (soft hyphens and combining marks stay inside words). hyphenOnly reports
// whether all separators between words were hyphens.
func splitWords(s string) (parts []string, hyphenOnly bool) {
	hyphenOnly = true
	start := -1
	sep := ""
	for i, r := range s {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) ||
			r == '\u00ad' || r == '\u200b' || r == '\u200c' || r == '\u200d'
		if inWord {
			if start < 0 {
				if len(parts) > 0 && sep != "-" {
					hyphenOnly = false
				}
				start, sep = i, ""
			}
			continue
		}
		if start >= 0 {
			if w := FoldString(s[start:i]); w != "" {
				parts = append(parts, s[start:i])
			}
			start = -1
		}
		if r == '-' || unicode.Is(unicode.Pd, r) {
			sep += "-"
		} else {
			sep += "x"
		}
	}
	if start >= 0 && FoldString(s[start:]) != "" {
		parts = append(parts, s[start:])
	}
	return parts, hyphenOnly
}

// stem removes one inflectional ending from a folded word, keeping enough
// of it to stay specific: -en when six letters remain, -es, -e and -s
// when five remain (not after another s).
func stem(w string) string {
	n := len(w)
	switch {
	case strings.HasSuffix(w, "en") && n-2 >= 6:
		return w[:n-2]
	case strings.HasSuffix(w, "es") && n-2 >= 5:
		return w[:n-2]
	case strings.HasSuffix(w, "e") && n-1 >= 5:
		return w[:n-1]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && n-1 >= 5:
		return w[:n-1]
	}
	return w
}
