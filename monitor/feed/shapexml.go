package feed

import (
	"bytes"
	"strings"

	"golang.org/x/net/html/charset"
)

// xmlShape reads the body's markup the way encoding/xml does for gofeed
// (not strict, which closes unclosed elements when an enclosing one ends).
// Where the two could disagree it counts more, never less: what it takes
// for comments, CDATA sections, processing instructions, directives and
// quoted attribute values ends where encoding/xml's ends or earlier, and
// any "<" ends a quoted value (encoding/xml stops there with an error).
// After an error encoding/xml reads nothing more, so whatever this guard
// counts beyond one only errs on the safe side.
func xmlShape(b []byte) shape {
	var sh shape
	// The local names of the open elements, as offsets into b, for the
	// first maxDepth+1 levels; deeper ones are only counted.
	var open [maxDepth + 1][2]int
	depth := 0
	i := 0
	for {
		k := bytes.IndexByte(b[i:], '<')
		if k < 0 || i+k+1 >= len(b) {
			return sh
		}
		i += k + 1
		switch c := b[i]; {
		case c == '/':
			start, end := nameAt(b, i+1)
			i = tagEnd(b, end)
			local := localName(b[start:end])
			switch {
			case depth == 0:
			case depth > len(open):
				depth--
			default:
				// Not strict: an end tag closes the open elements up to
				// the one it names (encoding/xml fails when none does).
				for depth > 0 {
					depth--
					o := open[depth]
					if bytes.Equal(b[o[0]:o[1]], local) {
						break
					}
				}
			}
		case c == '?':
			end := bytes.Index(b[i:], []byte("?>"))
			if end < 0 {
				return sh
			}
			if start, nameEnd := nameAt(b, i+1); string(b[start:nameEnd]) == "xml" {
				enc := procInst("encoding", string(b[nameEnd:i+end]))
				if !strings.EqualFold(enc, "utf-8") && !markupCompatible(enc) {
					sh.encoding = enc
					return sh
				}
			}
			i += end + 2
		case c == '!':
			var ok bool
			if i, ok = skipDeclaration(b, i+1); !ok {
				return sh
			}
		default:
			start, end := nameAt(b, i)
			attrs, empty, next := tagAttributes(b, end)
			i = next
			sh.elements++
			sh.attributes = max(sh.attributes, attrs)
			local := localName(b[start:end])
			if string(local) == "item" || string(local) == "entry" {
				sh.items++
			}
			if empty { // open and closed: one level deeper for a moment
				sh.depth = max(sh.depth, depth+1)
				continue
			}
			if depth < len(open) {
				open[depth] = [2]int{end - len(local), end}
			}
			depth++
			sh.depth = max(sh.depth, depth)
		}
	}
}

// isNameByte reports whether c can be part of an XML name as encoding/xml
// reads one (bytes of non-ASCII characters included).
func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-' || c >= 0x80
}

// nameAt returns the extent of the name starting at i.
func nameAt(b []byte, i int) (start, end int) {
	end = i
	for end < len(b) && isNameByte(b[end]) {
		end++
	}
	return i, end
}

// localName is a name without its namespace prefix, split where
// encoding/xml splits it.
func localName(name []byte) []byte {
	if k := bytes.IndexByte(name, ':'); k >= 1 && k <= len(name)-2 {
		return name[k+1:]
	}
	return name
}

// tagEnd returns the offset after the ">" that ends a tag, or of the "<"
// that interrupts it.
func tagEnd(b []byte, i int) int {
	for ; i < len(b); i++ {
		switch b[i] {
		case '>':
			return i + 1
		case '<':
			return i
		}
	}
	return i
}

// tagAttributes reads a start tag's attributes from i (after its name):
// how many (names, with or without a value), whether the tag closes
// itself, and the offset after it (or of a "<" that interrupts it).
func tagAttributes(b []byte, i int) (n int, empty bool, next int) {
	for i < len(b) {
		switch c := b[i]; {
		case c == '>':
			return n, i > 0 && b[i-1] == '/', i + 1
		case c == '<':
			return n, false, i
		case c == '"' || c == '\'':
			// A quoted value: to its closing quote, or to a "<", where
			// encoding/xml gives up.
			j := i + 1
			for j < len(b) && b[j] != c && b[j] != '<' {
				j++
			}
			if j < len(b) && b[j] == c {
				j++
			}
			i = j
		case isNameByte(c):
			n++
			for i < len(b) && isNameByte(b[i]) {
				i++
			}
		default:
			i++
		}
	}
	return n, false, i
}

// skipDeclaration skips what follows "<!" at i: a comment, a CDATA
// section or a directive (such as a DOCTYPE), as encoding/xml reads them.
// It returns false when the document ends inside.
func skipDeclaration(b []byte, i int) (int, bool) {
	rest := b[i:]
	switch {
	case bytes.HasPrefix(rest, []byte("--")):
		// encoding/xml ends a comment at its first "--" (an error unless
		// ">" follows).
		end := bytes.Index(rest[2:], []byte("--"))
		if end < 0 {
			return 0, false
		}
		return i + 2 + end + 2, true
	case bytes.HasPrefix(rest, []byte("[CDATA[")):
		end := bytes.Index(rest[7:], []byte("]]>"))
		if end < 0 {
			return 0, false
		}
		return i + 7 + end + 3, true
	}
	// A directive: to the ">" that closes it, nested "<...>" and quoted
	// text included, with comments inside (encoding/xml's rules, which
	// take the character after "<!" as it is, whatever it is).
	depth := 0
	var quote byte
	for i++; i < len(b); i++ {
		c := b[i]
		switch {
		case quote == 0 && c == '>' && depth == 0:
			return i + 1, true
		case c == quote:
			quote = 0
		case quote != 0:
		case c == '\'' || c == '"':
			quote = c
		case c == '>':
			depth--
		case c == '<':
			if !bytes.HasPrefix(b[i+1:], []byte("!--")) {
				depth++
				continue
			}
			end := bytes.Index(b[i+4:], []byte("-->"))
			if end < 0 {
				return 0, false
			}
			i += 4 + end + 2
		}
	}
	return 0, false
}

// procInst returns a pseudo-attribute of a processing instruction's text,
// read as encoding/xml reads it.
func procInst(param, s string) string {
	param += "="
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || len(param)+k >= len(sub) {
			return ""
		}
		i += len(param) + k + 1
		if c := sub[len(param)+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

// markupCompatible reports whether switching to the encoding keeps every
// byte the guard reads as markup ("<", ">", quotes, "!", "-", "?", "/")
// meaning the same: true for "" (no switch), labels encoding/xml cannot
// use (it stops), and encodings that write ASCII as ASCII and never use
// those bytes inside another character. UTF-16 and ISO-2022-JP do.
func markupCompatible(label string) bool {
	if label == "" {
		return true
	}
	_, name := charset.Lookup(label)
	switch name {
	case "utf-16be", "utf-16le", "iso-2022-jp":
		return false
	}
	return true
}
