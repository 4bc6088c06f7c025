//go:build !windows

package feed

import "net/url"

// pathURL returns the file URL of s when s is an absolute path.
func pathURL(s string) (*url.URL, bool) {
	if len(s) == 0 || s[0] != '/' {
		return nil, false
	}
	return &url.URL{Scheme: "file", Path: s}, true
}

// localFileURL returns a file: URL in stored form (no host), or false when
// it names no local file (another host, or no path).
func localFileURL(u *url.URL) (*url.URL, bool) {
	if u.Path == "" || (u.Host != "" && u.Host != "localhost") {
		return nil, false
	}
	return &url.URL{Scheme: "file", Path: u.Path}, true
}

// filePath is the local path of a file: URL in stored form.
func filePath(u *url.URL) string { return u.Path }
