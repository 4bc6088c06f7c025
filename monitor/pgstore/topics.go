package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
)

// AddTopic stores a new topic and sets its ID. A personal topic
// (Owner set) belongs to its owner; names are unique among the team's
// topics and among each user's own.
func (s *Store) AddTopic(ctx context.Context, t *monitor.Topic) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		priority, delivery, spikes := policyColumns(t.Policy)
		on, n, minutes := escalationColumns(t.Escalation)
		err := tx.QueryRow(ctx, `INSERT INTO topics (owner, name, query, enabled, notify, color, created,
			escalate, escalate_sources, escalate_minutes, priority, delivery, spikes)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			t.Owner, t.Name, t.Query, t.Enabled, t.Notify, t.Color, toMillis(t.Created), on, n, minutes,
			priority, delivery, spikes).Scan(&t.ID)
		if isUnique(err) {
			return monitor.ErrExists
		}
		if err != nil {
			return fmt.Errorf("add topic: %w", err)
		}
		return nil
	})
}

// Topics lists every topic by name, the personal topics of every user
// too (the engine matches them all; see visibleTopics for what a user
// sees).
func (s *Store) Topics(ctx context.Context) ([]monitor.Topic, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, owner, name, query, enabled, notify, color, created,
		escalate, escalate_sources, escalate_minutes, priority, delivery, spikes FROM topics ORDER BY lower(name), owner, id`)
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	var out []monitor.Topic
	for rows.Next() {
		var t monitor.Topic
		var escalate, spikes bool
		var sources, minutes int
		var created int64
		var priority, delivery string
		if err := rows.Scan(&t.ID, &t.Owner, &t.Name, &t.Query, &t.Enabled, &t.Notify, &t.Color, &created, &escalate,
			&sources, &minutes, &priority, &delivery, &spikes); err != nil {
			return nil, err
		}
		t.Created = fromMillis(created)
		t.Escalation = monitor.Escalation{Off: !escalate, Sources: sources, Within: time.Duration(minutes) * time.Minute}
		t.Policy = policyOf(priority, delivery, spikes)
		out = append(out, t)
	}
	return out, s.explain(rows.Err())
}

// UpdateTopic saves a topic (its owner stays). Renaming it renames its
// stored matches too.
func (s *Store) UpdateTopic(ctx context.Context, t monitor.Topic) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		priority, delivery, spikes := policyColumns(t.Policy)
		on, n, minutes := escalationColumns(t.Escalation)
		tag, err := tx.Exec(ctx, `UPDATE topics SET name = $1, query = $2, enabled = $3, notify = $4, color = $5,
			escalate = $6, escalate_sources = $7, escalate_minutes = $8, priority = $9, delivery = $10, spikes = $11
			WHERE id = $12`,
			t.Name, t.Query, t.Enabled, t.Notify, t.Color, on, n, minutes, priority, delivery, spikes, t.ID)
		if isUnique(err) {
			return monitor.ErrExists
		}
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return monitor.ErrNotFound
		}
		_, err = tx.Exec(ctx, `UPDATE matches SET topic_name = $1 WHERE topic_id = $2 AND topic_name <> $1`, t.Name, t.ID)
		return err
	})
}

// RemoveTopic deletes a topic and its matches.
func (s *Store) RemoveTopic(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM topics WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return monitor.ErrNotFound
		}
		return nil
	})
}

// policyColumns are a topic's alert policy as stored (as in the SQLite
// store): its priority ("" for normal), its delivery ("" for now) and
// whether spikes are announced.
func policyColumns(p alert.Policy) (priority, delivery string, spikes bool) {
	if p.Delivery.Mode != alert.Now {
		delivery = p.Delivery.String()
	}
	return string(p.Priority), delivery, !p.SpikesOff
}

// policyOf reads a stored policy; what does not read is the default.
func policyOf(priority, delivery string, spikes bool) alert.Policy {
	p := alert.Policy{SpikesOff: !spikes}
	p.Priority, _ = alert.ParsePriority(priority)
	p.Delivery, _ = alert.ParseDelivery(delivery)
	return p
}

// escalationColumns are a topic's escalation as stored: on, sources and
// minutes (0: the default).
func escalationColumns(e monitor.Escalation) (on bool, sources, minutes int) {
	return !e.Off, max(0, e.Sources), max(0, int(e.Within/time.Minute))
}

// Setting returns a stored setting: the user's own for the alert
// switches (monitor.PersonalSetting), the team's otherwise.
func (s *Store) Setting(ctx context.Context, key string) (string, bool, error) {
	var v string
	var err error
	if monitor.PersonalSetting(key) {
		err = s.pool.QueryRow(ctx, `SELECT value FROM user_settings WHERE user_name = $1 AND key = $2`, s.user, key).Scan(&v)
	} else {
		err = s.pool.QueryRow(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, s.explain(err)
	}
	return v, true, nil
}

// SetSetting stores a setting (the user's own, or the team's).
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if monitor.PersonalSetting(key) {
			_, err := tx.Exec(ctx, `INSERT INTO user_settings (user_name, key, value) VALUES ($1, $2, $3)
				ON CONFLICT (user_name, key) DO UPDATE SET value = excluded.value`, s.user, key, value)
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		return err
	})
}
