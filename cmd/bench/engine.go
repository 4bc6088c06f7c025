//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"runtime/trace"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/mmcdole/gofeed"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/store"
)

// cycleResult is what one measured run reports: a check cycle of the
// engine, or the gofeed-only floor.
type cycleResult struct {
	Wall, CPU, User, Sys time.Duration
	PeakRSS              int64 // bytes: VmHWM, reset just before the measured part
	PeakHeap             int64 // bytes: Go heap objects, sampled every 5 ms
	RSSAfter             int64 // bytes: VmRSS at the end
	Fetched, NotModified int
	Failed               int
	NewArticles          int
	NewMatches           int
	Items                int // floor: items parsed
	PagesRead            int // article pages read for their full text
	PagesMissed          int
	FirstError           string
	Server               serverStats // filled in by the parent
	Other                float64     // cores other processes used meanwhile (parent)
	// Stories: articles given stories, and of those the ones decided
	// inside the write lock (see store.StoryDrafts).
	StoryAssigned, StoryInLock int64
}

// engineMain runs one check cycle on the store in -data, in this fresh
// process, and prints its cycleResult as JSON.
func engineMain(args []string) {
	fs := flag.NewFlagSet("engine", flag.ExitOnError)
	data := fs.String("data", "", "")
	cpuprofile := fs.String("cpuprofile", "", "")
	traceFile := fs.String("trace", "", "")
	noStories := fs.Bool("nostories", false, "") // see stories.go
	fs.Parse(args)
	st, err := store.Open(*data)
	if err != nil {
		fatal(err)
	}
	if *noStories {
		st.WithoutStories()
	}
	svc := monitor.New(monitor.Config{Store: st, WithoutStories: *noStories})
	ctx := context.Background()

	var res cycleResult
	m := startMeasure()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer f.Close()
	}
	if *traceFile != "" {
		f, err := os.Create(*traceFile)
		if err != nil {
			fatal(err)
		}
		trace.Start(f)
		defer f.Close()
	}
	ev, err := svc.Check(ctx, monitor.CheckOptions{})
	if *cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	if *traceFile != "" {
		trace.Stop()
	}
	m.stop(&res)
	if err != nil {
		fatal(err)
	}
	for _, r := range ev.Feeds {
		switch {
		case !r.Err.IsZero():
			res.Failed++
			if res.FirstError == "" {
				res.FirstError = r.Feed.URL + ": " + r.Err.String()
			}
		case r.NotModified:
			res.NotModified++
		case r.Skipped.IsZero():
			res.Fetched++
		}
		res.NewMatches += r.NewMatches
	}
	res.NewArticles = ev.NewArticles
	res.StoryAssigned, res.StoryInLock = st.StoryDrafts()
	if ev.Pages != nil {
		res.PagesRead, res.PagesMissed = ev.Pages.Read, ev.Pages.Missed
	}
	svc.Close()
	json.NewEncoder(os.Stdout).Encode(res)
}

// floorMain parses the same bodies with gofeed alone, nothing else: one
// goroutine, or -workers goroutines sharing the bodies.
func floorMain(args []string) {
	fs := flag.NewFlagSet("floor", flag.ExitOnError)
	spec := specFlags(fs)
	workers := fs.Int("workers", 1, "")
	fs.Parse(args)
	bodies := generate(spec())
	runtime.GC()

	var res cycleResult
	var itemCount, failed int64
	var mu sync.Mutex
	next := make(chan []byte, len(bodies))
	for _, fb := range bodies {
		next <- fb.Versions[0].Plain
	}
	close(next)
	m := startMeasure()
	var wg sync.WaitGroup
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var n, bad int64
			for body := range next {
				f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
				if err != nil {
					bad++
					continue
				}
				n += int64(len(f.Items))
			}
			mu.Lock()
			itemCount += n
			failed += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	m.stop(&res)
	res.Items, res.Failed, res.Fetched = int(itemCount), int(failed), len(bodies)
	json.NewEncoder(os.Stdout).Encode(res)
}

// measure takes the process's wall and CPU time, peak RSS and sampled
// peak heap over a stretch of work.
type measure struct {
	start    time.Time
	ru       syscall.Rusage
	done     chan struct{}
	wg       sync.WaitGroup
	peakHeap int64
}

func startMeasure() *measure {
	runtime.GC()
	resetPeakRSS()
	m := &measure{done: make(chan struct{})}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := int64(sample[0].Value.Uint64()); v > m.peakHeap {
				m.peakHeap = v
			}
			select {
			case <-m.done:
				return
			case <-t.C:
			}
		}
	}()
	syscall.Getrusage(syscall.RUSAGE_SELF, &m.ru)
	m.start = time.Now()
	return m
}

func (m *measure) stop(res *cycleResult) {
	res.Wall = time.Since(m.start)
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	close(m.done)
	m.wg.Wait()
	res.User = tv(ru.Utime) - tv(m.ru.Utime)
	res.Sys = tv(ru.Stime) - tv(m.ru.Stime)
	res.CPU = res.User + res.Sys
	res.PeakHeap = m.peakHeap
	res.PeakRSS = statusKB("/proc/self/status", "VmHWM") * 1024
	res.RSSAfter = statusKB("/proc/self/status", "VmRSS") * 1024
}

func tv(t syscall.Timeval) time.Duration {
	return time.Duration(t.Sec)*time.Second + time.Duration(t.Usec)*time.Microsecond
}

// processCPU is this process's user+system time so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return tv(ru.Utime) + tv(ru.Stime)
}

// resetPeakRSS sets VmHWM to the current RSS (Linux 4.0 and later), so
// the peak that follows is the measured work's.
func resetPeakRSS() {
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// statusKB reads a "Name:   123 kB" line of a /proc/.../status file.
func statusKB(path, name string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && k == name {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// runChild runs this program with args in a fresh process and decodes
// the JSON it prints into out. It returns the child's CPU time.
func runChild(out any, args ...string) (time.Duration, error) {
	cmd := exec.Command(selfPath(), args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("%s: %v\n%s", args[0], err, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		return 0, fmt.Errorf("%s: %v: %q", args[0], err, stdout.String())
	}
	return childCPU(cmd), nil
}

// childCPU is the user+system time of a process that has been waited for.
func childCPU(cmd *exec.Cmd) time.Duration {
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return tv(ru.Utime) + tv(ru.Stime)
	}
	return 0
}

func selfPath() string {
	p, err := os.Executable()
	if err != nil {
		fatal(err)
	}
	return p
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}
