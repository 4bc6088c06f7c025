package monitor

import (
	"cmp"
	"context"
	"runtime"
	"slices"
	"sync"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/msg"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// BacktestOptions limit a backtest.
type BacktestOptions struct {
	Since time.Time // only articles published since (zero: all stored)
	Limit int       // newest matches to return (0: 20; -1: all)
}

// Backtest is what a query would have matched among stored articles.
type Backtest struct {
	Total   int      // articles that match
	Scanned int      // articles matched exactly (after the index narrowed them)
	Newest  []Report // the newest ones, with their hits
}

// Backtest runs a query over the stored articles: how many match, and the
// newest of them with what matched. The full-text index narrows the
// articles first; every candidate is then matched exactly, so the result is
// what the query would have matched as the stories arrived.
func (s *Service) Backtest(ctx context.Context, q string, opt BacktestOptions) (Backtest, error) {
	parsed, err := s.parseQuery(q)
	if err != nil {
		return Backtest{}, err
	}
	limit := opt.Limit
	if limit == 0 {
		limit = 20
	}
	// The store hands the candidates over newest first; workers (one per
	// core) match them exactly, and the matches are put back in order.
	type cand struct {
		seq int
		a   *Article
	}
	type found struct {
		seq  int
		a    *Article
		hits []query.Hit
	}
	var (
		mu    sync.Mutex
		kept  []found // the newest limit matches so far (all when limit < 0)
		total int
	)
	work := make(chan cand, 64)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), 8) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range work {
				mu.Lock()
				shown := limit < 0 || len(kept) < limit || c.seq < kept[len(kept)-1].seq
				mu.Unlock()
				var hits []query.Hit
				var ok bool
				if shown {
					p := query.Prepare(c.a.Doc())
					hits, ok = parsed.Match(p)
					p.Release()
				} else {
					ok = parsed.TestDoc(c.a.Doc()) // beyond the newest shown: only counted
				}
				if !ok {
					continue
				}
				mu.Lock()
				total++
				if shown && (limit < 0 || len(kept) < limit || c.seq < kept[len(kept)-1].seq) {
					i, _ := slices.BinarySearchFunc(kept, c.seq, func(f found, seq int) int { return cmp.Compare(f.seq, seq) })
					kept = slices.Insert(kept, i, found{c.seq, c.a, hits})
					if limit >= 0 && len(kept) > limit {
						kept = kept[:limit]
					}
				}
				mu.Unlock()
			}
		}()
	}
	var bt Backtest
	err = s.store.ScanQuery(ctx, parsed, opt.Since, func(a *Article) bool {
		work <- cand{bt.Scanned, a}
		bt.Scanned++
		return ctx.Err() == nil
	})
	close(work)
	wg.Wait()
	if err == nil {
		err = ctx.Err()
	}
	bt.Total = total
	for _, f := range kept {
		bt.Newest = append(bt.Newest, Report{Article: *f.a, Hits: f.hits})
	}
	return bt, err
}

// ApplyTopic matches a topic against the stored articles published since
// (zero: all) and adds the matches it did not have to the timeline,
// without announcing them. It returns how many it added.
func (s *Service) ApplyTopic(ctx context.Context, topicID int64, since time.Time) (int, error) {
	topics, err := s.store.Topics(ctx)
	if err != nil {
		return 0, err
	}
	var topic *Topic
	for i := range topics {
		if topics[i].ID == topicID {
			topic = &topics[i]
		}
	}
	if topic == nil {
		return 0, msg.Errorf(ErrNotFound, msg.T("The topic no longer exists."))
	}
	bt, err := s.Backtest(ctx, topic.Query, BacktestOptions{Since: since, Limit: -1})
	if err != nil {
		return 0, err
	}
	now := s.now()
	ms := make([]Match, len(bt.Newest))
	for i, r := range bt.Newest {
		ms[i] = Match{Article: r.Article, Hits: r.Hits, TopicID: topic.ID, TopicName: topic.Name, MatchedAt: now}
	}
	n, err := s.store.AddMatches(ctx, ms)
	if n > 0 {
		s.changed(MatchesChanged)
	}
	return n, err
}
