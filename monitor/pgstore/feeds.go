package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// feedColumns are a feed's columns, its coverage as decided for the
// user last ($1 is the user).
const feedColumns = `f.id, f.url, f.name, f.title, f.site_url, f.schedule, f.enabled, f.added, f.etag, f.last_modified,
	f.last_fetch, f.last_success, f.last_error, f.last_error_msg, f.failures, f.retry_at, f.gone, f.item_count,
	f.full_text, f.teasers, f.pages_note, f.failing_since, f.coverage_alerts,
	coalesce(c.coverage, ''), coalesce(c.since, 0), f.newest
	FROM feeds f LEFT JOIN feed_coverage c ON c.feed_id = f.id AND c.user_name = $1`

func scanFeed(row pgx.Row) (monitor.Feed, error) {
	var f monitor.Feed
	var added, lastFetch, lastSuccess, retryAt, failingSince, coverageSince, newest int64
	var lastError, lastErrorMsg, fullText, pagesNote, coverage string
	var coverageAlerts bool
	err := row.Scan(&f.ID, &f.URL, &f.Name, &f.Title, &f.SiteURL, &f.Schedule, &f.Enabled, &added,
		&f.ETag, &f.LastModified, &lastFetch, &lastSuccess, &lastError, &lastErrorMsg, &f.Failures, &retryAt,
		&f.Gone, &f.ItemCount, &fullText, &f.Teasers, &pagesNote, &failingSince, &coverageAlerts, &coverage, &coverageSince, &newest)
	f.FullText, f.PagesNote = monitor.FullTextMode(fullText), msg.Decode(pagesNote)
	f.Newest = fromMillis(newest)
	f.FailingSince, f.CoverageOff = fromMillis(failingSince), !coverageAlerts
	f.Coverage, f.CoverageSince = alert.Coverage(coverage), fromMillis(coverageSince)
	f.Added, f.LastFetch, f.LastSuccess, f.RetryAt = fromMillis(added), fromMillis(lastFetch),
		fromMillis(lastSuccess), fromMillis(retryAt)
	f.LastError = msg.Decode(lastErrorMsg)
	if f.LastError.IsZero() && lastError != "" {
		f.LastError = msg.Literal(lastError)
	}
	return f, err
}

// AddFeed stores a new feed, due to be checked at once, and sets its ID.
func (s *Store) AddFeed(ctx context.Context, f *monitor.Feed) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO feeds (url, name, title, site_url, schedule, enabled, added, item_count,
			full_text, coverage_alerts) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			f.URL, f.Name, f.Title, f.SiteURL, f.Schedule, f.Enabled, toMillis(f.Added), f.ItemCount,
			string(f.FullText), !f.CoverageOff).Scan(&f.ID)
		if isUnique(err) {
			return monitor.ErrExists
		}
		if err != nil {
			return fmt.Errorf("add feed: %w", err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO feed_leases (feed_id) VALUES ($1)`, f.ID)
		return err
	})
}

// Feeds lists every feed by name.
func (s *Store) Feeds(ctx context.Context) ([]monitor.Feed, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+feedColumns+`
		ORDER BY lower(CASE WHEN f.name <> '' THEN f.name WHEN f.title <> '' THEN f.title ELSE f.url END), f.id`, s.user)
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	var out []monitor.Feed
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, s.explain(rows.Err())
}

// Feed returns one feed.
func (s *Store) Feed(ctx context.Context, id int64) (monitor.Feed, error) {
	f, err := scanFeed(s.pool.QueryRow(ctx, `SELECT `+feedColumns+` WHERE f.id = $2`, s.user, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return f, monitor.ErrNotFound
	}
	return f, s.explain(err)
}

// FeedByURL returns the feed with this address.
func (s *Store) FeedByURL(ctx context.Context, url string) (monitor.Feed, error) {
	f, err := scanFeed(s.pool.QueryRow(ctx, `SELECT `+feedColumns+` WHERE f.url = $2`, s.user, url))
	if errors.Is(err, pgx.ErrNoRows) {
		return f, monitor.ErrNotFound
	}
	return f, s.explain(err)
}

// UpdateFeedSettings saves name, schedule, enabled, the full-text
// setting and whether coverage alerts are on, as the SQLite store does:
// enabling a feed that was gone or switched off gives it a fresh start;
// a feed switched off, or its coverage alerts, has its coverage state
// cleared (for every user).
func (s *Store) UpdateFeedSettings(ctx context.Context, f monitor.Feed) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE feeds SET name = $1, schedule = $2,
			failures = CASE WHEN $3 AND (NOT enabled OR gone) THEN 0 ELSE failures END,
			retry_at = CASE WHEN $3 AND (NOT enabled OR gone) THEN 0 ELSE retry_at END,
			failing_since = CASE WHEN $3 AND (NOT enabled OR gone) THEN 0 ELSE failing_since END,
			gone = CASE WHEN $3 THEN false ELSE gone END,
			enabled = $3, full_text = $5, coverage_alerts = $6
			WHERE id = $4`, f.Name, f.Schedule, f.Enabled, f.ID, string(f.FullText), !f.CoverageOff)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return monitor.ErrNotFound
		}
		if !f.Enabled || f.CoverageOff {
			_, err = tx.Exec(ctx, `DELETE FROM feed_coverage WHERE feed_id = $1`, f.ID)
		}
		return err
	})
}

// RemoveFeed deletes a feed and its unmatched articles; matched stories
// stay (with the feed's name) until they are deleted.
func (s *Store) RemoveFeed(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM articles a WHERE a.feed_id = $1
			AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.article_id = a.id)`, id); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM feeds WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return monitor.ErrNotFound
		}
		return nil
	})
}

// SaveFeedHealth stores the outcome of a fetch without a body.
func (s *Store) SaveFeedHealth(ctx context.Context, f monitor.Feed) error {
	_, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f})
	return err
}

// saveFeedState writes the fetch-owned columns of a feed (never those
// the user controls), and moves it to the address of a permanent
// redirect unless another feed has that one.
func saveFeedState(ctx context.Context, tx pgx.Tx, f monitor.Feed) error {
	_, err := tx.Exec(ctx, `UPDATE feeds SET title = $1, site_url = $2, etag = $3,
		last_modified = $4, last_fetch = $5, last_success = $6, last_error = $7, failures = $8,
		retry_at = $9, gone = $10, item_count = $11, last_error_msg = $13, teasers = $14,
		failing_since = CASE WHEN $8 = 0 THEN 0 WHEN failing_since = 0 THEN $5 ELSE failing_since END,
		enabled = CASE WHEN $10 THEN false ELSE enabled END
		WHERE id = $12`,
		f.Title, f.SiteURL, f.ETag, f.LastModified, toMillis(f.LastFetch), toMillis(f.LastSuccess),
		f.LastError.String(), f.Failures, toMillis(f.RetryAt), f.Gone, f.ItemCount, f.ID,
		f.LastError.Encode(), f.Teasers)
	if err != nil {
		return fmt.Errorf("save feed state: %w", err)
	}
	if f.URL != "" {
		_, err = tx.Exec(ctx, `UPDATE feeds SET url = $1 WHERE id = $2 AND url <> $1
			AND NOT EXISTS (SELECT 1 FROM feeds WHERE url = $1)`, f.URL, f.ID)
	}
	return err
}
