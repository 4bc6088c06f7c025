// Package export writes matched stories as CSV (RFC 4180, UTF-8, safe to
// open in a spreadsheet) or JSON. It knows rows only: the engine turns its
// matches into rows (monitor.Service.Export), for the desktop app and the
// command line alike.
package export

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/inert"
)

// Row is one exported match: a story and one topic it matched.
type Row struct {
	Published, FirstSeen time.Time
	Topic                string
	Terms                []Term // what matched where, in match order
	Feed                 string
	Title, Link, Summary string
	Author               string
	Categories           []string
	Read, Starred        bool
	// The story the article belongs to: its stable ID, headline,
	// distinct sources so far and first report's date.
	Story          int64
	StoryTitle     string
	StorySources   int
	StoryFirstSeen time.Time
	// Text is the full text of the story's web page, when it was read
	// (JSON only: a CSV row stays one line, with the summary).
	Text string
}

// Term is a matched term: the query's term, the field and the text it
// matched there.
type Term struct {
	Term, Field, Text string
}

// TermsText lists the matched terms once each with the fields they matched
// in: "Ukraine (title, summary); Russland (content)".
func TermsText(terms []Term) string {
	type entry struct {
		term   string
		fields []string
	}
	var order []*entry
	byTerm := map[string]*entry{}
	for _, t := range terms {
		e := byTerm[t.Term]
		if e == nil {
			e = &entry{term: t.Term}
			byTerm[t.Term] = e
			order = append(order, e)
		}
		if !slices.Contains(e.fields, t.Field) {
			e.fields = append(e.fields, t.Field)
		}
	}
	parts := make([]string, len(order))
	for i, e := range order {
		parts[i] = e.term + " (" + strings.Join(e.fields, ", ") + ")"
	}
	return strings.Join(parts, "; ")
}

// Header is the CSV header row. The story columns come after the
// columns of earlier versions, so spreadsheets that read those keep
// working.
var Header = []string{"published", "first_seen", "topic", "matched_terms", "feed", "title", "link", "summary",
	"story", "story_title", "story_sources", "story_first_seen"}

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
func Write(w io.Writer, f Format, rows []Row, bom bool) error {
	if f == JSON {
		return WriteJSON(w, rows)
	}
	return WriteCSV(w, rows, bom)
}

// WriteCSV writes one row per match (article × topic), times in RFC 3339
// UTC, every cell neutralized against formula injection.
func WriteCSV(w io.Writer, rows []Row, bom bool) error {
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
	for i := range rows {
		r := &rows[i]
		row := []string{
			timeCell(r.Published),
			timeCell(r.FirstSeen),
			r.Topic,
			TermsText(r.Terms),
			r.Feed,
			r.Title,
			r.Link,
			r.Summary,
			storyCell(r.Story),
			r.StoryTitle,
			storySources(r),
			timeCell(r.StoryFirstSeen),
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

func storySources(r *Row) string {
	if r.Story == 0 {
		return ""
	}
	return strconv.Itoa(r.StorySources)
}

func storyCell(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
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
	Published      string     `json:"published"`
	FirstSeen      string     `json:"first_seen"`
	Topic          string     `json:"topic"`
	MatchedTerms   []jsonTerm `json:"matched_terms"`
	Feed           string     `json:"feed"`
	Title          string     `json:"title"`
	Link           string     `json:"link"`
	Summary        string     `json:"summary"`
	Author         string     `json:"author,omitempty"`
	Categories     []string   `json:"categories,omitempty"`
	Read           bool       `json:"read"`
	Starred        bool       `json:"starred"`
	Story          int64      `json:"story,omitempty"`
	StoryTitle     string     `json:"story_title,omitempty"`
	StorySources   int        `json:"story_sources,omitempty"`
	StoryFirstSeen string     `json:"story_first_seen,omitempty"`
	Text           string     `json:"text"` // the web page's text; "" when not read
}

type jsonTerm struct {
	Term  string `json:"term"`
	Field string `json:"field"`
	Text  string `json:"text"`
}

// WriteJSON writes the rows as one JSON array.
func WriteJSON(w io.Writer, rows []Row) error {
	out := make([]jsonMatch, len(rows))
	for i := range rows {
		r := &rows[i]
		jm := jsonMatch{
			Published: timeCell(r.Published), FirstSeen: timeCell(r.FirstSeen),
			Topic: inert.Strip(r.Topic), Feed: inert.Strip(r.Feed), Title: inert.Strip(r.Title),
			Link: inert.Strip(r.Link), Summary: inert.Strip(r.Summary), Author: inert.Strip(r.Author),
			Read: r.Read, Starred: r.Starred, MatchedTerms: []jsonTerm{},
			Story: r.Story, StoryTitle: r.StoryTitle, StorySources: r.StorySources, StoryFirstSeen: timeCell(r.StoryFirstSeen),
			Text: inert.Strip(r.Text),
		}
		for _, c := range r.Categories {
			jm.Categories = append(jm.Categories, inert.Strip(c))
		}
		for _, t := range r.Terms {
			jm.MatchedTerms = append(jm.MatchedTerms, jsonTerm{Term: inert.Strip(t.Term), Field: t.Field, Text: inert.Strip(t.Text)})
		}
		out[i] = jm
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
