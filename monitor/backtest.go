package monitor

import (
	"context"
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
	Total   int     // articles that match
	Scanned int     // articles matched exactly (after the index narrowed them)
	Matches []Match // the newest ones, with their hits (TopicID is 0)
}

// Backtest runs a query over the stored articles: how many match, and the
// newest of them with what matched. The full-text index narrows the
// articles first; every candidate is then matched exactly, so the result is
// what the query would have matched as the stories arrived.
func (s *Service) Backtest(ctx context.Context, q string, opt BacktestOptions) (Backtest, error) {
	parsed, err := query.Parse(q)
	if err != nil {
		return Backtest{}, err
	}
	limit := opt.Limit
	if limit == 0 {
		limit = 20
	}
	var bt Backtest
	now := s.now()
	err = s.store.ScanQuery(ctx, parsed, opt.Since, func(a *Article) bool {
		bt.Scanned++
		p := query.Prepare(a.Doc())
		defer p.Release()
		if limit >= 0 && len(bt.Matches) >= limit {
			// Enough shown: only count the rest.
			if parsed.Test(p) {
				bt.Total++
			}
			return ctx.Err() == nil
		}
		if hits, ok := parsed.Match(p); ok {
			bt.Total++
			bt.Matches = append(bt.Matches, Match{Article: *a, Hits: hits, MatchedAt: now})
		}
		return ctx.Err() == nil
	})
	if err == nil {
		err = ctx.Err()
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
	for i := range bt.Matches {
		bt.Matches[i].TopicID, bt.Matches[i].TopicName = topic.ID, topic.Name
	}
	return s.store.AddMatches(ctx, bt.Matches)
}
