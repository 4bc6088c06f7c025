package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/story"
)

// Stories: every article stored is a report of one story (the reports
// table), decided by monitor/story against the candidate index of recent
// articles (storyWindow) inside the transaction that stores the article,
// after bringing the index up to date with what other processes stored:
// two processes never decide against different states.

// assignStories gives each article just stored (ids, by key) its story:
// one it joins or a new one. feats are the articles' features by index
// (computed here when missing). It returns the stories that gained a
// report, and of those the ones that gained a source.
func (s *Store) assignStories(ctx context.Context, tx *sql.Tx, r *monitor.FetchResult, ids map[string]int64) (touched, newSource []int64, err error) {
	if len(ids) == 0 {
		return nil, nil, nil // nothing new: the window is not needed
	}
	idx, err := s.syncWindow(ctx, tx)
	if err != nil {
		return nil, nil, fmt.Errorf("read the story index: %w", err)
	}
	seen := map[int64]bool{}
	for i := range r.Articles {
		a := &r.Articles[i]
		id, ok := ids[a.Key]
		if !ok {
			continue
		}
		var f story.Features
		if i < len(r.Features) {
			f = r.Features[i]
		} else {
			f = story.Extract(monitor.StoryText(a))
		}
		source := a.Source
		if source == "" {
			source = story.SourceOf(a.Link, a.FeedName)
		}
		d, err := story.Assign(idx, &f, a.Published, source)
		if err != nil {
			return nil, nil, fmt.Errorf("find the story of %q: %w", a.Title, err)
		}
		storyID, gained, err := s.addReport(ctx, tx, d.Story, id, a, source)
		if err != nil {
			return nil, nil, fmt.Errorf("add %q to its story: %w", a.Title, err)
		}
		if err := s.indexArticleStory(ctx, tx, &f, id, storyID, a.Published, story.InfoOf(&f, source)); err != nil {
			return nil, nil, fmt.Errorf("index %q for stories: %w", a.Title, err)
		}
		if !seen[storyID] {
			seen[storyID] = true
			touched = append(touched, storyID)
		}
		if gained && d.Story != 0 {
			newSource = append(newSource, storyID)
		}
	}
	return touched, newSource, nil
}

// addReport adds article id to story storyID (0: a new story) and
// returns the story and whether the article's source is new to it. A
// story the user read that gains a source comes back unread (updated).
func (s *Store) addReport(ctx context.Context, tx *sql.Tx, storyID, id int64, a *monitor.Article, source string) (int64, bool, error) {
	pub := toMillis(a.Published)
	if storyID == 0 {
		st, err := s.prepared(ctx, tx, `INSERT INTO stories (lead, title, first_seen, last_seen, reports, sources)
			VALUES (?, ?, ?, ?, 1, 1)`)
		if err != nil {
			return 0, false, err
		}
		res, err := st.ExecContext(ctx, id, a.Title, pub, pub)
		if err != nil {
			return 0, false, err
		}
		if storyID, err = res.LastInsertId(); err != nil {
			return 0, false, err
		}
		return storyID, true, s.insertReport(ctx, tx, id, storyID, source, pub)
	}
	known, err := s.prepared(ctx, tx, `SELECT count(*) FROM reports WHERE story_id = ? AND source = ?`)
	if err != nil {
		return 0, false, err
	}
	var n int
	if err := known.QueryRowContext(ctx, storyID, source).Scan(&n); err != nil {
		return 0, false, err
	}
	gained := n == 0
	upd, err := s.prepared(ctx, tx, `UPDATE stories SET reports = reports + 1, sources = sources + ?,
		first_seen = min(first_seen, ?2), last_seen = max(last_seen, ?2) WHERE id = ?3
		RETURNING last_seen, read_sources`)
	if err != nil {
		return 0, false, err
	}
	var last int64
	var readSources int
	err = upd.QueryRowContext(ctx, boolInt(gained), pub, storyID).Scan(&last, &readSources)
	if errors.Is(err, sql.ErrNoRows) {
		// The story is gone (its reports were pruned since the window
		// was read): the article starts one.
		return s.addReport(ctx, tx, 0, id, a, source)
	}
	if err != nil {
		return 0, false, err
	}
	if err := s.insertReport(ctx, tx, id, storyID, source, pub); err != nil {
		return 0, false, err
	}
	// The timeline sorts a story by its newest report; a read story
	// with a new source comes back.
	q := `UPDATE matches SET published = ? WHERE story_id = ? AND published <> ?1`
	args := []any{last, storyID}
	if gained && readSources > 0 {
		q = `UPDATE matches SET published = ?, read = 0 WHERE story_id = ?`
	}
	st, err := s.prepared(ctx, tx, q)
	if err != nil {
		return 0, false, err
	}
	_, err = st.ExecContext(ctx, args...)
	return storyID, gained, err
}

