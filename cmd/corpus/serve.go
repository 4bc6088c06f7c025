package main

import (
	"bufio"
	"bytes"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// corpusFile is one file of the corpus and how the server sends it.
type corpusFile struct {
	Path   string      // as found by the walk (the dir argument joined with the relative path)
	URL    string      // where the loopback server serves it
	Header http.Header // simulated response headers, Content-Type always set
}

// server maps the URL paths of the loopback server to corpus files.
type server struct {
	mu    sync.RWMutex
	files map[string]*corpusFile // by URL path
}

func (s *server) add(urlPath string, f *corpusFile) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[urlPath] = f
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	f := s.files[r.URL.Path]
	s.mu.RUnlock()
	if f == nil {
		http.NotFound(w, r)
		return
	}
	body, err := os.ReadFile(f.Path)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	for k, vs := range f.Header {
		w.Header()[k] = vs
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// Headers that would break the simulated transfer if a test file named
// them: the server sets them itself.
var transferHeaders = map[string]bool{
	"Content-Length":    true,
	"Content-Encoding":  true,
	"Transfer-Encoding": true,
	"Connection":        true,
}

// responseHeader works out the headers a file is served with: the
// `Header:` lines of a feedparser test file, else the .htaccess files of
// its folders (Apache style), else a Content-Type from the extension.
func responseHeader(path string, head []byte, ht *htaccessCache) http.Header {
	h := http.Header{}
	conf := ht.forDir(filepath.Dir(path))
	for _, kv := range conf.headers {
		h.Set(kv[0], kv[1])
	}
	if ct := conf.contentType(path); ct != "" {
		h.Set("Content-Type", ct)
	}
	for _, kv := range commentHeaders(head) {
		if !transferHeaders[http.CanonicalHeaderKey(kv[0])] {
			h.Set(kv[0], kv[1])
		}
	}
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", typeByExtension(path))
	}
	return h
}

// headerLine is a simulated HTTP header in a feedparser test file's first
// comment, one a line: "Header: Content-Type: application/rss+xml".
var headerLine = regexp.MustCompile(`(?m)^[ \t]*Header:[ \t]*([A-Za-z0-9-]+):[ \t]*(.*?)[ \t\r]*$`)

// commentHeaders returns the Header: lines of a comment that opens the
// document (after an XML declaration, if any), as name/value pairs.
func commentHeaders(head []byte) [][2]string {
	rest := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	if bytes.HasPrefix(rest, []byte("<?")) {
		end := bytes.Index(rest, []byte("?>"))
		if end < 0 {
			return nil
		}
		rest = bytes.TrimLeft(rest[end+2:], " \t\r\n")
	}
	if !bytes.HasPrefix(rest, []byte("<!--")) {
		return nil
	}
	end := bytes.Index(rest, []byte("-->"))
	if end < 0 {
		return nil
	}
	var out [][2]string
	for _, m := range headerLine.FindAllSubmatch(rest[:end], -1) {
		out = append(out, [2]string{string(m[1]), string(m[2])})
	}
	return out
}

// typeByExtension is the Content-Type a plain web server would send.
func typeByExtension(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xml":
		return "application/xml"
	case ".rss":
		return "application/rss+xml"
	case ".atom":
		return "application/atom+xml"
	case ".rdf":
		return "application/rdf+xml"
	case ".json":
		return "application/json"
	case ".opml":
		return "text/x-opml"
	case ".html", ".htm":
		return "text/html"
	case ".txt":
		return "text/plain"
	}
	return "application/octet-stream"
}

// htaccess is the part of Apache's per-directory configuration that
// decides a response's Content-Type and extra headers, merged from the
// outermost folder inwards.
type htaccess struct {
	types          map[string]string // extension (lower case, no dot) -> media type
	charsets       map[string]string // extension -> charset
	forceType      string
	defaultType    string
	defaultCharset string // AddDefaultCharset: for text/plain and text/html
	headers        [][2]string
}

func (c *htaccess) clone() *htaccess {
	n := &htaccess{types: map[string]string{}, charsets: map[string]string{},
		forceType: c.forceType, defaultType: c.defaultType, defaultCharset: c.defaultCharset,
		headers: append([][2]string(nil), c.headers...)}
	for k, v := range c.types {
		n.types[k] = v
	}
	for k, v := range c.charsets {
		n.charsets[k] = v
	}
	return n
}

// apacheTypes is what Apache's stock mime.types says for the corpus's
// extensions (nothing for .opml or files without an extension).
var apacheTypes = map[string]string{
	"xml": "application/xml", "rss": "application/rss+xml", "atom": "application/atom+xml",
	"rdf": "application/rdf+xml", "json": "application/json", "html": "text/html",
	"htm": "text/html", "txt": "text/plain",
}

