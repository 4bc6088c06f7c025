//go:build linux

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"codeberg.org/newswatch/newswatch/internal/newsgen"
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/store"
)

// cycleKinds are the three measured check cycles, in order.
var cycleKinds = []string{"cold", "warm", "grown"}

// cycleRuns holds every run of each cycle kind and of the floor.
type cycleRuns struct {
	Cycles     map[string][]cycleResult
	Floor1     []cycleResult
	Floor2     []cycleResult
	BodyBytes  int64 // identity bodies, all feeds, version 0
	GzipBytes  int64
	Articles   int
	Newsboat   *newsboatResult
	NewsboatNo string                   // why newsboat was not run
	NoStories  map[string][]cycleResult // the cycles without stories (stories.go)
}

// median returns the result with the median wall time.
func median(rs []cycleResult) cycleResult {
	s := slices.Clone(rs)
	slices.SortFunc(s, func(a, b cycleResult) int { return int(a.Wall - b.Wall) })
	return s[len(s)/2]
}

func wallRange(rs []cycleResult) string {
	if len(rs) < 2 {
		return ""
	}
	lo, hi := rs[0].Wall, rs[0].Wall
	for _, r := range rs {
		lo, hi = min(lo, r.Wall), max(hi, r.Wall)
	}
	return fmt.Sprintf(" (%d runs: %s–%s)", len(rs), secs(lo), secs(hi))
}

// benchTopics are the three topics the check cycles match.
func benchTopics() [][2]string { return newsgen.Topics(3) }

// setupCycleStore makes a store with the feeds and topics of the check
// cycle, in dir; each run starts from a copy of it.
func setupCycleStore(dir string, urls []string) error {
	os.RemoveAll(dir)
	st, err := store.Open(dir)
	if err != nil {
		return err
	}
	svc := monitor.New(monitor.Config{Store: st})
	ctx := context.Background()
	for _, u := range urls {
		f, err := svc.AddFeed(ctx, u, monitor.AddFeedOptions{})
		if err == nil {
			// Reading article pages is measured in its own section
			// (fulltext.go); the generated stories link to hosts that do
			// not exist, whose lookups would time out in the cycle.
			f.FullText = monitor.FullTextOff
			err = svc.UpdateFeed(ctx, f)
		}
		if err != nil {
			svc.Close()
			return err
		}
	}
	for _, t := range benchTopics() {
		if _, err := svc.AddTopic(ctx, monitor.Topic{Name: t[0], Query: t[1], Enabled: true, Notify: true}); err != nil {
			svc.Close()
			return err
		}
	}
	return svc.Close()
}

// copyDir copies the regular files of src into a new dst.
func copyDir(src, dst string) error {
	os.RemoveAll(dst)
	if err := os.MkdirAll(dst, 0o700); err != nil {
		return err
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// runCycles measures the check cycles, the floor and newsboat against one
// feed server process.
func runCycles(cfg *config, spec genSpec, bodies []*feedBody) (*cycleRuns, error) {
	out := &cycleRuns{Cycles: map[string][]cycleResult{}}
	for _, fb := range bodies {
		out.BodyBytes += int64(len(fb.Versions[0].Plain))
		out.GzipBytes += int64(len(fb.Versions[0].Gzip))
		out.Articles += fb.ItemCount
	}
	progress("starting the feed server (%d feeds on %d ports)", spec.Feeds, cfg.ports(spec.Feeds))
	srv, err := startServer(spec, cfg.ports(spec.Feeds))
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	urls := make([]string, spec.Feeds)
	for i := range urls {
		urls[i] = feedURL(srv.Ports, i)
	}

	work, err := os.MkdirTemp("", "newswatch-bench-cycles-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	template := filepath.Join(work, "template")
	progress("adding %d feeds and %d topics to a fresh store", len(urls), len(benchTopics()))
	if err := setupCycleStore(template, urls); err != nil {
		return nil, err
	}

	for run := 0; run < cfg.runs; run++ {
		data := filepath.Join(work, fmt.Sprintf("run%d", run))
		if err := copyDir(template, data); err != nil {
			return nil, err
		}
		for _, kind := range cycleKinds {
			phase := 0
			if kind == "grown" {
				phase = 1
			}
			if err := srv.Phase(phase); err != nil {
				return nil, err
			}
			if _, err := srv.Stats(); err != nil { // reset the counters
				return nil, err
			}
			args := []string{"-engine", "-data", data}
			if run == 0 && cfg.cpuprofile != "" {
				// The cold cycle's profile is FILE; the others' FILE-warm, FILE-grown.
				prof := cfg.cpuprofile
				if kind != "cold" {
					prof += "-" + kind
				}
				args = append(args, "-cpuprofile", prof)
			}
			if kind == "cold" && run == 0 && cfg.trace != "" {
				args = append(args, "-trace", cfg.trace)
			}
			waitQuiet(fmt.Sprintf("the %s cycle", kind))
			w := watchLoad()
			var res cycleResult
			cpu, err := runChild(&res, args...)
			if err != nil {
				return nil, err
			}
			if res.Server, err = srv.Stats(); err != nil {
				return nil, err
			}
			res.Other = w.other(kind+" cycle", cpu+time.Duration(res.Server.CPUms)*time.Millisecond)
			progress("run %d, %s cycle: %s wall, %s CPU, %d fetched, %d not modified, %d failed, %d new articles (server CPU %d ms)",
				run+1, kind, secs(res.Wall), secs(res.CPU), res.Fetched, res.NotModified, res.Failed, res.NewArticles, res.Server.CPUms)
			if res.Other >= 0.1 {
				progress("  other processes used %.2f cores meanwhile", res.Other)
			}
			if res.StoryAssigned > 0 {
				progress("  %d articles given stories, %d of them decided inside the write lock", res.StoryAssigned, res.StoryInLock)
			}
			if res.FirstError != "" {
				progress("  first failure: %s", res.FirstError)
			}
			out.Cycles[kind] = append(out.Cycles[kind], res)
		}
		os.RemoveAll(data)
		if err := srv.Phase(0); err != nil {
			return nil, err
		}
	}

	if cfg.section("stories") {
		if err := runNoStoryCycles(cfg, srv, template, work, out); err != nil {
			return nil, err
		}
	}

	for run := 0; run < cfg.runs; run++ {
		for _, workers := range []int{1, 2} {
			waitQuiet("the floor")
			w := watchLoad()
			var res cycleResult
			cpu, err := runChild(&res, append([]string{"-floor", "-workers", fmt.Sprint(workers)}, spec.args()...)...)
			if err != nil {
				return nil, err
			}
			res.Other = w.other("floor", cpu)
			progress("run %d, gofeed floor with %d goroutine(s): %s wall, %s CPU, %d items", run+1, workers, secs(res.Wall), secs(res.CPU), res.Items)
			if workers == 1 {
				out.Floor1 = append(out.Floor1, res)
			} else {
				out.Floor2 = append(out.Floor2, res)
			}
		}
	}

	if cfg.skipNewsboat {
		out.NewsboatNo = "skipped (-skip-newsboat)"
		return out, nil
	}
	nb, why := runNewsboat(cfg, srv, urls, work)
	out.Newsboat, out.NewsboatNo = nb, why
	return out, nil
}

func secs(d time.Duration) string {
	switch {
	case d >= 10*time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
	return fmt.Sprintf("%.0f ms", float64(d.Microseconds())/1000)
}

func mb(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%.0f MB", float64(n)/(1<<20))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.0f KB", float64(n)/1024)
}
