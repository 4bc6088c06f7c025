package feed

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
)

// ToUTF8 decodes a feed body to UTF-8, exactly once.
//
// The document decides first: a byte-order mark, then the encoding in the
// XML declaration. Bytes that are valid UTF-8 are taken as UTF-8 (a Latin-1
// label on a UTF-8 body is a common server mistake); otherwise the HTTP
// charset is used, and failing that each invalid byte is read as
// windows-1252, the encoding undeclared Western feeds are really in.
// Afterwards the XML declaration, if any, says utf-8, so the XML parser does
// not decode a second time ("CafÃ©"). Characters XML forbids (control
// characters) are removed, since one of them makes a whole feed unreadable.
func ToUTF8(body []byte, contentType string) []byte {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(body, []byte("\xff\xfe")) || bytes.HasPrefix(body, []byte("\xfe\xff")) {
		dec := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
		if out, err := dec.Bytes(body); err == nil {
			return cleanXML(setDeclaredUTF8(out))
		}
	}
	if isJSON(body) {
		return repairUTF8(body)
	}

	declared := declaredEncoding(body)
	var enc encoding.Encoding
	switch e, name := lookupCharset(declared); {
	case e == nil: // no or unknown declaration: the bytes and HTTP decide
		if !utf8.Valid(body) {
			if he, hname := lookupCharset(httpCharset(contentType)); he != nil && hname != "utf-8" {
				enc = he
			}
		}
	case name == "utf-8":
	case strings.HasPrefix(name, "utf-16"):
		// Declared UTF-16 without a byte-order mark: only believe it when
		// the bytes look like UTF-16 (NULs between ASCII letters).
		if bytes.IndexByte(body[:min(len(body), 512)], 0) >= 0 {
			enc = e
		}
	case isLatin(name) && hasMultibyteUTF8(body):
		// Labelled Latin-1 but valid UTF-8 with non-ASCII text: UTF-8.
	default:
		enc = e
	}
	if enc != nil {
		if out, err := enc.NewDecoder().Bytes(body); err == nil {
			body = out
		}
	}
	body = repairUTF8(body)
	if declared != "" {
		body = setDeclaredUTF8(body)
	}
	return cleanXML(body)
}

func lookupCharset(label string) (encoding.Encoding, string) {
	if label == "" {
		return nil, ""
	}
	return charset.Lookup(label)
}

func httpCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return params["charset"]
}

func isLatin(name string) bool {
	return name == "windows-1252" || name == "iso-8859-15" || name == "iso-8859-2" || name == "windows-1250"
}

func isJSON(body []byte) bool {
	t := bytes.TrimLeft(body, " \t\r\n")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

// xmlDecl finds an XML declaration near the start of the document, also
// after leading blank lines or comments, and its encoding pseudo-attribute.
var xmlDecl = regexp.MustCompile(`<\?xml[^>]*?encoding\s*=\s*["']?([A-Za-z0-9._:\-]+)["']?`)

func declaredEncoding(body []byte) string {
	head := body[:min(len(body), 1024)]
	end := bytes.Index(head, []byte("?>"))
	if end < 0 {
		return ""
	}
	m := xmlDecl.FindSubmatch(head[:end+2])
	if m == nil {
		return ""
	}
	return string(m[1])
}

// setDeclaredUTF8 rewrites the encoding in the XML declaration to utf-8.
func setDeclaredUTF8(body []byte) []byte {
	head := body[:min(len(body), 1024)]
	end := bytes.Index(head, []byte("?>"))
	if end < 0 {
		return body
	}
	loc := xmlDecl.FindSubmatchIndex(head[:end+2])
	if loc == nil || strings.EqualFold(string(body[loc[2]:loc[3]]), "utf-8") {
		return body
	}
	out := make([]byte, 0, len(body))
	out = append(out, body[:loc[2]]...)
	out = append(out, "utf-8"...)
	return append(out, body[loc[3]:]...)
}

// hasMultibyteUTF8 reports whether b is valid UTF-8 and holds at least one
// non-ASCII character.
func hasMultibyteUTF8(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// repairUTF8 keeps valid UTF-8 and reads every invalid byte as windows-1252.
func repairUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	out := make([]byte, 0, len(b)+len(b)/8)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			out = utf8.AppendRune(out, cp1252(b[i]))
			i++
			continue
		}
		out = append(out, b[i:i+size]...)
		i += size
	}
	return out
}

// cp1252 maps a byte to its windows-1252 character.
func cp1252(c byte) rune {
	if c >= 0x80 && c < 0xa0 {
		return cp1252High[c-0x80]
	}
	return rune(c)
}

var cp1252High = [32]rune{
	'€', '\ufffd', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\ufffd', 'Ž', '\ufffd',
	'\ufffd', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\ufffd', 'ž', 'Ÿ',
}

// badCharRef matches character references to control characters XML 1.0
// forbids (&#26;, &#x1A;): one of them makes the whole document unreadable.
var badCharRef = regexp.MustCompile(`&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]));`)

// cleanXML removes the control characters XML 1.0 forbids, also when they
// are written as character references.
func cleanXML(b []byte) []byte {
	if bytes.Contains(b, []byte("&#")) && badCharRef.Match(b) {
		b = badCharRef.ReplaceAll(b, nil)
	}
	bad := func(c byte) bool { return c < 0x20 && c != '\t' && c != '\n' && c != '\r' }
	i := 0
	for i < len(b) && !bad(b[i]) {
		i++
	}
	if i == len(b) {
		return b
	}
	out := make([]byte, i, len(b))
	copy(out, b[:i])
	for ; i < len(b); i++ {
		if !bad(b[i]) {
			out = append(out, b[i])
		}
	}
	return out
}
