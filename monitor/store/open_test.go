package store

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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

// undoSchema11 takes a database of schema 11 back to 10.
const undoSchema11 = `DROP TABLE alert_history; DROP TABLE topic_alerts; DROP TABLE topic_volume;
	DROP INDEX articles_feed_published;
	ALTER TABLE topics DROP COLUMN priority; ALTER TABLE topics DROP COLUMN delivery; ALTER TABLE topics DROP COLUMN spikes;
	ALTER TABLE feeds DROP COLUMN coverage_alerts; ALTER TABLE feeds DROP COLUMN failing_since;
	ALTER TABLE feeds DROP COLUMN coverage; ALTER TABLE feeds DROP COLUMN coverage_since;
	ALTER TABLE feeds DROP COLUMN newest;`
