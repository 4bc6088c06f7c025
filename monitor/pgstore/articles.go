package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"codeberg.org/newswatch/newswatch/monitor"
)

// UnknownItems returns the keys of items not stored yet: neither under
// this feed with the same key, nor under any feed with the same link.
func (s *Store) UnknownItems(ctx context.Context, feedID int64, items []monitor.ItemRef) (map[string]bool, error) {
	keys, links, err := known(ctx, s.pool, feedID, items)
	if err != nil {
		return nil, s.explain(err)
	}
	out := make(map[string]bool, len(items))
	for _, it := range items {
		if !keys[it.Key] && (it.Link == "" || !links[it.Link]) {
			out[it.Key] = true
		}
	}
	return out, nil
}

// known returns which of the items' keys (in this feed) and links (in
// any feed) are stored.
func known(ctx context.Context, db querier, feedID int64, items []monitor.ItemRef) (keys, links map[string]bool, err error) {
	keys, links = map[string]bool{}, map[string]bool{}
	var ks, ls []string
	for _, it := range items {
		ks = append(ks, it.Key)
		if it.Link != "" {
			ls = append(ls, it.Link)
		}
	}
	if len(ks) == 0 {
		return keys, links, nil
	}
	collect := func(q string, arg []string, into map[string]bool, extra ...any) error {
		rows, err := db.Query(ctx, q, append(extra, arg)...)
		if err != nil {
			return err
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
	if err := collect(`SELECT key FROM articles WHERE feed_id = $1 AND key = ANY($2)`, ks, keys, feedID); err != nil {
		return nil, nil, err
	}
	if len(ls) > 0 {
		if err := collect(`SELECT link FROM articles WHERE link <> '' AND link = ANY($1)`, ls, links); err != nil {
			return nil, nil, err
		}
	}
	return keys, links, nil
}

// SaveFetch stores one feed's fetch in one transaction: all of it or, on
// an error, nothing. With a lease it first makes sure the lease is still
// this process's (else ErrLeaseLost) and completes it. The articles go in
// first (a unique key per feed and a unique link: what another poller
// stored meanwhile is skipped with its matches); stories and matches are
// written under the writer lock, matches numbered in commit order, and
// the desktops are notified of the newest number at commit.
func (s *Store) SaveFetch(ctx context.Context, r monitor.FetchResult) (monitor.Saved, error) {
	var saved monitor.Saved
	err := s.writeTx(ctx, func(tx pgx.Tx, w *writer) error {
		saved = monitor.Saved{}
		if r.Lease != nil {
			var owner string
			err := tx.QueryRow(ctx, `SELECT owner FROM feed_leases WHERE feed_id = $1 FOR UPDATE`, r.Feed.ID).Scan(&owner)
			if errors.Is(err, pgx.ErrNoRows) || err == nil && owner != r.Lease.Owner {
				return monitor.ErrLeaseLost
			}
			if err != nil {
				return err
			}
		}
		if err := saveFeedState(ctx, tx, r.Feed); err != nil {
			return err
		}
		if r.ReadMark != "" {
			if _, err := tx.Exec(ctx, `DELETE FROM reading WHERE feed_id = $1 AND owner = $2`, r.Feed.ID, r.ReadMark); err != nil {
				return err
			}
		}
		now := toMillis(r.Feed.LastFetch)
		ids, err := insertArticles(ctx, tx, r.Feed.ID, r.Articles, now)
		if err != nil {
			return err
		}
		if err := noteNewest(ctx, tx, r, ids); err != nil {
			return err
		}
		if r.Body {
			// While the feed answers 304, its items count as listed as
			// of its last body (see Prune).
			if _, err := tx.Exec(ctx, `UPDATE feeds SET listed_at = $1 WHERE id = $2`, now, r.Feed.ID); err != nil {
				return err
			}
		}
		listed := make([]monitor.ItemRef, 0, len(r.Listed))
		for _, it := range r.Listed {
			if _, isNew := ids[it.Key]; !isNew {
				listed = append(listed, it)
			}
		}
		if err := markListed(ctx, tx, r.Feed.ID, listed, now); err != nil {
			return err
		}
		if r.Pages {
			if err := queuePages(ctx, tx, r, ids); err != nil {
				return err
			}
		}
		if len(ids) > 0 {
			if err := w.lock(ctx); err != nil {
				return err
			}
			touched, gained, err := s.assignStories(ctx, tx, &r, ids)
			if err != nil {
				return err
			}
			if saved.Matches, err = w.insertMatches(ctx, tx, r.Matches, ids, r.Backlog, false); err != nil {
				return err
			}
			if saved.Stories, err = afterMatches(ctx, tx, touched); err != nil {
				return err
			}
			if !r.Backlog {
				if err := w.escalate(ctx, tx, gained, r.Feed.LastFetch); err != nil {
					return fmt.Errorf("check escalation: %w", err)
				}
			}
		}
		if r.Lease != nil {
			return completeLease(ctx, tx, r.Lease, r.Feed.LastFetch)
		}
		return nil
	})
	if err != nil {
		return monitor.Saved{}, err
	}
	return saved, nil
}

// insertArticles stores the articles that are still unknown and returns
// their IDs by key.
func insertArticles(ctx context.Context, tx pgx.Tx, feedID int64, arts []monitor.Article, now int64) (map[string]int64, error) {
	ids := make(map[string]int64, len(arts))
	if len(arts) == 0 {
		return ids, nil
	}
	refs := make([]monitor.ItemRef, len(arts))
	for i, a := range arts {
		refs[i] = monitor.ItemRef{Key: a.Key, Link: a.Link}
	}
	knownKeys, knownLinks, err := known(ctx, tx, feedID, refs)
	if err != nil {
		return nil, err
	}
	for i := range arts {
		a := &arts[i]
		if knownKeys[a.Key] || (a.Link != "" && knownLinks[a.Link]) {
			continue
		}
		cats, _ := json.Marshal(nonNil(a.Categories))
		doc, partial := ftsDoc(a)
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO articles (feed_id, feed_name, key, link, title, summary,
			content, author, categories, published, published_known, first_seen, last_listed, fts, fts_partial)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, to_tsvector('newswatch', $14), $15)
			ON CONFLICT DO NOTHING RETURNING id`,
			feedID, a.FeedName, a.Key, a.Link, a.Title, a.Summary, a.Content, a.Author, string(cats),
			toMillis(a.Published), a.PublishedKnown, toMillis(a.FirstSeen), now, doc, partial).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			continue // stored meanwhile by another process
		}
		if err != nil {
			return nil, fmt.Errorf("store article %q: %w", a.Title, err)
		}
		ids[a.Key] = id
		if a.Link != "" {
			knownLinks[a.Link] = true // the same link twice in one body
		}
	}
	return ids, nil
}

// insertMatches stores matches of articles in ids (by key), each with
// its article's story and the story's date, numbered for the claims
// (silent ones, of a topic applied to the past, are not). A story that
// someone deleted from their timeline comes back with a new match, as it
// does in the SQLite store. The writer lock is held.
func (w *writer) insertMatches(ctx context.Context, tx pgx.Tx, ms []monitor.Match, ids map[string]int64, backlog, silent bool) ([]monitor.Match, error) {
	var out []monitor.Match
	var volume []volumeRow
	for _, m := range ms {
		aid, ok := ids[m.Article.Key]
		if !ok {
			continue
		}
		hits, _ := json.Marshal(m.Hits)
		var seq *int64
		err := tx.QueryRow(ctx, `INSERT INTO matches (article_id, topic_id, topic_name, hits, matched_at,
			backlog, seq, story_id, published)
			SELECT $1, $2, $3, $4, $5, $6, CASE WHEN $7 THEN NULL ELSE nextval('event_seq') END,
				coalesce(r.story_id, 0), coalesce(st.last_seen, $8)
			FROM (SELECT 1) one LEFT JOIN reports r ON r.article_id = $1 LEFT JOIN stories st ON st.id = r.story_id
			ON CONFLICT (article_id, topic_id) DO NOTHING RETURNING id, story_id, seq`,
			aid, m.TopicID, m.TopicName, string(hits), toMillis(m.MatchedAt), backlog, silent,
			toMillis(m.Article.Published)).Scan(&m.ID, &m.Article.StoryID, &seq)
		if errors.Is(err, pgx.ErrNoRows) {
			continue // matched before
		}
		if err != nil {
			return nil, fmt.Errorf("store match: %w", err)
		}
		if seq != nil {
			w.notify = max(w.notify, *seq)
		}
		m.Article.ID = aid
		m.Backlog = backlog
		out = append(out, m)
		at := m.Article.Published
		if at.IsZero() || !m.MatchedAt.IsZero() && m.MatchedAt.Before(at) {
			at = m.MatchedAt
		}
		story := m.Article.StoryID
		if story == 0 {
			story = aid
		} else if _, err := tx.Exec(ctx, `UPDATE story_state SET hidden = false WHERE story_id = $1 AND hidden`, story); err != nil {
			return nil, err
		}
		volume = append(volume, volumeRow{topic: m.TopicID, story: story, at: toMillis(at), quiet: backlog || silent})
	}
	for _, v := range volume {
		if _, err := tx.Exec(ctx, `INSERT INTO topic_volume (topic_id, story_id, at, quiet) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING`, v.topic, v.story, v.at, v.quiet); err != nil {
			return nil, fmt.Errorf("store topic volume: %w", err)
		}
	}
	return out, nil
}

// volumeRow is one story of a topic's volume.
type volumeRow struct {
	topic, story, at int64
	quiet            bool
}

// markListed records that the feed still lists these items.
func markListed(ctx context.Context, tx pgx.Tx, feedID int64, items []monitor.ItemRef, now int64) error {
	if len(items) == 0 {
		return nil
	}
	var keys, links []string
	for _, it := range items {
		keys = append(keys, it.Key)
		if it.Link != "" {
			links = append(links, it.Link)
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE articles SET last_listed = $1 WHERE feed_id = $2 AND key = ANY($3)
		AND last_listed <> $1`, now, feedID, keys); err != nil {
		return err
	}
	if len(links) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE articles SET last_listed = $1 WHERE link <> '' AND link = ANY($2)
		AND last_listed <> $1`, now, links)
	return err
}

// noteNewest keeps the date of a feed's newest story.
func noteNewest(ctx context.Context, tx pgx.Tx, r monitor.FetchResult, ids map[string]int64) error {
	var newest int64
	for _, a := range r.Articles {
		if _, ok := ids[a.Key]; ok {
			newest = max(newest, toMillis(a.Published))
		}
	}
	if newest == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE feeds SET newest = greatest(newest, $1) WHERE id = $2`, newest, r.Feed.ID)
	return err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// idKey is the key of a stored article by its ID (matches of stored
// articles are keyed so).
func idKey(id int64) string { return "id:" + strconv.FormatInt(id, 10) }
