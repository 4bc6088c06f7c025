//go:build linux

package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"codeberg.org/newswatch/newswatch/internal/pgtest"
	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/pgstore"
	"codeberg.org/newswatch/newswatch/monitor/store"
)

// The team database (section "team"), on a throw-away PostgreSQL server
// (internal/pgtest: initdb in a temporary directory, fsync off):
//
//   - A check cycle of -team-feeds loopback feeds (10,000, of 5 items; the
//     feed server of the check cycles, in its own process; full text off:
//     their stories' pages are not on loopback) with 1, 2 and 4
//     pollers — `newswatch run --store … --no-alerts` processes, the
//     binary of -bin — on one database, each run on a fresh copy of a
//     database that holds the feeds and three topics: the wall time from
//     the pollers' start until every feed's check is saved (its lease due
//     again), cold (every story new), then warm (every feed made due
//     again; all answer 304).
//   - The delay from a story stored to a desktop seeing it: a poller and a
//     follower (a desktop's engine with NoPolling, its own user) in this
//     process on one database; 100 times a feed gains a story that a
//     topic matches and the poller checks it; the delay runs from the
//     article's first_seen (taken before the check's transaction commits)
//     to the follower's event with the match (LISTEN/NOTIFY, then the
//     claim).
//   - Backtests over the backtest stores (-team-backtest sizes) on SQLite
//     and, copied in with newswatch migrate's CopyFromSQLite, on
//     PostgreSQL: the same queries, first call and repeated.

type teamRuns struct {
	Feeds, Items int
	Cycles       []teamCycle
	Listen       []time.Duration // sorted
	Backtests    []teamBacktest
	Copies       []teamCopy
}

type teamCycle struct {
	Pollers    int
	Cold, Warm time.Duration
	Articles   int
	Busy       float64 // cores the machine used during the cold cycle (pollers, PostgreSQL, feed server, anything else)
}

type teamCopy struct {
	Size int
	Time time.Duration
}

type teamBacktest struct {
	Size                    int
	Query                   string
	LiteFirst, LiteRepeated time.Duration
	PGFirst, PGRepeated     time.Duration
	LiteMatches, PGMatches  int
	LiteScanned, PGScanned  int
}

func runTeam(cfg *config) (*teamRuns, error) {
	progress("team: starting a throw-away PostgreSQL server")
	srv, err := pgtest.Start()
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL cannot be started here (install Debian's postgresql): %w", err)
	}
	defer srv.Stop()
	tr := &teamRuns{Feeds: cfg.teamFeeds, Items: 5}
	if cfg.teamFeeds > 0 { // -team-feeds 0: the backtests alone
		if err := teamCycles(cfg, srv, tr); err != nil {
			return tr, err
		}
		if err := teamListen(srv, tr); err != nil {
			return tr, err
		}
	}
	return tr, teamBacktests(cfg, srv, tr)
}

// dbURL is the server's URL of database name.
func dbURL(srv *pgtest.Server, name string) string {
	u, _ := url.Parse(srv.Admin)
	u.Path = "/" + name
	return u.String()
}

func adminExec(srv *pgtest.Server, sql string) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, srv.Admin)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

func teamCycles(cfg *config, srv *pgtest.Server, tr *teamRuns) error {
	spec := genSpec{Feeds: tr.Feeds, Items: tr.Items, Base: time.Now().Add(-6 * time.Hour).Truncate(time.Second)}
	progress("team: starting the feed server (%d feeds of %d items)", spec.Feeds, spec.Items)
	fs, err := startServer(spec, cfg.ports(spec.Feeds))
	if err != nil {
		return err
	}
	defer fs.Stop()
	ctx := context.Background()
	if err := adminExec(srv, "CREATE DATABASE teambase TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		return err
	}
	st, err := pgstore.Open(ctx, dbURL(srv, "teambase"), pgstore.Options{User: "bench"})
	if err != nil {
		return err
	}
	svc := monitor.New(monitor.Config{Store: st})
	progress("team: adding %d feeds to the team database", spec.Feeds)
	for i := range spec.Feeds {
		f, err := svc.AddFeed(ctx, feedURL(fs.Ports, i), monitor.AddFeedOptions{})
		if err == nil { // the stories' pages are not on the loopback server
			f.FullText = monitor.FullTextOff
			err = svc.UpdateFeed(ctx, f)
		}
		if err != nil {
			svc.Close()
			return err
		}
	}
	for _, t := range benchTopics() {
		if _, err := svc.AddTopic(ctx, monitor.Topic{Name: t[0], Query: t[1], Enabled: true, Notify: true}); err != nil {
			svc.Close()
			return err
		}
	}
	if err := svc.Close(); err != nil {
		return err
	}
	bin, err := filepath.Abs(cfg.bin)
	if err != nil {
		return err
	}
	for _, n := range []int{1, 2, 4} {
		name := fmt.Sprintf("team%d", n)
		if err := adminExec(srv, "CREATE DATABASE "+name+" TEMPLATE teambase"); err != nil {
			return err
		}
		c, err := teamCycle1(bin, dbURL(srv, name), n, spec.Feeds, fs)
		if err != nil {
			return err
		}
		progress("team: %d poller(s): cold %s, warm %s, %s articles", n, secs(c.Cold), secs(c.Warm), thousands(c.Articles))
		tr.Cycles = append(tr.Cycles, c)
		_ = adminExec(srv, "DROP DATABASE "+name+" WITH (FORCE)")
	}
	return nil
}

