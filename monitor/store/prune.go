package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/story"
)

// Prune deletes unmatched articles first seen and last listed before
// cutoff, unless their story has a match (a story in the timeline keeps
// every report). The stories that lost reports get their counts, dates
// and lead again; those left without one are deleted. Once a day the
// candidate index forgets postings older than a week.
func (s *Store) Prune(ctx context.Context, cutoff time.Time) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		// Listed still: by the feed's last body (last_listed), or by that
		// body while the feed has answered 304 since (listed_at).
		rows, err := tx.QueryContext(ctx, `SELECT a.id, coalesce(r.story_id, 0) FROM articles a
			LEFT JOIN reports r ON r.article_id = a.id
			WHERE a.first_seen < ?1 AND a.last_listed < ?1
			AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.article_id = a.id)
			AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.story_id = r.story_id)
			AND NOT EXISTS (SELECT 1 FROM feeds f WHERE f.id = a.feed_id
				AND f.listed_at = a.last_listed AND f.last_success >= ?1)`, toMillis(cutoff))
		if err != nil {
			return dbError(s.path, err)
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
		err = inChunks(ids, func(part []int64) error {
			res, err := tx.ExecContext(ctx, `DELETE FROM articles WHERE id IN (SELECT value FROM json_each(?))`, idsJSON(part))
			if err != nil {
				return err
			}
			k, _ := res.RowsAffected()
			n += k
			return nil
		})
		if err != nil {
			return dbError(s.path, err)
		}
		if err := recountStories(ctx, tx, stories); err != nil {
			return dbError(s.path, err)
		}
		if n > 0 {
			// Every process loads its story window anew: the IDs of
			// deleted articles may be given again.
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('story_gen', ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`, fmt.Sprint(time.Now().UnixNano())); err != nil {
				return dbError(s.path, err)
			}
		}
		if err := s.forgetKeys(ctx, tx); err != nil {
			return dbError(s.path, err)
		}
		// SQLite gives a new article the ID after the highest left: when
		// that is below the kept vocabulary's watermark, lower it, so
		// backtests scan the articles that get those IDs again in full.
		_, err = tx.ExecContext(ctx, `UPDATE fts_vocab_state
			SET watermark = min(watermark, (SELECT coalesce(max(id), 0) FROM articles))`)
		return dbError(s.path, err)
	})
	if n > 0 {
		var mark int64 = -1
		if s.db.QueryRowContext(ctx, `SELECT watermark FROM fts_vocab_state WHERE id = 1`).Scan(&mark) == nil {
			s.vocabMark.Store(mark)
			s.vocabMu.Lock()
			if s.vocab != nil && s.vocab.watermark > mark {
				s.vocab = nil // reload with the lower watermark
			}
			s.vocabMu.Unlock()
		}
	}
	return int(n), err
}

// recountStories sets the reports, sources, dates and lead of stories
// that lost reports, and deletes those that have none left.
func recountStories(ctx context.Context, tx *sql.Tx, stories []int64) error {
	return inChunks(stories, func(part []int64) error {
		list := idsJSON(part)
		if _, err := tx.ExecContext(ctx, `DELETE FROM stories WHERE id IN (SELECT value FROM json_each(?1))
			AND NOT EXISTS (SELECT 1 FROM reports WHERE story_id = stories.id)`, list); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE stories SET
			reports = (SELECT count(*) FROM reports WHERE story_id = stories.id),
			sources = (SELECT count(DISTINCT source) FROM reports WHERE story_id = stories.id),
			first_seen = (SELECT min(published) FROM reports WHERE story_id = stories.id),
			last_seen = (SELECT max(published) FROM reports WHERE story_id = stories.id),
			lead = CASE WHEN EXISTS (SELECT 1 FROM reports WHERE article_id = stories.lead) THEN lead
				ELSE (SELECT article_id FROM reports WHERE story_id = stories.id ORDER BY published, article_id LIMIT 1) END,
			title = CASE WHEN EXISTS (SELECT 1 FROM reports WHERE article_id = stories.lead) THEN title
				ELSE (SELECT a.title FROM reports r JOIN articles a ON a.id = r.article_id WHERE r.story_id = stories.id
					ORDER BY r.published, r.article_id LIMIT 1) END
			WHERE id IN (SELECT value FROM json_each(?1))`, list)
		return err
	})
}

// keysKept is how long story_feats keeps an article's story keys (and
// the window in memory holds them): the story window either way, and a
// day of margin for feeds that bring stories late.
const keysKept = story.Window*2 + 24*time.Hour

// forgetKeys deletes the story keys of articles older than keysKept
// before the newest (or now).
func (s *Store) forgetKeys(ctx context.Context, tx *sql.Tx) error {
	var newest int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(at), 0) FROM story_feats`).Scan(&newest); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM story_feats WHERE at < ?`, min(toMillis(time.Now()), newest)-keysKept.Milliseconds())
	return err
}
