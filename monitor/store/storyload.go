package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"codeberg.org/newswatch/newswatch/monitor"
)

// Stories loads the timeline's rows: stories by ID, in the order given,
// each with its lead report (its article, topics and hits), its counts,
// dates, topics and state, but not its other reports (Story loads those):
// a page of rows costs the same whatever the size of its stories.
// Stories without a match are left out (they are not in the timeline).
func (s *Store) Stories(ctx context.Context, ids []int64) ([]monitor.Story, error) {
	heads := make(map[int64]*storyHead, len(ids))
	var leadIDs []int64
	err := inChunks(ids, func(part []int64) error {
		got, err := s.storyHeads(ctx, s.db, idsJSON(part))
		if err != nil {
			return err
		}
		for id, h := range got {
			heads[id] = h
			leadIDs = append(leadIDs, h.lead)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The leads, with their matches.
	reports := map[int64]*monitor.Report{}
	err = inChunks(leadIDs, func(part []int64) error {
		return s.loadReports(ctx, s.db, `r.article_id IN (SELECT value FROM json_each(?))`, idsJSON(part), func(storyID int64, rep monitor.Report) {
			reports[rep.Article.ID] = &rep
		})
	})
	if err != nil {
		return nil, err
	}
	out := make([]monitor.Story, 0, len(ids))
	for _, id := range ids {
		h := heads[id]
		if h == nil || len(h.story.Topics) == 0 {
			continue
		}
		st := h.story
		if r := reports[h.lead]; r != nil {
			st.Report = *r
		} else {
			// The lead is gone (only if the store was changed by hand):
			// the first report leads.
			full, err := s.Story(ctx, id)
			if err != nil {
				continue
			}
			st.Report = full.Report
		}
		out = append(out, *st)
	}
	return out, nil
}

// Story loads one story with every report, oldest first, each with its
// article (feed, time, link, full text), topics and hits: the story
// view. A story without a match is not in the timeline: ErrNotFound.
func (s *Store) Story(ctx context.Context, id int64) (monitor.Story, error) {
	list := idsJSON([]int64{id})
	heads, err := s.storyHeads(ctx, s.db, list)
	if err != nil {
		return monitor.Story{}, err
	}
	h := heads[id]
	if h == nil || len(h.story.Topics) == 0 {
		return monitor.Story{}, fmt.Errorf("story %d: %w", id, monitor.ErrNotFound)
	}
	st := h.story
	err = s.loadReports(ctx, s.db, `r.story_id IN (SELECT value FROM json_each(?))`, list, func(_ int64, rep monitor.Report) {
		st.Reports = append(st.Reports, rep)
	})
	if err != nil {
		return monitor.Story{}, err
	}
	if len(st.Reports) == 0 {
		return monitor.Story{}, fmt.Errorf("story %d has no reports: %w", id, monitor.ErrNotFound)
	}
	st.Report = st.Reports[0]
	for _, r := range st.Reports {
		if r.Article.ID == h.lead {
			st.Report = r
		}
	}
	return *st, nil
}

// storyHead is a story as its row and its matches say: counts, dates,
// topics and state, and its lead report's article ID.
type storyHead struct {
	story *monitor.Story
	lead  int64
}

// storyHeads reads the stories of a JSON list of IDs, with their topics
// (every topic a report matched), read and starred state and first
// match, from their matches taken together per topic.
func (s *Store) storyHeads(ctx context.Context, db querier, list string) (map[int64]*storyHead, error) {
	out := map[int64]*storyHead{}
	rows, err := db.QueryContext(ctx, `SELECT id, lead, first_seen, last_seen, reports, sources, read_sources
		FROM stories WHERE id IN (SELECT value FROM json_each(?))`, list)
	if err != nil {
		return nil, dbError(s.path, err)
	}
	readSources := map[int64]int{}
	for rows.Next() {
		st := &monitor.Story{Read: true}
		var lead, first, last int64
		var rs int
		if err := rows.Scan(&st.ID, &lead, &first, &last, &st.ReportCount, &st.Sources, &rs); err != nil {
			rows.Close()
			return nil, err
		}
		st.FirstSeen, st.LastSeen = fromMillis(first), fromMillis(last)
		out[st.ID] = &storyHead{story: st, lead: lead}
		readSources[st.ID] = rs
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.QueryContext(ctx, `SELECT m.story_id, m.topic_id, min(m.topic_name COLLATE NOCASE), coalesce(t.color, ''),
			min(m.read), max(m.starred), min(m.matched_at)
		FROM matches m LEFT JOIN topics t ON t.id = m.topic_id
		WHERE m.story_id IN (SELECT value FROM json_each(?)) GROUP BY m.story_id, m.topic_id`, list)
	if err != nil {
		return nil, dbError(s.path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var storyID, matchedAt int64
		var ref monitor.TopicRef
		var read, starred int
		if err := rows.Scan(&storyID, &ref.ID, &ref.Name, &ref.Color, &read, &starred, &matchedAt); err != nil {
			return nil, err
		}
		h := out[storyID]
		if h == nil {
			continue
		}
		st := h.story
		st.Topics = append(st.Topics, ref)
		st.Read = st.Read && read != 0
		st.Starred = st.Starred || starred != 0
		if t := fromMillis(matchedAt); st.MatchedAt.IsZero() || t.Before(st.MatchedAt) {
			st.MatchedAt = t
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for id, h := range out {
		st := h.story
		slices.SortFunc(st.Topics, func(a, b monitor.TopicRef) int {
			return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		})
		if rs := readSources[id]; !st.Read && rs > 0 && st.Sources > rs {
			st.Updated, st.NewSources = true, st.Sources-rs
		}
	}
	return out, nil
}

// loadReports reads the reports the condition on reports r selects (with
// one argument), oldest first, each with its article, source, topics and
// hits, and gives each to fn with its story.
func (s *Store) loadReports(ctx context.Context, db querier, cond string, arg any, fn func(storyID int64, rep monitor.Report)) error {
	rows, err := db.QueryContext(ctx, `SELECT r.story_id, r.source, `+articleColumns+`
		FROM reports r JOIN articles a ON a.id = r.article_id
		WHERE `+cond+` ORDER BY r.story_id, r.published, r.article_id`, arg)
	if err != nil {
		return dbError(s.path, err)
	}
	var reps []monitor.Report
	var stories []int64
	at := map[int64]int{} // article → index in reps
	for rows.Next() {
		var storyID int64
		var rep monitor.Report
		var cats string
		var published, known, firstSeen int64
		dest := []any{&storyID, &rep.Article.Source}
		if err := rows.Scan(scanArticle(dest, &rep.Article, &cats, &published, &known, &firstSeen)...); err != nil {
			rows.Close()
			return err
		}
		finishArticle(&rep.Article, cats, published, known, firstSeen)
		rep.Article.StoryID = storyID
		at[rep.Article.ID] = len(reps)
		reps = append(reps, rep)
		stories = append(stories, storyID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(reps) == 0 {
		return nil
	}
	// Their matches: the topics and hits of each.
	rows, err = db.QueryContext(ctx, `SELECT m.article_id, m.topic_id, m.topic_name, coalesce(t.color, ''), m.hits
		FROM matches m LEFT JOIN topics t ON t.id = m.topic_id
		WHERE m.article_id IN (SELECT r.article_id FROM reports r WHERE `+cond+`)
		ORDER BY m.topic_name COLLATE NOCASE`, arg)
	if err != nil {
		return dbError(s.path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var aid int64
		var ref monitor.TopicRef
		var hits string
		if err := rows.Scan(&aid, &ref.ID, &ref.Name, &ref.Color, &hits); err != nil {
			return err
		}
		i, ok := at[aid]
		if !ok {
			continue
		}
		reps[i].AddMatch(ref, hits)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range reps {
		fn(stories[i], reps[i])
	}
	return nil
}
