package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
)

const matchColumns = `m.id, m.topic_id, m.topic_name, m.hits, m.matched_at, m.read, m.starred, m.backlog, `

func (s *Store) queryMatches(ctx context.Context, db querier, where string, args []any, tail string) ([]monitor.Match, error) {
	q := `SELECT ` + matchColumns + articleColumns + ` FROM matches m JOIN articles a ON a.id = m.article_id`
	if where != "" {
		q += ` WHERE ` + where
	}
	rows, err := db.QueryContext(ctx, q+` `+tail, args...)
	if err != nil {
		return nil, dbError(s.path, err)
	}
	defer rows.Close()
	var out []monitor.Match
	for rows.Next() {
		var m monitor.Match
		var hits, cats string
		var matchedAt, published, known, firstSeen int64
		var read, starred, backlog int
		dest := []any{&m.ID, &m.TopicID, &m.TopicName, &hits, &matchedAt, &read, &starred, &backlog}
		if err := rows.Scan(scanArticle(dest, &m.Article, &cats, &published, &known, &firstSeen)...); err != nil {
			return nil, err
		}
		finishArticle(&m.Article, cats, published, known, firstSeen)
		_ = json.Unmarshal([]byte(hits), &m.Hits)
		m.MatchedAt, m.Read, m.Starred, m.Backlog = fromMillis(matchedAt), read != 0, starred != 0, backlog != 0
		out = append(out, m)
	}
	return out, rows.Err()
}

// Matches lists matches, newest story first.
func (s *Store) Matches(ctx context.Context, f monitor.Filter) ([]monitor.Match, error) {
	conds, args := filterConds(f, true)
	tail := `ORDER BY a.published DESC, a.id DESC, m.topic_name COLLATE NOCASE`
	if f.Limit > 0 {
		tail += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	return s.queryMatches(ctx, s.db, strings.Join(conds, " AND "), args, tail)
}

// ClaimAlerts marks every pending match as alerted and returns them, oldest
// first. Claiming happens in one transaction, so two processes never
// claim the same match, and it is written durably (fsynced) before the
// matches are returned to be announced, so even a power loss right after
// cannot bring them back. That one sync also makes the cycle's earlier
// transactions durable. (The engine claims with DecideAlerts, which
// records its alert decisions in the same transaction.)
func (s *Store) ClaimAlerts(ctx context.Context, now time.Time) ([]monitor.Match, error) {
	var out []monitor.Match
	err := s.writeDurable(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.claim(ctx, tx, now)
		return err
	})
	if err != nil {
		return nil, err // not claimed: never announce what may come again
	}
	return out, nil
}

// claim marks every pending match as alerted inside tx and returns them,
// oldest first.
func (s *Store) claim(ctx context.Context, tx *sql.Tx, now time.Time) ([]monitor.Match, error) {
	pending, err := s.queryMatches(ctx, tx, "m.alert_id IS NULL", nil, "ORDER BY m.id")
	if err != nil || len(pending) == 0 {
		return nil, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO alerts (at, silent, matches) VALUES (?, 0, ?)`, toMillis(now), len(pending))
	if err != nil {
		return nil, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE matches SET alert_id = ? WHERE alert_id IS NULL AND id <= ?`,
		id, pending[len(pending)-1].ID); err != nil {
		return nil, err
	}
	return pending, nil
}

// AddMatches stores matches of already stored articles (a topic applied to
// the past) under a silent alert, so they are never announced.
func (s *Store) AddMatches(ctx context.Context, ms []monitor.Match) (int, error) {
	var n int
	err := s.write(ctx, func(tx *sql.Tx) error {
		if len(ms) == 0 {
			return nil
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO alerts (at, silent, matches) VALUES (?, 1, ?)`,
			toMillis(ms[0].MatchedAt), len(ms))
		if err != nil {
			return dbError(s.path, err)
		}
		alertID, err := res.LastInsertId()
		if err != nil {
			return err
		}
		// Key the articles by ID: stored articles are already unique.
		keyed := make([]monitor.Match, len(ms))
		ids := make(map[string]int64, len(ms))
		for i, m := range ms {
			m.Article.Key = "id:" + strconv.FormatInt(m.Article.ID, 10)
			ids[m.Article.Key] = m.Article.ID
			keyed[i] = m
		}
		stored, err := insertMatches(ctx, tx, keyed, ids, false, alertID)
		n = len(stored)
		return err
	})
	return n, err
}
