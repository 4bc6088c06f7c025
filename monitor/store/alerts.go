package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
)

// DecideAlerts runs one round of alert decisions in one write
// transaction, synced to disk (as ClaimAlerts): the claim, the state
// the decisions read, and what they decided are committed together or
// not at all.
func (s *Store) DecideAlerts(ctx context.Context, now time.Time, claim bool, decide func(monitor.AlertRound) (alert.Output, error)) (monitor.AlertResult, error) {
	var res monitor.AlertResult
	err := s.writeDurable(ctx, func(tx *sql.Tx) error {
		res = monitor.AlertResult{}
		r := monitor.AlertRound{Volume: volumeReader{ctx: ctx, db: tx}}
		var err error
		if claim {
			if r.Claimed, err = s.claim(ctx, tx, now); err != nil {
				return err
			}
		}
		if r.Pending, err = queryAlerts(ctx, tx, `WHERE status = 'pending' ORDER BY due, id`); err != nil {
			return err
		}
		if r.Topics, err = topicStates(ctx, tx); err != nil {
			return err
		}
		if r.Coverage, err = feedCoverage(ctx, tx); err != nil {
			return err
		}
		out, err := decide(r)
		if err != nil {
			return err
		}
		if err := recordDecisions(ctx, tx, &out); err != nil {
			return err
		}
		res.Claimed, res.Alerts = r.Claimed, out.Alerts
		return nil
	})
	if err != nil {
		return monitor.AlertResult{}, err // nothing claimed or recorded
	}
	return res, nil
}

// recordDecisions writes a round's decisions: the alerts (their IDs are
// set in out), the pending alerts a summary took up, and the changed
// topic states and feed coverage.
func recordDecisions(ctx context.Context, tx *sql.Tx, out *alert.Output) error {
	if len(out.Alerts) > 0 {
		ins, err := tx.PrepareContext(ctx, `INSERT INTO alert_history (at, kind, topic_id, topic_name, feed_id, feed_name,
			coverage, priority, title, body, stories, urgency, sound, status, reason, due)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		for i := range out.Alerts {
			a := &out.Alerts[i]
			stories, _ := json.Marshal(nonNilIDs(a.Stories))
			res, err := ins.ExecContext(ctx, toMillis(a.At), string(a.Kind), a.TopicID, a.TopicName, a.FeedID, a.FeedName,
				string(a.Coverage), string(a.Priority), a.Title.Encode(), a.Body.Encode(), string(stories), int(a.Urgency),
				a.Sound, string(a.Status), string(a.Reason), toMillis(a.Due))
			if err != nil {
				return err
			}
			if a.ID, err = res.LastInsertId(); err != nil {
				return err
			}
		}
	}
	for pending, i := range out.Gathered {
		if _, err := tx.ExecContext(ctx, `UPDATE alert_history SET status = 'gathered', summary_id = ? WHERE id = ? AND status = 'pending'`,
			out.Alerts[i].ID, pending); err != nil {
			return err
		}
	}
	for id, st := range out.State {
		if _, err := tx.ExecContext(ctx, `INSERT INTO topic_alerts (topic_id, last_shown, spike_at, significant)
			SELECT id, ?2, ?3, ?4 FROM topics WHERE id = ?1
			ON CONFLICT (topic_id) DO UPDATE SET last_shown = ?2, spike_at = ?3, significant = ?4`,
			id, toMillis(st.LastShown), toMillis(st.SpikeAt), toMillis(st.Significant)); err != nil {
			return err
		}
	}
	for id, st := range out.Coverage {
		if _, err := tx.ExecContext(ctx, `UPDATE feeds SET coverage = ?, coverage_since = ? WHERE id = ?`,
			string(st.Coverage), toMillis(st.Since), id); err != nil {
			return err
		}
	}
	return nil
}

func nonNilIDs(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

func topicStates(ctx context.Context, tx *sql.Tx) (map[int64]alert.TopicState, error) {
	rows, err := tx.QueryContext(ctx, `SELECT topic_id, last_shown, spike_at, significant FROM topic_alerts`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]alert.TopicState{}
	for rows.Next() {
		var id, shown, spike, sig int64
		if err := rows.Scan(&id, &shown, &spike, &sig); err != nil {
			return nil, err
		}
		out[id] = alert.TopicState{LastShown: fromMillis(shown), SpikeAt: fromMillis(spike), Significant: fromMillis(sig)}
	}
	return out, rows.Err()
}

func feedCoverage(ctx context.Context, tx *sql.Tx) (map[int64]alert.FeedState, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, coverage, coverage_since FROM feeds WHERE coverage <> ''`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]alert.FeedState{}
	for rows.Next() {
		var id, since int64
		var c string
		if err := rows.Scan(&id, &c, &since); err != nil {
			return nil, err
		}
		out[id] = alert.FeedState{Coverage: alert.Coverage(c), Since: fromMillis(since)}
	}
	return out, rows.Err()
}

// queryAlerts reads alerts; tail is the WHERE and ORDER clauses.
func queryAlerts(ctx context.Context, db querier, tail string, args ...any) ([]alert.Alert, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+monitor.AlertColumns+` FROM alert_history `+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []alert.Alert
	for rows.Next() {
		a, err := monitor.ScanAlert(rows.Scan)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// NextDue is when the first pending alert is due.
func (s *Store) NextDue(ctx context.Context) (time.Time, error) {
	var due sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT min(due) FROM alert_history WHERE status = 'pending'`).Scan(&due)
	if err != nil {
		return time.Time{}, dbError(s.path, err)
	}
	return fromMillis(due.Int64), nil
}

// AlertHistory lists recorded alerts, newest first.
func (s *Store) AlertHistory(ctx context.Context, f monitor.AlertFilter) ([]alert.Alert, error) {
	var conds []string
	var args []any
	if !f.Since.IsZero() {
		conds, args = append(conds, "at >= ?"), append(args, toMillis(f.Since))
	}
	if !f.Until.IsZero() {
		conds, args = append(conds, "at < ?"), append(args, toMillis(f.Until))
	}
	if f.TopicID != 0 {
		conds, args = append(conds, "topic_id = ?"), append(args, f.TopicID)
	}
	if f.FeedID != 0 {
		conds, args = append(conds, "feed_id = ?"), append(args, f.FeedID)
	}
	if len(f.Kinds) > 0 {
		kinds, _ := json.Marshal(f.Kinds)
		conds, args = append(conds, "kind IN (SELECT value FROM json_each(?))"), append(args, string(kinds))
	}
	tail := ""
	if len(conds) > 0 {
		tail = "WHERE " + strings.Join(conds, " AND ")
	}
	tail += " ORDER BY at DESC, id DESC"
	if f.Limit > 0 {
		tail += " LIMIT ?"
		args = append(args, f.Limit)
	}
	out, err := queryAlerts(ctx, s.db, tail, args...)
	return out, dbError(s.path, err)
}

// DeleteAlerts deletes recorded alerts, but never pending ones.
func (s *Store) DeleteAlerts(ctx context.Context, ids []int64) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM alert_history WHERE status <> 'pending'
			AND id IN (SELECT value FROM json_each(?))`, idsJSON(ids))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
