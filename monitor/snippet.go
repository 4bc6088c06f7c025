package monitor

import (
	"sort"
	"strings"
	"unicode/utf8"

	"codeberg.org/newswatch/newswatch/monitor/query"
)

// Span is a byte range [Start, End) of a text.
type Span struct{ Start, End int }

// HitSpans returns the ranges the hits cover in one field, sorted, merged
// where they overlap, and checked against the text (stale offsets are
// dropped).
func HitSpans(text string, hits []query.Hit, f query.Field) []Span {
	var out []Span
	for _, h := range hits {
		if h.Field == f && h.Start >= 0 && h.End <= len(text) && h.Start < h.End {
			out = append(out, Span{h.Start, h.End})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && s.Start <= merged[n-1].End {
			merged[n-1].End = max(merged[n-1].End, s.End)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// Mark returns text with every span wrapped in open and close.
func Mark(text string, spans []Span, open, close string) string {
	var b strings.Builder
	last := 0
	for _, s := range spans {
		b.WriteString(text[last:s.Start])
		b.WriteString(open)
		b.WriteString(text[s.Start:s.End])
		b.WriteString(close)
		last = s.End
	}
	b.WriteString(text[last:])
	return b.String()
}

// Snippet is a short piece of an article's text around its first hit
// outside the title, with the hits inside it.
type Snippet struct {
	Field query.Field // where it was cut from
	Marked
}

// MakeSnippet cuts about width bytes of the summary, content or full text
// around the first hit there (or the start of the summary when the hits are all in
// the title), at word boundaries, with "…" where it cuts.
func MakeSnippet(a *Article, hits []query.Hit, width int) Snippet {
	for _, f := range []query.Field{query.Summary, query.Content, query.FullText, query.Categories} {
		text := a.FieldText(f)
		spans := HitSpans(text, hits, f)
		if len(spans) == 0 {
			continue
		}
		start := spans[0].Start - width/3
		return cut(f, text, spans, start, width)
	}
	return cut(query.Summary, a.Summary, nil, 0, width)
}

func cut(f query.Field, text string, spans []Span, start, width int) Snippet {
	if start < 0 {
		start = 0
	}
	end := start + width
	if end >= len(text) {
		end = len(text)
		start = max(0, end-width)
	}
	// Move to word boundaries, never inside a character.
	if start > 0 {
		if i := strings.IndexByte(text[start:], ' '); i >= 0 && i < width/4 {
			start += i + 1
		}
		for start < len(text) && !utf8.RuneStart(text[start]) {
			start++
		}
	}
	if end < len(text) {
		if i := strings.LastIndexByte(text[start:end], ' '); i > width/2 {
			end = start + i
		}
		for end > start && !utf8.RuneStart(text[end]) {
			end--
		}
	}
	s := Snippet{Field: f, Marked: Marked{Text: text[start:end]}}
	prefix := 0
	if start > 0 {
		s.Text = "…" + s.Text
		prefix = len("…")
	}
	if end < len(text) {
		s.Text += "…"
	}
	for _, sp := range spans {
		if sp.Start >= start && sp.End <= end {
			s.Spans = append(s.Spans, Span{sp.Start - start + prefix, sp.End - start + prefix})
		}
	}
	return s
}
