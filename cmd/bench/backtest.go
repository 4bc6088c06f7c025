//go:build linux

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"codeberg.org/newswatch/newswatch/internal/newsgen"
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/feed"
	"codeberg.org/newswatch/newswatch/monitor/store"
)

// storeNotes say where the generated stores of this run came from.
var storeNotes []string

func addStoreNote(s string) {
	if !slices.Contains(storeNotes, s) {
		storeNotes = append(storeNotes, s)
	}
}

// backtestQueries are the queries timed over the large stores.
var backtestQueries = []string{
	`Ukraine (Waffen OR Munition) -Fußball`,
	`Nordkorea OR Pjöngjang OR "North Korea"`,
	`"Sergej Lawrow"`,
	`*ukraine`,
	`/ukrain(e|ian)/`,
}

type backtestResult struct {
	Size     int
	Query    string
	First    time.Duration // first call on a freshly opened store and service, the file in the OS cache
	Cold     time.Duration // the same after the file was dropped from the OS cache (first query of a size only)
	Repeated time.Duration // median of the following calls
	Calls    int
	Scanned  int
	Total    int
	Other    float64 // cores other processes used meanwhile
}

// backtestStoreDir returns the directory of a cached store holding n
// generated articles, building it first if needed. A build that did not
// finish is started again.
func backtestStoreDir(cache string, n int) (string, error) {
	dir := filepath.Join(cache, fmt.Sprintf("backtest-%d-v%d", n, store.SchemaVersion))
	if fi, err := os.Stat(filepath.Join(dir, "complete")); err == nil {
		note := fmt.Sprintf("The store of %s articles came from the cache (%s, made %s", thousands(n), dir, fi.ModTime().Format("2006-01-02 15:04"))
		if b, _ := os.ReadFile(filepath.Join(dir, "complete")); len(b) > 0 {
			note += ", " + strings.TrimSpace(string(b))
		}
		addStoreNote(note + ").")
		return dir, nil
	}
	os.RemoveAll(dir)
	start := time.Now()
	progress("building a store of %s articles in %s (kept for later runs)", thousands(n), dir)
	st, err := store.Open(dir)
	if err != nil {
		return "", err
	}
	if err := fillStore(st, n); err != nil {
		st.Close()
		return "", err
	}
	// A database in use has its *infix vocabulary: the first *infix
	// backtest ever takes it (timed on its own in runBacktests).
	if _, err := st.BuildVocabulary(context.Background()); err != nil {
		st.Close()
		return "", err
	}
	if err := st.Close(); err != nil {
		return "", err
	}
	took := time.Since(start).Round(time.Second)
	progress("built the store of %s articles in %s", thousands(n), took)
	addStoreNote(fmt.Sprintf("The store of %s articles was built in this run, in %s.", thousands(n), took))
	return dir, os.WriteFile(filepath.Join(dir, "complete"), []byte(fmt.Sprintf("built in %s\n", took)), 0o600)
}

