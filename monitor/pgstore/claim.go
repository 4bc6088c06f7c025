package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"codeberg.org/newswatch/newswatch/monitor"
)

// Claims. Each user has a place in the numbered events (users): the
// matches and developing stories numbered after it are theirs to be
// alerted of. A claim takes them all, in one transaction that locks the
// user's row, and moves the place past them; the numbers grow in commit
// order (writer.go), so a match committed later always gets a higher
// number than any claimed: each match is claimed once per user, ever.
// A user starts at the number of the day they first opened the database
// (no flood of old alerts).

// register records the user, starting at the newest number, unless known.
func (s *Store) register(ctx context.Context) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		var known bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE name = $1)`, s.user).Scan(&known); err != nil || known {
			return err
		}
		// Under the writer lock no number is taken but not committed.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockWriter); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO users (name, registered_seq, claimed_seq, developing_seq, created)
			SELECT $1, v, v, v, $2 FROM (SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS v FROM event_seq) n
			ON CONFLICT (name) DO NOTHING`, s.user, time.Now().UnixMilli())
		return err
	})
}

// ClaimAlerts takes every match and developing story numbered after the
// user's place, of the topics they see, and returns them: each is
// returned to the user by exactly one call, ever.
func (s *Store) ClaimAlerts(ctx context.Context, now time.Time) (monitor.Claimed, error) {
	var out monitor.Claimed
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = s.claim(ctx, tx)
		return err
	})
	if err != nil {
		return monitor.Claimed{}, err
	}
	return out, nil
}

// claim claims inside tx. A match is a new story for its topic when no
// match of its story for that topic was claimed by the user before
// (silent matches are never claimed).
func (s *Store) claim(ctx context.Context, tx pgx.Tx) (monitor.Claimed, error) {
	var out monitor.Claimed
	var claimed, registered, devSeq int64
	err := tx.QueryRow(ctx, `SELECT claimed_seq, registered_seq, developing_seq FROM users WHERE name = $1 FOR UPDATE`,
		s.user).Scan(&claimed, &registered, &devSeq)
	if errors.Is(err, pgx.ErrNoRows) {
		return out, fmt.Errorf("the user %q is not registered in the team database", s.user)
	}
	if err != nil {
		return out, err
	}
	// One statement: one snapshot, so the numbers read are all that
	// committed before it.
	rows, err := queryMatches(ctx, tx, "m.seq > $2", []any{s.user, claimed}, "ORDER BY m.seq")
	if err != nil {
		return out, err
	}
	newClaimed := claimed
	for _, m := range rows {
		newClaimed = max(newClaimed, m.seq)
		if s.Sees(m.owner) {
			out.Matches = append(out.Matches, m.Match)
		}
	}
	developing, newDev, err := s.pendingDeveloping(ctx, tx, devSeq)
	if err != nil {
		return out, err
	}
	out.Developing = developing
	type pair struct{ story, topic int64 }
	counted := map[pair]bool{}
	for _, m := range out.Matches {
		p := pair{m.Article.StoryID, m.TopicID}
		if counted[p] {
			continue
		}
		counted[p] = true
		var before bool
		if p.story != 0 {
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM matches WHERE story_id = $1 AND topic_id = $2
				AND seq > $3 AND seq <= $4)`, p.story, p.topic, registered, claimed).Scan(&before); err != nil {
				return out, err
			}
		}
		if !before {
			out.NewStories = append(out.NewStories, m)
		}
	}
	if newClaimed != claimed || newDev != devSeq {
		if _, err := tx.Exec(ctx, `UPDATE users SET claimed_seq = $2, developing_seq = $3 WHERE name = $1`,
			s.user, newClaimed, newDev); err != nil {
			return out, err
		}
	}
	return out, nil
}

// Sees reports whether the user sees topics of this owner.
func (s *Store) Sees(owner string) bool {
	if s.mineOnly.Load() {
		return owner == s.user
	}
	return owner == "" || owner == s.user
}

// pendingDeveloping lists the developing stories numbered after since,
// of topics the user sees, with their lead reports, and the newest
// number read.
func (s *Store) pendingDeveloping(ctx context.Context, tx pgx.Tx, since int64) ([]monitor.Developing, int64, error) {
	rows, err := tx.Query(ctx, `SELECT s.id, s.title, s.developing_topic, coalesce(t.name, ''), coalesce(t.owner, ''),
		s.developing_sources, s.developing_span, s.developing_at, s.developing_seq,
		coalesce(a.id, 0), coalesce(a.feed_id, 0), coalesce(a.feed_name, ''), coalesce(a.key, ''), coalesce(a.link, ''),
		coalesce(a.title, ''), coalesce(a.summary, ''), coalesce(a.content, ''), coalesce(a.author, ''),
		coalesce(a.categories, '[]'), coalesce(a.published, 0), coalesce(a.published_known, false),
		coalesce(a.first_seen, 0), coalesce(a.full_text, '')
		FROM stories s LEFT JOIN topics t ON t.id = s.developing_topic LEFT JOIN articles a ON a.id = s.lead
		WHERE s.developing_seq > $1 ORDER BY s.developing_seq`, since)
	if err != nil {
		return nil, since, err
	}
	defer rows.Close()
	var out []monitor.Developing
	newest := since
	for rows.Next() {
		var d monitor.Developing
		var owner string
		var span, at, seq int64
		var sc articleScan
		if err := rows.Scan(sc.dest(&d.Lead, &d.StoryID, &d.Headline, &d.TopicID, &d.TopicName, &owner, &d.Sources,
			&span, &at, &seq)...); err != nil {
			return nil, since, err
		}
		sc.finish()
		newest = max(newest, seq)
		if !s.Sees(owner) {
			continue
		}
		d.Span, d.At = time.Duration(span)*time.Millisecond, fromMillis(at)
		d.Lead.StoryID = d.StoryID
		out = append(out, d)
	}
	return out, newest, rows.Err()
}
