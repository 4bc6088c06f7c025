// Command corpus runs every file of a feed corpus through Newswatch's real
// pipeline — fetch over loopback HTTP, charset decoding, gofeed parse,
// normalization, topic matching — and prints a summary. It checks that no
// real-world or peer-suite feed makes Newswatch panic, hang or use
// unbounded memory; a feed Newswatch refuses with a clear error is not a
// failure.
//
// Usage:
//
//	go run ./cmd/corpus [-timeout 10s] [-maxheap 512] [-v] [DIR...]
//
// DIR defaults to ../shared/corpus. Every regular file with the extension
// .xml .rss .rdf .atom .json .opml .html .htm .txt, or none, is served by
// one httptest.Server with the HTTP headers its test suite simulates (the
// `Header:` lines of feedparser's test files, Apache .htaccess files such
// as the W3C feed validator's), fetched with feed.Fetcher, parsed with
// feed.Parse and matched against a fixed set of topics. Files run one at a
// time, each in its own goroutine: a panic, a file that takes more than
// twice the timeout, or a heap above -maxheap MB is a failure, and the exit
// status is 1.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/feed"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// topics are the queries every item is matched against, named by
// themselves.
var topics = []string{
	`Ukraine`,
	`Nordkorea OR Pjöngjang OR "North Korea" OR Pyongyang`,
	`"Sergej Lawrow" OR Lavrov`,
	`EU -Fußball`,
	`*ukraine`,
	`/p(j|y)(oe|o)ng ?(j|y)ang/`,
	`title:(Kiew OR Kyiv OR Selenskyj OR Zelensky)`,
}

var feedExts = map[string]bool{
	".xml": true, ".rss": true, ".rdf": true, ".atom": true, ".json": true,
	".opml": true, ".html": true, ".htm": true, ".txt": true, "": true,
}

func main() {
	timeout := flag.Duration("timeout", 10*time.Second, "fetch timeout per file; a file taking twice as long is a hang")
	maxHeapMB := flag.Int("maxheap", 512, "heap limit in MB; a heap above it is a failure")
	verbose := flag.Bool("v", false, "print one line per file")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: corpus [-timeout 10s] [-maxheap 512] [-v] [DIR...]\n\n"+
			"Runs every feed file under DIR (default ../shared/corpus) through Newswatch's\n"+
			"fetch, charset, parse, normalize and topic-matching pipeline.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	dirs := flag.Args()
	if len(dirs) == 0 {
		dirs = []string{"../shared/corpus"}
	}
	if *timeout <= 0 || *maxHeapMB <= 0 {
		fmt.Fprintln(os.Stderr, "corpus: -timeout and -maxheap must be positive")
		os.Exit(2)
	}
	r := &runner{
		timeout: *timeout,
		maxHeap: uint64(*maxHeapMB) << 20,
		verbose: *verbose,
		out:     os.Stdout,
	}
	code, err := r.run(dirs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(2)
	}
	os.Exit(code)
}

// runner holds a run's settings and what it found.
type runner struct {
	timeout time.Duration
	maxHeap uint64
	verbose bool
	out     io.Writer

	set     *query.Set
	fetcher *feed.Fetcher
	mem     *memWatch
	// processFn handles one file: process, or a stand-in in tests.
	processFn func(context.Context, *corpusFile) outcome

	start    time.Time
	files    []*corpusFile
	done     int // files started
	parsed   int
	items    int
	matches  int
	perTopic []int
	formats  map[string]int
	refused  map[feed.Kind]map[string]*refusal
	nRefused int
	failures []failure
	oddText  []oddText
	news     []newsLine

	peakHeap      uint64
	peakFile      string
	biggestGrowth uint64
	growthFile    string
	aborted       bool
	heapStuck     bool   // the heap stayed above the limit between files
	firstLive     uint64 // the live heap before the first file
	lastLive      uint64 // the live heap after the last forced collection
}

type refusal struct {
	count   int
	example string // the first file refused this way
}

type failure struct {
	kind   string // PANIC, HANG, MEMORY
	path   string
	detail string
	stack  string
}

// oddText is a parsed file whose text looks wrongly decoded.
type oddText struct {
	path, what, sample string
	items              int
}

