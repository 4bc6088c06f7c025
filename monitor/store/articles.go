package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/story"
)

// UnknownItems returns the keys of items not stored yet: neither under
// this feed with the same key, nor under any feed with the same link.
func (s *Store) UnknownItems(ctx context.Context, feedID int64, items []monitor.ItemRef) (map[string]bool, error) {
	s.preload() // the story window, for the fetches to save (see draftStories)
	knownKeys, knownLinks, err := s.known(ctx, s.db, feedID, items)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(items))
	for _, it := range items {
		if !knownKeys[it.Key] && (it.Link == "" || !knownLinks[it.Link]) {
			out[it.Key] = true
		}
	}
	return out, nil
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// known returns which of the items' keys (in this feed) and links (in any
// feed) are stored.
func (s *Store) known(ctx context.Context, db querier, feedID int64, items []monitor.ItemRef) (keys, links map[string]bool, err error) {
	keys, links = map[string]bool{}, map[string]bool{}
	collect := func(q string, args []any, into map[string]bool) error {
		rows, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			return dbError(s.path, err)
		}
		defer rows.Close()
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				return err
			}
			into[v] = true
		}
		return rows.Err()
	}
	err = inChunks(items, func(part []monitor.ItemRef) error {
		args := []any{feedID}
		var linkArgs []any
		for _, it := range part {
			args = append(args, it.Key)
			if it.Link != "" {
				linkArgs = append(linkArgs, it.Link)
			}
		}
		if err := collect(knownKeysQuery(len(part)), args, keys); err != nil {
			return err
		}
		if len(linkArgs) == 0 {
			return nil
		}
		return collect(knownLinksQuery(len(linkArgs)), linkArgs, links)
	})
	return keys, links, err
}

// SaveFetch stores one feed's fetch atomically: all of it or, on an
// error, nothing. Fetches saved at the same time from other goroutines
// share one transaction (group commit): while one transaction runs, the
// next fetches queue, and whoever writes next takes all of them. A
// cycle of 1,000 feeds so commits (and flushes its full-text index) a
// few hundred times instead of a thousand. A batch that fails is saved
// again one fetch at a time, so one bad fetch fails only itself.
func (s *Store) SaveFetch(ctx context.Context, r monitor.FetchResult) (monitor.Saved, error) {
	job := &saveJob{ctx: ctx, r: r}
	s.draftStories(job) // outside the lock, in the caller's goroutine
	s.pendMu.Lock()
	s.pending = append(s.pending, job)
	s.pendMu.Unlock()

	s.writeMu.Lock()
	s.pendMu.Lock()
	batch := s.pending
	s.pending = nil
	s.pendMu.Unlock()
	if len(batch) > 0 {
		s.saveBatch(batch)
	}
	s.writeMu.Unlock()
	// Our job was in this batch or in one that an earlier lock holder
	// took; either way it is done now.
	return job.stored, job.err
}

// saveJob is one fetch waiting to be saved.
type saveJob struct {
	ctx    context.Context
	r      monitor.FetchResult
	stored monitor.Saved
	err    error
	newest int64 // the highest article ID it stored
	// The articles' story features, sources and drafts, by index (see
	// draftStories); drafts is nil when the window was not loaded yet.
	feats   []story.Features
	sources []string
	drafts  []story.Draft
	// known says which stories the drafts join have a report from the
	// article's source, as of report knownMark and story generation
	// knownGen (see knownSources); knownOK is false when not asked.
	known     map[sourcePair]bool
	knownMark int64
	knownGen  string
	knownOK   bool
}

// saveBatch saves the jobs in one transaction (writeMu held), or each in
// its own when that fails.
func (s *Store) saveBatch(batch []*saveJob) {
	if len(batch) > 1 {
		// A job whose caller gave up is not saved with the others.
		live := batch[:0:0]
		for _, j := range batch {
			if err := j.ctx.Err(); err != nil {
				j.err = err
				continue
			}
			live = append(live, j)
		}
		if len(live) == 0 {
			return
		}
		ctx := context.WithoutCancel(live[0].ctx)
		err := s.writeLocked(ctx, func(tx *sql.Tx) error {
			ts := &txState{}
			for _, j := range live {
				var err error
				if j.stored, j.newest, err = s.saveFetch(ctx, tx, ts, j); err != nil {
					return err
				}
			}
			return s.indexArticles(ctx, tx, ts)
		})
		if err == nil {
			for _, j := range live {
				s.noteInserted(j.newest)
			}
			return
		}
		s.window.invalidate() // it holds what was rolled back
		batch = live
	}
	for _, j := range batch {
		j.stored = monitor.Saved{}
		j.err = s.writeLocked(j.ctx, func(tx *sql.Tx) error {
			ts := &txState{}
			var err error
			if j.stored, j.newest, err = s.saveFetch(j.ctx, tx, ts, j); err != nil {
				return err
			}
			return s.indexArticles(j.ctx, tx, ts)
		})
		if j.err != nil {
			j.stored = monitor.Saved{}
			s.window.invalidate()
		} else {
			s.noteInserted(j.newest)
		}
	}
}

