package store

import (
	"context"
	"errors"
	"slices"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/story"
)

// Drafting stories before the write lock (see stories.go).

// draftStories prepares a fetch's stories outside the write lock: each
// article's features (when the engine did not give them), its source,
// and a draft of its story against the window (waiting for it to load
// when this process has not loaded it yet).
func (s *Store) draftStories(j *saveJob) {
	r := &j.r
	if s.noStories || len(r.Articles) == 0 {
		return
	}
	storyInputs(j)
	idx := s.window.view.Load()
	if idx == nil {
		if idx = s.awaitPreload(); idx == nil {
			return // decided inside the write lock
		}
	}
	j.drafts = make([]story.Draft, len(r.Articles))
	var pairs []sourcePair
	for i := range r.Articles {
		j.drafts[i] = idx.Draft(&j.feats[i], r.Articles[i].Published, j.sources[i])
		if p := (sourcePair{j.drafts[i].Story, j.sources[i]}); p.story != 0 && !slices.Contains(pairs, p) {
			pairs = append(pairs, p)
		}
	}
	if len(pairs) > 0 {
		j.known, j.knownMark, j.knownGen, j.knownOK = s.knownSources(j.ctx, pairs)
	}
}

// sourcePair is a story and a source of one of its reports.
type sourcePair struct {
	story  int64
	source string
}

// knownSources says, outside the write lock, which of the stories the
// drafts join have a report from the source already, as of the highest
// report ID mark and the story generation gen: inside the lock only the
// stories that gained reports since (or all, when the generation
// changed) are asked again. ok is false when it could not tell.
func (s *Store) knownSources(ctx context.Context, pairs []sourcePair) (known map[sourcePair]bool, mark int64, gen string, ok bool) {
	known = make(map[sourcePair]bool, len(pairs))
	first := true
	// Each statement reads one snapshot and says which: with several,
	// the lowest report ID answers for all (later ones only know more).
	err := rowGroups(len(pairs), func(start, k int) error {
		st, err := s.preparedDB(ctx, `SELECT coalesce((SELECT max(article_id) FROM reports), 0),
			coalesce((SELECT value FROM settings WHERE key = 'story_gen'), ''), column1, column2,
			EXISTS (SELECT 1 FROM reports WHERE story_id = column1 AND source = column2)
			FROM (VALUES `+valuesList(k, 2)+`)`)
		if err != nil {
			return err
		}
		rows, err := st.QueryContext(ctx, pairArgs(pairs[start:start+k])...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p sourcePair
			var m int64
			var g string
			var exists bool
			if err := rows.Scan(&m, &g, &p.story, &p.source, &exists); err != nil {
				return err
			}
			switch {
			case first:
				mark, gen, first = m, g, false
			case g != gen:
				return errors.New("the story generation changed")
			default:
				mark = min(mark, m)
			}
			known[p] = exists
		}
		return rows.Err()
	})
	return known, mark, gen, err == nil && !first
}

// reportsSinceQuery lists the stories of the reports after an article
// ID, by the primary key (DISTINCT would read the whole story index).
const reportsSinceQuery = `SELECT story_id FROM reports WHERE article_id > ?`

// knownPairsQuery selects, of k pairs of a story and a source, those the
// story has a report from.
func knownPairsQuery(k int) string {
	return `SELECT column1, column2 FROM (VALUES ` + valuesList(k, 2) + `)
		WHERE EXISTS (SELECT 1 FROM reports WHERE story_id = column1 AND source = column2)`
}

func pairArgs(pairs []sourcePair) []any {
	args := make([]any, 0, 2*len(pairs))
	for _, p := range pairs {
		args = append(args, p.story, p.source)
	}
	return args
}

// storyInputs sets a fetch's features and sources.
func storyInputs(j *saveJob) {
	r := &j.r
	j.feats = make([]story.Features, len(r.Articles))
	j.sources = make([]string, len(r.Articles))
	for i := range r.Articles {
		a := &r.Articles[i]
		if i < len(r.Features) {
			j.feats[i] = r.Features[i]
		} else {
			j.feats[i] = story.Extract(monitor.StoryText(a))
		}
		j.sources[i] = a.Source
		if j.sources[i] == "" {
			j.sources[i] = story.SourceOf(a.Link, a.FeedName)
		}
	}
}

// storyChange is what a fetch adds to one story.
type storyChange struct {
	id          int64
	isNew       bool // started by this fetch
	lead        int64
	title       string
	reports     int
	sources     []string // the distinct sources of its new reports
	known       int      // of those, the ones it had before
	first, last int64
}

// newReport is an article of the fetch with its story.
type newReport struct {
	article int64
	change  *storyChange
	source  string
	pub     int64
	keys    []uint64
	info    int64
}
