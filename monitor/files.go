package monitor

import (
	"context"
	"io"
	"strings"

	"codeberg.org/newswatch/newswatch/monitor/export"
	"codeberg.org/newswatch/newswatch/monitor/msg"
	"codeberg.org/newswatch/newswatch/monitor/opml"
)

// Files the user reads and writes: exports of the timeline (CSV and JSON)
// and feed lists (OPML). The desktop app and the command line both come
// here, so a file written by one reads the same as one written by the
// other.

// ExportFormat is an export file format: "csv" or "json".
type ExportFormat = export.Format

// The export formats.
const (
	CSV  = export.CSV
	JSON = export.JSON
)

// ParseExportFormat reads a format name ("" is CSV).
func ParseExportFormat(s string) (ExportFormat, error) { return export.ParseFormat(s) }

// ExportOptions say what to export and how.
type ExportOptions struct {
	Format ExportFormat // CSV when empty
	Filter Filter
	// BOM starts a CSV with a UTF-8 byte-order mark, so Excel reads it as
	// UTF-8.
	BOM bool
}

// Export writes the matches of the stories the filter selects (one row per
// report and topic, with its story's ID, headline, sources and first
// date) and returns how many rows it wrote.
func (s *Service) Export(ctx context.Context, w io.Writer, opt ExportOptions) (int, error) {
	ms, err := s.store.Matches(ctx, opt.Filter)
	if err != nil {
		return 0, err
	}
	rows := make([]export.Row, len(ms))
	for i := range ms {
		rows[i] = exportRow(&ms[i])
	}
	format := opt.Format
	if format == "" {
		format = CSV
	}
	return len(rows), export.Write(w, format, rows, opt.BOM)
}

func exportRow(m *Match) export.Row {
	a := &m.Article
	r := export.Row{Published: a.Published, FirstSeen: a.FirstSeen, Topic: m.TopicName, Feed: a.FeedName,
		Title: a.Title, Link: a.Link, Summary: a.Summary, Author: a.Author, Categories: a.Categories,
		Read: m.Read, Starred: m.Starred, Terms: make([]export.Term, len(m.Hits)),
		Story: m.Story.ID, StoryTitle: m.Story.Title, StorySources: m.Story.Sources, StoryFirstSeen: m.Story.FirstSeen,
		Text: a.FullText}
	for i, h := range m.Hits {
		r.Terms[i] = export.Term{Term: h.Term, Field: h.Field.String(), Text: a.HitText(h)}
	}
	return r
}

// ImportOPML adds the feeds an OPML file lists (see ImportFeeds). A file
// that is not OPML, or lists no feed, is refused with a message that says
// why.
func (s *Service) ImportOPML(ctx context.Context, r io.Reader) (ImportResult, error) {
	outlines, err := opml.Read(r)
	if err != nil {
		return ImportResult{}, err
	}
	if len(outlines) == 0 {
		return ImportResult{}, msg.Errorf(nil, msg.T("The file lists no feeds (no outline has an xmlUrl)."))
	}
	in := make([]Feed, len(outlines))
	for i, o := range outlines {
		in[i] = Feed{URL: o.URL, Name: strings.TrimSpace(o.Title), SiteURL: o.SiteURL, Schedule: o.Schedule}
		in[i].FullText, _ = ParseFullTextMode(o.FullText) // unknown: automatic
	}
	return s.ImportFeeds(ctx, in)
}

// ExportOPML writes the feeds as OPML 2.0, with their own schedules and
// full-text settings (newswatch:schedule, newswatch:fullText), and
// returns how many it wrote.
func (s *Service) ExportOPML(ctx context.Context, w io.Writer) (int, error) {
	feeds, err := s.store.Feeds(ctx)
	if err != nil {
		return 0, err
	}
	outlines := make([]opml.Outline, len(feeds))
	for i, f := range feeds {
		outlines[i] = opml.Outline{Title: f.DisplayName(), URL: f.URL, SiteURL: f.SiteURL, Schedule: f.Schedule}
		if f.FullText != FullTextAuto {
			outlines[i].FullText = f.FullText.String()
		}
	}
	return len(feeds), opml.Write(w, "Newswatch feeds", outlines, s.now())
}