// newsLine is what a human should eyeball for a file of the news folder.
type newsLine struct {
	path                          string
	items, undated, nolink, odd   int
	firstTitle, firstDate, refuse string
}

// outcome is what processing one file produced.
type outcome struct {
	items      int
	perTopic   []int
	format     string
	err        error
	panicVal   any
	stack      []byte
	firstTitle string
	firstDate  time.Time
	undated    int
	nolink     int
	odd        map[string]int    // kind of odd text -> items
	oddSample  map[string]string // kind -> an example
}

func (r *runner) run(dirs []string) (int, error) {
	r.start = time.Now()
	var qs []*query.Query
	for _, t := range topics {
		q, err := query.Parse(t)
		if err != nil {
			return 0, fmt.Errorf("topic %q: %w", t, err)
		}
		qs = append(qs, q)
	}
	r.set = query.NewSet(qs)
	r.perTopic = make([]int, len(topics))
	r.formats = map[string]int{}
	r.refused = map[feed.Kind]map[string]*refusal{}

	srv := &server{files: map[string]*corpusFile{}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	ht := &htaccessCache{dirs: map[string]*htaccess{}}
	for i, dir := range dirs {
		if err := r.collect(i, dir, ts.URL, srv, ht); err != nil {
			return 0, err
		}
	}
	if len(r.files) == 0 {
		return 0, fmt.Errorf("no feed files under %s", strings.Join(dirs, ", "))
	}

	r.fetcher = feed.NewFetcher(nil, "Newswatch-corpus")
	r.fetcher.Timeout = r.timeout
	if r.processFn == nil {
		r.processFn = r.process
	}
	r.mem = newMemWatch(4 * r.maxHeap)
	defer r.mem.stop()

	for _, f := range r.files {
		if !r.runFile(f) {
			r.aborted = true
			break
		}
	}
	r.summary(dirs)
	if len(r.failures) > 0 {
		return 1, nil
	}
	return 0, nil
}

// collect walks dir and registers every feed file with the server.
func (r *runner) collect(idx int, dir, base string, srv *server, ht *htaccessCache) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "LICENSES" {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || skipFile(d.Name()) {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		head, err := readHead(path, 8192)
		if err != nil {
			return err
		}
		segs := strings.Split(filepath.ToSlash(rel), "/")
		for i, s := range segs {
			segs[i] = url.PathEscape(s)
		}
		urlPath := "/" + strconv.Itoa(idx) + "/" + strings.Join(segs, "/")
		f := &corpusFile{Path: path, URL: base + urlPath, Header: responseHeader(path, head, ht)}
		// The server looks files up by the decoded path.
		u, err := url.Parse(f.URL)
		if err != nil {
			return err
		}
		srv.add(u.Path, f)
		r.files = append(r.files, f)
		return nil
	})
}

