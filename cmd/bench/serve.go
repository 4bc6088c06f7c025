//go:build linux

package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The loopback feed server runs in its own process (this program
// re-executed with -serve), so that its CPU time is not counted as the
// measured side's. It serves every feed from pre-generated bodies (gzip
// when asked), answers conditional requests with 304, and counts the bytes
// it writes and reads on the wire, headers included. It is driven through
// stdin, one command a line:
//
//	phase N   serve version N of the bodies (0: cold and warm, 1: grown)
//	stats     print the counters since the last stats as JSON, reset them
//	quit      exit
//
// Its first line on stdout is the JSON {"ports": [...]}: the feeds are
// spread over several listening ports, which Newswatch (whose fetches are
// limited per host:port) and newsboat see as different servers.

// serverStats are the server's counters for one measurement.
type serverStats struct {
	Requests     int64 `json:"requests"`
	OK           int64 `json:"ok"`           // 200 responses
	NotModified  int64 `json:"not_modified"` // 304 responses
	Other        int64 `json:"other"`
	Gzip         int64 `json:"gzip"`          // 200 responses sent gzipped
	BytesOut     int64 `json:"bytes_out"`     // written to the client, headers included
	BytesIn      int64 `json:"bytes_in"`      // requests as read
	BodyBytesOut int64 `json:"body_bytes"`    // feed bodies (as sent) within BytesOut
	Conns        int64 `json:"connections"`   // connections accepted
	CPUms        int64 `json:"server_cpu_ms"` // the server process's own CPU time
}

type feedServer struct {
	feeds map[string]*feedBody
	phase atomic.Int32
	c     struct {
		requests, ok, notModified, other, gzip, out, in, body, conns atomic.Int64
	}
}

func serveMain(args []string) {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	readSpec := specFlags(fs)
	ports := fs.Int("ports", 250, "")
	fs.Parse(args)
	spec := readSpec()
	srv := &feedServer{feeds: map[string]*feedBody{}}
	for _, fb := range generate(spec) {
		srv.feeds[fb.Path] = fb
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second}
	var list []int
	for p := 0; p < *ports; p++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Fprintln(os.Stderr, "serve:", err)
			os.Exit(1)
		}
		list = append(list, ln.Addr().(*net.TCPAddr).Port)
		go hs.Serve(&countingListener{Listener: ln, s: srv})
	}
	out := json.NewEncoder(os.Stdout)
	out.Encode(map[string]any{"ports": list})
	lastCPU := processCPU()
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		switch f[0] {
		case "phase":
			if len(f) == 2 && f[1] == "1" {
				srv.phase.Store(1)
			} else {
				srv.phase.Store(0)
			}
			out.Encode(map[string]any{"ok": true})
		case "stats":
			cpu := processCPU()
			st := serverStats{
				Requests: srv.c.requests.Swap(0), OK: srv.c.ok.Swap(0), NotModified: srv.c.notModified.Swap(0),
				Other: srv.c.other.Swap(0), Gzip: srv.c.gzip.Swap(0), BytesOut: srv.c.out.Swap(0),
				BytesIn: srv.c.in.Swap(0), BodyBytesOut: srv.c.body.Swap(0), Conns: srv.c.conns.Swap(0),
				CPUms: (cpu - lastCPU).Milliseconds(),
			}
			lastCPU = cpu
			out.Encode(st)
		case "quit":
			return
		}
	}
}

func (s *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.c.requests.Add(1)
	fb := s.feeds[r.URL.Path]
	if fb == nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		s.c.other.Add(1)
		http.NotFound(w, r)
		return
	}
	v := &fb.Versions[s.phase.Load()]
	h := w.Header()
	h.Set("ETag", v.ETag)
	h.Set("Last-Modified", v.LastModified)
	h.Set("Cache-Control", "max-age=60")
	h.Set("Vary", "Accept-Encoding")
	if notModified(r, v) {
		s.c.notModified.Add(1)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if fb.Atom {
		h.Set("Content-Type", "application/atom+xml; charset=utf-8")
	} else {
		h.Set("Content-Type", "application/rss+xml; charset=utf-8")
	}
	body := v.Plain
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		body = v.Gzip
		h.Set("Content-Encoding", "gzip")
		s.c.gzip.Add(1)
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	s.c.ok.Add(1)
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		n, _ := w.Write(body)
		s.c.body.Add(int64(n))
	}
}

// notModified follows RFC 9110: If-None-Match decides when present, else
// If-Modified-Since.
func notModified(r *http.Request, v *bodyVersion) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == v.ETag || t == "*" {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		lm, err2 := http.ParseTime(v.LastModified)
		return err == nil && err2 == nil && !lm.After(t)
	}
	return false
}

func acceptsGzip(ae string) bool {
	for _, part := range strings.Split(ae, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "x-gzip" && name != "*" {
			continue
		}
		for _, p := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(k, "q") {
				if q, err := strconv.ParseFloat(v, 64); err == nil && q == 0 {
					return false
				}
			}
		}
		return true
	}
	return false
}

// countingListener counts the bytes of every connection it accepts.
type countingListener struct {
	net.Listener
	s *feedServer
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.s.c.conns.Add(1)
	return &countingConn{Conn: c, s: l.s}, nil
}

type countingConn struct {
	net.Conn
	s *feedServer
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.s.c.in.Add(int64(n))
	return n, err
}

func (c *countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.s.c.out.Add(int64(n))
	return n, err
}

// server is the parent's handle on the server process.
type server struct {
	cmd   *exec.Cmd
	in    *bufio.Writer
	inw   interface{ Close() error }
	out   *json.Decoder
	Ports []int
	mu    sync.Mutex
}

func startServer(spec genSpec, ports int) (*server, error) {
	cmd := exec.Command(selfPath(), append([]string{"-serve", "-ports", fmt.Sprint(ports)}, spec.args()...)...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, in: bufio.NewWriter(stdin), inw: stdin, out: json.NewDecoder(stdout)}
	var hello struct{ Ports []int }
	if err := s.out.Decode(&hello); err != nil {
		s.Stop()
		return nil, fmt.Errorf("feed server did not start: %w", err)
	}
	s.Ports = hello.Ports
	return s, nil
}

func (s *server) command(line string, reply any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintln(s.in, line)
	if err := s.in.Flush(); err != nil {
		return err
	}
	return s.out.Decode(reply)
}

func (s *server) Phase(n int) error {
	var ok map[string]any
	return s.command(fmt.Sprintf("phase %d", n), &ok)
}

// Stats returns the counters since the last call and resets them.
func (s *server) Stats() (serverStats, error) {
	var st serverStats
	err := s.command("stats", &st)
	return st, err
}

// Stop ends the server process and waits for it.
func (s *server) Stop() {
	if s == nil || s.cmd.Process == nil {
		return
	}
	fmt.Fprintln(s.in, "quit")
	s.in.Flush()
	s.inw.Close()
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}