// teamCycle1 runs n pollers on the database at u until every feed was
// checked, cold and then warm.
func teamCycle1(bin, u string, n, feeds int, fs *server) (teamCycle, error) {
	c := teamCycle{Pollers: n}
	ctx := context.Background()
	db, err := pgx.Connect(ctx, u)
	if err != nil {
		return c, err
	}
	defer db.Close(ctx)
	home, err := os.MkdirTemp("", "nwteam-")
	if err != nil {
		return c, err
	}
	defer os.RemoveAll(home)
	// saved counts the feeds whose check since t is saved: their lease
	// is due again at their next time, after t.
	saved := func(t time.Time) (int, error) {
		var k int
		err := db.QueryRow(ctx, `SELECT count(*) FROM feed_leases WHERE owner = '' AND due > $1`, t.UnixMilli()).Scan(&k)
		return k, err
	}
	waitAll := func(t time.Time) (time.Duration, error) {
		for {
			k, err := saved(t)
			if err != nil {
				return 0, err
			}
			if k >= feeds {
				return time.Since(t), nil
			}
			if time.Since(t) > 30*time.Minute {
				return 0, fmt.Errorf("%d pollers checked %d of %d feeds in 30 minutes", n, k, feeds)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitQuiet("a team cycle")
	busy0 := machineBusy()
	var procs []*exec.Cmd
	defer func() {
		for _, p := range procs {
			_ = p.Process.Signal(syscall.SIGTERM)
			_ = p.Wait()
		}
	}()
	start := time.Now()
	for i := range n {
		p := exec.Command(bin, "--data", filepath.Join(home, fmt.Sprint(i)), "--store", u, "--user", "server", "run", "--no-alerts")
		p.Env = append(os.Environ(), "HOME="+home)
		if err := p.Start(); err != nil {
			return c, err
		}
		procs = append(procs, p)
	}
	if c.Cold, err = waitAll(start); err != nil {
		return c, err
	}
	c.Busy = (machineBusy() - busy0).Seconds() / c.Cold.Seconds()
	if err := db.QueryRow(ctx, `SELECT count(*) FROM articles`).Scan(&c.Articles); err != nil {
		return c, err
	}
	warm := time.Now()
	if _, err := db.Exec(ctx, `UPDATE feed_leases SET due = 0`); err != nil {
		return c, err
	}
	c.Warm, err = waitAll(warm)
	return c, err
}

// percentile is the p-th percentile of sorted ds.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	i := int(p*float64(len(ds))+0.5) - 1
	return ds[min(max(i, 0), len(ds)-1)]
}

// teamSizes are the backtest store sizes of the team section.
func teamSizes(cfg *config) []int { return cfg.teamBacktest }

func teamBacktests(cfg *config, srv *pgtest.Server, tr *teamRuns) error {
	ctx := context.Background()
	for _, n := range teamSizes(cfg) {
		dir, err := backtestStoreDir(cfg.cache, n)
		if err != nil {
			return err
		}
		lite, err := store.OpenFile(filepath.Join(dir, store.FileName))
		if err != nil {
			return err
		}
		name := fmt.Sprintf("backtest%d", n)
		if err := adminExec(srv, "CREATE DATABASE "+name+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
			lite.Close()
			return err
		}
		pg, err := pgstore.Open(ctx, dbURL(srv, name), pgstore.Options{User: "bench"})
		if err != nil {
			lite.Close()
			return err
		}
		progress("team: copying the backtest store of %s articles into PostgreSQL", thousands(n))
		t := time.Now()
		if _, err := pg.CopyFromSQLite(ctx, lite.DB(), nil); err != nil {
			lite.Close()
			pg.Close()
			return err
		}
		tr.Copies = append(tr.Copies, teamCopy{Size: n, Time: time.Since(t)})
		progress("team: copied in %s", secs(time.Since(t)))
		liteSvc, pgSvc := monitor.New(monitor.Config{Store: lite}), monitor.New(monitor.Config{Store: pg})
		for _, q := range backtestQueries {
			b := teamBacktest{Size: n, Query: q}
			var err error
			if b.LiteFirst, b.LiteRepeated, b.LiteScanned, b.LiteMatches, err = timeBacktest(cfg, liteSvc, q); err != nil {
				break
			}
			if b.PGFirst, b.PGRepeated, b.PGScanned, b.PGMatches, err = timeBacktest(cfg, pgSvc, q); err != nil {
				break
			}
			progress("team: backtest over %s: %-42s SQLite %s/%s, PostgreSQL %s/%s, %s/%s matches", thousands(n), q,
				secs(b.LiteFirst), secs(b.LiteRepeated), secs(b.PGFirst), secs(b.PGRepeated), thousands(b.LiteMatches), thousands(b.PGMatches))
			tr.Backtests = append(tr.Backtests, b)
		}
		liteSvc.Close()
		pgSvc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// timeBacktest times q's first call and the median of repeated ones.
func timeBacktest(cfg *config, svc *monitor.Service, q string) (first, repeated time.Duration, scanned, total int, err error) {
	ctx := context.Background()
	waitQuiet("a backtest")
	t := time.Now()
	bt, err := svc.Backtest(ctx, q, monitor.BacktestOptions{Limit: 20})
	if err != nil {
		return 0, 0, 0, 0, fmt.Errorf("backtest %s: %w", q, err)
	}
	first = time.Since(t)
	var times []time.Duration
	for start := time.Now(); len(times) < 3 || (time.Since(start) < cfg.matchTime && len(times) < 10); {
		t := time.Now()
		if _, err := svc.Backtest(ctx, q, monitor.BacktestOptions{Limit: 20}); err != nil {
			return 0, 0, 0, 0, err
		}
		times = append(times, time.Since(t))
	}
	slices.Sort(times)
	return first, times[len(times)/2], bt.Scanned, bt.Total, nil
}
