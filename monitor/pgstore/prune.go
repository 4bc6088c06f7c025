package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Prune deletes unmatched articles first seen and last listed before
// cutoff, unless their story has a match, as the SQLite store does; the
// stories that lost reports get their counts, dates and lead again, and
// those left without one are deleted. Under the writer lock: every
// process loads its story window anew. The story keys and the log of
// checks older than their use are deleted too.
func (s *Store) Prune(ctx context.Context, cutoff time.Time) (int, error) {
	var n int64
	err := s.writeTx(ctx, func(tx pgx.Tx, w *writer) error {
		n = 0
		c := toMillis(cutoff)
		rows, err := tx.Query(ctx, `SELECT a.id, coalesce(r.story_id, 0) FROM articles a
			LEFT JOIN reports r ON r.article_id = a.id
			WHERE a.first_seen < $1 AND a.last_listed < $1
			AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.article_id = a.id)
			AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.story_id = r.story_id)
			AND NOT EXISTS (SELECT 1 FROM feeds f WHERE f.id = a.feed_id
				AND f.listed_at = a.last_listed AND f.last_success >= $1)`, c)
		if err != nil {
			return err
		}
		var ids, stories []int64
		seen := map[int64]bool{}
		for rows.Next() {
			var id, st int64
			if err := rows.Scan(&id, &st); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
			if st != 0 && !seen[st] {
				seen[st] = true
				stories = append(stories, st)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ids) > 0 {
			if err := w.lock(ctx); err != nil {
				return err
			}
			// Matched since it was read: kept.
			tag, err := tx.Exec(ctx, `DELETE FROM articles a WHERE a.id = ANY($1)
				AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.article_id = a.id)`, ids)
			if err != nil {
				return err
			}
			n = tag.RowsAffected()
			if err := recountStories(ctx, tx, stories); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO settings (key, value) VALUES ('story_gen', $1)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`, fmt.Sprint(time.Now().UnixNano())); err != nil {
				return err
			}
		}
		var newest int64
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(at), 0) FROM story_feats`).Scan(&newest); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM story_feats WHERE at < $1`,
			min(toMillis(time.Now()), newest)-keysKept.Milliseconds()); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM feed_checks WHERE at < $1`, toMillis(time.Now().Add(-checksKept)))
		return err
	})
	return int(n), err
}

// checksKept is how long the log of checks is kept.
const checksKept = 7 * 24 * time.Hour

// recountStories sets the reports, sources, dates and lead of stories
// that lost reports, and deletes those that have none left.
func recountStories(ctx context.Context, tx pgx.Tx, stories []int64) error {
	if len(stories) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `DELETE FROM stories s WHERE s.id = ANY($1)
		AND NOT EXISTS (SELECT 1 FROM reports WHERE story_id = s.id)`, stories); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE stories s SET
		reports = c.reports, sources = c.sources, first_seen = c.first_seen, last_seen = c.last_seen,
		lead = CASE WHEN EXISTS (SELECT 1 FROM reports WHERE article_id = s.lead) THEN s.lead ELSE c.first_article END,
		title = CASE WHEN EXISTS (SELECT 1 FROM reports WHERE article_id = s.lead) THEN s.title ELSE c.first_title END
		FROM (SELECT r.story_id, count(*) AS reports, count(DISTINCT r.source) AS sources,
				min(r.published) AS first_seen, max(r.published) AS last_seen,
				(array_agg(r.article_id ORDER BY r.published, r.article_id))[1] AS first_article,
				(array_agg(a.title ORDER BY r.published, r.article_id))[1] AS first_title
			FROM reports r JOIN articles a ON a.id = r.article_id WHERE r.story_id = ANY($1) GROUP BY r.story_id) c
		WHERE s.id = c.story_id`, stories)
	return err
}
