package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"codeberg.org/newswatch/newswatch/monitor"
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

// Stories loads the timeline's rows: stories by ID, in the order given,
// each with its lead report (its article, and the topics and hits of the
// topics the user sees), its counts (ReportCount, Sources), dates, topics
// and the user's state, but not its other reports (Story loads those).
// Stories without a match of a topic the user sees, or deleted by the
// user, are left out.
func (s *Store) Stories(ctx context.Context, ids []int64) ([]monitor.Story, error) {
	heads, err := s.storyHeads(ctx, ids)
	if err != nil {
		return nil, err
	}
	var leadIDs []int64
	for _, h := range heads {
		leadIDs = append(leadIDs, h.lead)
	}
	leads := map[int64]monitor.Report{}
	err = s.loadReports(ctx, `r.article_id = ANY($2)`, leadIDs, func(rep monitor.Report) {
		leads[rep.Article.ID] = rep
	})
	if err != nil {
		return nil, err
	}
	out := make([]monitor.Story, 0, len(ids))
	for _, id := range ids {
		h := heads[id]
		if h == nil {
			continue
		}
		st := h.story
		if r, ok := leads[h.lead]; ok {
			st.Report = r
		} else {
			// The lead is gone (only if the database was changed by
			// hand): the first report leads.
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
// article and the topics and hits of the topics the user sees: the story
// view. A story not in the user's timeline is ErrNotFound.
func (s *Store) Story(ctx context.Context, id int64) (monitor.Story, error) {
	heads, err := s.storyHeads(ctx, []int64{id})
	if err != nil {
		return monitor.Story{}, err
	}
	h := heads[id]
	if h == nil {
		return monitor.Story{}, fmt.Errorf("story %d: %w", id, monitor.ErrNotFound)
	}
	st := h.story
	err = s.loadReports(ctx, `r.story_id = ANY($2)`, []int64{id}, func(rep monitor.Report) {
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

// storyHead is a story as its row, the user's state and its matches say,
// and its lead report's article ID.
type storyHead struct {
	story *monitor.Story
	lead  int64
}

// storyHeads reads the stories of ids that are in the user's timeline:
// counts, dates, state, and the topics (that the user sees) its reports
// matched.
func (s *Store) storyHeads(ctx context.Context, ids []int64) (map[int64]*storyHead, error) {
	out := make(map[int64]*storyHead, len(ids))
	readSources := map[int64]int{}
	rows, err := s.pool.Query(ctx, `SELECT st.id, st.lead, st.first_seen, st.last_seen, st.reports, st.sources,
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
		if err := rows.Scan(&st.ID, &lead, &first, &last, &st.ReportCount, &st.Sources, &rs, &st.Starred); err != nil {
			rows.Close()
			return nil, err
		}
		st.FirstSeen, st.LastSeen = fromMillis(first), fromMillis(last)
		st.Read = rs > 0 && rs >= st.Sources
		out[st.ID], readSources[st.ID] = &storyHead{story: st, lead: lead}, rs
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.explain(err)
	}
	rows, err = s.pool.Query(ctx, `SELECT m.story_id, m.topic_id, min(m.topic_name), t.color, min(m.matched_at)
		FROM matches m JOIN topics t ON t.id = m.topic_id
		WHERE m.story_id = ANY($2) AND `+s.visible()+` GROUP BY m.story_id, m.topic_id, t.color`, s.user, ids)
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var storyID, matchedAt int64
		var ref monitor.TopicRef
		if err := rows.Scan(&storyID, &ref.ID, &ref.Name, &ref.Color, &matchedAt); err != nil {
			return nil, err
		}
		h := out[storyID]
		if h == nil {
			continue
		}
		st := h.story
		st.Topics = append(st.Topics, ref)
		if t := fromMillis(matchedAt); st.MatchedAt.IsZero() || t.Before(st.MatchedAt) {
			st.MatchedAt = t
		}
	}
	if err := rows.Err(); err != nil {
		return nil, s.explain(err)
	}
	for id, h := range out {
		st := h.story
		if len(st.Topics) == 0 {
			delete(out, id) // not in the user's timeline
			continue
		}
		slices.SortFunc(st.Topics, func(a, b monitor.TopicRef) int {
			return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		})
		if rs := readSources[id]; !st.Read && rs > 0 && st.Sources > rs {
			st.Updated, st.NewSources = true, st.Sources-rs
		}
	}
	return out, nil
}

// loadReports reads the reports the condition on reports r selects (its
// argument is $2; $1 is the user), oldest first, each with its article,
// source and the topics and hits of its matches of topics the user sees,
// and gives each to fn.
func (s *Store) loadReports(ctx context.Context, cond string, arg any, fn func(rep monitor.Report)) error {
	rows, err := s.pool.Query(ctx, `SELECT r.story_id, r.source, `+articleColumns+`
		FROM reports r JOIN articles a ON a.id = r.article_id
		WHERE $1::text IS NOT NULL AND `+cond+` ORDER BY r.story_id, r.published, r.article_id`, s.user, arg)
	if err != nil {
		return s.explain(err)
	}
	var reps []monitor.Report
	at := map[int64]int{} // article → index in reps
	for rows.Next() {
		var rep monitor.Report
		var sc articleScan
		if err := rows.Scan(sc.dest(&rep.Article, &rep.Article.StoryID, &rep.Article.Source)...); err != nil {
			rows.Close()
			return err
		}
		sc.finish()
		at[rep.Article.ID] = len(reps)
		reps = append(reps, rep)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s.explain(err)
	}
	if len(reps) == 0 {
		return nil
	}
	aids := make([]int64, len(reps))
	for i, r := range reps {
		aids[i] = r.Article.ID
	}
	rows, err = s.pool.Query(ctx, `SELECT m.article_id, m.topic_id, m.topic_name, t.color, m.hits
		FROM matches m JOIN topics t ON t.id = m.topic_id
		WHERE m.article_id = ANY($2) AND `+s.visible()+` ORDER BY lower(m.topic_name)`, s.user, aids)
	if err != nil {
		return s.explain(err)
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
		return s.explain(err)
	}
	for _, r := range reps {
		fn(r)
	}
	return nil
}
