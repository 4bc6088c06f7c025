package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// The states of a page (the pages table).
const (
	pageWaiting = 0
	pageReading = 1
	pageRead    = 2
	pageMissed  = 3
)

// queuePages queues the pages of the fetch's new articles (ids, by key;
// at most monitor.MaxPagesPerFetch) inside its transaction: a story
// stored is a page waiting, even if the process stops right after.
func (s *Store) queuePages(ctx context.Context, tx *sql.Tx, r monitor.FetchResult, ids map[string]int64) error {
	st, err := s.prepared(ctx, tx, `INSERT OR IGNORE INTO pages (article_id, feed_id, backlog, at) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	queued := 0
	for _, a := range r.Articles {
		id, ok := ids[a.Key]
		if !ok || a.Link == "" {
			continue
		}
		if queued++; queued > monitor.MaxPagesPerFetch {
			break
		}
		if _, err := st.ExecContext(ctx, id, r.Feed.ID, boolInt(r.Backlog), toMillis(r.Feed.LastFetch)); err != nil {
			return fmt.Errorf("queue page: %w", err)
		}
	}
	return nil
}

// PendingPages lists up to limit waiting pages, oldest first, with their
// articles and feeds.
func (s *Store) PendingPages(ctx context.Context, limit int) ([]monitor.PageJob, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+articleColumns+`, coalesce(f.url, ''), p.backlog
		FROM pages p JOIN articles a ON a.id = p.article_id LEFT JOIN feeds f ON f.id = a.feed_id
		WHERE p.state = 0 ORDER BY p.article_id LIMIT ?`, limit)
	if err != nil {
		return nil, dbError(s.path, err)
	}
	defer rows.Close()
	var out []monitor.PageJob
	for rows.Next() {
		var j monitor.PageJob
		var cats string
		var published, known, firstSeen int64
		var backlog int
		if err := rows.Scan(append(scanArticle(nil, &j.Article, &cats, &published, &known, &firstSeen), &j.FeedURL, &backlog)...); err != nil {
			return nil, err
		}
		finishArticle(&j.Article, cats, published, known, firstSeen)
		j.Backlog = backlog != 0
		out = append(out, j)
	}
	return out, rows.Err()
}

// ClaimPage marks a waiting page as being read by owner.
func (s *Store) ClaimPage(ctx context.Context, articleID int64, owner string, at time.Time) (bool, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE pages SET state = 1, owner = ?, at = ? WHERE article_id = ? AND state = 0`,
			owner, toMillis(at), articleID)
		if err != nil {
			return dbError(s.path, err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n > 0, err
}

// ReleasePage puts a page owner claimed back in the queue.
func (s *Store) ReleasePage(ctx context.Context, articleID int64, owner string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE pages SET state = 0, owner = '' WHERE article_id = ? AND state = 1 AND owner = ?`,
			articleID, owner)
		return dbError(s.path, err)
	})
}

// ReadingPages lists the pages being read.
func (s *Store) ReadingPages(ctx context.Context) ([]monitor.PageMark, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT article_id, feed_id, owner, at FROM pages WHERE state = 1 ORDER BY article_id`)
	if err != nil {
		return nil, dbError(s.path, err)
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
	return out, rows.Err()
}

// GiveUpPage records that a page owner was reading is missed, with why.
func (s *Store) GiveUpPage(ctx context.Context, articleID int64, owner string, why msg.Message, at time.Time) (bool, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE pages SET state = 3, note = ?, at = ? WHERE article_id = ? AND state = 1 AND owner = ?`,
			why.Encode(), toMillis(at), articleID, owner)
		if err != nil {
			return dbError(s.path, err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n > 0, err
}

// SavePagesNote stores the note on a feed's last pages.
func (s *Store) SavePagesNote(ctx context.Context, feedID int64, note msg.Message) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE feeds SET pages_note = ? WHERE id = ?`, note.Encode(), feedID)
		return dbError(s.path, err)
	})
}

// errNotClaimed is a page result whose claim is gone.
var errNotClaimed = errors.New("the page is not being read by this process")