// contentType is the Content-Type Apache would send for path under this
// configuration, or "" when no .htaccess said anything about it.
func (c *htaccess) contentType(path string) string {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	configured := c.forceType != "" || c.types[ext] != "" || c.charsets[ext] != "" || c.defaultType != "" || c.defaultCharset != ""
	if !configured {
		return ""
	}
	t := c.forceType
	if t == "" {
		t = c.types[ext]
	}
	if t == "" {
		t = apacheTypes[ext]
	}
	if t == "" {
		t = c.defaultType
	}
	if t == "" {
		t = typeByExtension(path)
	}
	if strings.Contains(strings.ToLower(t), "charset=") {
		return t
	}
	cs := c.charsets[ext]
	if cs == "" && c.defaultCharset != "" {
		if mt, _, err := mime.ParseMediaType(t); err == nil && (mt == "text/plain" || mt == "text/html") {
			cs = c.defaultCharset
		}
	}
	if cs != "" {
		t += "; charset=" + cs
	}
	return t
}

// parse applies the directives of one .htaccess file on top of c.
// Directives inside <Files>, <If> and similar sections are skipped: they
// apply only to some requests.
func (c *htaccess) parse(data []byte) {
	depth := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "</") {
			depth = max(depth-1, 0)
			continue
		}
		if strings.HasPrefix(line, "<") {
			depth++
			continue
		}
		if depth > 0 {
			continue
		}
		f := fields(line)
		if len(f) < 2 {
			continue
		}
		args := f[1:]
		switch strings.ToLower(f[0]) {
		case "addtype":
			for _, e := range args[1:] {
				c.types[normExt(e)] = args[0]
			}
		case "addcharset":
			for _, e := range args[1:] {
				c.charsets[normExt(e)] = args[0]
			}
		case "removetype":
			for _, e := range args {
				delete(c.types, normExt(e))
			}
		case "removecharset":
			for _, e := range args {
				delete(c.charsets, normExt(e))
			}
		case "forcetype":
			c.forceType = noneIsEmpty(args[0])
		case "defaulttype":
			c.defaultType = noneIsEmpty(args[0])
		case "adddefaultcharset":
			switch strings.ToLower(args[0]) {
			case "off":
				c.defaultCharset = ""
			case "on":
				c.defaultCharset = "iso-8859-1"
			default:
				c.defaultCharset = args[0]
			}
		case "header":
			// Header [always|onsuccess] set|append|add|unset NAME [VALUE]
			if len(args) > 0 && (strings.EqualFold(args[0], "always") || strings.EqualFold(args[0], "onsuccess")) {
				args = args[1:]
			}
			if len(args) < 2 {
				continue
			}
			name := strings.TrimSuffix(args[1], ":")
			switch strings.ToLower(args[0]) {
			case "set", "append", "add", "merge", "setifempty":
				if len(args) >= 3 && !transferHeaders[http.CanonicalHeaderKey(name)] {
					c.headers = append(c.headers, [2]string{name, args[2]})
				}
			case "unset":
				kept := c.headers[:0]
				for _, kv := range c.headers {
					if !strings.EqualFold(kv[0], name) {
						kept = append(kept, kv)
					}
				}
				c.headers = kept
			}
		}
	}
}

// fields splits a directive line into words, keeping "quoted strings"
// together.
func fields(line string) []string {
	var out []string
	for line = strings.TrimSpace(line); line != ""; line = strings.TrimSpace(line) {
		if line[0] == '"' {
			if end := strings.IndexByte(line[1:], '"'); end >= 0 {
				out = append(out, line[1:end+1])
				line = line[end+2:]
				continue
			}
		}
		end := strings.IndexAny(line, " \t")
		if end < 0 {
			end = len(line)
		}
		out = append(out, line[:end])
		line = line[end:]
	}
	return out
}

func normExt(e string) string { return strings.TrimPrefix(strings.ToLower(e), ".") }

// htaccessCache holds the merged configuration of each folder.
type htaccessCache struct {
	dirs map[string]*htaccess
}

// forDir returns the configuration for dir: its parents' .htaccess files
// (up to the file system root), then its own.
func (hc *htaccessCache) forDir(dir string) *htaccess {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = filepath.Clean(dir)
	}
	return hc.lookup(abs)
}

func (hc *htaccessCache) lookup(dir string) *htaccess {
	if c, ok := hc.dirs[dir]; ok {
		return c
	}
	var c *htaccess
	if parent := filepath.Dir(dir); parent != dir {
		c = hc.lookup(parent)
	} else {
		c = &htaccess{types: map[string]string{}, charsets: map[string]string{}}
	}
	if data, err := os.ReadFile(filepath.Join(dir, ".htaccess")); err == nil {
		c = c.clone()
		c.parse(data)
	}
	hc.dirs[dir] = c
	return c
}

// noneIsEmpty reads a directive's value where "none" unsets it.
func noneIsEmpty(v string) string {
	if strings.EqualFold(v, "none") {
		return ""
	}
	return v
}
