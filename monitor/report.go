package monitor

import (
	"encoding/json"
	"slices"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/query"
)

// Report is one article with what it matched: the topics and every hit.
// The timeline's rows, the story view, the topic editor's preview and the
// tray all show reports; the front ends highlight them through Marked, so
// they never need the query package.
type Report struct {
	Article Article
	Topics  []TopicRef  // the topics it matched; none for a query's preview
	Hits    []query.Hit // the hits of all its matches
}

// AddMatch adds a topic the report matched, with that match's hits as
// the stores keep them (JSON); a hit already there is not added again.
func (r *Report) AddMatch(t TopicRef, hits string) {
	r.Topics = append(r.Topics, t)
	var hs []query.Hit
	_ = json.Unmarshal([]byte(hits), &hs)
	for _, h := range hs {
		if !slices.Contains(r.Hits, h) {
			r.Hits = append(r.Hits, h)
		}
	}
}

// Story is one event, reported by one or more outlets: a row of the
// timeline. Its embedded Report is the lead report, whose title is the
// story's headline (the first report that matched a topic, else the
// first report), with its topics and hits. Topics are every topic any
// report matched (the lead's own are in Report.Topics).
//
// Reports are all of them, oldest first, each with its feed, time, link,
// topics, matched words and full text: the story view's, loaded by
// TimelineStore.Story. The timeline's rows (TimelineStore.Stories) leave
// Reports empty and carry only the counts, so a page of rows costs the
// same however big its stories are.
type Story struct {
	ID int64
	Report
	Reports     []Report
	ReportCount int       // the reports in all
	Sources     int       // distinct sources (outlets) among the reports
	FirstSeen   time.Time // the first report's date
	LastSeen    time.Time // the newest report's date: the timeline's order
	Topics      []TopicRef
	Read        bool // every match of every report read
	Starred     bool // any match starred
	// Updated: the story gained a report from a new source after the
	// user read it; NewSources is how many new sources ("+2 sources").
	Updated    bool
	NewSources int
	MatchedAt  time.Time // its first match
}

// TopicRef names a topic a report matched.
type TopicRef struct {
	ID    int64
	Name  string
	Color string
}

// Marked is text with the spans a query matched in it, to be shown with
// those spans highlighted (bold on screen, [brackets] on a terminal).
type Marked struct {
	Text  string
	Spans []Span
}

// Mark returns the text with every span wrapped in open and close.
func (m Marked) Mark(open, close string) string { return Mark(m.Text, m.Spans, open, close) }

// Title is the report's title with its hits.
func (r *Report) Title() Marked { return r.field(query.Title) }

// Summary is the report's summary with its hits.
func (r *Report) Summary() Marked { return r.field(query.Summary) }

// Content is the report's full text with its hits.
func (r *Report) Content() Marked { return r.field(query.Content) }

// FullText is the text of the report's web page with its hits.
func (r *Report) FullText() Marked { return r.field(query.FullText) }

func (r *Report) field(f query.Field) Marked {
	text := r.Article.FieldText(f)
	return Marked{Text: text, Spans: HitSpans(text, r.Hits, f)}
}

// Snippet is about width bytes of the summary or full text around the
// first hit there (the start of the summary when every hit is in the
// title), cut at word boundaries.
func (r *Report) Snippet(width int) Snippet { return MakeSnippet(&r.Article, r.Hits, width) }

// FullTextTerms lists, once each, the query terms that matched in the
// full text (the story's web page): the story view says that they were
// found there.
func (r *Report) FullTextTerms() []string {
	var out []string
	for _, h := range r.Hits {
		if h.Field == query.FullText && !slices.Contains(out, h.Term) {
			out = append(out, h.Term)
		}
	}
	return out
}

// HitsBeyondTitle reports whether anything matched outside the title.
func (r *Report) HitsBeyondTitle() bool {
	for _, h := range r.Hits {
		if h.Field != query.Title {
			return true
		}
	}
	return false
}

// Join puts marked texts one after another with sep between them.
func Join(sep string, parts ...Marked) Marked {
	var out Marked
	for i, p := range parts {
		if i > 0 {
			out.Text += sep
		}
		for _, s := range p.Spans {
			out.Spans = append(out.Spans, Span{s.Start + len(out.Text), s.End + len(out.Text)})
		}
		out.Text += p.Text
	}
	return out
}

// Plain is text with nothing marked.
func Plain(text string) Marked { return Marked{Text: text} }
