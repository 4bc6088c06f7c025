package pgstore

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/story"
)

// Stories, as in the SQLite store: every article is a report of one
// story, decided by monitor/story against the candidate index of recent
// articles, held in memory by each process (storyWindow) and brought up
// to date under the writer lock with what every process stored since
// (story_feats in the order of their numbers, which is commit order).

// keysKept is how long story_feats keeps an article's story keys.
const keysKept = story.Window*2 + 24*time.Hour

// assignStories gives each article just stored (ids, by key) its story
// (the writer lock is held) and returns the stories that gained a
// report, and of those the ones that gained a source.
func (s *Store) assignStories(ctx context.Context, tx pgx.Tx, r *monitor.FetchResult, ids map[string]int64) (touched, newSource []int64, err error) {
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
		storyID, gained, err := addReport(ctx, tx, d.Story, id, a, source)
		if err != nil {
			return nil, nil, fmt.Errorf("add %q to its story: %w", a.Title, err)
		}
		keys := f.Keys()
		info := story.InfoOf(&f, source).Pack()
		var seq int64
		if err := tx.QueryRow(ctx, `INSERT INTO story_feats (article_id, story_id, at, info, keys, seq)
			VALUES ($1, $2, $3, $4, $5, nextval('event_seq')) RETURNING seq`,
			id, storyID, toMillis(a.Published), info, packKeys(keys)).Scan(&seq); err != nil {
			return nil, nil, fmt.Errorf("index %q for stories: %w", a.Title, err)
		}
		s.window.add(keys, id, storyID, toMillis(a.Published), info, seq)
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
// returns the story and whether the article's source is new to it.
func addReport(ctx context.Context, tx pgx.Tx, storyID, id int64, a *monitor.Article, source string) (int64, bool, error) {
	pub := toMillis(a.Published)
	if storyID == 0 {
		if err := tx.QueryRow(ctx, `INSERT INTO stories (lead, title, first_seen, last_seen, reports, sources)
			VALUES ($1, $2, $3, $3, 1, 1) RETURNING id`, id, a.Title, pub).Scan(&storyID); err != nil {
			return 0, false, err
		}
		return storyID, true, insertReport(ctx, tx, id, storyID, source, pub)
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM reports WHERE story_id = $1 AND source = $2`, storyID, source).Scan(&n); err != nil {
		return 0, false, err
	}
	gained := n == 0
	var last int64
	err := tx.QueryRow(ctx, `UPDATE stories SET reports = reports + 1, sources = sources + $1,
		first_seen = least(first_seen, $2), last_seen = greatest(last_seen, $2) WHERE id = $3
		RETURNING last_seen`, boolInt(gained), pub, storyID).Scan(&last)
	if errors.Is(err, pgx.ErrNoRows) {
		// The story is gone (pruned since the window was read): the
		// article starts one.
		return addReport(ctx, tx, 0, id, a, source)
	}
	if err != nil {
		return 0, false, err
	}
	if err := insertReport(ctx, tx, id, storyID, source, pub); err != nil {
		return 0, false, err
	}
	// The timeline sorts a story by its newest report. (A story read
	// that gains a source comes back by itself: each user's read state
	// remembers its sources.)
	_, err = tx.Exec(ctx, `UPDATE matches SET published = $1 WHERE story_id = $2 AND published <> $1`, last, storyID)
	return storyID, gained, err
}

func insertReport(ctx context.Context, tx pgx.Tx, id, storyID int64, source string, pub int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO reports (article_id, story_id, source, published) VALUES ($1, $2, $3, $4)`,
		id, storyID, source, pub)
	return err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// storyWindow is this process's candidate index: the story keys of the
// articles of the last keysKept, loaded from story_feats and brought up
// to date under the writer lock by their numbers. A generation in the
// settings, raised whenever articles are deleted, makes every process
// load it anew; a failed write does the same for this one.
type storyWindow struct {
	idx    *story.MemIndex
	mark   int64 // the highest number it holds
	gen    string
	ok     bool
	newest int64 // the newest date seen (ms)
	forgot int64 // when it last forgot (article time, ms)
}

// invalidate makes the next write load the window anew (storyMu held).
func (w *storyWindow) invalidate() { w.ok = false }

// syncWindow brings the window up to date (the writer lock is held).
func (s *Store) syncWindow(ctx context.Context, tx pgx.Tx) (*story.MemIndex, error) {
	w := &s.window
	var gen string
	if err := tx.QueryRow(ctx, `SELECT coalesce((SELECT value FROM settings WHERE key = 'story_gen'), '')`).Scan(&gen); err != nil {
		return nil, err
	}
	q := `SELECT article_id, story_id, at, info, keys, seq FROM story_feats WHERE seq > $1`
	var arg int64
	if !w.ok || gen != w.gen {
		*w = storyWindow{idx: story.NewMemIndex(), gen: gen}
		// The mark is the table's highest number, in the window or not: the
		// articles before the window are left out on purpose, and the next
		// sync must not take them in (numbers say nothing of dates).
		var newest int64
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(at), 0), coalesce(max(seq), 0) FROM story_feats`).Scan(&newest, &w.mark); err != nil {
			return nil, err
		}
		q = `SELECT article_id, story_id, at, info, keys, seq FROM story_feats WHERE at >= $1 ORDER BY seq`
		arg = min(newest, toMillis(time.Now())) - keysKept.Milliseconds()
		w.forgot = newest
	} else {
		arg = w.mark
		q += ` ORDER BY seq`
	}
	rows, err := tx.Query(ctx, q, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, storyID, at, info, seq int64
		var blob []byte
		if err := rows.Scan(&id, &storyID, &at, &info, &blob, &seq); err != nil {
			return nil, err
		}
		w.add(unpackKeys(blob), id, storyID, at, info, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	w.ok = true
	return w.idx, nil
}

// add puts an article into the window, and forgets what fell out of it.
func (w *storyWindow) add(keys []uint64, id, storyID, at, info, seq int64) {
	w.idx.Add(keys, id, storyID, fromMillis(at), story.UnpackInfo(info))
	w.mark = max(w.mark, seq)
	w.newest = max(w.newest, at)
	if w.newest-w.forgot > time.Hour.Milliseconds() {
		w.idx.Forget(fromMillis(w.newest).Add(-keysKept))
		w.forgot = w.newest
	}
}

// packKeys and unpackKeys keep story keys as little-endian 64-bit words,
// as the SQLite store does.
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

// afterMatches brings the stories of a save up to date once their
// matches are stored: a story whose lead report matched nothing takes
// its first matched report as lead; the stories that have matches are
// returned (the timeline's to reload).
func afterMatches(ctx context.Context, tx pgx.Tx, touched []int64) ([]int64, error) {
	if len(touched) == 0 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, `SELECT DISTINCT story_id FROM matches WHERE story_id = ANY($1)`, touched)
	if err != nil {
		return nil, err
	}
	has := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		has[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []int64
	for _, id := range touched {
		if has[id] {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	_, err = tx.Exec(ctx, `UPDATE stories SET lead = m.article_id, title = a.title
		FROM (SELECT DISTINCT ON (story_id) story_id, article_id FROM matches WHERE story_id = ANY($1)
			ORDER BY story_id, article_id) m
		JOIN articles a ON a.id = m.article_id
		WHERE stories.id = m.story_id AND NOT EXISTS (SELECT 1 FROM matches x WHERE x.article_id = stories.lead)`, out)
	return out, err
}
