package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
)

// openHelperEnv makes the test binary open a data directory and exit:
// a separate process, for TestNewDataDirOpenedByManyProcesses.
const openHelperEnv = "NEWSWATCH_TEST_OPEN_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(openHelperEnv); dir != "" {
		s, err := Open(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := s.Close(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestNewDataDirOpenedByManyProcesses: processes that open a brand-new
// data directory at the same moment all succeed (each migration step
// reads the schema version inside its own write transaction), also when
// some of them find an older schema to upgrade.
func TestNewDataDirOpenedByManyProcesses(t *testing.T) {
	for _, start := range []string{"new", "older schema"} {
		t.Run(start, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			if start != "new" {
				s := openTest(t, dir)
				// Schema 11's alerts, 10's full text, 9's stories, 8's reading marks, 7's vocabulary, 6's index.
				if _, err := s.DB().Exec(undoSchema11 + `DROP TABLE pages; ALTER TABLE articles DROP COLUMN full_text;
					ALTER TABLE feeds DROP COLUMN full_text; ALTER TABLE feeds DROP COLUMN teasers;
					ALTER TABLE feeds DROP COLUMN pages_note;
					DROP TABLE story_feats; DROP TABLE reports; DROP TABLE stories;
					DROP INDEX matches_story; DROP INDEX matches_timeline; ALTER TABLE matches DROP COLUMN story_id;
					CREATE INDEX matches_timeline ON matches(published, article_id, read, starred, topic_id);
					ALTER TABLE topics DROP COLUMN escalate; ALTER TABLE topics DROP COLUMN escalate_sources;
					ALTER TABLE topics DROP COLUMN escalate_minutes;
					DROP TABLE reading; DROP TABLE fts_vocab; DROP TABLE fts_vocab_state;
					DROP INDEX articles_id_published; PRAGMA user_version = 5`); err != nil {
					t.Fatal(err)
				}
				s.Close()
			}
			const n = 6
			var wg sync.WaitGroup
			errs := make([]error, n)
			outs := make([][]byte, n)
			for i := range n {
				wg.Go(func() {
					cmd := exec.Command(os.Args[0], "-test.run=^$")
					cmd.Env = append(os.Environ(), openHelperEnv+"="+dir)
					outs[i], errs[i] = cmd.CombinedOutput()
				})
			}
			wg.Wait()
			for i := range n {
				if errs[i] != nil {
					t.Errorf("process %d: %v: %s", i, errs[i], outs[i])
				}
			}
			s := openTest(t, dir)
			var v int
			s.DB().QueryRow("PRAGMA user_version").Scan(&v)
			if v != SchemaVersion {
				t.Errorf("schema %d, want %d", v, SchemaVersion)
			}
		})
	}
}

// TestDataDirWithURISyntaxInItsName: a data directory whose path holds
// "?", "#" or "%" gets its database inside it, not next to it under a
// cut name.
func TestDataDirWithURISyntaxInItsName(t *testing.T) {
	root := t.TempDir()
	for _, name := range []string{"what?now", "news#1", "100%", "a%3fb", "x?y#z%41"} {
		dir := filepath.Join(root, name)
		s := openTest(t, dir)
		f := monitor.Feed{URL: "https://news.example/" + name, Enabled: true, Added: time.Now()}
		if err := s.AddFeed(context.Background(), &f); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s.Close()
		if _, err := os.Stat(filepath.Join(dir, FileName)); err != nil {
			t.Errorf("%s: the database is not in the directory: %v", name, err)
		}
		s = openTest(t, dir) // and it is found again
		if feeds, _ := s.Feeds(context.Background()); len(feeds) != 1 {
			t.Errorf("%s: %d feeds after reopening", name, len(feeds))
		}
	}
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if !e.IsDir() {
			t.Errorf("a stray file next to the data directories: %s", e.Name())
		}
	}
}

// TestCloseWhileSaving: closing the store while fetches are being saved
// never panics; a save that comes too late fails in a sentence.
func TestCloseWhileSaving(t *testing.T) {
	for round := range 20 {
		s, err := Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		f := monitor.Feed{URL: "https://news.example/feed", Enabled: true, Added: time.Now()}
		if err := s.AddFeed(ctx, &f); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		for g := range 8 {
			wg.Go(func() {
				<-start
				for i := range 20 {
					a := monitor.Article{FeedID: f.ID, FeedName: "N", Key: fmt.Sprintf("guid:%d-%d-%d", round, g, i), Title: "T",
						Published: time.Now(), FirstSeen: time.Now()}
					_, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f, Articles: []monitor.Article{a}, Body: true})
					if err != nil && !errors.Is(err, errClosed) && !strings.Contains(err.Error(), "closed") {
						t.Errorf("a save around Close: %v", err)
					}
				}
			})
		}
		close(start)
		time.Sleep(time.Duration(round) * time.Millisecond) // close at different moments
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		_, err = s.SaveFetch(ctx, monitor.FetchResult{Feed: f})
		if !errors.Is(err, errClosed) || err.Error() != "Newswatch is closing its database; the change was not saved." {
			t.Fatalf("a save after Close: %v", err)
		}
	}
}

// TestReadingMarks: a mark is listed until the fetch saved with it
// clears it, or it is released (once).
func TestReadingMarks(t *testing.T) {
	s := openTest(t, t.TempDir())
	ctx := context.Background()
	f := monitor.Feed{URL: "https://news.example/feed", Enabled: true, Added: time.Now()}
	if err := s.AddFeed(ctx, &f); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	for _, owner := range []string{"host 1 a", "host 2 b"} {
		if err := s.MarkReading(ctx, f.ID, owner, at); err != nil {
			t.Fatal(err)
		}
	}
	marks, err := s.Readings(ctx)
	if err != nil || len(marks) != 2 || marks[0].FeedID != f.ID || !marks[0].Since.Equal(at) {
		t.Fatalf("marks = %+v, %v", marks, err)
	}
	if _, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f, Body: true, ReadMark: "host 1 a"}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.ReleaseReading(ctx, f.ID, "host 1 a"); ok {
		t.Error("the save did not clear its mark")
	}
	if ok, _ := s.ReleaseReading(ctx, f.ID, "host 2 b"); !ok {
		t.Error("the other process's mark was not there")
	}
	if ok, _ := s.ReleaseReading(ctx, f.ID, "host 2 b"); ok {
		t.Error("a mark released twice")
	}
}

// undoSchema11 takes a database of schema 11 back to 10.
const undoSchema11 = `DROP TABLE alert_history; DROP TABLE topic_alerts; DROP TABLE topic_volume;
	DROP INDEX articles_feed_published;
	ALTER TABLE topics DROP COLUMN priority; ALTER TABLE topics DROP COLUMN delivery; ALTER TABLE topics DROP COLUMN spikes;
	ALTER TABLE feeds DROP COLUMN coverage_alerts; ALTER TABLE feeds DROP COLUMN failing_since;
	ALTER TABLE feeds DROP COLUMN coverage; ALTER TABLE feeds DROP COLUMN coverage_since;
	ALTER TABLE feeds DROP COLUMN newest;`
