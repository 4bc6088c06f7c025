package pgstore

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// articleColumns are an article's columns as the SQLite store reads them.
const articleColumns = `a.id, coalesce(a.feed_id, 0), a.feed_name, a.key, a.link, a.title, a.summary, a.content,
	a.author, a.categories, a.published, a.published_known, a.first_seen, a.full_text`

// articleScan is where a row's article columns go.
type articleScan struct {
	a                    *monitor.Article
	cats                 string
	published, firstSeen int64
	known                bool
}

func (sc *articleScan) dest(a *monitor.Article, before ...any) []any {
	sc.a = a
	return append(before, &a.ID, &a.FeedID, &a.FeedName, &a.Key, &a.Link, &a.Title, &a.Summary, &a.Content,
		&a.Author, &sc.cats, &sc.published, &sc.known, &sc.firstSeen, &a.FullText)
}

func (sc *articleScan) finish() {
	_ = json.Unmarshal([]byte(sc.cats), &sc.a.Categories)
	sc.a.Published, sc.a.PublishedKnown, sc.a.FirstSeen = fromMillis(sc.published), sc.known, fromMillis(sc.firstSeen)
}

// Stories loads stories by ID, in the order given, each with every
// report (oldest first) and the matches of each of the topics the user
// sees; stories without such a match, or deleted by the user, are left
// out.
func (s *Store) Stories(ctx context.Context, ids []int64) ([]monitor.Story, error) {
	byID := make(map[int64]*monitor.Story, len(ids))
	leads := map[int64]int64{}
	readSources := map[int64]int{}
	rows, err := s.pool.Query(ctx, `SELECT st.id, st.lead, st.first_seen, st.last_seen, st.sources,
			coalesce(ss.read_sources, 0), coalesce(ss.starred, false)
		FROM stories st LEFT JOIN story_state ss ON ss.story_id = st.id AND ss.user_name = $1
		WHERE st.id = ANY($2) AND NOT coalesce(ss.hidden, false)`, s.user, ids)
	if err != nil {
		return nil, s.explain(err)
	}
	for rows.Next() {
		st := &monitor.Story{}
		var lead, first, last int64
		var rs int
		if err := rows.Scan(&st.ID, &lead, &first, &last, &st.Sources, &rs, &st.Starred); err != nil {
			rows.Close()
			return nil, err
		}
		st.FirstSeen, st.LastSeen = fromMillis(first), fromMillis(last)
		st.Read = rs > 0 && rs >= st.Sources
		byID[st.ID], leads[st.ID], readSources[st.ID] = st, lead, rs
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.explain(err)
	}
	rows, err = s.pool.Query(ctx, `SELECT r.story_id, r.source, `+articleColumns+`
		FROM reports r JOIN articles a ON a.id = r.article_id
		WHERE r.story_id = ANY($1) ORDER BY r.story_id, r.published, r.article_id`, ids)
	if err != nil {
		return nil, s.explain(err)
	}
	at := map[int64]int{} // article → index in its story's Reports
	for rows.Next() {
		var storyID int64
		var rep monitor.Report
		var sc articleScan
		if err := rows.Scan(sc.dest(&rep.Article, &storyID, &rep.Article.Source)...); err != nil {
			rows.Close()
			return nil, err
		}
		sc.finish()
		rep.Article.StoryID = storyID
		if st := byID[storyID]; st != nil {
			at[rep.Article.ID] = len(st.Reports)
			st.Reports = append(st.Reports, rep)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.explain(err)
	}
	rows, err = s.pool.Query(ctx, `SELECT m.story_id, m.article_id, m.topic_id, m.topic_name, t.color, m.hits, m.matched_at
		FROM matches m JOIN topics t ON t.id = m.topic_id
		WHERE m.story_id = ANY($2) AND `+s.visible()+` ORDER BY lower(m.topic_name)`, s.user, ids)
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var storyID, aid, matchedAt int64
		var ref monitor.TopicRef
		var hits string
		if err := rows.Scan(&storyID, &aid, &ref.ID, &ref.Name, &ref.Color, &hits, &matchedAt); err != nil {
			return nil, err
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
		if t := fromMillis(matchedAt); st.MatchedAt.IsZero() || t.Before(st.MatchedAt) {
			st.MatchedAt = t
		}
	}
	if err := rows.Err(); err != nil {
		return nil, s.explain(err)
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
