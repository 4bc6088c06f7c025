package main

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"codeberg.org/newswatch/newswatch/monitor/feed"
)

var kindNames = map[feed.Kind]string{
	feed.KindNetwork:  "network",
	feed.KindHTTP:     "http",
	feed.KindGone:     "gone",
	feed.KindThrottle: "throttle",
	feed.KindTooLarge: "too large",
	feed.KindNotFeed:  "not a feed",
	feed.KindParse:    "parse",
	feed.KindFile:     "file",
	feed.KindInput:    "input",
}

func kindName(k feed.Kind) string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	if k < 0 {
		return "not a *feed.Error (Newswatch promises one for every failure)"
	}
	return fmt.Sprintf("kind %d", int(k))
}

// lineCol matches the positions in XML and JSON error messages.
var lineCol = regexp.MustCompile(`\b(line|column|offset|position) \d+`)

// Text that was decoded with the wrong charset: UTF-8 read as Latin-1 or
// windows-1252 ("Ã¤", "â€™", "Â "), replacement characters, C1 controls.
var (
	mojibake = regexp.MustCompile(`[ÂÃ][\x{A0}-\x{BF}€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]|â€[™œ\x{9d}“”˜¦¢¡]`)
	c1       = regexp.MustCompile(`[\x{80}-\x{9F}]`)
)

func oddness(s string) (kind, sample string) {
	if s == "" {
		return "", ""
	}
	var loc []int
	switch {
	case strings.ContainsRune(s, utf8.RuneError):
		kind = "U+FFFD replacement character"
		i := strings.IndexRune(s, utf8.RuneError)
		loc = []int{i, i + 3}
	case mojibake.MatchString(s):
		kind = "mojibake (UTF-8 read as Latin-1/windows-1252)"
		loc = mojibake.FindStringIndex(s)
	case c1.MatchString(s):
		kind = "C1 control character (windows-1252 read as Latin-1)"
		loc = c1.FindStringIndex(s)
	default:
		return "", ""
	}
	return kind, excerpt(s, loc[0], loc[1])
}

// excerpt is s around [start, end), at most about 70 bytes, on rune
// boundaries.
func excerpt(s string, start, end int) string {
	from, to := max(start-35, 0), min(end+35, len(s))
	for from > 0 && !utf8.RuneStart(s[from]) {
		from--
	}
	for to < len(s) && !utf8.RuneStart(s[to]) {
		to++
	}
	out := strings.Join(strings.Fields(s[from:to]), " ")
	if from > 0 {
		out = "…" + out
	}
	if to < len(s) {
		out += "…"
	}
	return fmt.Sprintf("%q", out)
}

func (r *runner) summary(dirs []string) {
	w := r.out
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	if r.verbose {
		p("\n")
	}
	p("Newswatch corpus run over %s\n", strings.Join(dirs, ", "))
	p("topics: %d, timeout %s (hang after %s), heap limit %s\n\n", len(topics), r.timeout, 2*r.timeout, mb(r.maxHeap))

	p("files      %d", len(r.files))
	if r.aborted {
		p(" (run stopped after %d)", r.done)
	}
	p("\n")

	p("parsed     %d files, %d items, %d topic matches\n", r.parsed, r.items, r.matches)
	if len(r.formats) > 0 {
		var fs []string
		for _, f := range slices.Sorted(maps.Keys(r.formats)) {
			fs = append(fs, fmt.Sprintf("%s %d", f, r.formats[f]))
		}
		p("           formats: %s\n", strings.Join(fs, ", "))
	}
	for i, t := range topics {
		p("           %6d  %s\n", r.perTopic[i], t)
	}

	p("refused    %d files\n", r.nRefused)
	kinds := make([]feed.Kind, 0, len(r.refused))
	for k := range r.refused {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		groups := r.refused[k]
		total := 0
		for _, g := range groups {
			total += g.count
		}
		p("  %s: %d\n", kindName(k), total)
		msgs := slices.Sorted(maps.Keys(groups))
		slices.SortStableFunc(msgs, func(a, b string) int { return cmp.Compare(groups[b].count, groups[a].count) })
		for _, m := range msgs {
			g := groups[m]
			p("    %5d  %s\n", g.count, m)
			p("           e.g. %s\n", g.example)
		}
	}

	p("failures   %d\n", len(r.failures))
	for _, f := range r.failures {
		p("  %s  %s\n    %s\n", f.kind, f.path, f.detail)
		if f.stack != "" {
			for _, l := range strings.Split(strings.TrimRight(f.stack, "\n"), "\n") {
				p("      %s\n", l)
			}
		}
	}

	if len(r.oddText) > 0 {
		p("\nsuspicious text (parsed, but maybe decoded wrongly; some suites test exactly this): %d files\n", len(r.oddText))
		for _, o := range r.oddText {
			p("  %s: %d items, %s\n    %s\n", o.path, o.items, o.what, o.sample)
		}
	}

	if len(r.news) > 0 {
		p("\nnews feeds: items, undated items, items without link, first item (check the accents)\n")
		for _, n := range r.news {
			name := n.path
			if i := strings.LastIndex(name, "/news/"); i >= 0 {
				name = name[i+len("/news/"):]
			}
			if n.refuse != "" {
				p("  %-55s REFUSED: %s\n", name, n.refuse)
				continue
			}
			extra := ""
			if n.odd > 0 {
				extra = fmt.Sprintf(", %d with suspicious text", n.odd)
			}
			p("  %-55s %4d items, %3d undated, %3d no link%s\n", name, n.items, n.undated, n.nolink, extra)
			date := n.firstDate
			if date == "" {
				date = "no date"
			}
			p("      %s  %q\n", date, n.firstTitle)
		}
	}

	p("\npeak heap  %s, during %s\n", mb(r.peakHeap), r.peakFile)
	p("largest    growth %s, during %s\n", mb(r.biggestGrowth), r.growthFile)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	p("live heap  %s before the first file, %s after the last (a leak shows here)\n", mb(r.firstLive), mb(ms.HeapAlloc))
	p("wall time  %s\n", time.Since(r.start).Round(10*time.Millisecond))
	if len(r.failures) > 0 {
		p("FAIL: %d failures (panics, hangs, memory)\n", len(r.failures))
	} else {
		p("OK: no panics, hangs or memory failures\n")
	}
}
