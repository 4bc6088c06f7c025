package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
)

const matchColumns = `m.id, m.topic_id, m.topic_name, m.hits, m.matched_at, m.read, m.starred, m.backlog,
	m.story_id, coalesce(st.title, ''), coalesce(st.sources, 0), coalesce(st.first_seen, 0), coalesce(r.source, ''), `

func (s *Store) queryMatches(ctx context.Context, db querier, where string, args []any, tail string) ([]monitor.Match, error) {
	q := `SELECT ` + matchColumns + articleColumns + ` FROM matches m JOIN articles a ON a.id = m.article_id
		LEFT JOIN stories st ON st.id = m.story_id LEFT JOIN reports r ON r.article_id = m.article_id`
	if where != "" {
		q += ` WHERE ` + where
	}
	rows, err := db.QueryContext(ctx, q+` `+tail, args...)
	if err != nil {
		return nil, dbError(s.path, err)
	}
	defer rows.Close()
	var out []monitor.Match
	for rows.Next() {
		var m monitor.Match
		var hits, cats string
		var matchedAt, published, known, firstSeen, storyFirst int64
		var read, starred, backlog int
		var source string
		dest := []any{&m.ID, &m.TopicID, &m.TopicName, &hits, &matchedAt, &read, &starred, &backlog,
			&m.Story.ID, &m.Story.Title, &m.Story.Sources, &storyFirst, &source}
		if err := rows.Scan(scanArticle(dest, &m.Article, &cats, &published, &known, &firstSeen)...); err != nil {
			return nil, err
		}
		finishArticle(&m.Article, cats, published, known, firstSeen)
		m.Story.FirstSeen = fromMillis(storyFirst)
		m.Article.StoryID, m.Article.Source = m.Story.ID, source
		_ = json.Unmarshal([]byte(hits), &m.Hits)
		m.MatchedAt, m.Read, m.Starred, m.Backlog = fromMillis(matchedAt), read != 0, starred != 0, backlog != 0
		out = append(out, m)
	}
	return out, rows.Err()
}

// Matches lists the matches of the stories the filter selects, newest
// story first, a story's reports newest first.
func (s *Store) Matches(ctx context.Context, f monitor.Filter) ([]monitor.Match, error) {
	conds, args := filterConds(f)
	tail := `ORDER BY m.published DESC, m.story_id DESC, a.published DESC, a.id DESC, m.topic_name COLLATE NOCASE`
	if f.Limit > 0 {
		tail += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	return s.queryMatches(ctx, s.db, strings.Join(conds, " AND "), args, tail)
}

// ClaimAlerts marks every pending match, and every story found
// developing, as alerted and returns them, oldest first. Claiming
// happens in one transaction, so two processes never claim the same
// match or story, and it is written durably (fsynced) before they are
// returned to be announced, so even a power loss right after cannot
// bring them back. That one sync also makes the cycle's earlier
// transactions durable. (The engine claims with DecideAlerts, which
// records its alert decisions in the same transaction.)
func (s *Store) ClaimAlerts(ctx context.Context, now time.Time) (monitor.Claimed, error) {
	var out monitor.Claimed
	err := s.writeDurable(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.claim(ctx, tx, now)
		return err
	})
	if err != nil {
		return monitor.Claimed{}, err // not claimed: never announce what may come again
	}
	return out, nil
}

