package feed

import "sync"

// What gofeed holds while it parses a body is many times the body: about
// 1.4 KB for every item, even an empty one, and a few copies of the text.
// The structure guard bounds that for one body (100,000 items, 16 MB);
// parseMemory bounds it for all the bodies parsed at once, so a cycle of
// many large feeds parses them in turn instead of together. A body
// estimated to need more than the whole budget is parsed alone.
var parseMemory = budget{limit: 160 << 20}

// parseCost estimates the bytes gofeed and the normalizer hold while
// parsing a body of the shape.
func parseCost(sh shape, size int) int64 {
	return 4*int64(size) + 1400*int64(sh.items) + 16*int64(sh.elements)
}

// budget is a counting semaphore over bytes that serves waiters in order,
// so a large request is not starved by small ones.
type budget struct {
	mu      sync.Mutex
	limit   int64
	used    int64
	waiters []budgetWaiter
}

type budgetWaiter struct {
	n     int64
	ready chan struct{}
}

// acquire takes n bytes of the budget (at most all of it), waiting until
// they are free, and returns the function that gives them back.
func (b *budget) acquire(n int64) (release func()) {
	n = max(min(n, b.limit), 0)
	b.mu.Lock()
	if len(b.waiters) == 0 && b.used+n <= b.limit {
		b.used += n
		b.mu.Unlock()
	} else {
		w := budgetWaiter{n: n, ready: make(chan struct{})}
		b.waiters = append(b.waiters, w)
		b.mu.Unlock()
		<-w.ready
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			b.used -= n
			for len(b.waiters) > 0 && b.used+b.waiters[0].n <= b.limit {
				w := b.waiters[0]
				b.waiters = b.waiters[1:]
				b.used += w.n
				close(w.ready)
			}
		})
	}
}