// SavePage stores what reading a page gave (see monitor.PageStore). A
// page that is not claimed by r.Owner any more (its article was deleted,
// or the claim was given up) stores nothing.
func (s *Store) SavePage(ctx context.Context, r monitor.PageResult) (monitor.Saved, error) {
	var saved monitor.Saved
	var words []string // added to the kept vocabulary
	err := s.write(ctx, func(tx *sql.Tx) error {
		state, note := pageRead, ""
		if r.Text == "" {
			state, note = pageMissed, r.Miss.Encode()
		} else if r.Cut {
			note = msg.New(msgPageCut).Encode()
		}
		res, err := tx.ExecContext(ctx, `UPDATE pages SET state = ?, note = ?, at = ? WHERE article_id = ? AND state = 1 AND owner = ?`,
			state, note, toMillis(r.At), r.ArticleID, r.Owner)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errNotClaimed
		}
		if r.Text == "" {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET full_text = ? WHERE id = ?`, r.Text, r.ArticleID); err != nil {
			return err
		}
		if words, err = s.reindex(ctx, tx, r.ArticleID); err != nil {
			return fmt.Errorf("index the full text: %w", err)
		}
		key := "id:" + strconv.FormatInt(r.ArticleID, 10)
		keyed := make([]monitor.Match, len(r.Matches))
		for i, m := range r.Matches {
			m.Article.Key = key
			keyed[i] = m
		}
		if saved.Matches, err = s.insertMatches(ctx, tx, keyed, map[string]int64{key: r.ArticleID}, r.Backlog, 0); err != nil {
			return err
		}
		// The topics it matched before keep their state, with the hits in
		// the text added (for highlights and snippets).
		st, err := tx.PrepareContext(ctx, `UPDATE matches SET hits = ? WHERE article_id = ? AND topic_id = ?`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, m := range r.Matches {
			hits, _ := json.Marshal(m.Hits)
			if _, err := st.ExecContext(ctx, string(hits), r.ArticleID, m.TopicID); err != nil {
				return err
			}
		}
		// The story keeps its lead right, and is reloaded in the timeline
		// when it is there (it has matches).
		var story int64
		if err := tx.QueryRowContext(ctx, `SELECT story_id FROM reports WHERE article_id = ?`, r.ArticleID).Scan(&story); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return nil // kept out of stories
			}
			return err
		}
		saved.Stories, err = s.afterMatches(ctx, tx, []int64{story})
		return err
	})
	if errors.Is(err, errNotClaimed) {
		return monitor.Saved{}, nil
	}
	if err != nil {
		return monitor.Saved{}, dbError(s.path, fmt.Errorf("save the full text of article %d: %w", r.ArticleID, err))
	}
	if len(words) > 0 {
		s.vocabMu.Lock()
		if s.vocab != nil {
			s.vocab.words = append(s.vocab.words, words...)
		}
		s.vocabMu.Unlock()
	}
	for i := range saved.Matches {
		saved.Matches[i].Article.Key = r.Matches[0].Article.Key
	}
	return saved, nil
}

// msgPageCut notes a page read only in part.
var msgPageCut = msg.T("the page was larger than the limit; its start was read")

// reindex puts an article's texts into the full-text index again, and
// the words of its full text into the kept vocabulary of *infix
// backtests when the article is older than the vocabulary (newer ones
// are scanned in full anyway); it returns the words that were new there.
func (s *Store) reindex(ctx context.Context, tx *sql.Tx, id int64) ([]string, error) {
	var a monitor.Article
	var cats string
	if err := tx.QueryRowContext(ctx, `SELECT feed_name, title, summary, content, author, categories, full_text
		FROM articles WHERE id = ?`, id).Scan(&a.FeedName, &a.Title, &a.Summary, &a.Content, &a.Author, &cats, &a.FullText); err != nil {
		return nil, err
	}
	_ = json.Unmarshal([]byte(cats), &a.Categories)
	if _, err := tx.ExecContext(ctx, `DELETE FROM articles_fts WHERE rowid = ?`, id); err != nil {
		return nil, err
	}
	stmt, err := s.prepared(ctx, tx, ftsInsert)
	if err != nil {
		return nil, err
	}
	if err := indexArticle(ctx, stmt, id, &a); err != nil {
		return nil, err
	}
	var mark int64 = -1
	if err := tx.QueryRowContext(ctx, `SELECT watermark FROM fts_vocab_state WHERE id = 1`).Scan(&mark); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if mark < id {
		return nil, nil
	}
	words := indexWords(query.FoldString(a.FullText))
	ins, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO fts_vocab (word) VALUES (?)`)
	if err != nil {
		return nil, err
	}
	defer ins.Close()
	var added []string
	for _, w := range words {
		res, err := ins.ExecContext(ctx, w)
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			added = append(added, w)
		}
	}
	return added, nil
}

// indexWords splits folded text into the distinct words the index's
// unicode61 tokenizer makes of it: runs of letters, digits and private
// use characters.
func indexWords(folded string) []string {
	seen := map[string]bool{}
	var out []string
	start := -1
	flush := func(end int) {
		if start >= 0 {
			if w := folded[start:end]; !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
			start = -1
		}
	}
	for i, r := range folded {
		if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(folded))
	return out
}
