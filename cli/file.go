package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// writeFile writes through a temporary file renamed into place, so a
// failed write never leaves half a file; "" or "-" writes to stdout. A new
// file gets the mode the user's umask gives new files, as with any other
// program (an export may hold what an analyst does not share); a file
// written over keeps its mode.
func writeFile(c *cmdCtx, path string, fn func(w io.Writer) error) error {
	if path == "" || path == "-" {
		return fn(c.out)
	}
	tmp, err := createTemp(path)
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, msg.Cause(err))
	}
	defer os.Remove(tmp.Name())
	if err := fn(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, msg.Cause(err))
	}
	return nil
}

// createTemp creates a new file next to path, with mode 0666 less the
// umask, or with path's mode when path is a file already.
func createTemp(path string) (*os.File, error) {
	dir := filepath.Dir(path)
	for range 100 {
		name := filepath.Join(dir, ".newswatch-"+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
			if err := f.Chmod(st.Mode().Perm()); err != nil {
				f.Close()
				os.Remove(name)
				return nil, err
			}
		}
		return f, nil
	}
	return nil, errors.New("no free name for a temporary file")
}
