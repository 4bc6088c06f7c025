package store

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// Stories loads stories by ID, in the order given, each with every
// report (oldest first) and the matches of each; stories without a match
// are left out (they are not in the timeline).
func (s *Store) Stories(ctx context.Context, ids []int64) ([]monitor.Story, error) {
	byID := make(map[int64]*monitor.Story, len(ids))
	leads := map[int64]int64{}
	readSources := map[int64]int{}
	err := inChunks(ids, func(part []int64) error {
		list := idsJSON(part)
		rows, err := s.db.QueryContext(ctx, `SELECT id, lead, first_seen, last_seen, sources, read_sources
			FROM stories WHERE id IN (SELECT value FROM json_each(?))`, list)
		if err != nil {
			return dbError(s.path, err)
		}
		for rows.Next() {
			st := &monitor.Story{Read: true}
			var lead, first, last int64
			var rs int
			if err := rows.Scan(&st.ID, &lead, &first, &last, &st.Sources, &rs); err != nil {
				rows.Close()
				return err
			}
			st.FirstSeen, st.LastSeen = fromMillis(first), fromMillis(last)
			byID[st.ID], leads[st.ID], readSources[st.ID] = st, lead, rs
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// Every report, oldest first.
		rows, err = s.db.QueryContext(ctx, `SELECT r.story_id, r.source, `+articleColumns+`
			FROM reports r JOIN articles a ON a.id = r.article_id
			WHERE r.story_id IN (SELECT value FROM json_each(?)) ORDER BY r.story_id, r.published, r.article_id`, list)
		if err != nil {
			return dbError(s.path, err)
		}
		at := map[int64]int{} // article → index in its story's Reports
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
			if st := byID[storyID]; st != nil {
				at[rep.Article.ID] = len(st.Reports)
				st.Reports = append(st.Reports, rep)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = s.db.QueryContext(ctx, `SELECT m.story_id, m.article_id, m.topic_id, m.topic_name, coalesce(t.color, ''),
			m.hits, m.read, m.starred, m.matched_at FROM matches m LEFT JOIN topics t ON t.id = m.topic_id
			WHERE m.story_id IN (SELECT value FROM json_each(?)) ORDER BY m.topic_name COLLATE NOCASE`, list)
		if err != nil {
			return dbError(s.path, err)
		}
		defer rows.Close()
		for rows.Next() {
			var storyID, aid, matchedAt int64
			var ref monitor.TopicRef
			var hits string
			var read, starred int
			if err := rows.Scan(&storyID, &aid, &ref.ID, &ref.Name, &ref.Color, &hits, &read, &starred, &matchedAt); err != nil {
				return err
			}
			st := byID[storyID]
			i, ok := at[aid]
			if st == nil || !ok {
				continue
			}
			rep := &st.Reports[i]
			rep.Topics = append(rep.Topics, ref)
			var hs []query.Hit
			_ = json.Unmarshal([]byte(hits), &hs)
			for _, h := range hs {
				if !slices.Contains(rep.Hits, h) {
					rep.Hits = append(rep.Hits, h)
				}
			}
			if !slices.ContainsFunc(st.Topics, func(t monitor.TopicRef) bool { return t.ID == ref.ID }) {
				st.Topics = append(st.Topics, ref)
			}
			st.Read = st.Read && read != 0
			st.Starred = st.Starred || starred != 0
			if t := fromMillis(matchedAt); st.MatchedAt.IsZero() || t.Before(st.MatchedAt) {
				st.MatchedAt = t
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	out := make([]monitor.Story, 0, len(ids))
	for _, id := range ids {
		st := byID[id]
		if st == nil || len(st.Topics) == 0 || len(st.Reports) == 0 {
			continue
		}
		slices.SortFunc(st.Topics, func(a, b monitor.TopicRef) int {
			return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		})
		st.Report = st.Reports[0]
		for _, r := range st.Reports {
			if r.Article.ID == leads[id] {
				st.Report = r
			}
		}
		if rs := readSources[id]; !st.Read && rs > 0 && st.Sources > rs {
			st.Updated, st.NewSources = true, st.Sources-rs
		}
		out = append(out, *st)
	}
	return out, nil
}
