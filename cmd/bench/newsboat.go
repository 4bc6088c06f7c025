//go:build linux

package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// newsboatThreads is newsboat's reload-threads in the benchmark: as many
// feeds at once as Newswatch fetches (monitor.Config.Concurrency's
// default, 8).
const newsboatThreads = 8

type newsboatResult struct {
	Version            string
	Cold, Second, Warm cycleResult
	Items              int // items in newsboat's cache after the cold reload
}

// newsboatBinary finds newsboat, installing it with apt-get when it is
// missing and we are root. The second result says why there is none.
func newsboatBinary() (string, string) {
	if p, err := exec.LookPath("newsboat"); err == nil {
		return p, ""
	}
	if os.Geteuid() != 0 {
		return "", "newsboat is not installed and installing it needs root: sudo apt-get install newsboat"
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return "", "newsboat is not installed and there is no apt-get to install it with"
	}
	progress("installing newsboat with apt-get")
	install := func() error {
		cmd := exec.Command("apt-get", "install", "-y", "--no-install-recommends", "newsboat")
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%v: %s", err, lastLine(string(out)))
		}
		return nil
	}
	if err := install(); err != nil {
		// The package lists may be missing or stale.
		exec.Command("apt-get", "update").Run()
		if err := install(); err != nil {
			return "", "newsboat could not be installed (apt-get install newsboat: " + err.Error() + ")"
		}
	}
	if p, err := exec.LookPath("newsboat"); err == nil {
		return p, ""
	}
	return "", "newsboat is still not on PATH after apt-get install newsboat"
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// runNewsboat reloads the same feeds with newsboat: cold (empty cache),
// a second time, and warm.
func runNewsboat(cfg *config, srv *server, urls []string, work string) (*newsboatResult, string) {
	bin, why := newsboatBinary()
	if bin == "" {
		return nil, why
	}
	res := &newsboatResult{}
	if out, err := exec.Command(bin, "-v").Output(); err == nil {
		res.Version, _, _ = strings.Cut(strings.TrimSpace(string(out)), " - ")
		res.Version, _, _ = strings.Cut(res.Version, "\n")
	}
	dir := filepath.Join(work, "newsboat")
	home := filepath.Join(dir, "home")
	os.MkdirAll(home, 0o700)
	urlFile := filepath.Join(dir, "urls")
	confFile := filepath.Join(dir, "config")
	cacheFile := filepath.Join(dir, "cache.db")
	os.WriteFile(urlFile, []byte(strings.Join(urls, "\n")+"\n"), 0o600)
	conf := fmt.Sprintf("reload-threads %d\ndownload-timeout 60\nshow-read-feeds yes\n", newsboatThreads)
	os.WriteFile(confFile, []byte(conf), 0o600)

	if err := srv.Phase(0); err != nil {
		return nil, err.Error()
	}
	// Newsboat 2.21 stores a feed's validators (ETag, Last-Modified) only
	// once the feed is in its cache, that is from its second reload on:
	// the third reload is the first to ask conditionally.
	for i, kind := range []string{"cold", "second", "warm"} {
		waitQuiet("newsboat")
		if _, err := srv.Stats(); err != nil {
			return nil, err.Error()
		}
		w := watchLoad()
		cmd := exec.Command(bin, "-x", "reload", "-u", urlFile, "-c", cacheFile, "-C", confFile)
		cmd.Env = newsboatEnv(home)
		var outb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &outb, &outb
		start := time.Now()
		err := cmd.Run()
		wall := time.Since(start)
		if err != nil {
			return nil, fmt.Sprintf("newsboat -x reload failed: %v: %s", err, lastLine(outb.String()))
		}
		r := cycleResult{Wall: wall}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.User, r.Sys = tv(ru.Utime), tv(ru.Stime)
			r.CPU = r.User + r.Sys
			r.PeakRSS = ru.Maxrss * 1024
		}
		st, err := srv.Stats()
		if err != nil {
			return nil, err.Error()
		}
		r.Server = st
		r.Other = w.other("newsboat", r.CPU+time.Duration(st.CPUms)*time.Millisecond)
		r.Fetched, r.NotModified = int(st.OK), int(st.NotModified)
		progress("newsboat %s reload: %s wall, %s CPU, %d bodies, %d not modified", kind, secs(r.Wall), secs(r.CPU), st.OK, st.NotModified)
		switch i {
		case 0:
			res.Cold = r
			res.Items = countNewsboatItems(cacheFile)
		case 1:
			res.Second = r
		default:
			res.Warm = r
		}
	}
	return res, ""
}

// newsboatEnv is a clean environment: its own HOME (newsboat keeps
// history and a lock there) and no proxy for the loopback server.
func newsboatEnv(home string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch strings.ToLower(k) {
		case "home", "http_proxy", "https_proxy", "all_proxy", "no_proxy", "xdg_config_home", "xdg_data_home", "xdg_cache_home":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "HOME="+home, "LANG=C.UTF-8")
}

func countNewsboatItems(cacheFile string) int {
	db, err := sql.Open("sqlite", "file:"+cacheFile+"?mode=ro")
	if err != nil {
		return -1
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM rss_item").Scan(&n); err != nil {
		return -1
	}
	return n
}
