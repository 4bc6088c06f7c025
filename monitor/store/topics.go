package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
)

// AddTopic stores a new topic and sets its ID.
func (s *Store) AddTopic(ctx context.Context, t *monitor.Topic) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		priority, delivery, spikes := policyColumns(t.Policy)
		on, n, minutes := escalationColumns(t.Escalation)
		res, err := tx.ExecContext(ctx, `INSERT INTO topics (name, query, enabled, notify, color, created,
			escalate, escalate_sources, escalate_minutes, priority, delivery, spikes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			t.Name, t.Query, boolInt(t.Enabled), boolInt(t.Notify), t.Color, toMillis(t.Created), on, n, minutes,
			priority, delivery, spikes)
		if isUnique(err) {
			return monitor.ErrExists
		}
		if err != nil {
			return dbError(s.path, fmt.Errorf("add topic: %w", err))
		}
		t.ID, err = res.LastInsertId()
		return err
	})
}

// Topics lists the topics by name.
func (s *Store) Topics(ctx context.Context) ([]monitor.Topic, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, query, enabled, notify, color, created,
		escalate, escalate_sources, escalate_minutes, priority, delivery, spikes FROM topics ORDER BY name COLLATE NOCASE`)
	if err != nil {
		return nil, dbError(s.path, err)
	}
	defer rows.Close()
	var out []monitor.Topic
	for rows.Next() {
		var t monitor.Topic
		var enabled, notify, escalate, sources, minutes, spikes int
		var created int64
		var priority, delivery string
		if err := rows.Scan(&t.ID, &t.Name, &t.Query, &enabled, &notify, &t.Color, &created, &escalate, &sources, &minutes,
			&priority, &delivery, &spikes); err != nil {
			return nil, err
		}
		t.Enabled, t.Notify, t.Created = enabled != 0, notify != 0, fromMillis(created)
		t.Escalation = monitor.Escalation{Off: escalate == 0, Sources: sources, Within: time.Duration(minutes) * time.Minute}
		t.Policy = policyOf(priority, delivery, spikes)
		out = append(out, t)
	}
	return out, rows.Err()
}

// UpdateTopic saves a topic. Renaming it renames its stored matches too.
func (s *Store) UpdateTopic(ctx context.Context, t monitor.Topic) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		priority, delivery, spikes := policyColumns(t.Policy)
		on, n, minutes := escalationColumns(t.Escalation)
		res, err := tx.ExecContext(ctx, `UPDATE topics SET name = ?, query = ?, enabled = ?, notify = ?, color = ?,
			escalate = ?, escalate_sources = ?, escalate_minutes = ?, priority = ?, delivery = ?, spikes = ? WHERE id = ?`,
			t.Name, t.Query, boolInt(t.Enabled), boolInt(t.Notify), t.Color, on, n, minutes, priority, delivery, spikes, t.ID)
		if isUnique(err) {
			return monitor.ErrExists
		}
		if err != nil {
			return dbError(s.path, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return monitor.ErrNotFound
		}
		_, err = tx.ExecContext(ctx, `UPDATE matches SET topic_name = ? WHERE topic_id = ?`, t.Name, t.ID)
		return err
	})
}

// policyColumns are a topic's alert policy as stored: its priority
// ("" for normal), its delivery ("" for now, else as ParseDelivery reads
// it) and whether spikes are announced.
func policyColumns(p alert.Policy) (priority, delivery string, spikes int) {
	if p.Delivery.Mode != alert.Now {
		delivery = p.Delivery.String()
	}
	return string(p.Priority), delivery, boolInt(!p.SpikesOff)
}

// policyOf reads a stored policy; what does not read (written by a newer
// version) is the default.
func policyOf(priority, delivery string, spikes int) alert.Policy {
	p := alert.Policy{SpikesOff: spikes == 0}
	p.Priority, _ = alert.ParsePriority(priority)
	p.Delivery, _ = alert.ParseDelivery(delivery)
	return p
}

// escalationColumns are a topic's escalation as stored: on, sources and
// minutes (0: the default).
func escalationColumns(e monitor.Escalation) (on, sources, minutes int) {
	return boolInt(!e.Off), max(0, e.Sources), max(0, int(e.Within/time.Minute))
}

// RemoveTopic deletes a topic and its matches.
func (s *Store) RemoveTopic(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM topics WHERE id = ?`, id)
		if err != nil {
			return dbError(s.path, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return monitor.ErrNotFound
		}
		return nil
	})
}

// Setting returns a stored setting.
func (s *Store) Setting(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, dbError(s.path, err)
	}
	return v, true, nil
}

// SetSetting stores a setting.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		if err != nil {
			return dbError(s.path, err)
		}
		return nil
	})
}
