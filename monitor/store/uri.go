package store

import (
	"net/url"
	"path/filepath"
	"strings"
)

// fileURI is the SQLite URI of the database file at path, so that any
// path opens the file it names: SQLite reads "%XX" escapes in a URI and
// ends its path at "?" or "#", and the driver takes everything after the
// first "?" as its parameters. The path is percent-encoded (spaces and
// letters beyond ASCII too, which SQLite decodes back to UTF-8) with
// forward slashes; a Windows path keeps its drive after a slash
// (file:///C:/Users/J%C3%BCrgen%20Wei%C3%9F/...), and a UNC path
// (\\server\share\...) becomes file:////server/share/..., as SQLite's
// URI rules for Windows say. A relative path is made absolute.
func fileURI(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	p := filepath.ToSlash(path)
	if filepath.VolumeName(path) != "" && !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