func (s *Store) insertReport(ctx context.Context, tx *sql.Tx, id, storyID int64, source string, pub int64) error {
	st, err := s.prepared(ctx, tx, `INSERT INTO reports (article_id, story_id, source, published) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, id, storyID, source, pub)
	return err
}

// storyWindow is the candidate index of this process: the story keys of
// the articles of the last keysKept, in memory (story.MemIndex), loaded
// from story_feats and brought up to date inside each write transaction
// (so it holds what other processes stored, too). A generation number in
// the settings, raised whenever articles are deleted, makes every
// process load it anew; a failed write does the same for this one.
type storyWindow struct {
	idx    *story.MemIndex
	mark   int64 // the highest article ID it holds
	gen    string
	ok     bool
	newest int64 // the newest date seen (ms), for forgetting
	forgot int64 // when it last forgot (article time, ms)
}

// invalidate makes the next write load the window anew (writeMu held).
func (w *storyWindow) invalidate() { w.ok = false }

// syncWindow brings the window up to date inside tx (writeMu held).
func (s *Store) syncWindow(ctx context.Context, tx *sql.Tx) (*story.MemIndex, error) {
	w := &s.window
	var gen string
	if err := tx.QueryRowContext(ctx, `SELECT coalesce((SELECT value FROM settings WHERE key = 'story_gen'), '')`).Scan(&gen); err != nil {
		return nil, err
	}
	q := `SELECT article_id, story_id, at, info, keys FROM story_feats WHERE article_id > ?`
	var arg int64
	if !w.ok || gen != w.gen {
		*w = storyWindow{idx: story.NewMemIndex(), gen: gen}
		var newest int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(at), 0) FROM story_feats`).Scan(&newest); err != nil {
			return nil, err
		}
		q = `SELECT article_id, story_id, at, info, keys FROM story_feats INDEXED BY story_feats_at WHERE at >= ?`
		arg = min(newest, toMillis(time.Now())) - keysKept.Milliseconds()
		w.forgot = newest // what it loads is all within the window
	} else {
		arg = w.mark
	}
	rows, err := tx.QueryContext(ctx, q, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, storyID, at, info int64
		var blob []byte
		if err := rows.Scan(&id, &storyID, &at, &info, &blob); err != nil {
			return nil, err
		}
		w.add(unpackKeys(blob), id, storyID, at, info)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	w.ok = true
	return w.idx, nil
}

// add puts an article into the window, and forgets what fell out of it.
func (w *storyWindow) add(keys []uint64, id, storyID, at, info int64) {
	w.idx.Add(keys, id, storyID, fromMillis(at), story.UnpackInfo(info))
	w.mark = max(w.mark, id)
	w.newest = max(w.newest, at)
	if w.newest-w.forgot > time.Hour.Milliseconds() {
		w.idx.Forget(fromMillis(w.newest).Add(-keysKept))
		w.forgot = w.newest
	}
}

// indexArticleStory keeps an article's story keys (story_feats) and adds
// them to the window.
func (s *Store) indexArticleStory(ctx context.Context, tx *sql.Tx, f *story.Features, id, storyID int64, at time.Time, info story.Info) error {
	keys := f.Keys()
	st, err := s.prepared(ctx, tx, `INSERT INTO story_feats (article_id, story_id, at, info, keys) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	if _, err := st.ExecContext(ctx, id, storyID, toMillis(at), info.Pack(), packKeys(keys)); err != nil {
		return err
	}
	s.window.add(keys, id, storyID, toMillis(at), info.Pack())
	return nil
}

// packKeys and unpackKeys keep story keys as a blob of little-endian
// 64-bit words.
func packKeys(keys []uint64) []byte {
	b := make([]byte, 8*len(keys))
	for i, k := range keys {
		binary.LittleEndian.PutUint64(b[8*i:], k)
	}
	return b
}

func unpackKeys(b []byte) []uint64 {
	keys := make([]uint64, len(b)/8)
	for i := range keys {
		keys[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return keys
}

// afterMatches brings the stories of a fetch up to date once their
// matches are stored: a story whose lead report matched nothing takes
// its first matched report as lead; the stories that have matches are
// returned (the timeline's to reload).
func (s *Store) afterMatches(ctx context.Context, tx *sql.Tx, touched []int64) ([]int64, error) {
	if len(touched) == 0 {
		return nil, nil
	}
	lead, err := s.prepared(ctx, tx, `UPDATE stories SET lead = m.article_id, title = a.title
		FROM (SELECT article_id FROM matches WHERE story_id = ?1 ORDER BY article_id LIMIT 1) m
		JOIN articles a ON a.id = m.article_id
		WHERE stories.id = ?1 AND NOT EXISTS (SELECT 1 FROM matches WHERE article_id = stories.lead)`)
	if err != nil {
		return nil, err
	}
	has, err := s.prepared(ctx, tx, `SELECT EXISTS (SELECT 1 FROM matches WHERE story_id = ?)`)
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, id := range touched {
		var ok bool
		if err := has.QueryRowContext(ctx, id).Scan(&ok); err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		out = append(out, id)
		if _, err := lead.ExecContext(ctx, id); err != nil {
			return nil, err
		}
	}
	return out, nil
}
