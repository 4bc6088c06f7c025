//go:build linux

package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"codeberg.org/newswatch/newswatch/internal/newsgen"
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/feed"
	"codeberg.org/newswatch/newswatch/monitor/store"
)

// Stories (issue 12): what assigning every article to a story costs.
//
//   - The cold and the 10%-changed check cycles again, each in a fresh
//     engine process started with -nostories (the store and the engine
//     told to keep articles out of stories), on a fresh copy of the same
//     store: the cycles with stories against the same without them.
//   - The one-off upgrade of a store of the backtest sizes: the cached
//     backtest store, copied and taken back to schema 8 (its story tables
//     and columns dropped: exactly a store of the version before
//     stories), opened in a fresh process (-upgrade) that migrates it.
//   - Story assignment per article on the upgraded stores: 2,000 new
//     articles saved in fetches of 50 (-assign), with stories and without
//     (the same articles, on a copy): the difference per article.

// storyRuns holds the stories section's results.
type storyRuns struct {
	Upgrades []upgradeResult
	Assign   []assignResult
}

type upgradeResult struct {
	Size           int
	Wall, CPU      time.Duration
	PeakRSS        int64
	Stories        int
	Reports        int
	MultiReports   int // stories of more than one report
	Other          float64
	DatabaseBefore int64
	DatabaseAfter  int64
}

type assignResult struct {
	Size        int
	Articles    int
	With        time.Duration // wall time of the saves with stories
	Without     time.Duration // the same saves without stories
	PerArticle  time.Duration // (With - Without) / Articles
	WithPerArt  time.Duration
	Other       float64
	JoinedShare float64 // share of the new articles that joined an existing story
}

// runStories measures the upgrades and the assignment per article at
// each backtest size.
func runStories(cfg *config) (*storyRuns, error) {
	out := &storyRuns{}
	work, err := os.MkdirTemp("", "newswatch-bench-stories-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	for _, n := range cfg.backtest {
		src, err := backtestStoreDir(cfg.cache, n)
		if err != nil {
			return nil, err
		}
		dir := filepath.Join(work, fmt.Sprint(n))
		progress("copying the store of %s articles and taking it back to schema 8", thousands(n))
		if err := copyLarge(src, dir); err != nil {
			return nil, err
		}
		if err := downgradeBeforeStories(filepath.Join(dir, store.FileName)); err != nil {
			return nil, err
		}
		before := fileSize(filepath.Join(dir, store.FileName))
		if err := readThrough(filepath.Join(dir, store.FileName)); err != nil {
			return nil, err
		}
		waitQuiet("the upgrade")
		w := watchLoad()
		var up upgradeResult
		cpu, err := runChild(&up, "-upgrade", "-data", dir)
		if err != nil {
			return nil, err
		}
		up.Size, up.Other = n, w.other("upgrade", cpu)
		up.DatabaseBefore, up.DatabaseAfter = before, fileSize(filepath.Join(dir, store.FileName))
		progress("upgrade of %s articles: %s wall, %s CPU, %s stories (%s of several reports)",
			thousands(n), secs(up.Wall), secs(up.CPU), thousands(up.Stories), thousands(up.MultiReports))
		out.Upgrades = append(out.Upgrades, up)

		// Assignment: the same new articles with and without stories,
		// each on its own copy of the upgraded store.
		var res [2]assignResult
		for i, without := range []bool{false, true} {
			d := filepath.Join(work, fmt.Sprintf("%d-%v", n, without))
			if err := copyLarge(dir, d); err != nil {
				return nil, err
			}
			args := []string{"-assign", "-data", d}
			if without {
				args = append(args, "-nostories")
			}
			waitQuiet("story assignment")
			w := watchLoad()
			cpu, err := runChild(&res[i], args...)
			if err != nil {
				return nil, err
			}
			res[i].Other = w.other("assignment", cpu)
			os.RemoveAll(d)
		}
		a := res[0]
		a.Size, a.Without = n, res[1].With
		a.WithPerArt = a.With / time.Duration(a.Articles)
		a.PerArticle = (a.With - a.Without) / time.Duration(a.Articles)
		a.Other = max(res[0].Other, res[1].Other)
		progress("story assignment at %s stored articles: %s per article (saves %s with stories, %s without, %d articles)",
			thousands(n), secsFine(a.PerArticle), secs(a.With), secs(a.Without), a.Articles)
		out.Assign = append(out.Assign, a)
		os.RemoveAll(dir)
	}
	return out, nil
}

