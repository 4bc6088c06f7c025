package store

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"codeberg.org/newswatch/newswatch/monitor"
)

func TestFileURI(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix paths; uri_windows_test.go has Windows ones")
	}
	for path, want := range map[string]string{
		"/home/anna/.local/share/newswatch/newswatch.db": "file:///home/anna/.local/share/newswatch/newswatch.db",
		"/home/Jürgen Weiß/data/newswatch.db":            "file:///home/J%C3%BCrgen%20Wei%C3%9F/data/newswatch.db",
		"/tmp/what?#now%41/newswatch.db":                 "file:///tmp/what%3F%23now%2541/newswatch.db",
	} {
		if got := fileURI(path); got != want {
			t.Errorf("fileURI(%q) = %q, want %q", path, got, want)
		}
	}
	wd, _ := os.Getwd()
	if got, want := fileURI("data/newswatch.db"), "file://"+filepath.ToSlash(wd)+"/data/newswatch.db"; got != want {
		t.Errorf("relative path: %q, want %q", got, want)
	}
}

// A data directory whose path SQLite's URI syntax would misread opens the
// database file in it, not one of a shortened name beside it.
func TestOddDataDirectory(t *testing.T) {
	names := []string{"Jürgen Weiß", "100% sicher", "#1 news", "what?now", "a&b=c;d", "%41"}
	if runtime.GOOS == "windows" {
		names = names[:3] // Windows allows no "?"; the rest are in uri_windows_test.go
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			checkOpensAt(t, filepath.Join(t.TempDir(), name, "data"))
		})
	}
}

// checkOpensAt opens the store in dir, checks that SQLite opened the file
// at dir/newswatch.db, and that what was stored is there after reopening.
func checkOpensAt(t *testing.T, dir string) {
	t.Helper()
	parent := filepath.Dir(dir)
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var seq int
	var name, file string
	if err := s.DB().QueryRow("PRAGMA database_list").Scan(&seq, &name, &file); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, FileName)
	if file != want {
		t.Errorf("SQLite opened %q, want %q", file, want)
	}
	if err := s.AddTopic(context.Background(), &monitor.Topic{Name: "Nordkorea", Query: "Nordkorea", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 || entries[0].Name() != filepath.Base(dir) {
		t.Errorf("%s holds %v; want only %s", parent, entries, filepath.Base(dir))
	}
	s, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	topics, err := s.Topics(context.Background())
	if err != nil || len(topics) != 1 || topics[0].Name != "Nordkorea" {
		t.Errorf("topics after reopening: %v, %v", topics, err)
	}
}
