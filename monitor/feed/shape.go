package feed

import (
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Limits on a feed's structure, checked before gofeed sees a body: gofeed
// reads nested elements recursively and keeps every item it reads, so a
// few million nested elements overflow the stack (a fatal error that no
// recover catches) and a few million empty items cost gigabytes before
// maxItems applies. No real feed comes near these limits.
const (
	maxDepth      = 256
	maxElements   = 2_000_000 // XML elements, or JSON values
	maxAttributes = 1_000     // on one element
	// maxItems (normalize.go) bounds the items (RSS items, Atom entries,
	// JSON Feed items) a body may list.
)

// shape is what the guard found out about a body's structure.
type shape struct {
	json       bool
	depth      int // the deepest nesting of elements (JSON: arrays and objects)
	elements   int // elements (JSON: values)
	items      int // RSS items and Atom entries (JSON Feed: items)
	attributes int // the most attributes on one element
	// encoding is set when the document declares, in its middle, an
	// encoding that changes how its bytes read as markup (UTF-16,
	// ISO-2022-JP): the XML parser would switch to it and read what this
	// guard did not see.
	encoding string
}

// checkShape refuses a body whose structure is beyond the limits, in one
// sentence that says how. It reads the body in one pass without
// allocating for what it counts, so it costs little for any body.
func checkShape(body []byte) (shape, error) {
	var sh shape
	if jsonFirst(body) {
		sh = jsonShape(body)
	} else {
		sh = xmlShape(body)
	}
	return sh, sh.err()
}

// jsonFirst reports whether gofeed reads the body as JSON: its first
// character, after white space and byte-order mark bytes, is "{".
func jsonFirst(body []byte) bool {
	for _, c := range body[:min(len(body), 4096)] {
		switch c {
		case ' ', '\r', '\n', '\t', 0xfe, 0xff, 0x00, 0xef, 0xbb, 0xbf:
			continue
		}
		return c == '{'
	}
	return false
}

func (sh shape) err() error {
	num := func(n int) msg.Message { return msg.Number(int64(n)) }
	switch {
	case sh.encoding != "":
		return errorf(KindParse, nil, msg.T("The feed changes its encoding to {{.Encoding}} partway through, which Newswatch cannot read."), "Encoding", sh.encoding)
	case sh.depth > maxDepth:
		return errorf(KindTooLarge, nil, msg.T("The feed is nested {{.Depth}} levels deep; Newswatch reads at most {{.Max}}."), "Depth", num(sh.depth), "Max", num(maxDepth))
	case sh.items > maxItems:
		return errorf(KindTooLarge, nil, msg.T("The feed lists {{.Items}} stories; Newswatch reads at most {{.Max}}."), "Items", num(sh.items), "Max", num(maxItems))
	case sh.attributes > maxAttributes:
		return errorf(KindTooLarge, nil, msg.T("An element of the feed has {{.Attributes}} attributes; Newswatch reads at most {{.Max}}."), "Attributes", num(sh.attributes), "Max", num(maxAttributes))
	case sh.elements > maxElements && sh.json:
		return errorf(KindTooLarge, nil, msg.T("The feed is made of {{.Values}} JSON values; Newswatch reads at most {{.Max}}."), "Values", num(sh.elements), "Max", num(maxElements))
	case sh.elements > maxElements:
		return errorf(KindTooLarge, nil, msg.T("The feed is made of {{.Elements}} XML elements; Newswatch reads at most {{.Max}}."), "Elements", num(sh.elements), "Max", num(maxElements))
	}
	return nil
}

// jsonShape reads a JSON body's structure: its nesting, its values, and
// the items of the top-level object's "items" array (a JSON Feed's
// stories). gofeed decodes only valid JSON, which this reads exactly;
// for anything else it counts what it sees.
func jsonShape(b []byte) shape {
	sh := shape{json: true}
	depth := 0
	itemsDepth := -1 // the depth inside the "items" array while in it
	var key []byte   // the last key of the top-level object
	var last []byte  // the last string
	var prev byte    // the last character outside strings and space
	value := func() {
		sh.elements++
		if depth == itemsDepth {
			sh.items++
		}
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '"':
			j := i + 1
			for j < len(b) && b[j] != '"' {
				if b[j] == '\\' {
					j++
				}
				j++
			}
			last = b[i+1 : min(j, len(b))]
			i = j
			value()
		case ':':
			if prev == '"' { // the string was a key, not a value
				sh.elements--
				if depth == 1 {
					key = last
				}
			}
		case '{', '[':
			value()
			if c == '[' && depth == 1 && prev == ':' && string(key) == "items" {
				itemsDepth = 2
			}
			depth++
			sh.depth = max(sh.depth, depth)
		case '}', ']':
			if depth == itemsDepth {
				itemsDepth = -1
			}
			depth = max(depth-1, 0)
		case ',':
		default: // a number, true, false or null
			if prev == 0 || prev == '[' || prev == ',' || prev == ':' {
				value()
			}
		}
		prev = c
	}
	return sh
}