// claim marks every pending match, and every story found developing, as
// alerted inside tx and returns them, oldest first. A match is a new
// story for its topic when no match of its story for that topic was
// announced before (silent alerts, of topics applied to the past, do not
// count).
func (s *Store) claim(ctx context.Context, tx *sql.Tx, now time.Time) (monitor.Claimed, error) {
	var out monitor.Claimed
	pending, err := s.queryMatches(ctx, tx, "m.alert_id IS NULL", nil, "ORDER BY m.id")
	if err != nil {
		return out, err
	}
	developing, err := s.pendingDeveloping(ctx, tx)
	if err != nil || len(pending) == 0 && len(developing) == 0 {
		return out, err
	}
	announced, err := tx.PrepareContext(ctx, `SELECT EXISTS (SELECT 1 FROM matches m JOIN alerts al ON al.id = m.alert_id
		WHERE m.story_id = ? AND m.topic_id = ? AND al.silent = 0)`)
	if err != nil {
		return out, err
	}
	defer announced.Close()
	type pair struct{ story, topic int64 }
	counted := map[pair]bool{}
	for _, m := range pending {
		p := pair{m.Article.StoryID, m.TopicID}
		if counted[p] {
			continue
		}
		counted[p] = true
		var before bool
		if p.story != 0 {
			if err := announced.QueryRowContext(ctx, p.story, p.topic).Scan(&before); err != nil {
				return out, err
			}
		}
		if !before {
			out.NewStories = append(out.NewStories, m)
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO alerts (at, silent, matches) VALUES (?, 0, ?)`, toMillis(now), len(pending))
	if err != nil {
		return out, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return out, err
	}
	if len(pending) > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE matches SET alert_id = ? WHERE alert_id IS NULL AND id <= ?`,
			id, pending[len(pending)-1].ID); err != nil {
			return out, err
		}
	}
	for _, d := range developing {
		if _, err := tx.ExecContext(ctx, `UPDATE stories SET developing_alert = ? WHERE id = ?`, id, d.StoryID); err != nil {
			return out, err
		}
	}
	out.Matches, out.Developing = pending, developing
	return out, nil
}

// pendingDeveloping lists the stories found developing and not yet
// announced, with their lead reports.
func (s *Store) pendingDeveloping(ctx context.Context, tx *sql.Tx) ([]monitor.Developing, error) {
	rows, err := tx.QueryContext(ctx, `SELECT s.id, s.title, s.developing_topic, coalesce(t.name, ''), s.developing_sources,
		s.developing_span, s.developing_at, `+articleColumns+`
		FROM stories s INDEXED BY stories_developing LEFT JOIN topics t ON t.id = s.developing_topic
		LEFT JOIN articles a ON a.id = s.lead
		WHERE s.developing_at > 0 AND s.developing_alert IS NULL ORDER BY s.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []monitor.Developing
	for rows.Next() {
		var d monitor.Developing
		var span, at int64
		var cats sql.NullString
		var aid, feedID, published, known, firstSeen sql.NullInt64
		var feedName, key, link, title, summary, content, author, fullText sql.NullString
		if err := rows.Scan(&d.StoryID, &d.Headline, &d.TopicID, &d.TopicName, &d.Sources, &span, &at,
			&aid, &feedID, &feedName, &key, &link, &title, &summary, &content, &author, &cats, &published, &known, &firstSeen,
			&fullText); err != nil {
			return nil, err
		}
		d.Span, d.At = time.Duration(span)*time.Millisecond, fromMillis(at)
		d.Lead = monitor.Article{ID: aid.Int64, FeedID: feedID.Int64, FeedName: feedName.String, Key: key.String,
			Link: link.String, Title: title.String, Summary: summary.String, Content: content.String,
			Author: author.String, StoryID: d.StoryID, FullText: fullText.String}
		finishArticle(&d.Lead, cats.String, published.Int64, known.Int64, firstSeen.Int64)
		out = append(out, d)
	}
	return out, rows.Err()
}

// AddMatches stores matches of already stored articles (a topic applied to
// the past) under a silent alert, so they are never announced.
func (s *Store) AddMatches(ctx context.Context, ms []monitor.Match) (int, error) {
	var n int
	err := s.write(ctx, func(tx *sql.Tx) error {
		if len(ms) == 0 {
			return nil
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO alerts (at, silent, matches) VALUES (?, 1, ?)`,
			toMillis(ms[0].MatchedAt), len(ms))
		if err != nil {
			return dbError(s.path, err)
		}
		alertID, err := res.LastInsertId()
		if err != nil {
			return err
		}
		// Key the articles by ID: stored articles are already unique.
		keyed := make([]monitor.Match, len(ms))
		ids := make(map[string]int64, len(ms))
		for i, m := range ms {
			m.Article.Key = "id:" + strconv.FormatInt(m.Article.ID, 10)
			ids[m.Article.Key] = m.Article.ID
			keyed[i] = m
		}
		stored, err := s.insertMatches(ctx, tx, keyed, ids, false, alertID)
		if err != nil {
			return err
		}
		n = len(stored)
		var touched []int64
		for _, m := range stored {
			if m.Article.StoryID != 0 && !slices.Contains(touched, m.Article.StoryID) {
				touched = append(touched, m.Article.StoryID)
			}
		}
		_, err = s.afterMatches(ctx, tx, touched)
		return err
	})
	return n, err
}