// fillStore stores n generated articles, 500 per feed, one SaveFetch per
// feed, as monitor/backtest_bench_test.go does (same seed, same shape).
// The stories are generated on another goroutine while the previous
// batch is written.
func fillStore(st *store.Store, n int) error {
	ctx := context.Background()
	const perFeed = 500
	now := time.Now().UTC()
	type batch struct {
		f    int
		arts []monitor.Article
	}
	batches := make(chan batch, 4)
	go func() {
		g := newsgen.New(7)
		for f := 0; f*perFeed < n; f++ {
			b := batch{f: f}
			for i := 0; i < perFeed && f*perFeed+i < n; i++ {
				k := f*perFeed + i
				s := g.Story(now.Add(-time.Duration(k) * time.Minute))
				b.arts = append(b.arts, monitor.Article{Key: fmt.Sprintf("guid:%d", k),
					Link: fmt.Sprintf("https://feed%d.example/%d", f, k), Title: s.Title, Summary: feed.HTMLToText(s.Summary),
					Content: feed.HTMLToText(s.Content), Author: s.Author, Categories: s.Categories,
					Published: s.Published, PublishedKnown: true, FirstSeen: s.Published})
			}
			batches <- b
		}
		close(batches)
	}()
	start, lastReport := time.Now(), time.Now()
	done := 0
	// Checkpoints of (articles stored, seconds elapsed) for the estimate.
	var marks [][2]float64
	for b := range batches {
		fd := monitor.Feed{URL: fmt.Sprintf("https://feed%d.example/rss", b.f), Title: fmt.Sprintf("Feed %d", b.f), Enabled: true, Added: now}
		if err := st.AddFeed(ctx, &fd); err != nil {
			return err
		}
		fd.LastFetch = now
		for i := range b.arts {
			b.arts[i].FeedID, b.arts[i].FeedName = fd.ID, fd.Title
		}
		if _, err := st.SaveFetch(ctx, monitor.FetchResult{Feed: fd, Articles: b.arts}); err != nil {
			return err
		}
		done += len(b.arts)
		el := time.Since(start).Seconds()
		marks = append(marks, [2]float64{float64(done), el})
		if time.Since(lastReport) > 15*time.Second || done == n {
			lastReport = time.Now()
			progress("  %s of %s articles stored (%.0f%%), %s elapsed, about %s to go",
				thousands(done), thousands(n), 100*float64(done)/float64(n), secs(time.Since(start).Round(time.Second)),
				secs(buildETA(marks, float64(n)).Round(time.Second)))
		}
	}
	return nil
}

// buildETA estimates the rest of a store build from its checkpoints. The
// time per article may grow with the store (a store whose inserts scan
// it): with cost a+b·x for the article at x, the elapsed time is
// T(d) = a·d + b·d²/2; a and b are fitted through the latest checkpoint
// and the one at about half of it, and T(n)-T(d) is the estimate.
func buildETA(marks [][2]float64, n float64) time.Duration {
	if len(marks) == 0 {
		return 0
	}
	d2, t2 := marks[len(marks)-1][0], marks[len(marks)-1][1]
	d1, t1 := 0.0, 0.0
	for _, m := range marks {
		if m[0] <= d2/2 {
			d1, t1 = m[0], m[1]
		}
	}
	a, b := t2/d2, 0.0
	if d1 > 0 {
		// Solve a·d + b·d²/2 = t at both points.
		b = 2 * (t2/d2 - t1/d1) / (d2 - d1)
		if b < 0 {
			b = 0
		}
		a = t2/d2 - b*d2/2
		if a < 0 {
			a, b = 0, 2*t2/(d2*d2)
		}
	}
	total := a*n + b*n*n/2
	return time.Duration((total - t2) * float64(time.Second))
}

// timeVocabulary times taking the *infix vocabulary of the store anew,
// which the first *infix backtest on a database does once.
func timeVocabulary(dir string, n int) error {
	st, err := store.OpenFile(filepath.Join(dir, store.FileName))
	if err != nil {
		return err
	}
	defer st.Close()
	waitQuiet("the vocabulary")
	t := time.Now()
	words, err := st.BuildVocabulary(context.Background())
	if err != nil {
		return err
	}
	took := time.Since(t)
	progress("vocabulary of %s articles: %s words in %s", thousands(n), thousands(words), secs(took.Round(time.Millisecond)))
	addStoreNote(fmt.Sprintf("Taking the *infix vocabulary of the store of %s articles (%s words), which the first *infix "+
		"backtest on a database does once (it is kept in the database and refreshed in the background), took %s.",
		thousands(n), thousands(words), secs(took.Round(time.Millisecond))))
	return nil
}

