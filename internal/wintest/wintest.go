//go:build windows

// Package wintest helps the Windows tests, which `make windows-smoke`
// also runs under Wine on Linux.
//
// Wine 8 does not implement FileDispositionInformationEx, with which
// os.RemoveAll deletes files since Go 1.26 (it fails with "Invalid
// function", and Go falls back only on other errors), so t.TempDir's
// clean-up fails there; os.Remove, which uses DeleteFile, works. TempDir
// is t.TempDir cleaned up with os.Remove.
package wintest

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TempDir makes a temporary directory that is removed, with all it holds,
// when the test ends.
func TempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "newswatch-test-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := removeTree(dir); err != nil {
			t.Errorf("removing the temporary directory: %v", err)
		}
	})
	return dir
}

// removeTree removes dir and everything below it, deepest first.
func removeTree(dir string) error {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		paths = append(paths, p)
		return nil
	})
	if err != nil {
		return err
	}
	slices.Reverse(paths)
	for _, p := range paths {
		if err := os.Remove(p); err != nil {
			return err
		}
	}
	return nil
}
