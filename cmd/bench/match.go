//go:build linux

package main

import (
	"fmt"
	"runtime"
	"slices"
	"time"

	"codeberg.org/newswatch/newswatch/internal/newsgen"
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/feed"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

type matchResult struct {
	Topics  int
	PerPass time.Duration // median time of one pass over all articles
	Passes  int
	Matches int
	MBps    float64
	Other   float64 // cores other processes used meanwhile
}

type matchRuns struct {
	Articles  int
	TextBytes int64
	Results   []matchResult
}

// articleDocs turns the cold cycle's bodies into the articles the engine
// stores (feed.Parse normalizes them exactly as in a check) and their
// match documents.
func articleDocs(bodies []*feedBody, ports []int) ([]query.Doc, int64, error) {
	var docs []query.Doc
	var size int64
	for i, fb := range bodies {
		p, err := feed.Parse(fb.Versions[0].Plain, feedURL(ports, i))
		if err != nil {
			return nil, 0, fmt.Errorf("feed %d: %w", i, err)
		}
		for _, it := range p.Items {
			a := monitor.Article{FeedName: p.Title, Title: it.Title, Summary: it.Summary, Content: it.Content,
				Author: it.Author, Categories: it.Categories}
			d := a.Doc()
			docs = append(docs, d)
			size += int64(len(d.Title) + len(d.Summary) + len(d.Content) + len(d.Author) + len(d.Feed))
			for _, c := range d.Categories {
				size += int64(len(c))
			}
		}
	}
	return docs, size, nil
}

// runMatching matches the articles against 1, 10 and 100 topics on one
// core: each article is prepared (folded) once and matched against the
// whole set, as the engine does. The three sets take turns, pass by pass,
// so that a slower stretch of the machine affects them alike; each one's
// median pass is reported.
func runMatching(cfg *config, bodies []*feedBody) (*matchRuns, error) {
	docs, size, err := articleDocs(bodies, []int{80})
	if err != nil {
		return nil, err
	}
	out := &matchRuns{Articles: len(docs), TextBytes: size}
	old := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(old)
	sizes := []int{1, 10, 100}
	sets := make([]*query.Set, len(sizes))
	for k, n := range sizes {
		var qs []*query.Query
		for _, t := range newsgen.Topics(n) {
			q, err := query.Parse(t[1])
			if err != nil {
				return nil, fmt.Errorf("topic %q: %w", t[1], err)
			}
			qs = append(qs, q)
		}
		sets[k] = query.NewSet(qs)
	}
	pass := func(set *query.Set) int {
		matches := 0
		for i := range docs {
			p := query.Prepare(docs[i])
			matches += len(set.Match(p))
			p.Release()
		}
		return matches
	}
	results := make([]matchResult, len(sizes))
	times := make([][]time.Duration, len(sizes))
	for k, n := range sizes {
		results[k].Topics = n
		pass(sets[k]) // warm up
	}
	runtime.GC()
	waitQuiet("matching")
	w, cpu0 := watchLoad(), processCPU()
	for start := time.Now(); len(times[0]) < 5 || (time.Since(start) < 3*cfg.matchTime && len(times[0]) < 50); {
		for k := range sizes {
			t := time.Now()
			results[k].Matches = pass(sets[k])
			times[k] = append(times[k], time.Since(t))
		}
	}
	other := w.other("matching", processCPU()-cpu0)
	for k := range sizes {
		res := &results[k]
		res.Other = other
		slices.Sort(times[k])
		res.PerPass, res.Passes = times[k][len(times[k])/2], len(times[k])
		res.MBps = float64(size) / (1 << 20) / res.PerPass.Seconds()
		progress("matching, %d topic(s): %s per pass over %d articles (%.0f MB/s; passes %s–%s), %d matches",
			res.Topics, secs(res.PerPass), len(docs), res.MBps, secs(times[k][0]), secs(times[k][len(times[k])-1]), res.Matches)
	}
	out.Results = results
	return out, nil
}
