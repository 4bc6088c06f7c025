package monitor

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/query"
)

// topicSet is the enabled topics compiled together for matching.
type topicSet struct {
	topics []Topic
	set    *query.Set
}

// compiledTopics returns the enabled topics compiled for matching. The
// compiled set is kept and built again only when the topics changed (in
// this process or another one sharing the data directory): reading the
// topics is a few rows, compiling them is the work.
func (s *Service) compiledTopics(ctx context.Context) (*topicSet, error) {
	topics, err := s.store.Topics(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	cached := s.topicSet
	s.mu.Unlock()
	if cached != nil && slices.EqualFunc(cached.source, topics, sameMatching) {
		return cached.set, nil
	}
	ts := &topicSet{}
	var qs []*query.Query
	for _, t := range topics {
		if !t.Enabled {
			continue
		}
		q, err := s.parseQuery(t.Query)
		if err != nil {
			s.log.Warn("topic query does not parse", slog.String("topic", t.Name), slog.Any("err", err))
			continue
		}
		ts.topics = append(ts.topics, t)
		qs = append(qs, q)
	}
	ts.set = query.NewSet(qs)
	s.mu.Lock()
	s.topicSet = &cachedTopics{source: topics, set: ts}
	s.mu.Unlock()
	return ts, nil
}

// cachedTopics is a compiled topic set and the topics it was built from.
type cachedTopics struct {
	source []Topic
	set    *topicSet
}

// sameMatching reports whether two topics match and are named alike.
func sameMatching(a, b Topic) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Query == b.Query && a.Enabled == b.Enabled
}

// match returns the article's matches, one per matching topic.
func (ts *topicSet) match(a Article, now time.Time) []Match {
	if len(ts.topics) == 0 {
		return nil
	}
	p := query.Prepare(a.Doc())
	defer p.Release()
	var out []Match
	for _, m := range ts.set.Match(p) {
		t := ts.topics[m.Query]
		out = append(out, Match{Article: a, TopicID: t.ID, TopicName: t.Name, Hits: m.Hits, MatchedAt: now})
	}
	return out
}