// upgradeMain opens (and so migrates) the store in -data, in this fresh
// process, and prints an upgradeResult.
func upgradeMain(args []string) {
	fs := flag.NewFlagSet("upgrade", flag.ExitOnError)
	data := fs.String("data", "", "")
	fs.Parse(args)
	var res cycleResult
	m := startMeasure()
	st, err := store.Open(*data)
	if err != nil {
		fatal(err)
	}
	m.stop(&res)
	out := upgradeResult{Wall: res.Wall, CPU: res.CPU, PeakRSS: res.PeakRSS}
	db := st.DB()
	db.QueryRow(`SELECT count(*), coalesce(sum(reports > 1), 0) FROM stories`).Scan(&out.Stories, &out.MultiReports)
	db.QueryRow(`SELECT count(*) FROM reports`).Scan(&out.Reports)
	st.Close()
	json.NewEncoder(os.Stdout).Encode(out)
}

// assignMain saves 2,000 new articles (newsgen, dated from now on, so
// they fall in the window of the store's newest) in fetches of 50 and
// prints the wall time of the saves.
func assignMain(args []string) {
	fs := flag.NewFlagSet("assign", flag.ExitOnError)
	data := fs.String("data", "", "")
	without := fs.Bool("nostories", false, "")
	fs.Parse(args)
	st, err := store.Open(*data)
	if err != nil {
		fatal(err)
	}
	if *without {
		st.WithoutStories()
	}
	ctx := context.Background()
	const fetches, per = 40, 50
	now := time.Now().UTC()
	g := newsgen.New(99)
	var results []monitor.FetchResult
	for f := range fetches {
		fd := monitor.Feed{URL: fmt.Sprintf("https://assign%d.example/rss", f), Title: fmt.Sprintf("Assign %d", f), Enabled: true, Added: now}
		if err := st.AddFeed(ctx, &fd); err != nil {
			fatal(err)
		}
		fd.LastFetch = now
		r := monitor.FetchResult{Feed: fd, Body: true}
		for i := range per {
			s := g.Story(now.Add(-time.Duration(f*per+i) * 10 * time.Second))
			a := monitor.Article{FeedID: fd.ID, FeedName: fd.Title, Key: fmt.Sprintf("assign:%d:%d", f, i),
				Link: fmt.Sprintf("https://assign%d.example/%d", f, i), Title: s.Title, Summary: feed.HTMLToText(s.Summary),
				Content: feed.HTMLToText(s.Content), Author: s.Author, Categories: s.Categories,
				Published: s.Published, PublishedKnown: true, FirstSeen: now}
			r.Articles = append(r.Articles, a)
		}
		results = append(results, r)
	}
	var res cycleResult
	m := startMeasure()
	for _, r := range results {
		if _, err := st.SaveFetch(ctx, r); err != nil {
			fatal(err)
		}
	}
	m.stop(&res)
	out := assignResult{Articles: fetches * per, With: res.Wall}
	if !*without {
		var joined int
		st.DB().QueryRow(`SELECT count(*) FROM reports r JOIN articles a ON a.id = r.article_id
			WHERE a.key LIKE 'assign:%' AND r.article_id <> (SELECT lead FROM stories WHERE id = r.story_id)`).Scan(&joined)
		out.JoinedShare = float64(joined) / float64(out.Articles)
	}
	st.Close()
	json.NewEncoder(os.Stdout).Encode(out)
}

