package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

const feedColumns = `id, url, name, title, site_url, schedule, enabled, added, etag, last_modified,
	last_fetch, last_success, last_error, last_error_msg, failures, retry_at, gone, item_count,
	full_text, teasers, pages_note, failing_since, coverage_alerts, coverage, coverage_since, newest`

func scanFeed(row interface{ Scan(...any) error }) (monitor.Feed, error) {
	var f monitor.Feed
	var enabled, gone, coverageAlerts, teasers int
	var added, lastFetch, lastSuccess, retryAt, failingSince, coverageSince, newest int64
	var lastError, lastErrorMsg, fullText, pagesNote, coverage string
	err := row.Scan(&f.ID, &f.URL, &f.Name, &f.Title, &f.SiteURL, &f.Schedule, &enabled, &added,
		&f.ETag, &f.LastModified, &lastFetch, &lastSuccess, &lastError, &lastErrorMsg, &f.Failures, &retryAt,
		&gone, &f.ItemCount, &fullText, &teasers, &pagesNote, &failingSince, &coverageAlerts, &coverage, &coverageSince, &newest)
	f.FullText, f.Teasers, f.PagesNote = monitor.FullTextMode(fullText), teasers != 0, msg.Decode(pagesNote)
	f.Newest = fromMillis(newest)
	f.FailingSince, f.CoverageOff = fromMillis(failingSince), coverageAlerts == 0
	f.Coverage, f.CoverageSince = alert.Coverage(coverage), fromMillis(coverageSince)
	f.Enabled, f.Gone = enabled != 0, gone != 0
	f.Added, f.LastFetch, f.LastSuccess, f.RetryAt = fromMillis(added), fromMillis(lastFetch),
		fromMillis(lastSuccess), fromMillis(retryAt)
	f.LastError = msg.Decode(lastErrorMsg)
	if f.LastError.IsZero() && lastError != "" {
		f.LastError = msg.Literal(lastError) // written before messages were stored
	}
	return f, err
}

// AddFeed stores a new feed and sets its ID.
func (s *Store) AddFeed(ctx context.Context, f *monitor.Feed) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO feeds (url, name, title, site_url, schedule, enabled, added, item_count,
			full_text, coverage_alerts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			f.URL, f.Name, f.Title, f.SiteURL, f.Schedule, boolInt(f.Enabled), toMillis(f.Added), f.ItemCount,
			string(f.FullText), boolInt(!f.CoverageOff))
		if isUnique(err) {
			return monitor.ErrExists
		}
		if err != nil {
			return dbError(s.path, fmt.Errorf("add feed: %w", err))
		}
		f.ID, err = res.LastInsertId()
		return err
	})
}

// Feeds lists every feed by name.
func (s *Store) Feeds(ctx context.Context) ([]monitor.Feed, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+feedColumns+` FROM feeds
		ORDER BY lower(CASE WHEN name <> '' THEN name WHEN title <> '' THEN title ELSE url END), id`)
	if err != nil {
		return nil, dbError(s.path, err)
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
	return out, rows.Err()
}

// Feed returns one feed.
func (s *Store) Feed(ctx context.Context, id int64) (monitor.Feed, error) {
	f, err := scanFeed(s.db.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM feeds WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return f, monitor.ErrNotFound
	}
	return f, err
}

// FeedByURL returns the feed with this address.
func (s *Store) FeedByURL(ctx context.Context, url string) (monitor.Feed, error) {
	f, err := scanFeed(s.db.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM feeds WHERE url = ?`, url))
	if errors.Is(err, sql.ErrNoRows) {
		return f, monitor.ErrNotFound
	}
	return f, err
}

// UpdateFeedSettings saves name, schedule, enabled, the full-text
// setting and whether coverage alerts are on. Enabling a feed that was
// gone or failing gives it a fresh start; a feed switched off, or its
// coverage alerts, has its coverage state cleared (no note).
func (s *Store) UpdateFeedSettings(ctx context.Context, f monitor.Feed) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		// SET expressions all see the old row.
		res, err := tx.ExecContext(ctx, `UPDATE feeds SET name = ?1, schedule = ?2,
			failures = CASE WHEN ?3 AND (enabled = 0 OR gone <> 0) THEN 0 ELSE failures END,
			retry_at = CASE WHEN ?3 AND (enabled = 0 OR gone <> 0) THEN 0 ELSE retry_at END,
			failing_since = CASE WHEN ?3 AND (enabled = 0 OR gone <> 0) THEN 0 ELSE failing_since END,
			gone = CASE WHEN ?3 THEN 0 ELSE gone END,
			coverage = CASE WHEN ?3 AND ?6 THEN coverage ELSE '' END,
			coverage_since = CASE WHEN ?3 AND ?6 THEN coverage_since ELSE 0 END,
			enabled = ?3, full_text = ?5, coverage_alerts = ?6
			WHERE id = ?4`, f.Name, f.Schedule, boolInt(f.Enabled), f.ID, string(f.FullText), boolInt(!f.CoverageOff))
		if err != nil {
			return dbError(s.path, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return monitor.ErrNotFound
		}
		return nil
	})
}

// RemoveFeed deletes a feed and its unmatched articles; matched stories
// stay (with the feed's name) until the user deletes them.
func (s *Store) RemoveFeed(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM articles WHERE feed_id = ?
			AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.article_id = articles.id)`, id); err != nil {
			return dbError(s.path, err)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM feeds WHERE id = ?`, id)
		if err != nil {
			return dbError(s.path, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return monitor.ErrNotFound
		}
		return nil
	})
}

// SaveFeedHealth stores the outcome of a fetch without a body (saved
// together with other fetches, as SaveFetch does).
func (s *Store) SaveFeedHealth(ctx context.Context, f monitor.Feed) error {
	_, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f})
	return err
}

// saveFeedState writes the fetch-owned columns of a feed: never the ones
// the user controls (name, schedule, enabled), which may have changed
// while the fetch ran.
func (s *Store) saveFeedState(ctx context.Context, tx *sql.Tx, f monitor.Feed) error {
	st, err := s.prepared(ctx, tx, `UPDATE feeds SET title = ?1, site_url = ?2, etag = ?3,
		last_modified = ?4, last_fetch = ?5, last_success = ?6, last_error = ?7, failures = ?8,
		retry_at = ?9, gone = ?10, item_count = ?11, last_error_msg = ?13, teasers = ?14,
		failing_since = CASE WHEN ?8 = 0 THEN 0 WHEN failing_since = 0 THEN ?5 ELSE failing_since END,
		enabled = CASE WHEN ?10 THEN 0 ELSE enabled END
		WHERE id = ?12`)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx,
		f.Title, f.SiteURL, f.ETag, f.LastModified, toMillis(f.LastFetch), toMillis(f.LastSuccess),
		f.LastError.String(), f.Failures, toMillis(f.RetryAt), boolInt(f.Gone), f.ItemCount, f.ID,
		f.LastError.Encode(), boolInt(f.Teasers))
	if err != nil {
		return fmt.Errorf("save feed state: %w", err)
	}
	// A permanent redirect moves the feed, unless the new address is
	// already another feed of the user's.
	if f.URL != "" {
		if st, err = s.prepared(ctx, tx, `UPDATE feeds SET url = ?1 WHERE id = ?2 AND url <> ?1
			AND NOT EXISTS (SELECT 1 FROM feeds WHERE url = ?1)`); err != nil {
			return err
		}
		_, err = st.ExecContext(ctx, f.URL, f.ID)
	}
	return err
}
