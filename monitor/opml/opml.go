// Package opml reads and writes feed lists in OPML 2.0, the format feed
// readers exchange subscriptions in. Reading is defensive: the size is
// capped, entities are never expanded (encoding/xml does not read DTDs),
// and a file that is not OPML is refused with a message that says why.
package opml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"time"

	"golang.org/x/net/html/charset"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Namespace is the XML namespace of Newswatch's own outline attributes
// (newswatch:schedule, newswatch:fullText).
const Namespace = "urn:newswatch:opml"

// Limits on what Read accepts.
const (
	MaxBytes    = 10 << 20
	maxOutlines = 100_000
	maxDepth    = 32
)

// Outline is one feed of an OPML file.
type Outline struct {
	Title    string
	URL      string // xmlUrl
	SiteURL  string // htmlUrl
	Schedule string // Newswatch's own cron schedule, if any
	FullText string // Newswatch's "Fetch full articles": "on", "off"; "" automatic
	Category string // the enclosing outline's title, if any
}

// Read parses an OPML document and returns its feeds (outlines with an
// xmlUrl), in document order.
func Read(r io.Reader) ([]Outline, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, msg.Errorf(err, msg.T("The OPML file could not be read ({{.Reason}})."), "Reason", err.Error())
	}
	if len(data) > MaxBytes {
		return nil, msg.Errorf(nil, msg.T("The OPML file is larger than {{.MB}} MB."), "MB", MaxBytes>>20)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, msg.Errorf(nil, msg.T("The OPML file is empty."))
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charset.NewReaderLabel
	d.Strict = false // real OPML files often have a stray "&"
	d.Entity = xml.HTMLEntity

	var out []Outline
	var stack []string // titles of enclosing outlines
	sawOPML, sawBody := false, false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ := d.InputPos()
			return nil, msg.Errorf(err, msg.T("The OPML file is not valid XML (line {{.Line}}: {{.Reason}})."), "Line", line, "Reason", unwrapSyntax(err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			switch {
			case name == "opml":
				sawOPML = true
			case name == "body":
				sawBody = true
			case name == "outline":
				if len(stack) >= maxDepth {
					return nil, msg.Errorf(nil, msg.T("The OPML file nests outlines more than {{.Max}} deep."), "Max", maxDepth)
				}
				o := outlineFrom(t)
				if len(stack) > 0 {
					o.Category = stack[len(stack)-1]
				}
				if o.URL != "" {
					if len(out) >= maxOutlines {
						return nil, msg.Errorf(nil, msg.T("The OPML file lists more than {{.Max}} feeds."), "Max", maxOutlines)
					}
					out = append(out, o)
				}
				stack = append(stack, o.Title)
			case !sawOPML:
				return nil, msg.Errorf(nil, msg.T("This is not an OPML file (it starts with <{{.Element}}>, not <opml>)."), "Element", t.Name.Local)
			}
		case xml.EndElement:
			if strings.EqualFold(t.Name.Local, "outline") && len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	if !sawOPML {
		return nil, msg.Errorf(nil, msg.T("This is not an OPML file (no <opml> element)."))
	}
	if !sawBody {
		return nil, msg.Errorf(nil, msg.T("The OPML file has no <body>."))
	}
	return out, nil
}

func unwrapSyntax(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return se.Msg
	}
	return err.Error()
}

func outlineFrom(t xml.StartElement) Outline {
	var o Outline
	var text string
	for _, a := range t.Attr {
		v := strings.TrimSpace(a.Value)
		switch strings.ToLower(a.Name.Local) {
		case "xmlurl":
			o.URL = v
		case "htmlurl":
			o.SiteURL = v
		case "title":
			o.Title = v
		case "text":
			text = v
		case "schedule":
			if strings.Contains(a.Name.Space, "newswatch") {
				o.Schedule = v
			}
		case "fulltext":
			if strings.Contains(a.Name.Space, "newswatch") {
				o.FullText = strings.ToLower(v)
			}
		}
	}
	if o.Title == "" {
		o.Title = text
	}
	return o
}

// Write writes the feeds as an OPML 2.0 document.
func Write(w io.Writer, title string, outlines []Outline, now time.Time) error {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<opml version="2.0" xmlns:newswatch="` + Namespace + `">` + "\n")
	b.WriteString("  <head>\n    <title>" + esc(title) + "</title>\n")
	b.WriteString("    <dateCreated>" + now.UTC().Format(time.RFC1123Z) + "</dateCreated>\n  </head>\n  <body>\n")
	for _, o := range outlines {
		b.WriteString(`    <outline type="rss" text="` + esc(o.Title) + `" title="` + esc(o.Title) +
			`" xmlUrl="` + esc(o.URL) + `"`)
		if o.SiteURL != "" {
			b.WriteString(` htmlUrl="` + esc(o.SiteURL) + `"`)
		}
		if o.Schedule != "" {
			b.WriteString(` newswatch:schedule="` + esc(o.Schedule) + `"`)
		}
		if o.FullText != "" {
			b.WriteString(` newswatch:fullText="` + esc(o.FullText) + `"`)
		}
		b.WriteString("/>\n")
	}
	b.WriteString("  </body>\n</opml>\n")
	_, err := w.Write(b.Bytes())
	return err
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