// downgradeBeforeStories takes a store back to the schema before stories
// (8): what a store of that version holds, with the same articles.
func downgradeBeforeStories(path string) error {
	st, err := store.OpenFile(path)
	if err != nil {
		return err
	}
	db := st.DB()
	for _, q := range []string{
		// 11 (alerts) and 10 (full text) first, newest first.
		`DROP TABLE topic_volume`, `DROP TABLE topic_alerts`, `DROP TABLE alert_history`,
		`DROP INDEX articles_feed_published`,
		`ALTER TABLE feeds DROP COLUMN newest`, `ALTER TABLE feeds DROP COLUMN coverage_since`,
		`ALTER TABLE feeds DROP COLUMN coverage`, `ALTER TABLE feeds DROP COLUMN failing_since`,
		`ALTER TABLE feeds DROP COLUMN coverage_alerts`,
		`ALTER TABLE topics DROP COLUMN spikes`, `ALTER TABLE topics DROP COLUMN delivery`,
		`ALTER TABLE topics DROP COLUMN priority`,
		`DROP TABLE pages`, `ALTER TABLE feeds DROP COLUMN pages_note`, `ALTER TABLE feeds DROP COLUMN teasers`,
		`ALTER TABLE feeds DROP COLUMN full_text`, `ALTER TABLE articles DROP COLUMN full_text`,
		// 9: stories.
		`DROP TABLE story_feats`, `DROP TABLE reports`, `DROP TABLE stories`,
		`DROP INDEX matches_story`, `DROP INDEX matches_timeline`,
		`ALTER TABLE matches DROP COLUMN story_id`,
		`UPDATE matches SET published = (SELECT published FROM articles WHERE id = matches.article_id)`,
		`CREATE INDEX matches_timeline ON matches(published, article_id, read, starred, topic_id)`,
		`ALTER TABLE topics DROP COLUMN escalate`, `ALTER TABLE topics DROP COLUMN escalate_sources`,
		`ALTER TABLE topics DROP COLUMN escalate_minutes`,
		`DELETE FROM settings WHERE key = 'story_gen'`,
		`PRAGMA user_version = 8`, `VACUUM`,
	} {
		if _, err := db.Exec(q); err != nil {
			st.Close()
			return fmt.Errorf("take the store back to schema 8: %s: %w", q, err)
		}
	}
	return st.Close()
}

