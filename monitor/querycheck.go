package monitor

import (
	"errors"
	"sync"

	"codeberg.org/newswatch/newswatch/monitor/msg"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// QueryCheck is what the topic editor shows about a query as it is typed.
type QueryCheck struct {
	// Problem is why the query is refused, with the column of the mistake
	// ("unclosed quote at column 14"); zero when the query is fine.
	Problem msg.Message
	// Column is the 1-based column of the problem (0: none, or the query
	// as a whole).
	Column int
	// Explain says how each term is matched, one message per term.
	Explain []msg.Message
}

// OK reports whether the query can be used.
func (c QueryCheck) OK() bool { return c.Problem.IsZero() }

// CheckQuery parses a query and explains it, or says what is wrong.
func (s *Service) CheckQuery(text string) QueryCheck {
	q, err := s.parseQuery(text)
	if err != nil {
		c := QueryCheck{Problem: msg.Of(err)}
		var se *query.SyntaxError
		if errors.As(err, &se) {
			c.Column = se.Column
		}
		return c
	}
	return QueryCheck{Explain: q.Explain()}
}

// parseQuery parses a query once: the topic editor checks it as it is
// typed, the preview runs it, saving stores it and every cycle matches it,
// all with the same parsed query.
func (s *Service) parseQuery(text string) (*query.Query, error) {
	return s.queries.parse(text)
}

// queryCache keeps the queries parsed last (a parsed query is immutable
// and safe to match from many goroutines).
type queryCache struct {
	mu    sync.Mutex
	byKey map[string]parsedQuery
	order []string // oldest first
}

type parsedQuery struct {
	q   *query.Query
	err error
}

const queryCacheSize = 128

func (c *queryCache) parse(text string) (*query.Query, error) {
	c.mu.Lock()
	if p, ok := c.byKey[text]; ok {
		c.mu.Unlock()
		return p.q, p.err
	}
	c.mu.Unlock()
	q, err := query.Parse(text)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byKey == nil {
		c.byKey = map[string]parsedQuery{}
	}
	if _, ok := c.byKey[text]; !ok {
		if len(c.order) >= queryCacheSize {
			delete(c.byKey, c.order[0])
			c.order = c.order[1:]
		}
		c.byKey[text] = parsedQuery{q, err}
		c.order = append(c.order, text)
	}
	return q, err
}
