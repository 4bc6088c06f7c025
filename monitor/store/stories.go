package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"codeberg.org/newswatch/newswatch/monitor/story"
)

// Stories: every article stored is a report of one story (the reports
// table), decided by monitor/story against the candidate index of recent
// articles (storyWindow) inside the transaction that stores the article,
// after bringing the index up to date with what other processes stored:
// two processes never decide against different states.
//
// The work is split so that little of it holds up the writer: a fetch's
// stories are drafted before the write lock is taken, against the
// window as it is then, in the goroutine of the feed (so on every core);
// inside the transaction a draft stands when no article added to the
// window since shares a key with it that could change it (the window
// tells, story.MemIndex.Confirm), otherwise the story is decided again
// there. The rows are then written a few statements a fetch, not a few
// an article.

// assignStories gives each article of the fetch just stored (ids, by
// key) its story: one it joins or a new one. It returns the stories that
// gained a report, of those the ones that gained a source, and the ones
// it started.
func (s *Store) assignStories(ctx context.Context, tx *sql.Tx, ts *txState, j *saveJob, ids map[string]int64) (touched, newSource []int64, started map[int64]bool, err error) {
	if len(ids) == 0 {
		return nil, nil, nil, nil // nothing new: the window is not needed
	}
	if j.feats == nil {
		storyInputs(j)
	}
	idx, err := s.syncWindow(ctx, tx, ts)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read the story index: %w", err)
	}
	if ts.nextStory == 0 {
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM stories`).Scan(&ts.nextStory); err != nil {
			return nil, nil, nil, err
		}
	}
	r := &j.r
	var changes []*storyChange
	byStory := map[int64]*storyChange{}
	var reps []newReport
	for i := range r.Articles {
		a := &r.Articles[i]
		id, ok := ids[a.Key]
		if !ok {
			continue
		}
		f, src := &j.feats[i], j.sources[i]
		var d story.Decision
		var draft *story.Draft
		if j.drafts != nil {
			var again bool
			draft = &j.drafts[i]
			d, again = idx.Confirm(draft, f, a.Published, src)
			if again {
				s.redrafted.Add(1)
			}
		} else {
			if d, err = story.Assign(idx, f, a.Published, src); err != nil {
				return nil, nil, nil, fmt.Errorf("find the story of %q: %w", a.Title, err)
			}
			s.redrafted.Add(1)
		}
		s.drafted.Add(1)
		pub := toMillis(a.Published)
		c := byStory[d.Story]
		if c == nil || d.Story == 0 {
			c = &storyChange{id: d.Story, lead: id, title: a.Title, first: pub, last: pub}
			if d.Story == 0 {
				c.id, c.isNew = ts.nextStory, true
				ts.nextStory++
			}
			byStory[c.id] = c
			changes = append(changes, c)
		}
		c.reports++
		c.first, c.last = min(c.first, pub), max(c.last, pub)
		if !slices.Contains(c.sources, src) {
			c.sources = append(c.sources, src)
		}
		rep := newReport{article: id, change: c, source: src, pub: pub, keys: f.Keys(), info: story.InfoOf(f, src).Pack()}
		reps = append(reps, rep)
		// Later articles of the fetch find this one.
		s.window.add(rep.keys, draft, id, c.id, pub, rep.info)
	}
	if err := s.updateStories(ctx, tx, ts, j, changes, reps); err != nil {
		return nil, nil, nil, fmt.Errorf("update stories: %w", err)
	}
	if err := s.insertStoryRows(ctx, tx, changes, reps); err != nil {
		return nil, nil, nil, fmt.Errorf("add reports to their stories: %w", err)
	}
	started = map[int64]bool{}
	for _, c := range changes {
		touched = append(touched, c.id)
		if c.isNew && len(c.sources) > 1 || !c.isNew && len(c.sources) > c.known {
			newSource = append(newSource, c.id)
		}
		if c.isNew {
			started[c.id] = true
		}
	}
	return touched, newSource, started, nil
}

// updateStories adds the fetch's reports to the stories they joined:
// their counts and dates, and their matches' date (the timeline sorts a
// story by its newest report; a read story with a new source comes
// back). A story that is gone meanwhile (its reports were pruned since
// the window was read) becomes a new one.
func (s *Store) updateStories(ctx context.Context, tx *sql.Tx, ts *txState, j *saveJob, changes []*storyChange, reps []newReport) error {
	var joined []*storyChange
	var pairs []sourcePair
	for _, c := range changes {
		if !c.isNew {
			joined = append(joined, c)
			for _, src := range c.sources {
				pairs = append(pairs, sourcePair{c.id, src})
			}
		}
	}
	if len(joined) == 0 {
		return nil
	}
	byID := make(map[int64]*storyChange, len(joined))
	for _, c := range joined {
		byID[c.id] = c
	}
	// Which of the sources each story had already: as the drafts found
	// out, unless the story gained reports since; the others are asked.
	ask := pairs
	if j.knownOK && j.knownGen == s.window.gen {
		since := map[int64]bool{}
		st, err := s.prepared(ctx, tx, reportsSinceQuery)
		if err != nil {
			return err
		}
		if err := scanIDs(st.QueryContext(ctx, j.knownMark))(func(id int64) { since[id] = true }); err != nil {
			return err
		}
		ask = nil
		for _, p := range pairs {
			known, asked := j.known[p]
			switch {
			case !asked || since[p.story]:
				ask = append(ask, p)
			case known:
				byID[p.story].known++
			}
		}
	}
	err := rowGroups(len(ask), func(start, k int) error {
		st, err := s.prepared(ctx, tx, knownPairsQuery(k))
		if err != nil {
			return err
		}
		rows, err := st.QueryContext(ctx, pairArgs(ask[start:start+k])...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p sourcePair
			if err := rows.Scan(&p.story, &p.source); err != nil {
				return err
			}
			byID[p.story].known++
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	gone := 0
	err = rowGroups(len(joined), func(start, k int) error {
		st, err := s.prepared(ctx, tx, `UPDATE stories SET reports = reports + u.column2, sources = sources + u.column3,
			first_seen = min(first_seen, u.column4), last_seen = max(last_seen, u.column5)
			FROM (VALUES `+valuesList(k, 5)+`) AS u WHERE stories.id = u.column1`)
		if err != nil {
			return err
		}
		args := make([]any, 0, 5*k)
		for _, c := range joined[start : start+k] {
			args = append(args, c.id, c.reports, len(c.sources)-c.known, c.first, c.last)
		}
		res, err := st.ExecContext(ctx, args...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		gone += k - int(n)
		return err
	})
	if err != nil {
		return err
	}
	if gone > 0 {
		if joined, err = s.restartGone(ctx, tx, ts, joined, reps); err != nil {
			return err
		}
	}
	return rowGroups(len(joined), func(start, k int) error {
		st, err := s.prepared(ctx, tx, `UPDATE matches SET published = s.last_seen,
				read = CASE WHEN u.column2 AND s.read_sources > 0 THEN 0 ELSE read END
			FROM (VALUES `+valuesList(k, 2)+`) AS u JOIN stories s ON s.id = u.column1
			WHERE matches.story_id = u.column1 AND (matches.published <> s.last_seen OR u.column2 AND s.read_sources > 0)`)
		if err != nil {
			return err
		}
		args := make([]any, 0, 2*k)
		for _, c := range joined[start : start+k] {
			args = append(args, c.id, len(c.sources) > c.known)
		}
		_, err = st.ExecContext(ctx, args...)
		return err
	})
}

// restartGone makes the joined stories that are gone (their reports were
// pruned since the window was read: it is loaded anew then, so this is
// for safety) new ones, and returns the others.
func (s *Store) restartGone(ctx context.Context, tx *sql.Tx, ts *txState, joined []*storyChange, reps []newReport) ([]*storyChange, error) {
	var live []*storyChange
	exists, err := s.prepared(ctx, tx, `SELECT EXISTS (SELECT 1 FROM stories WHERE id = ?)`)
	if err != nil {
		return nil, err
	}
	for _, c := range joined {
		var ok bool
		if err := exists.QueryRowContext(ctx, c.id).Scan(&ok); err != nil {
			return nil, err
		}
		if ok {
			live = append(live, c)
			continue
		}
		c.id, c.isNew, c.known = ts.nextStory, true, 0
		ts.nextStory++
		for _, r := range reps {
			if r.change == c {
				c.lead, c.first, c.last = min(c.lead, r.article), min(c.first, r.pub), max(c.last, r.pub)
				s.window.idx.SetStory(r.article, c.id)
			}
		}
	}
	return live, nil
}

// insertStoryRows writes the fetch's new stories, its reports and its
// articles' story keys (story_feats, from which other processes bring
// their windows up to date).
func (s *Store) insertStoryRows(ctx context.Context, tx *sql.Tx, changes []*storyChange, reps []newReport) error {
	var started []*storyChange
	for _, c := range changes {
		if c.isNew {
			started = append(started, c)
		}
	}
	err := s.insertRows(ctx, tx, `INSERT INTO stories (id, lead, title, first_seen, last_seen, reports, sources) VALUES `, 7, len(started),
		func(i int, args []any) []any {
			c := started[i]
			return append(args, c.id, c.lead, c.title, c.first, c.last, c.reports, len(c.sources))
		})
	if err != nil {
		return err
	}
	err = s.insertRows(ctx, tx, `INSERT INTO reports (article_id, story_id, source, published) VALUES `, 4, len(reps),
		func(i int, args []any) []any {
			r := &reps[i]
			return append(args, r.article, r.change.id, r.source, r.pub)
		})
	if err != nil {
		return err
	}
	return s.insertRows(ctx, tx, `INSERT INTO story_feats (article_id, story_id, at, info, keys) VALUES `, 5, len(reps),
		func(i int, args []any) []any {
			r := &reps[i]
			return append(args, r.article, r.change.id, r.pub, r.info, packKeys(r.keys))
		})
}

// matchedStoriesQuery lists which of a JSON list of stories have matches.
const matchedStoriesQuery = `SELECT DISTINCT story_id FROM matches WHERE story_id IN (SELECT value FROM json_each(?))`

// afterMatches brings the stories of a fetch up to date once their
// matches are stored: a story whose lead report matched nothing takes
// its first matched report as lead; the stories that have matches are
// returned (the timeline's to reload).
func (s *Store) afterMatches(ctx context.Context, tx *sql.Tx, touched []int64) ([]int64, error) {
	if len(touched) == 0 {
		return nil, nil
	}
	matched := map[int64]bool{}
	err := inChunks(touched, func(part []int64) error {
		list := idsJSON(part)
		st, err := s.prepared(ctx, tx, matchedStoriesQuery)
		if err != nil {
			return err
		}
		if err := scanIDs(st.QueryContext(ctx, list))(func(id int64) { matched[id] = true }); err != nil {
			return err
		}
		if len(matched) == 0 {
			return nil
		}
		lead, err := s.prepared(ctx, tx, `UPDATE stories SET lead = m.aid, title = a.title
			FROM (SELECT story_id, min(article_id) AS aid FROM matches
				WHERE story_id IN (SELECT value FROM json_each(?)) GROUP BY story_id) m
			JOIN articles a ON a.id = m.aid
			WHERE stories.id = m.story_id AND NOT EXISTS (SELECT 1 FROM matches x WHERE x.article_id = stories.lead)`)
		if err != nil {
			return err
		}
		_, err = lead.ExecContext(ctx, list)
		return err
	})
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, id := range touched {
		if matched[id] {
			out = append(out, id)
		}
	}
	return out, nil
}
