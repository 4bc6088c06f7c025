package feed

import (
	"testing"
)

// TestBudgetServesInOrder: parses take their share of the budget; one
// that does not fit waits, and a large one waiting is not overtaken by
// a smaller one that would fit.
func TestBudgetServesInOrder(t *testing.T) {
	b := &budget{limit: 100}
	r1 := b.acquire(60)
	got := make(chan string, 3)
	go func() { r := b.acquire(80); got <- "large"; r() }()
	waitFor(t, func() bool { b.mu.Lock(); defer b.mu.Unlock(); return len(b.waiters) == 1 })
	go func() { r := b.acquire(30); got <- "small"; r() }()
	waitFor(t, func() bool { b.mu.Lock(); defer b.mu.Unlock(); return len(b.waiters) == 2 })
	select {
	case g := <-got:
		t.Fatalf("%s ran while 60 of 100 were taken and a large one waited first", g)
	default:
	}
	r1()
	if first, second := <-got, <-got; first != "large" || second != "small" {
		t.Fatalf("order %s, %s", first, second)
	}
	// More than the whole budget: taken alone, not forever waiting.
	b.acquire(1_000)()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used != 0 {
		t.Fatalf("%d still used", b.used)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-t.Context().Done():
			t.Fatal("gave up")
		default:
		}
	}
}

// TestParseCostOfTheLargestBodies: a body at the item limit is estimated
// near what gofeed holds for it (about 140 MB), so it is parsed with few
// others at once.
func TestParseCostOfTheLargestBodies(t *testing.T) {
	c := parseCost(shape{items: maxItems, elements: maxItems}, 700_000)
	if c < 120<<20 || c > parseMemory.limit {
		t.Errorf("a body of 100,000 empty items costs %d MB", c>>20)
	}
}
