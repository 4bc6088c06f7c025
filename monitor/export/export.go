// Package export writes matched stories as CSV (RFC 4180, UTF-8, safe to
// open in a spreadsheet) or JSON. The desktop app and the command line both
// use it.
package export

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/inert"
)

// Header is the CSV header row.
var Header = []string{"published", "first_seen", "topic", "matched_terms", "feed", "title", "link", "summary"}

// Format is an export file format.
type Format string

// The export formats.
const (
	CSV  Format = "csv"
	JSON Format = "json"
)

// ParseFormat reads a format name.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case CSV, JSON:
		return f, nil
	case "":
		return CSV, nil
	}
	return "", fmt.Errorf("unknown export format %q; use csv or json", s)
}

// Write writes the matches in the format; bom puts a UTF-8 byte-order mark
// before CSV so Excel reads it as UTF-8.
func Write(w io.Writer, f Format, ms []monitor.Match, bom bool) error {
	if f == JSON {
		return WriteJSON(w, ms)
	}
	return WriteCSV(w, ms, bom)
}

// WriteCSV writes one row per match (article × topic), times in RFC 3339
// UTC, every cell neutralized against formula injection.
func WriteCSV(w io.Writer, ms []monitor.Match, bom bool) error {
	if bom {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // RFC 4180
	if err := cw.Write(Header); err != nil {
		return err
	}
	for i := range ms {
		m := &ms[i]
		row := []string{
			timeCell(m.Article.Published),
			timeCell(m.Article.FirstSeen),
			m.TopicName,
			m.Terms(),
			m.Article.FeedName,
			m.Article.Title,
			m.Article.Link,
			m.Article.Summary,
		}
		for j := range row {
			row[j] = Neutralize(inert.Strip(row[j]))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func timeCell(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// Neutralize makes a cell that a spreadsheet would run as a formula plain
// text by putting an apostrophe in front (the OWASP advice): cells that
// start with =, +, -, @, a tab or a carriage return, also after leading
// spaces, and their full-width forms.
func Neutralize(cell string) string {
	t := strings.TrimLeft(cell, " \u00a0")
	if t == "" {
		return cell
	}
	switch t[0] {
	case '=', '+', '-', '@', '\t', '\r', '\n':
		return "'" + cell
	}
	for _, p := range []string{"＝", "＋", "－", "＠"} {
		if strings.HasPrefix(t, p) {
			return "'" + cell
		}
	}
	return cell
}

// jsonMatch is one exported match.
type jsonMatch struct {
	Published    string     `json:"published"`
	FirstSeen    string     `json:"first_seen"`
	Topic        string     `json:"topic"`
	MatchedTerms []jsonTerm `json:"matched_terms"`
	Feed         string     `json:"feed"`
	Title        string     `json:"title"`
	Link         string     `json:"link"`
	Summary      string     `json:"summary"`
	Author       string     `json:"author,omitempty"`
	Categories   []string   `json:"categories,omitempty"`
	Read         bool       `json:"read"`
	Starred      bool       `json:"starred"`
}

type jsonTerm struct {
	Term  string `json:"term"`
	Field string `json:"field"`
	Text  string `json:"text"`
}

// WriteJSON writes the matches as one JSON array.
func WriteJSON(w io.Writer, ms []monitor.Match) error {
	out := make([]jsonMatch, len(ms))
	for i := range ms {
		m := &ms[i]
		jm := jsonMatch{
			Published: timeCell(m.Article.Published), FirstSeen: timeCell(m.Article.FirstSeen),
			Topic: inert.Strip(m.TopicName), Feed: inert.Strip(m.Article.FeedName), Title: inert.Strip(m.Article.Title),
			Link: inert.Strip(m.Article.Link), Summary: inert.Strip(m.Article.Summary), Author: inert.Strip(m.Article.Author),
			Read: m.Read, Starred: m.Starred, MatchedTerms: []jsonTerm{},
		}
		for _, c := range m.Article.Categories {
			jm.Categories = append(jm.Categories, inert.Strip(c))
		}
		for _, h := range m.Hits {
			jm.MatchedTerms = append(jm.MatchedTerms, jsonTerm{Term: inert.Strip(h.Term), Field: h.Field.String(),
				Text: inert.Strip(m.Article.HitText(h))})
		}
		out[i] = jm
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
