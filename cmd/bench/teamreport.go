//go:build linux

package main

import (
	"fmt"
	"time"
)

// teamRows are the team section's rows (team.go).
func (r *report) teamRows() []row {
	if r.teamErr != nil {
		return []row{{"Team database (PostgreSQL)", "error: " + oneLine(r.teamErr.Error()), "", "miss", ""}}
	}
	t := r.team
	if t == nil {
		return nil
	}
	var rows []row
	rate := func(d time.Duration) float64 { return float64(t.Feeds) / d.Seconds() }
	for _, c := range t.Cycles {
		rows = append(rows, row{fmt.Sprintf("Team cycle on PostgreSQL, %s feeds × %d items, %d poller(s) (`newswatch run --no-alerts` processes; this machine has %d cores)",
			thousands(t.Feeds), t.Items, c.Pollers, r.machine.Cores),
			fmt.Sprintf("cold %s (%.0f feeds/s, %s articles stored) · warm, every feed 304, %s (%.0f feeds/s) · the machine busy %.2f cores during the cold cycle (pollers, PostgreSQL, feed server)",
				secs(c.Cold), rate(c.Cold), thousands(c.Articles), secs(c.Warm), rate(c.Warm), c.Busy), "", "", ""})
	}
	if len(t.Cycles) >= 2 {
		one := t.Cycles[0]
		best := one
		for _, c := range t.Cycles[1:] {
			if c.Cold < best.Cold {
				best = c
			}
		}
		two := t.Cycles[1]
		q := ratio(one.Cold, two.Cold)
		v := ""
		for _, c := range t.Cycles[1:] {
			v += fmt.Sprintf("%d pollers: cold %.2f×, warm %.2f× the throughput of one · ", c.Pollers, ratio(one.Cold, c.Cold), ratio(one.Warm, c.Warm))
		}
		rows = append(rows, row{"Team cycle: throughput with more pollers",
			v + fmt.Sprintf("on %d cores shared with PostgreSQL and the feed server", r.machine.Cores),
			"2 pollers ≥ 1.5× the cold throughput of one", passMiss(q >= 1.5), ""}.with("2 pollers %.2f× the cold throughput of one (best: %d pollers, %.0f feeds/s)", q, best.Pollers, rate(best.Cold)))
	}
	if n := len(t.Listen); n > 0 {
		p50, p95 := percentile(t.Listen, 0.5), percentile(t.Listen, 0.95)
		rows = append(rows, row{"Team: a story stored → a desktop sees it (LISTEN/NOTIFY, then its claim)",
			fmt.Sprintf("p50 %s · p95 %s · max %s over %d stories (poller and follower in one process, one database)", secs(p50), secs(p95), secs(t.Listen[n-1]), n),
			"p95 < 2 s", passMiss(p95 < 2*time.Second), ""}.with("p95 %s (p50 %s)", secs(p95), secs(p50)))
	}
	for _, c := range t.Copies {
		rows = append(rows, row{fmt.Sprintf("Team: `newswatch migrate` of the backtest store, %s articles, into PostgreSQL", thousands(c.Size)),
			secs(c.Time), "", "", ""})
	}
	for _, b := range t.Backtests {
		rw := row{fmt.Sprintf("Backtest on PostgreSQL beside SQLite, %s articles: `%s`", thousands(b.Size), b.Query),
			fmt.Sprintf("PostgreSQL first %s · repeated %s · %s candidates · %s matches — SQLite first %s · repeated %s · %s candidates · %s matches",
				secs(b.PGFirst), secs(b.PGRepeated), thousands(b.PGScanned), thousands(b.PGMatches),
				secs(b.LiteFirst), secs(b.LiteRepeated), thousands(b.LiteScanned), thousands(b.LiteMatches)),
			"the same matches as SQLite", passMiss(b.PGMatches == b.LiteMatches), ""}.with(
			"%s matches on PostgreSQL, %s on SQLite (PostgreSQL first %s, repeated %s)", thousands(b.PGMatches), thousands(b.LiteMatches), secs(b.PGFirst), secs(b.PGRepeated))
		if b.Size >= 1_000_000 {
			rw.Target = "the same matches as SQLite; < 1 s (first and repeated)"
			rw.Result = passMiss(b.PGMatches == b.LiteMatches && b.PGFirst < time.Second && b.PGRepeated < time.Second)
		}
		rows = append(rows, rw)
	}
	return rows
}
