package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/story"
)

// Stories: every article stored is a report of one story (the reports
// table), decided by monitor/story against the candidate index
// story_keys inside the transaction that stores the article, so two
// processes never decide against different states.

// assignStories gives each article just stored (ids, by key) its story:
// one it joins or a new one. feats are the articles' features by index
// (computed here when missing). It returns the stories that gained a
// report, and of those the ones that gained a source.
func (s *Store) assignStories(ctx context.Context, tx *sql.Tx, r *monitor.FetchResult, ids map[string]int64) (touched, newSource []int64, err error) {
	idx := &sqlIndex{s: s, ctx: ctx, tx: tx}
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
		if err := idx.add(&f, id, storyID, a.Published, story.InfoOf(&f, source)); err != nil {
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
	if err := upd.QueryRowContext(ctx, boolInt(gained), pub, storyID).Scan(&last, &readSources); err != nil {
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

// sqlIndex is story.Index on story_keys, inside a transaction.
type sqlIndex struct {
	s   *Store
	ctx context.Context
	tx  *sql.Tx
}

// countsQuery counts each key's postings within a window, up to a
// limit, from the primary key's range (key, at); postingsQuery reads the
// postings of keys (the rare ones) within the window.
const (
	countsQuery = `SELECT j.value, (SELECT count(*) FROM (SELECT 1 FROM story_keys s
		WHERE s.key = j.value AND s.at BETWEEN ?1 AND ?2 LIMIT ?3)) FROM json_each(?4) j`
	postingsQuery = `SELECT s.key, s.article_id, s.story_id, s.at, s.info FROM json_each(?3) j
		JOIN story_keys s ON s.key = j.value AND s.at BETWEEN ?1 AND ?2`
)

// Lookup implements story.Index: one query counts the keys' postings (up
// to limit each), one reads the postings of the rare keys.
func (x *sqlIndex) Lookup(keys []uint64, from, to time.Time, limit int) ([]int, []story.Posting, error) {
	counts := make([]int, len(keys))
	pos := make(map[uint64]int, len(keys))
	list := make([]int64, len(keys))
	for i, k := range keys {
		pos[k] = i
		list[i] = int64(k)
	}
	cq, err := x.s.prepared(x.ctx, x.tx, countsQuery)
	if err != nil {
		return nil, nil, err
	}
	rows, err := cq.QueryContext(x.ctx, toMillis(from), toMillis(to), limit, idsJSON(list))
	if err != nil {
		return nil, nil, err
	}
	var rare []int64
	for rows.Next() {
		var key int64
		var n int
		if err := rows.Scan(&key, &n); err != nil {
			rows.Close()
			return nil, nil, err
		}
		counts[pos[uint64(key)]] = n
		if n > 0 && n < limit {
			rare = append(rare, key)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(rare) == 0 {
		return counts, nil, err
	}
	pq, err := x.s.prepared(x.ctx, x.tx, postingsQuery)
	if err != nil {
		return nil, nil, err
	}
	if rows, err = pq.QueryContext(x.ctx, toMillis(from), toMillis(to), idsJSON(rare)); err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var out []story.Posting
	for rows.Next() {
		var p story.Posting
		var key, at, info int64
		if err := rows.Scan(&key, &p.Article, &p.Story, &at, &info); err != nil {
			return nil, nil, err
		}
		p.Key, p.At, p.Info = uint64(key), fromMillis(at), story.UnpackInfo(info)
		out = append(out, p)
	}
	return counts, out, rows.Err()
}

// add indexes an article's features.
func (x *sqlIndex) add(f *story.Features, article, storyID int64, at time.Time, info story.Info) error {
	keys := f.Keys()
	if len(keys) == 0 {
		return nil
	}
	return insertKeys(x.ctx, x.s, x.tx, keys, toMillis(at), article, storyID, info.Pack())
}

// insertKeysQuery inserts n postings.
var insertKeysQuery = sync.OnceValue(func() []string {
	out := make([]string, story.MaxTerms+story.Bands+2)
	for n := 1; n < len(out); n++ {
		out[n] = `INSERT OR IGNORE INTO story_keys (key, at, article_id, story_id, info) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?),", n), ",")
	}
	return out
})

func insertKeys(ctx context.Context, s *Store, tx *sql.Tx, keys []uint64, at, article, storyID, info int64) error {
	qs := insertKeysQuery()
	for len(keys) > 0 {
		n := min(len(keys), len(qs)-1)
		st, err := s.prepared(ctx, tx, qs[n])
		if err != nil {
			return err
		}
		args := make([]any, 0, 5*n)
		for _, k := range keys[:n] {
			args = append(args, int64(k), at, article, storyID, info)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return err
		}
		keys = keys[n:]
	}
	return nil
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
