package store

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
)

// escalate marks the stories that reached the escalation setting of one
// of their topics (N distinct sources whose first reports fall within T,
// the last of them no longer than T ago) as developing, once per story;
// ClaimAlerts announces them. It runs for stories that just gained a
// source, in the transaction that added it.
func (s *Store) escalate(ctx context.Context, tx *sql.Tx, stories []int64, now time.Time) error {
	if len(stories) == 0 {
		return nil
	}
	done, err := s.prepared(ctx, tx, `SELECT developing_at FROM stories WHERE id = ?`)
	if err != nil {
		return err
	}
	topicsQ, err := s.prepared(ctx, tx, `SELECT DISTINCT t.id, t.escalate, t.escalate_sources, t.escalate_minutes
		FROM matches m JOIN topics t ON t.id = m.topic_id WHERE m.story_id = ? ORDER BY t.id`)
	if err != nil {
		return err
	}
	firstQ, err := s.prepared(ctx, tx, `SELECT min(published) FROM reports WHERE story_id = ? GROUP BY source`)
	if err != nil {
		return err
	}
	mark, err := s.prepared(ctx, tx, `UPDATE stories SET developing_at = ?, developing_topic = ?, developing_sources = ?,
		developing_span = ? WHERE id = ? AND developing_at = 0`)
	if err != nil {
		return err
	}
	for _, id := range stories {
		var at int64
		if err := done.QueryRowContext(ctx, id).Scan(&at); err != nil || at != 0 {
			continue
		}
		type setting struct {
			topic int64
			esc   monitor.Escalation
		}
		var settings []setting
		rows, err := topicsQ.QueryContext(ctx, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var st setting
			var on, n, minutes int
			if err := rows.Scan(&st.topic, &on, &n, &minutes); err != nil {
				rows.Close()
				return err
			}
			st.esc = monitor.Escalation{Off: on == 0, Sources: n, Within: time.Duration(minutes) * time.Minute}.Effective()
			if !st.esc.Off {
				settings = append(settings, st)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(settings) == 0 {
			if err != nil {
				return err
			}
			continue
		}
		var firsts []int64
		if rows, err = firstQ.QueryContext(ctx, id); err != nil {
			return err
		}
		for rows.Next() {
			var t int64
			if err := rows.Scan(&t); err != nil {
				rows.Close()
				return err
			}
			firsts = append(firsts, t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		slices.Sort(firsts)
		for _, st := range settings {
			n, span, ok := developing(firsts, st.esc, now)
			if !ok {
				continue
			}
			if _, err := mark.ExecContext(ctx, toMillis(now), st.topic, n, span.Milliseconds(), id); err != nil {
				return err
			}
			break
		}
	}
	return nil
}

// developing finds a window of esc.Within holding the first reports of
// at least esc.Sources sources (times in ms, sorted), ending no longer
// than esc.Within before now: how many sources it holds and its span.
func developing(firsts []int64, esc monitor.Escalation, now time.Time) (int, time.Duration, bool) {
	within := esc.Within.Milliseconds()
	recent := toMillis(now) - within
	best, bestSpan, found := 0, int64(0), false
	i := 0
	for j := range firsts {
		for firsts[j]-firsts[i] > within {
			i++
		}
		if n := j - i + 1; n >= esc.Sources && firsts[j] >= recent && n >= best {
			best, bestSpan, found = n, firsts[j]-firsts[i], true
		}
	}
	return best, time.Duration(bestSpan) * time.Millisecond, found
}