// saveFetch writes one fetch inside tx, except its articles' full-text
// rows (ts.fts, written by indexArticles at the end of the transaction);
// newest is the highest article ID it stored.
func (s *Store) saveFetch(ctx context.Context, tx *sql.Tx, ts *txState, j *saveJob) (saved monitor.Saved, newest int64, err error) {
	r := j.r
	fail := func(err error) (monitor.Saved, int64, error) { return monitor.Saved{}, 0, err }
	if err := s.saveFeedState(ctx, tx, r.Feed); err != nil {
		return fail(err)
	}
	if r.ReadMark != "" {
		if err := s.clearReading(ctx, tx, r.Feed.ID, r.ReadMark); err != nil {
			return fail(err)
		}
	}
	now := toMillis(r.Feed.LastFetch)
	ids, err := s.insertArticles(ctx, tx, ts, r.Feed.ID, r.Articles, now)
	if err != nil {
		return fail(err)
	}
	for _, id := range ids {
		newest = max(newest, id)
	}
	if err := s.noteNewest(ctx, tx, r, ids); err != nil {
		return fail(err)
	}
	var touched, gained []int64
	var started map[int64]bool
	if !s.noStories {
		if touched, gained, started, err = s.assignStories(ctx, tx, ts, j, ids); err != nil {
			return fail(err)
		}
	}
	if saved.Matches, err = s.insertMatches(ctx, tx, r.Matches, ids, r.Backlog, 0); err != nil {
		return fail(err)
	}
	// A story this fetch started has matches only if one of its own
	// articles matched.
	matched := map[int64]bool{}
	for _, m := range saved.Matches {
		matched[m.Article.StoryID] = true
	}
	touched = slices.DeleteFunc(touched, func(id int64) bool { return started[id] && !matched[id] })
	if saved.Stories, err = s.afterMatches(ctx, tx, touched); err != nil {
		return fail(err)
	}
	if !r.Backlog {
		// Only a story with matches has topics to escalate for.
		gained = slices.DeleteFunc(gained, func(id int64) bool { return !slices.Contains(saved.Stories, id) })
		if err := s.escalate(ctx, tx, gained, r.Feed.LastFetch); err != nil {
			return fail(fmt.Errorf("check escalation: %w", err))
		}
	}
	if r.Pages {
		if err := s.queuePages(ctx, tx, r, ids); err != nil {
			return fail(err)
		}
	}
	if r.Body {
		// The articles this body lists get last_listed = now (below);
		// while the feed answers 304, they are listed as of its last
		// success (see Prune): one row to write per 304, not fifty.
		st, err := s.prepared(ctx, tx, `UPDATE feeds SET listed_at = ? WHERE id = ?`)
		if err != nil {
			return fail(err)
		}
		if _, err := st.ExecContext(ctx, now, r.Feed.ID); err != nil {
			return fail(err)
		}
	}
	// The articles just stored are listed as of now already; the others
	// the feed still lists are kept from pruning.
	listed := r.Listed
	if len(ids) > 0 {
		listed = make([]monitor.ItemRef, 0, len(r.Listed))
		for _, it := range r.Listed {
			if _, isNew := ids[it.Key]; !isNew {
				listed = append(listed, it)
			}
		}
	}
	return saved, newest, markListed(ctx, tx, r.Feed.ID, listed, now)
}