func skipFile(name string) bool {
	for _, p := range []string{"MANIFEST", "README", "LICENSE", "BASELINE"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	for _, s := range []string{".expected", ".tsv", ".md"} {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return name == ".htaccess" || !feedExts[strings.ToLower(filepath.Ext(name))]
}

func readHead(path string, n int) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	buf := make([]byte, n)
	m, err := io.ReadFull(fh, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:m], nil
}

// runFile processes one file in its own goroutine and records the
// outcome. It returns false when the run must stop (the heap ran away).
func (r *runner) runFile(f *corpusFile) bool {
	r.done++
	// Collect the garbage of earlier files once it is a sizeable part of
	// the heap, so that a file's growth is measured from about the live
	// heap (a collection before every file would double the run time).
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	if r.done == 1 || before.HeapAlloc > 2*r.lastLive+(1<<20) {
		runtime.GC()
		runtime.ReadMemStats(&before)
		r.lastLive = before.HeapAlloc
		if r.done == 1 {
			r.firstLive = before.HeapAlloc
		}
	}
	r.mem.reset(before.HeapAlloc)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan outcome, 1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				done <- outcome{panicVal: v, stack: debug.Stack()}
			}
		}()
		done <- r.processFn(ctx, f)
	}()

	var (
		res     outcome
		hung    bool
		runaway bool
	)
	timer := time.NewTimer(2 * r.timeout)
	select {
	case res = <-done:
	case <-timer.C:
		hung = true
	case <-r.mem.over:
		runaway = true
	}
	timer.Stop()

	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	peak := max(r.mem.peak(), after.HeapAlloc)
	if peak > r.peakHeap {
		r.peakHeap, r.peakFile = peak, f.Path
	}
	if peak > before.HeapAlloc && peak-before.HeapAlloc > r.biggestGrowth {
		r.biggestGrowth, r.growthFile = peak-before.HeapAlloc, f.Path
	}
	switch {
	case before.HeapAlloc > r.maxHeap:
		// Not this file's doing: memory an earlier (hung) file still holds.
		if !r.heapStuck {
			r.heapStuck = true
			r.fail("MEMORY", f.Path, fmt.Sprintf("heap already at %s (limit %s) before this file: an earlier "+
				"file's memory was not released; later files are not checked against the limit", mb(before.HeapAlloc), mb(r.maxHeap)), "")
		}
	case peak > r.maxHeap && !runaway:
		r.fail("MEMORY", f.Path, fmt.Sprintf("heap reached %s (limit %s; %s before the file)",
			mb(peak), mb(r.maxHeap), mb(before.HeapAlloc)), "")
		if !hung && res.panicVal == nil {
			return true // a failure, not also a parsed or refused file
		}
	}

	switch {
	case runaway:
		stack := goroutines(hungGoroutine) // before cancel moves it on
		cancel()
		r.fail("MEMORY", f.Path, fmt.Sprintf("heap above %s while the file was processed; the run was stopped "+
			"because the goroutine cannot be stopped", mb(4*r.maxHeap)), stack)
		return false
	case hung:
		stack := goroutines(hungGoroutine)
		cancel()
		r.fail("HANG", f.Path, fmt.Sprintf("not finished after %s (2 × the timeout); left running", 2*r.timeout), stack)
		return true
	case res.panicVal != nil:
		r.fail("PANIC", f.Path, fmt.Sprint(res.panicVal), string(res.stack))
		return true
	}
	r.record(f, res)
	return true
}

func (r *runner) fail(kind, path, detail, stack string) {
	r.failures = append(r.failures, failure{kind: kind, path: path, detail: detail, stack: stack})
	if r.verbose {
		fmt.Fprintf(r.out, "%s  %s: %s\n", kind, path, detail)
	}
}

// process is exactly what the engine does for one feed (monitor/check.go,
// checkFeed and topicSet.match): fetch, parse, prepare each item, match
// all topics, release. runFile recovers its panics.
func (r *runner) process(ctx context.Context, f *corpusFile) (res outcome) {
	resp, err := r.fetcher.Fetch(ctx, feed.Request{URL: f.URL})
	if err != nil {
		res.err = err
		return res
	}
	if resp.NotModified {
		res.err = errors.New("the server answered 304 Not Modified to a request without validators")
		return res
	}
	parsed, err := feed.Parse(resp.Body, resp.FinalURL)
	if err != nil {
		res.err = err
		return res
	}
	res.format = parsed.Format
	res.items = len(parsed.Items)
	res.perTopic = make([]int, len(topics))
	name := parsed.Title // Feed.DisplayName: the user's name, else the title, else the URL
	if name == "" {
		name = f.URL
	}
	for i := range parsed.Items {
		it := &parsed.Items[i]
		p := query.Prepare(query.Doc{Title: it.Title, Summary: it.Summary, Content: it.Content,
			Author: it.Author, Feed: name, Categories: it.Categories})
		for _, m := range r.set.Match(p) {
			res.perTopic[m.Query]++
		}
		p.Release()

		if i == 0 {
			res.firstTitle, res.firstDate = it.Title, it.Published
		}
		if it.Published.IsZero() {
			res.undated++
		}
		if it.Link == "" {
			res.nolink++
		}
		for _, s := range append([]string{it.Title, it.Summary, it.Content, it.Author}, it.Categories...) {
			if kind, sample := oddness(s); kind != "" {
				if res.odd == nil {
					res.odd, res.oddSample = map[string]int{}, map[string]string{}
				}
				res.odd[kind]++
				if res.oddSample[kind] == "" {
					res.oddSample[kind] = sample
				}
				break
			}
		}
	}
	return res
}

