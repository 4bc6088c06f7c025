package feed

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// HTMLToUTF8 decodes a web page to UTF-8, exactly once, the way browsers
// decide its encoding (the HTML standard's algorithm, as x/net/html/charset
// implements it): a byte-order mark, then the HTTP charset, then a
// <meta charset> or <meta http-equiv="Content-Type"> in the first 1024
// bytes, then UTF-8 if the bytes are valid UTF-8, else windows-1252.
// Two repairs that feeds need too: a page labelled Latin-1 whose bytes are
// valid UTF-8 with non-ASCII text is UTF-8 (a common server mistake), and
// in a page taken as UTF-8 each invalid byte is read as windows-1252.
func HTMLToUTF8(body []byte, contentType string) []byte {
	enc, name, _ := charset.DetermineEncoding(body, contentType)
	switch {
	case name == "utf-8":
		return repairUTF8(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))
	case isLatin(name) && hasMultibyteUTF8(body):
		return body
	}
	// A byte-order mark decides (DetermineEncoding saw it); the decoder
	// drops it.
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return repairUTF8(body)
	}
	if !utf8.Valid(out) {
		out = bytes.ToValidUTF8(out, []byte("\ufffd"))
	}
	return out
}
