package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"sync"
	"sync/atomic"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/story"
)

// storyWindow is the candidate index of this process: the story keys of
// the articles of the last keysKept, in memory (story.MemIndex), loaded
// from story_feats and brought up to date inside each write transaction
// (so it holds what other processes stored, too). A generation number in
// the settings, raised whenever articles are deleted, makes every
// process load it anew; a failed write does the same for this one.
//
// Its fields are this process's writer's (writeMu), except view: the
// index as it was last brought up to date, for drafting stories outside
// the write lock (the index locks itself), and the load that runs in the
// background when the first fetch with articles comes (see preload).
type storyWindow struct {
	idx    *story.MemIndex
	mark   int64 // the highest article ID it holds
	gen    string
	ok     bool
	newest int64 // the newest date seen (ms), for forgetting
	forgot int64 // when it last forgot (article time, ms)

	view atomic.Pointer[story.MemIndex]

	loadMu  sync.Mutex
	loading chan struct{} // closed when the load in the background ends
	loaded  *storyWindow  // what it loaded (nil: it failed)
	stopped bool          // the store is closing: no load starts
}

// stopLoads keeps any load from starting from now on (Close, before it
// waits for the work in the background).
func (w *storyWindow) stopLoads() {
	w.loadMu.Lock()
	w.stopped = true
	w.loadMu.Unlock()
}

// invalidate makes the next write load the window anew (writeMu held).
func (w *storyWindow) invalidate() {
	w.ok = false
	w.view.Store(nil)
}

// txState is what one write transaction of fetches keeps between them:
// whether the window was brought up to date in it, the next story ID,
// and the articles whose full-text rows wait for the end of it.
type txState struct {
	synced    bool
	nextStory int64 // 0: not read yet
	fts       []ftsRow
}

// syncWindow brings the window up to date inside tx (writeMu held), once
// a transaction: no other process writes while it runs.
func (s *Store) syncWindow(ctx context.Context, tx *sql.Tx, ts *txState) (*story.MemIndex, error) {
	w := &s.window
	if ts.synced && w.ok {
		return w.idx, nil
	}
	var gen string
	if err := tx.QueryRowContext(ctx, `SELECT coalesce((SELECT value FROM settings WHERE key = 'story_gen'), '')`).Scan(&gen); err != nil {
		return nil, err
	}
	if !w.ok || gen != w.gen {
		if pre := s.takePreload(); pre != nil && pre.gen == gen {
			w.idx, w.mark, w.gen, w.newest, w.forgot = pre.idx, pre.mark, pre.gen, pre.newest, pre.forgot
		} else {
			loaded, err := loadWindow(ctx, tx)
			if err != nil {
				return nil, err
			}
			w.idx, w.mark, w.gen, w.newest, w.forgot = loaded.idx, loaded.mark, gen, loaded.newest, loaded.forgot
		}
	}
	// What other processes stored since.
	rows, err := tx.QueryContext(ctx, `SELECT article_id, story_id, at, info, keys FROM story_feats WHERE article_id > ?`, w.mark)
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
		w.add(unpackKeys(blob), nil, id, storyID, at, info)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	w.ok, ts.synced = true, true
	w.view.Store(w.idx)
	return w.idx, nil
}

