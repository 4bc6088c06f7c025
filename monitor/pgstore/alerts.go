package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
)

// DecideAlerts runs one round of the user's alert decisions in one
// transaction, committed (synchronously, PostgreSQL's default) before it
// returns: the claim, the state the decisions read (the user's pending
// alerts, topic states and feed coverage) and what they decided are
// committed together or not at all. The user's row is locked first, so
// two processes of the same user take turns.
func (s *Store) DecideAlerts(ctx context.Context, now time.Time, claim bool, decide func(monitor.AlertRound) (alert.Output, error)) (monitor.AlertResult, error) {
	var res monitor.AlertResult
	err := s.tx(ctx, func(tx pgx.Tx) error {
		res = monitor.AlertResult{}
		r := monitor.AlertRound{Volume: volumeReader{ctx: ctx, db: tx}}
		var err error
		if claim {
			if r.Claimed, err = s.claim(ctx, tx); err != nil {
				return err
			}
		} else if _, err := tx.Exec(ctx, `SELECT 1 FROM users WHERE name = $1 FOR UPDATE`, s.user); err != nil {
			return err
		}
		if r.Pending, err = queryAlerts(ctx, tx, `WHERE user_name = $1 AND status = 'pending' ORDER BY due, id`, s.user); err != nil {
			return err
		}
		if r.Topics, err = s.topicStates(ctx, tx); err != nil {
			return err
		}
		if r.Coverage, err = s.feedCoverage(ctx, tx); err != nil {
			return err
		}
		out, err := decide(r)
		if err != nil {
			return err
		}
		if err := s.recordDecisions(ctx, tx, &out); err != nil {
			return err
		}
		res.Claimed, res.Alerts = r.Claimed, out.Alerts
		return nil
	})
	if err != nil {
		return monitor.AlertResult{}, err
	}
	return res, nil
}

// recordDecisions writes a round's decisions for the user.
func (s *Store) recordDecisions(ctx context.Context, tx pgx.Tx, out *alert.Output) error {
	for i := range out.Alerts {
		a := &out.Alerts[i]
		stories, _ := json.Marshal(nonNilIDs(a.Stories))
		if err := tx.QueryRow(ctx, `INSERT INTO alert_history (user_name, at, kind, topic_id, topic_name, feed_id, feed_name,
			coverage, priority, title, body, stories, urgency, sound, status, reason, due)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
			s.user, toMillis(a.At), string(a.Kind), a.TopicID, a.TopicName, a.FeedID, a.FeedName,
			string(a.Coverage), string(a.Priority), a.Title.Encode(), a.Body.Encode(), string(stories), int(a.Urgency),
			a.Sound, string(a.Status), string(a.Reason), toMillis(a.Due)).Scan(&a.ID); err != nil {
			return err
		}
	}
	for pending, i := range out.Gathered {
		if _, err := tx.Exec(ctx, `UPDATE alert_history SET status = 'gathered', summary_id = $1
			WHERE id = $2 AND user_name = $3 AND status = 'pending'`, out.Alerts[i].ID, pending, s.user); err != nil {
			return err
		}
	}
	for id, st := range out.State {
		if _, err := tx.Exec(ctx, `INSERT INTO topic_alerts (user_name, topic_id, last_shown, spike_at, significant)
			SELECT $1, id, $3, $4, $5 FROM topics WHERE id = $2
			ON CONFLICT (user_name, topic_id) DO UPDATE SET last_shown = $3, spike_at = $4, significant = $5`,
			s.user, id, toMillis(st.LastShown), toMillis(st.SpikeAt), toMillis(st.Significant)); err != nil {
			return err
		}
	}
	for id, st := range out.Coverage {
		if _, err := tx.Exec(ctx, `INSERT INTO feed_coverage (user_name, feed_id, coverage, since)
			SELECT $1, id, $3, $4 FROM feeds WHERE id = $2
			ON CONFLICT (user_name, feed_id) DO UPDATE SET coverage = $3, since = $4`,
			s.user, id, string(st.Coverage), toMillis(st.Since)); err != nil {
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

func (s *Store) topicStates(ctx context.Context, tx pgx.Tx) (map[int64]alert.TopicState, error) {
	rows, err := tx.Query(ctx, `SELECT topic_id, last_shown, spike_at, significant FROM topic_alerts WHERE user_name = $1`, s.user)
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

func (s *Store) feedCoverage(ctx context.Context, tx pgx.Tx) (map[int64]alert.FeedState, error) {
	rows, err := tx.Query(ctx, `SELECT feed_id, coverage, since FROM feed_coverage WHERE user_name = $1 AND coverage <> ''`, s.user)
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
	rows, err := db.Query(ctx, `SELECT `+monitor.AlertColumns+` FROM alert_history `+tail, args...)
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

// NextDue is when the user's first pending alert is due.
func (s *Store) NextDue(ctx context.Context) (time.Time, error) {
	var due *int64
	err := s.pool.QueryRow(ctx, `SELECT min(due) FROM alert_history WHERE user_name = $1 AND status = 'pending'`, s.user).Scan(&due)
	if err != nil || due == nil {
		return time.Time{}, s.explain(err)
	}
	return fromMillis(*due), nil
}

// AlertHistory lists the user's recorded alerts, newest first.
func (s *Store) AlertHistory(ctx context.Context, f monitor.AlertFilter) ([]alert.Alert, error) {
	conds := []string{"user_name = $1"}
	args := []any{s.user}
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if !f.Since.IsZero() {
		add("at >= $%d", toMillis(f.Since))
	}
	if !f.Until.IsZero() {
		add("at < $%d", toMillis(f.Until))
	}
	if f.TopicID != 0 {
		add("topic_id = $%d", f.TopicID)
	}
	if f.FeedID != 0 {
		add("feed_id = $%d", f.FeedID)
	}
	if len(f.Kinds) > 0 {
		kinds := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			kinds[i] = string(k)
		}
		add("kind = ANY($%d)", kinds)
	}
	tail := "WHERE " + strings.Join(conds, " AND ") + " ORDER BY at DESC, id DESC"
	if f.Limit > 0 {
		tail += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	out, err := queryAlerts(ctx, s.pool, tail, args...)
	return out, s.explain(err)
}

// DeleteAlerts deletes the user's recorded alerts, never pending ones.
func (s *Store) DeleteAlerts(ctx context.Context, ids []int64) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM alert_history WHERE user_name = $1 AND status <> 'pending' AND id = ANY($2)`,
			s.user, ids)
		n = tag.RowsAffected()
		return err
	})
	return int(n), err
}