func (r *runner) record(f *corpusFile, res outcome) {
	isNews := inNewsFolder(f.Path)
	if res.err != nil {
		r.nRefused++
		var fe *feed.Error
		kind := feed.Kind(-1) // not a *feed.Error at all
		if errors.As(res.err, &fe) {
			kind = fe.Kind
		}
		msg := trimMessage(res.err.Error(), f.URL)
		if r.refused[kind] == nil {
			r.refused[kind] = map[string]*refusal{}
		}
		g := r.refused[kind][msg]
		if g == nil {
			g = &refusal{example: f.Path}
			r.refused[kind][msg] = g
		}
		g.count++
		if r.verbose {
			fmt.Fprintf(r.out, "refused  %s: %s\n", f.Path, res.err)
		}
		if isNews {
			r.news = append(r.news, newsLine{path: f.Path, refuse: res.err.Error()})
		}
		return
	}
	r.parsed++
	r.items += res.items
	r.formats[res.format]++
	for i, n := range res.perTopic {
		r.perTopic[i] += n
		r.matches += n
	}
	odd := 0
	for _, kind := range slices.Sorted(maps.Keys(res.odd)) {
		r.oddText = append(r.oddText, oddText{path: f.Path, what: kind, items: res.odd[kind], sample: res.oddSample[kind]})
		odd += res.odd[kind]
	}
	if r.verbose {
		fmt.Fprintf(r.out, "ok  %d items  %s\n", res.items, f.Path)
	}
	if isNews {
		nl := newsLine{path: f.Path, items: res.items, undated: res.undated, nolink: res.nolink, odd: odd,
			firstTitle: res.firstTitle}
		if !res.firstDate.IsZero() {
			nl.firstDate = res.firstDate.Format("2006-01-02 15:04Z")
		}
		r.news = append(r.news, nl)
	}
}

// inNewsFolder reports whether a folder named "news" holds path.
func inNewsFolder(path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return slices.Contains(strings.Split(filepath.ToSlash(filepath.Dir(abs)), "/"), "news")
}

// trimMessage takes the file-specific parts out of a refusal message so
// that the same problem in different files is counted together.
func trimMessage(msg, fileURL string) string {
	if u, err := url.Parse(fileURL); err == nil {
		server := regexp.MustCompile(regexp.QuoteMeta(u.Scheme+"://"+u.Host) + `(/[^\s"')]*[^\s"').,;])?`)
		msg = server.ReplaceAllString(msg, "<loopback URL>")
	}
	return lineCol.ReplaceAllString(msg, "$1 N")
}

// memWatch samples the heap every 5 ms, so a spike inside a long
// file is seen, not only the heap before and after it.
type memWatch struct {
	max    atomic.Uint64
	over   chan struct{} // closed when the heap passes hard
	hard   uint64
	quit   chan struct{}
	closed sync.Once
	wg     sync.WaitGroup
}

const heapMetric = "/memory/classes/heap/objects:bytes" // = MemStats.HeapAlloc

func newMemWatch(hard uint64) *memWatch {
	m := &memWatch{over: make(chan struct{}), hard: hard, quit: make(chan struct{})}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		sample := []metrics.Sample{{Name: heapMetric}}
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-m.quit:
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				return
			}
			v := sample[0].Value.Uint64()
			for {
				old := m.max.Load()
				if v <= old || m.max.CompareAndSwap(old, v) {
					break
				}
			}
			if v > m.hard {
				m.closed.Do(func() { close(m.over) })
			}
		}
	}()
	return m
}

func (m *memWatch) reset(v uint64) { m.max.Store(v) }
func (m *memWatch) peak() uint64   { return m.max.Load() }
func (m *memWatch) stop()          { close(m.quit); m.wg.Wait() }

// hungGoroutine marks the stack of a goroutine runFile started (package
// main is named by its import path in stack traces).
const hungGoroutine = ".(*runner).runFile in goroutine"

// goroutines returns the stacks of the goroutines whose trace contains
// marker.
func goroutines(marker string) string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var out []string
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		if bytes.Contains(g, []byte(marker)) {
			out = append(out, string(g))
		}
	}
	return strings.Join(out, "\n\n")
}

func mb(n uint64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }
