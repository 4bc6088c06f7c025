package story

import "strings"

// skeleton reduces a folded proper name to a transliteration skeleton, so
// the German, English and French spellings of a name agree: Selenskyj,
// Zelensky and Zelenskyy give "slnsk"; Haluschtschenko, Halushchenko and
// Galouchtchenko give "hlxxnk"; Lawrow and Lavrov "lvrv". The sibilant
// groups (sch, tsch, sh, ch, tch, zh) become x; w and v, z/c/s, k/c/q,
// j/y/i, g and h fall together; vowels after the first letter and double
// letters are dropped. Names of fewer than three skeleton letters are
// too short to tell apart: "" is returned.
func skeleton(w string) string {
	if len(w) < 4 {
		return ""
	}
	if strings.IndexByte(w, 'h') >= 0 || strings.Contains(w, "ou") || strings.Contains(w, "ck") {
		for _, r := range [...][2]string{{"tsch", "x"}, {"sch", "x"}, {"tch", "x"}, {"shch", "x"},
			{"sh", "x"}, {"zh", "x"}, {"ch", "x"}, {"kh", "h"}, {"ph", "f"}, {"ou", "u"}, {"ck", "k"}} {
			w = strings.ReplaceAll(w, r[0], r[1])
		}
	}
	var b strings.Builder
	var last byte
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch c {
		case 'w':
			c = 'v'
		case 'z', 'c':
			c = 's'
			if w[i] == 'c' && i+1 < len(w) && !strings.ContainsRune("eiy", rune(w[i+1])) {
				c = 'k'
			}
		case 'q':
			c = 'k'
		case 'j', 'y':
			c = 'i'
		case 'g':
			c = 'h'
		}
		if i > 0 && strings.IndexByte("aeiou", c) >= 0 {
			continue
		}
		if c < 'a' || c > 'z' {
			if c < '0' || c > '9' {
				return "" // another script: no skeleton
			}
		}
		if c == last {
			continue
		}
		b.WriteByte(c)
		last = c
	}
	if b.Len() < 3 {
		return ""
	}
	return b.String()
}
