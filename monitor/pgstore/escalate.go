package pgstore

import (
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"codeberg.org/newswatch/newswatch/monitor"
)

// escalate marks the stories that reached the escalation setting of one
// of their topics as developing, once per story, numbered for the
// claims (the writer lock is held). It runs for stories that just gained
// a source, in the transaction that added it.
func (w *writer) escalate(ctx context.Context, tx pgx.Tx, stories []int64, now time.Time) error {
	for _, id := range stories {
		var at int64
		if err := tx.QueryRow(ctx, `SELECT developing_at FROM stories WHERE id = $1`, id).Scan(&at); err != nil || at != 0 {
			continue
		}
		type setting struct {
			topic int64
			esc   monitor.Escalation
		}
		var settings []setting
		rows, err := tx.Query(ctx, `SELECT DISTINCT t.id, t.escalate, t.escalate_sources, t.escalate_minutes
			FROM matches m JOIN topics t ON t.id = m.topic_id WHERE m.story_id = $1 ORDER BY t.id`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var st setting
			var on bool
			var n, minutes int
			if err := rows.Scan(&st.topic, &on, &n, &minutes); err != nil {
				rows.Close()
				return err
			}
			st.esc = monitor.Escalation{Off: !on, Sources: n, Within: time.Duration(minutes) * time.Minute}.Effective()
			if !st.esc.Off {
				settings = append(settings, st)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(settings) == 0 {
			continue
		}
		var firsts []time.Time
		rows, err = tx.Query(ctx, `SELECT min(published) FROM reports WHERE story_id = $1 GROUP BY source`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var t int64
			if err := rows.Scan(&t); err != nil {
				rows.Close()
				return err
			}
			firsts = append(firsts, time.UnixMilli(t))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		slices.SortFunc(firsts, time.Time.Compare)
		for _, st := range settings {
			n, span, ok := monitor.DevelopingWindow(firsts, st.esc, now)
			if !ok {
				continue
			}
			seq, err := w.nextSeq(ctx)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE stories SET developing_at = $1, developing_topic = $2, developing_sources = $3,
				developing_span = $4, developing_seq = $5 WHERE id = $6 AND developing_at = 0`,
				toMillis(now), st.topic, n, span.Milliseconds(), seq, id); err != nil {
				return err
			}
			w.notify = max(w.notify, seq)
			break
		}
	}
	return nil
}