// loadWindow reads the window from story_feats: the keys of the articles
// of the last keysKept before the newest (or now).
func loadWindow(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}) (*storyWindow, error) {
	w := &storyWindow{}
	if err := q.QueryRowContext(ctx, `SELECT coalesce((SELECT value FROM settings WHERE key = 'story_gen'), ''),
		coalesce((SELECT max(at) FROM story_feats), 0)`).Scan(&w.gen, &w.newest); err != nil {
		return nil, err
	}
	from := min(w.newest, toMillis(time.Now())) - keysKept.Milliseconds()
	// Room for the window's articles (the table may hold many more until
	// it is next pruned, e.g. after the upgrade to stories): about a dozen
	// keys of each article are its own (the title's, the bands'), the
	// others shared.
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM story_feats WHERE at >= ?`, from).Scan(&n); err != nil {
		return nil, err
	}
	w.idx = story.NewMemIndexSize(n, 14*n)
	// The table holds little more than the window (forgetKeys): reading
	// it in the order of its rows costs less than through the dates'
	// index.
	rows, err := q.QueryContext(ctx, `SELECT article_id, story_id, at, info, keys FROM story_feats NOT INDEXED WHERE at >= ?`, from)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	w.forgot = w.newest // what it loads is all within the window
	w.idx.Bulk(func(add func([]uint64, int64, int64, time.Time, story.Info)) {
		var blob sql.RawBytes // not copied: read before the next row
		var keys []uint64
		for rows.Next() {
			var id, storyID, at, info int64
			if err = rows.Scan(&id, &storyID, &at, &info, &blob); err != nil {
				return
			}
			keys = appendKeys(keys[:0], blob)
			add(keys, id, storyID, fromMillis(at), story.UnpackInfo(info))
			w.mark = max(w.mark, id)
		}
		err = rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// preload loads the window in the background, outside the write lock,
// when this process has not loaded it yet: the first feed with new items
// asks for it (UnknownItems), and the fetches to save wait for it before
// they take the write lock (see awaitPreload), while the other feeds of
// the cycle are fetched, read and saved. It returns a channel closed when
// the load ends (nil: the window is loaded already).
func (s *Store) preload() <-chan struct{} {
	if s.noStories || s.window.view.Load() != nil {
		return nil
	}
	w := &s.window
	w.loadMu.Lock()
	defer w.loadMu.Unlock()
	if w.loading != nil {
		return w.loading // loading, or loaded and not taken yet
	}
	if w.stopped {
		return nil // closing: the save fails at the write lock
	}
	done := make(chan struct{})
	w.loading = done
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		defer close(done)
		var loaded *storyWindow
		err := func() error {
			tx, err := s.db.BeginTx(s.bgCtx, &sql.TxOptions{ReadOnly: true})
			if err != nil {
				return err
			}
			defer tx.Rollback()
			loaded, err = loadWindow(s.bgCtx, tx)
			return err
		}()
		if err != nil {
			loaded = nil // the write loads it itself
		}
		w.loadMu.Lock()
		w.loaded = loaded
		w.loadMu.Unlock()
	}()
	return done
}

// awaitPreload waits for the window loaded in the background (starting
// the load when none runs) and returns its index, for drafting before
// the write that takes it in (nil: it failed, or it was taken meanwhile).
func (s *Store) awaitPreload() *story.MemIndex {
	done := s.preload()
	if done == nil {
		return s.window.view.Load()
	}
	<-done
	w := &s.window
	w.loadMu.Lock()
	defer w.loadMu.Unlock()
	if w.loading == done && w.loaded != nil {
		return w.loaded.idx
	}
	return s.window.view.Load()
}

// takePreload waits for a load in the background, if one was started,
// and returns what it loaded (nil: none, or it failed); the next preload
// starts anew.
func (s *Store) takePreload() *storyWindow {
	w := &s.window
	w.loadMu.Lock()
	done := w.loading
	w.loadMu.Unlock()
	if done == nil {
		return nil
	}
	<-done
	w.loadMu.Lock()
	defer w.loadMu.Unlock()
	loaded := w.loaded
	w.loading, w.loaded = nil, nil
	return loaded
}

// add puts an article into the window (through its draft, when it has
// one), and forgets what fell out of it.
func (w *storyWindow) add(keys []uint64, d *story.Draft, id, storyID, at, info int64) {
	if d != nil {
		w.idx.AddDrafted(d, id, storyID, fromMillis(at), story.UnpackInfo(info))
	} else {
		w.idx.Add(keys, id, storyID, fromMillis(at), story.UnpackInfo(info))
	}
	w.mark = max(w.mark, id)
	w.newest = max(w.newest, at)
	if w.newest-w.forgot > time.Hour.Milliseconds() {
		w.idx.Forget(fromMillis(w.newest).Add(-keysKept))
		w.forgot = w.newest
	}
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

func unpackKeys(b []byte) []uint64 { return appendKeys(nil, b) }

func appendKeys(keys []uint64, b []byte) []uint64 {
	for i := 0; i+8 <= len(b); i += 8 {
		keys = append(keys, binary.LittleEndian.Uint64(b[i:]))
	}
	return keys
}
