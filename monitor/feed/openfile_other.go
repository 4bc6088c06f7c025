//go:build !unix

package feed

import "os"

// openRegular opens a file for reading if it is a regular file. The
// returned info is set whenever the file's kind is known.
func openRegular(path string) (*os.File, os.FileInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, st, errNotRegular
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, st, err
	}
	return fh, st, nil
}
