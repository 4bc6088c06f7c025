package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// The pages of full text, as in the SQLite store: state 0 waiting, 1
// being read by owner, 2 read, 3 missed (why in note). Every poller takes
// from the same queue; a page is claimed before it is read.
const (
	pageRead   = 2
	pageMissed = 3
)

// queuePages queues the pages of the fetch's new articles inside its
// transaction.
func queuePages(ctx context.Context, tx pgx.Tx, r monitor.FetchResult, ids map[string]int64) error {
	queued := 0
	for _, a := range r.Articles {
		id, ok := ids[a.Key]
		if !ok || a.Link == "" {
			continue
		}
		if queued++; queued > monitor.MaxPagesPerFetch {
			break
		}
		if _, err := tx.Exec(ctx, `INSERT INTO pages (article_id, feed_id, backlog, at) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING`, id, r.Feed.ID, r.Backlog, toMillis(r.Feed.LastFetch)); err != nil {
			return fmt.Errorf("queue page: %w", err)
		}
	}
	return nil
}

// PendingPages lists up to limit waiting pages, oldest first.
func (s *Store) PendingPages(ctx context.Context, limit int) ([]monitor.PageJob, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+articleColumns+`, coalesce(f.url, ''), p.backlog
		FROM pages p JOIN articles a ON a.id = p.article_id LEFT JOIN feeds f ON f.id = a.feed_id
		WHERE p.state = 0 ORDER BY p.article_id LIMIT $1`, limit)
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	var out []monitor.PageJob
	for rows.Next() {
		var j monitor.PageJob
		var sc articleScan
		if err := rows.Scan(append(sc.dest(&j.Article), &j.FeedURL, &j.Backlog)...); err != nil {
			return nil, err
		}
		sc.finish()
		out = append(out, j)
	}
	return out, s.explain(rows.Err())
}

// ClaimPage marks a waiting page as being read by owner.
func (s *Store) ClaimPage(ctx context.Context, articleID int64, owner string, at time.Time) (bool, error) {
	return s.pageUpdate(ctx, `UPDATE pages SET state = 1, owner = $1, at = $2 WHERE article_id = $3 AND state = 0`,
		owner, toMillis(at), articleID)
}

// ReleasePage puts a page owner claimed back in the queue.
func (s *Store) ReleasePage(ctx context.Context, articleID int64, owner string) error {
	_, err := s.pageUpdate(ctx, `UPDATE pages SET state = 0, owner = '' WHERE article_id = $1 AND state = 1 AND owner = $2`,
		articleID, owner)
	return err
}

// GiveUpPage records that a page owner was reading is missed, with why.
func (s *Store) GiveUpPage(ctx context.Context, articleID int64, owner string, why msg.Message, at time.Time) (bool, error) {
	return s.pageUpdate(ctx, `UPDATE pages SET state = 3, note = $1, at = $2 WHERE article_id = $3 AND state = 1 AND owner = $4`,
		why.Encode(), toMillis(at), articleID, owner)
}

func (s *Store) pageUpdate(ctx context.Context, q string, args ...any) (bool, error) {
	var n int64
	err := s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, q, args...)
		n = tag.RowsAffected()
		return err
	})
	return n > 0, err
}

// ReadingPages lists the pages being read.
func (s *Store) ReadingPages(ctx context.Context) ([]monitor.PageMark, error) {
	rows, err := s.pool.Query(ctx, `SELECT article_id, feed_id, owner, at FROM pages WHERE state = 1 ORDER BY article_id`)
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	var out []monitor.PageMark
	for rows.Next() {
		var m monitor.PageMark
		var at int64
		if err := rows.Scan(&m.ArticleID, &m.FeedID, &m.Owner, &at); err != nil {
			return nil, err
		}
		m.Since = fromMillis(at)
		out = append(out, m)
	}
	return out, s.explain(rows.Err())
}