// copyLarge copies the regular files of src into a new dst, streaming.
func copyLarge(src, dst string) error {
	os.RemoveAll(dst)
	if err := os.MkdirAll(dst, 0o700); err != nil {
		return err
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !e.Type().IsRegular() || e.Name() == "complete" {
			continue
		}
		in, err := os.Open(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		out, err := os.OpenFile(filepath.Join(dst, e.Name()), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			in.Close()
			return err
		}
		_, err = io.Copy(out, in)
		in.Close()
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// storyRows are the stories section's rows: the cycles with stories
// against the same without, the upgrades and the assignment per article.
func (r *report) storyRows() []row {
	var rows []row
	if c := r.cycles; c != nil && len(c.NoStories["cold"]) > 0 {
		for _, k := range []struct{ kind, what string }{{"cold", "Cold check cycle"}, {"grown", "10%-changed check cycle"}} {
			with, without := median(c.Cycles[k.kind]), median(c.NoStories[k.kind])
			rows = append(rows, row{k.what + ", without stories",
				cycleValue(without, false) + wallRange(c.NoStories[k.kind]), "", "", ""},
				row{k.what + " with stories / without",
					fmt.Sprintf("wall %.2f× (%s with, %s without) · CPU %.2f× (%s, %s)", ratio(with.Wall, without.Wall), secs(with.Wall),
						secs(without.Wall), ratio(with.CPU, without.CPU), secs(with.CPU), secs(without.CPU)),
					"≤ 1.10× (wall)", passMiss(ratio(with.Wall, without.Wall) <= 1.10), ""}.with(
					"%.2f× (%s with stories, %s without)", ratio(with.Wall, without.Wall), secs(with.Wall), secs(without.Wall)))
		}
	}
	if r.storiesErr != nil {
		return append(rows, row{"Stories", "error: " + oneLine(r.storiesErr.Error()), "", "miss", ""})
	}
	s := r.stories
	if s == nil {
		return rows
	}
	for _, a := range s.Assign {
		rows = append(rows, row{fmt.Sprintf("Story assignment per article, %s stored articles", thousands(a.Size)),
			fmt.Sprintf("%s per article (%d articles saved in fetches of 50: %s with stories, %s without; %.0f%% joined a story)",
				secsFine(a.PerArticle), a.Articles, secs(a.With), secs(a.Without), 100*a.JoinedShare) + otherNote(a.Other), "", "", ""})
	}
	if len(s.Assign) >= 2 {
		first, last := s.Assign[0], s.Assign[len(s.Assign)-1]
		rows = append(rows, row{fmt.Sprintf("Story assignment, %s / %s stored articles", thousands(last.Size), thousands(first.Size)),
			fmt.Sprintf("%.2f× per saved article with stories (%s vs %s)", ratio(last.WithPerArt, first.WithPerArt),
				secsFine(last.WithPerArt), secsFine(first.WithPerArt)),
			"flat (≤ 1.5×)", passMiss(ratio(last.WithPerArt, first.WithPerArt) <= 1.5), ""}.with(
			"%.2f× (%s vs %s per saved article)", ratio(last.WithPerArt, first.WithPerArt), secsFine(last.WithPerArt), secsFine(first.WithPerArt)))
	}
	for _, u := range s.Upgrades {
		target, result := "", ""
		if u.Size >= 1000000 {
			target, result = "< 5 min", passMiss(u.Wall < 5*time.Minute)
		}
		rows = append(rows, row{fmt.Sprintf("Upgrade to stories (schema 8 → %d), %s articles", store.SchemaVersion, thousands(u.Size)),
			fmt.Sprintf("wall %s · CPU %s · peak RSS %s · %s stories, %s of several reports · database %s → %s",
				secs(u.Wall), secs(u.CPU), mb(u.PeakRSS), thousands(u.Stories), thousands(u.MultiReports),
				mb(u.DatabaseBefore), mb(u.DatabaseAfter)) + otherNote(u.Other), target, result, ""}.with("%s", secs(u.Wall)))
	}
	return rows
}

// secsFine shows durations below a millisecond in microseconds.
func secsFine(d time.Duration) string {
	if d < time.Millisecond {
		return fmt.Sprintf("%d µs", d.Microseconds())
	}
	return secs(d)
}

// runNoStoryCycles runs the cold and the 10%-changed cycles again in
// engines without stories, on a fresh copy of the template store.
func runNoStoryCycles(cfg *config, srv *server, template, work string, out *cycleRuns) error {
	out.NoStories = map[string][]cycleResult{}
	for run := 0; run < cfg.runs; run++ {
		data := filepath.Join(work, fmt.Sprintf("nostories%d", run))
		if err := copyDir(template, data); err != nil {
			return err
		}
		for _, kind := range cycleKinds {
			phase := 0
			if kind == "grown" {
				phase = 1
			}
			if err := srv.Phase(phase); err != nil {
				return err
			}
			if _, err := srv.Stats(); err != nil {
				return err
			}
			waitQuiet(fmt.Sprintf("the %s cycle without stories", kind))
			w := watchLoad()
			var res cycleResult
			args := []string{"-engine", "-data", data, "-nostories"}
			if run == 0 && cfg.cpuprofile != "" {
				args = append(args, "-cpuprofile", cfg.cpuprofile+"-nostories-"+kind)
			}
			cpu, err := runChild(&res, args...)
			if err != nil {
				return err
			}
			if res.Server, err = srv.Stats(); err != nil {
				return err
			}
			res.Other = w.other(kind+" cycle without stories", cpu+time.Duration(res.Server.CPUms)*time.Millisecond)
			progress("run %d, %s cycle without stories: %s wall, %s CPU, %d new articles", run+1, kind, secs(res.Wall), secs(res.CPU), res.NewArticles)
			out.NoStories[kind] = append(out.NoStories[kind], res)
		}
		os.RemoveAll(data)
		if err := srv.Phase(0); err != nil {
			return err
		}
	}
	return nil
}
