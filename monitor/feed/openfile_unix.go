//go:build unix

package feed

import (
	"os"
	"syscall"
)

// openRegular opens a file for reading if it is a regular file. It opens
// without blocking (a named pipe without a writer blocks a plain open)
// and checks the file it opened, not the name, so nothing swapped in
// between is read either. The returned info is set whenever the file
// could be opened.
func openRegular(path string) (*os.File, os.FileInfo, error) {
	fh, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	st, err := fh.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = errNotRegular
	}
	if err != nil {
		fh.Close()
		return nil, st, err
	}
	return fh, st, nil
}
