package feed

import (
	"net/url"
	"path/filepath"
	"strings"
)

// On Windows a local feed file is given as C:\feeds\news.xml (or
// C:/feeds/news.xml), as a network path \\server\share\news.xml, or as a
// file: URL: file:///C:/feeds/news.xml, file://server/share/news.xml. It
// is stored as such a URL, with forward slashes.

// pathURL returns the file URL of s when s is an absolute path: a drive
// and a path from its root, or a UNC path.
func pathURL(s string) (*url.URL, bool) {
	if !filepath.IsAbs(s) {
		return nil, false
	}
	vol := filepath.VolumeName(s)
	rest := filepath.ToSlash(s[len(vol):])
	if isDrive(vol) {
		return &url.URL{Scheme: "file", Path: "/" + strings.ToUpper(vol) + rest}, true
	}
	// \\server\share (\\?\ and \\.\ device paths are not feeds).
	host, share, ok := strings.Cut(strings.TrimPrefix(filepath.ToSlash(vol), "//"), "/")
	if !ok || host == "" || share == "" || host == "?" || host == "." {
		return nil, false
	}
	return &url.URL{Scheme: "file", Host: host, Path: "/" + share + rest}, true
}

// localFileURL returns a file: URL in stored form, or false when it names
// no file: file:///C:/..., file://localhost/C:/..., file://C:/... (a drive
// taken for a host), or file://server/share/....
func localFileURL(u *url.URL) (*url.URL, bool) {
	switch {
	case isDrive(u.Host):
		return pathURL(u.Host + filepath.FromSlash(u.Path))
	case u.Host == "" || strings.EqualFold(u.Host, "localhost"):
		if len(u.Path) < 3 || u.Path[0] != '/' || !isDrive(u.Path[1:3]) {
			return nil, false
		}
		return pathURL(filepath.FromSlash(u.Path[1:]))
	}
	if u.Port() != "" || u.User != nil {
		return nil, false
	}
	return pathURL(`\\` + u.Host + filepath.FromSlash(u.Path))
}

// filePath is the local path of a file: URL in stored form.
func filePath(u *url.URL) string {
	if u.Host != "" {
		return `\\` + u.Host + filepath.FromSlash(u.Path)
	}
	return filepath.FromSlash(strings.TrimPrefix(u.Path, "/"))
}

// isDrive reports whether s is a drive: a letter and a colon.
func isDrive(s string) bool {
	return len(s) == 2 && s[1] == ':' && ('a' <= s[0] && s[0] <= 'z' || 'A' <= s[0] && s[0] <= 'Z')
}