// SavePagesNote stores the note on a feed's last pages.
func (s *Store) SavePagesNote(ctx context.Context, feedID int64, note msg.Message) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE feeds SET pages_note = $1 WHERE id = $2`, note.Encode(), feedID)
		return err
	})
}

// errNotClaimed is a page result whose claim is gone.
var errNotClaimed = errors.New("the page is not being read by this process")

// SavePage stores what reading a page gave (see monitor.PageStore): the
// text and its index entry, the outcome, the article's new matches
// (numbered, under the writer lock) and the hits of its older ones. A
// page not claimed by r.Owner any more stores nothing.
func (s *Store) SavePage(ctx context.Context, r monitor.PageResult) (monitor.Saved, error) {
	var saved monitor.Saved
	err := s.writeTx(ctx, func(tx pgx.Tx, w *writer) error {
		saved = monitor.Saved{}
		state, note := pageRead, ""
		if r.Text == "" {
			state, note = pageMissed, r.Miss.Encode()
		} else if r.Cut {
			note = msg.New(msgPageCut).Encode()
		}
		tag, err := tx.Exec(ctx, `UPDATE pages SET state = $1, note = $2, at = $3 WHERE article_id = $4 AND state = 1 AND owner = $5`,
			state, note, toMillis(r.At), r.ArticleID, r.Owner)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errNotClaimed
		}
		if r.Text == "" {
			return nil
		}
		if err := reindex(ctx, tx, r.ArticleID, r.Text); err != nil {
			return fmt.Errorf("index the full text: %w", err)
		}
		if err := w.lock(ctx); err != nil {
			return err
		}
		key := idKey(r.ArticleID)
		keyed := make([]monitor.Match, len(r.Matches))
		for i, m := range r.Matches {
			m.Article.Key = key
			keyed[i] = m
		}
		if saved.Matches, err = w.insertMatches(ctx, tx, keyed, map[string]int64{key: r.ArticleID}, r.Backlog, false); err != nil {
			return err
		}
		for _, m := range r.Matches {
			hits, _ := json.Marshal(m.Hits)
			if _, err := tx.Exec(ctx, `UPDATE matches SET hits = $1 WHERE article_id = $2 AND topic_id = $3`,
				string(hits), r.ArticleID, m.TopicID); err != nil {
				return err
			}
		}
		var story int64
		if err := tx.QueryRow(ctx, `SELECT story_id FROM reports WHERE article_id = $1`, r.ArticleID).Scan(&story); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			return err
		}
		saved.Stories, err = afterMatches(ctx, tx, []int64{story})
		return err
	})
	if errors.Is(err, errNotClaimed) {
		return monitor.Saved{}, nil
	}
	if err != nil {
		return monitor.Saved{}, fmt.Errorf("save the full text of article %d: %w", r.ArticleID, err)
	}
	for i := range saved.Matches {
		saved.Matches[i].Article.Key = r.Matches[0].Article.Key
	}
	return saved, nil
}

// msgPageCut notes a page read only in part.
var msgPageCut = msg.T("the page was larger than the limit; its start was read")

// reindex stores an article's full text and makes its index entry anew;
// it counts as indexed now for the vocabulary of *infix backtests.
func reindex(ctx context.Context, tx pgx.Tx, id int64, text string) error {
	var a monitor.Article
	var cats string
	if err := tx.QueryRow(ctx, `SELECT feed_name, title, summary, content, author, categories FROM articles WHERE id = $1`,
		id).Scan(&a.FeedName, &a.Title, &a.Summary, &a.Content, &a.Author, &cats); err != nil {
		return err
	}
	_ = json.Unmarshal([]byte(cats), &a.Categories)
	a.FullText = text
	doc, partial := ftsDoc(&a)
	_, err := tx.Exec(ctx, `UPDATE articles SET full_text = $1, fts = to_tsvector('newswatch', $2), fts_partial = $3,
		indexed_xid = pg_current_xact_id() WHERE id = $4`, text, doc, partial, id)
	return err
}
