package store

import (
	"path/filepath"
	"testing"

	"codeberg.org/newswatch/newswatch/internal/wintest"
)

func TestWindowsFileURI(t *testing.T) {
	for path, want := range map[string]string{
		`C:\Users\Jürgen Weiß\AppData\Roaming\Newswatch\newswatch.db`: "file:///C:/Users/J%C3%BCrgen%20Wei%C3%9F/AppData/Roaming/Newswatch/newswatch.db",
		`D:\100% #1\newswatch.db`:               "file:///D:/100%25%20%231/newswatch.db",
		`\\server\share\Newswatch\newswatch.db`: "file:////server/share/Newswatch/newswatch.db",
	} {
		if got := fileURI(path); got != want {
			t.Errorf("fileURI(%q) = %q, want %q", path, got, want)
		}
	}
}

// The data directory of a user named Jürgen Weiß, and other names SQLite's
// URI syntax would misread, on a drive.
func TestWindowsOddDataDirectory(t *testing.T) {
	for _, name := range []string{`Jürgen Weiß\AppData\Roaming\Newswatch`, "100% sicher", "#1 news", "%41"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(wintest.TempDir(t), name)
			if filepath.VolumeName(dir) == "" {
				t.Fatalf("%s has no drive", dir)
			}
			checkOpensAt(t, dir)
		})
	}
}