// runBacktests times every query over a store of each size: the first
// call on a freshly opened store and service, then repeated calls.
func runBacktests(cfg *config) ([]backtestResult, error) {
	var out []backtestResult
	for _, n := range cfg.backtest {
		dir, err := backtestStoreDir(cfg.cache, n)
		if err != nil {
			return nil, err
		}
		dbFile := filepath.Join(dir, store.FileName)
		// The first call with the database out of the OS file cache, as
		// after a reboot; everything after it with the file in the cache,
		// as on a desktop that has been running (read once here: this
		// machine's cache may have dropped it since it was written).
		cold, err := coldBacktest(dbFile, backtestQueries[0])
		if err != nil {
			return nil, err
		}
		if err := readThrough(dbFile); err != nil {
			return nil, err
		}
		if err := timeVocabulary(dir, n); err != nil {
			return nil, err
		}
		for qi, q := range backtestQueries {
			st, err := store.OpenFile(dbFile)
			if err != nil {
				return nil, err
			}
			svc := monitor.New(monitor.Config{Store: st})
			ctx := context.Background()
			res := backtestResult{Size: n, Query: q}
			if qi == 0 {
				res.Cold = cold
			}
			waitQuiet("a backtest")
			w, cpu0 := watchLoad(), processCPU()
			var prof *os.File
			if cfg.backtestProfile != "" {
				if prof, err = os.Create(fmt.Sprintf("%s-%d-q%d.prof", cfg.backtestProfile, n, qi+1)); err != nil {
					return nil, err
				}
				pprof.StartCPUProfile(prof)
			}
			t := time.Now()
			bt, err := svc.Backtest(ctx, q, monitor.BacktestOptions{Limit: 20})
			res.First = time.Since(t)
			if err != nil {
				pprof.StopCPUProfile()
				st.Close()
				return nil, fmt.Errorf("backtest %s: %w", q, err)
			}
			res.Scanned, res.Total = bt.Scanned, bt.Total
			var times []time.Duration
			for start := time.Now(); len(times) < 3 || (time.Since(start) < cfg.matchTime && len(times) < 10); {
				t := time.Now()
				if _, err := svc.Backtest(ctx, q, monitor.BacktestOptions{Limit: 20}); err != nil {
					pprof.StopCPUProfile()
					st.Close()
					return nil, err
				}
				times = append(times, time.Since(t))
			}
			st.Close()
			if prof != nil {
				pprof.StopCPUProfile()
				prof.Close()
			}
			res.Other = w.other("backtest", processCPU()-cpu0)
			slices.Sort(times)
			res.Repeated, res.Calls = times[len(times)/2], len(times)
			progress("backtest over %s: %-42s first %s, repeated %s, %s candidates, %s matches",
				thousands(n), q, secs(res.First), secs(res.Repeated), thousands(res.Scanned), thousands(res.Total))
			out = append(out, res)
		}
	}
	return out, nil
}

// coldBacktest times the first backtest of q on a freshly opened store
// whose file is not in the OS file cache (as after a reboot): the file's
// cached pages are dropped first (posix_fadvise DONTNEED).
func coldBacktest(dbFile, q string) (time.Duration, error) {
	if err := dropFromCache(dbFile); err != nil {
		return 0, err
	}
	st, err := store.OpenFile(dbFile)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	svc := monitor.New(monitor.Config{Store: st})
	waitQuiet("a backtest with the database out of the OS file cache")
	t := time.Now()
	if _, err := svc.Backtest(context.Background(), q, monitor.BacktestOptions{Limit: 20}); err != nil {
		return 0, fmt.Errorf("backtest %s: %w", q, err)
	}
	took := time.Since(t)
	progress("backtest with the database out of the OS file cache: %s first %s", q, secs(took))
	return took, nil
}

// dropFromCache asks the kernel to drop the file's pages from its cache.
func dropFromCache(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil { // dirty pages are not dropped
		return err
	}
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		return fmt.Errorf("posix_fadvise %s: %w", path, err)
	}
	return nil
}

// readThrough reads the whole file once, which puts it in the OS cache.
func readThrough(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(io.Discard, f)
	return err
}

// thousands writes n with thousands separators: 1,000,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