// insertArticles stores the articles that are still unknown inside tx
// (another process may have stored them meanwhile) and returns their IDs
// by key. Their full-text rows wait in ts.fts.
func (s *Store) insertArticles(ctx context.Context, tx *sql.Tx, ts *txState, feedID int64, arts []monitor.Article, now int64) (map[string]int64, error) {
	ids := make(map[string]int64, len(arts))
	if len(arts) == 0 {
		return ids, nil
	}
	refs := make([]monitor.ItemRef, len(arts))
	for i, a := range arts {
		refs[i] = monitor.ItemRef{Key: a.Key, Link: a.Link}
	}
	knownKeys, knownLinks, err := s.known(ctx, tx, feedID, refs)
	if err != nil {
		return nil, err
	}
	stmt, err := s.prepared(ctx, tx, `INSERT INTO articles (feed_id, feed_name, key, link, title, summary,
		content, author, categories, published, published_known, first_seen, last_listed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	for i := range arts {
		a := &arts[i]
		if knownKeys[a.Key] || (a.Link != "" && knownLinks[a.Link]) {
			continue
		}
		cats, _ := json.Marshal(nonNil(a.Categories))
		res, err := stmt.ExecContext(ctx, feedID, a.FeedName, a.Key, a.Link, a.Title, a.Summary, a.Content,
			a.Author, string(cats), toMillis(a.Published), boolInt(a.PublishedKnown), toMillis(a.FirstSeen), now)
		if err != nil {
			return nil, fmt.Errorf("store article %q: %w", a.Title, err)
		}
		id, err := res.LastInsertId()
		if err != nil {
			return nil, err
		}
		ts.fts = append(ts.fts, ftsRow{id, a})
		ids[a.Key] = id
		if a.Link != "" {
			knownLinks[a.Link] = true // the same link twice in one body
		}
	}
	return ids, nil
}

// insertMatches stores matches of articles in ids (by key); alertID 0
// leaves them pending for ClaimAlerts. Each match takes its article's
// story and the story's date; a match joining a story the user read
// (without a new source since) is read.
func (s *Store) insertMatches(ctx context.Context, tx *sql.Tx, ms []monitor.Match, ids map[string]int64, backlog bool, alertID int64) ([]monitor.Match, error) {
	if len(ms) == 0 {
		return nil, nil
	}
	stmt, err := s.prepared(ctx, tx, `INSERT INTO matches (article_id, topic_id, topic_name, hits, matched_at,
		backlog, alert_id, story_id, published, read)
		SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, coalesce(r.story_id, 0), coalesce(s.last_seen, ?8),
			coalesce(s.read_sources > 0 AND s.read_sources >= s.sources, 0)
		FROM (SELECT 1) LEFT JOIN reports r ON r.article_id = ?1 LEFT JOIN stories s ON s.id = r.story_id
		WHERE true ON CONFLICT (article_id, topic_id) DO NOTHING RETURNING id, story_id`)
	if err != nil {
		return nil, err
	}
	var alert any
	if alertID != 0 {
		alert = alertID
	}
	var out []monitor.Match
	var volume []volumeRow
	for _, m := range ms {
		aid, ok := ids[m.Article.Key]
		if !ok {
			continue
		}
		hits, _ := json.Marshal(m.Hits)
		err := stmt.QueryRowContext(ctx, aid, m.TopicID, m.TopicName, string(hits), toMillis(m.MatchedAt),
			boolInt(backlog), alert, toMillis(m.Article.Published)).Scan(&m.ID, &m.Article.StoryID)
		if errors.Is(err, sql.ErrNoRows) {
			continue // matched before
		}
		if err != nil {
			return nil, fmt.Errorf("store match: %w", err)
		}
		m.Article.ID = aid
		m.Backlog = backlog
		out = append(out, m)
		at := m.Article.Published
		if at.IsZero() || !m.MatchedAt.IsZero() && m.MatchedAt.Before(at) {
			at = m.MatchedAt
		}
		story := m.Article.StoryID
		if story == 0 { // stories kept apart (cmd/bench only)
			story = aid
		}
		volume = append(volume, volumeRow{topic: m.TopicID, story: story, at: at, quiet: backlog || alertID != 0})
	}
	if err := addVolume(ctx, tx, volume); err != nil {
		return nil, fmt.Errorf("store topic volume: %w", err)
	}
	return out, nil
}

// markListed records that the feed still lists these items.
func markListed(ctx context.Context, tx *sql.Tx, feedID int64, items []monitor.ItemRef, now int64) error {
	return inChunks(items, func(part []monitor.ItemRef) error {
		args := []any{now, feedID}
		var links []any
		for _, it := range part {
			args = append(args, it.Key)
			if it.Link != "" {
				links = append(links, it.Link)
			}
		}
		if _, err := tx.ExecContext(ctx, listedKeysQuery(len(part)), args...); err != nil {
			return err
		}
		if len(links) == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, listedLinksQuery(len(links)), append([]any{now}, links...)...)
		return err
	})
}

// The lookups by key and by link, each on its index. articles_link is a
// partial index (WHERE link <> ”), which SQLite uses only when the query
// says link <> ” itself: without it every lookup read the whole table
// (TestLookupsUseIndexes).
func knownKeysQuery(n int) string {
	return `SELECT key FROM articles WHERE feed_id = ? AND key IN (` + placeholders(n) + `)`
}

func knownLinksQuery(n int) string {
	return `SELECT link FROM articles WHERE link <> '' AND link IN (` + placeholders(n) + `)`
}

func listedKeysQuery(n int) string {
	return `UPDATE articles SET last_listed = ? WHERE feed_id = ? AND key IN (` + placeholders(n) + `)`
}

func listedLinksQuery(n int) string {
	return `UPDATE articles SET last_listed = ? WHERE link <> '' AND link IN (` + placeholders(n) + `)`
}

const articleColumns = `a.id, coalesce(a.feed_id, 0), a.feed_name, a.key, a.link, a.title, a.summary, a.content,
	a.author, a.categories, a.published, a.published_known, a.first_seen, a.full_text`

func scanArticle(dest []any, a *monitor.Article, cats *string, published, known, firstSeen *int64) []any {
	return append(dest, &a.ID, &a.FeedID, &a.FeedName, &a.Key, &a.Link, &a.Title, &a.Summary, &a.Content,
		&a.Author, cats, published, known, firstSeen, &a.FullText)
}

func finishArticle(a *monitor.Article, cats string, published, known, firstSeen int64) {
	_ = json.Unmarshal([]byte(cats), &a.Categories)
	a.Published, a.PublishedKnown, a.FirstSeen = fromMillis(published), known != 0, fromMillis(firstSeen)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
