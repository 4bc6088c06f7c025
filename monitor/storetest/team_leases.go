package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
)

// The team part of the suite: leases, pollers taken over, listening.

// Pollers leasing at once never get the same feed; a check saved with
// its lease completes it (due again at Next, logged); a lease given
// back is due again.
func testLeases(t *testing.T, o Opener) {
	first, re := o.New(t)
	var feeds []monitor.Feed
	for i := range 30 {
		feeds = append(feeds, addFeed(t, first, fmt.Sprintf("https://f%d.example/rss", i), base))
	}
	p1, p2 := re(t, "poller").(monitor.TeamStore), re(t, "poller").(monitor.TeamStore)
	for _, p := range []monitor.TeamStore{p1, p2} {
		if err := p.Beat(ctx, fmt.Sprintf("p%p", p)); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	got := map[int64]string{}
	var wg sync.WaitGroup
	for _, p := range []monitor.TeamStore{p1, p2} {
		owner := fmt.Sprintf("p%p", p)
		wg.Go(func() {
			for {
				ls, err := p.LeaseDue(ctx, owner, base, 4, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if len(ls) == 0 {
					return
				}
				mu.Lock()
				for _, l := range ls {
					if prev, ok := got[l.FeedID]; ok {
						t.Errorf("feed %d leased by %s and %s", l.FeedID, prev, owner)
					}
					got[l.FeedID] = owner
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(got) != 30 {
		t.Fatalf("%d feeds leased, want 30", len(got))
	}
	// Completing one: due again at Next; the others are held.
	f := feeds[0]
	l := monitor.Lease{FeedID: f.ID, Owner: got[f.ID], Next: base.Add(10 * time.Minute), NextSpec: "@every 10m"}
	f.LastFetch = base
	holder := map[string]monitor.TeamStore{fmt.Sprintf("p%p", p1): p1, fmt.Sprintf("p%p", p2): p2}[l.Owner]
	if _, err := holder.SaveFetch(ctx, monitor.FetchResult{Feed: f, Lease: &l}); err != nil {
		t.Fatal(err)
	}
	other := fmt.Sprintf("p%p", p1)
	if other == l.Owner {
		other = fmt.Sprintf("p%p", p2)
	}
	if ls, _ := holder.LeaseDue(ctx, other, base.Add(5*time.Minute), 100, time.Minute); len(ls) != 0 {
		t.Errorf("leased before due or held: %+v", ls)
	}
	ls, _ := holder.LeaseDue(ctx, other, base.Add(10*time.Minute), 100, time.Minute)
	if len(ls) != 1 || ls[0].FeedID != f.ID || ls[0].Spec != "@every 10m" || !ls[0].Due.Equal(base.Add(10*time.Minute)) {
		t.Errorf("due again: %+v", ls)
	}
	// The first holder saves again: the lease is not its own.
	if _, err := holder.SaveFetch(ctx, monitor.FetchResult{Feed: f, Lease: &l}); !errors.Is(err, monitor.ErrLeaseLost) {
		t.Errorf("a save with a lease taken over: %v", err)
	}
	if err := holder.ReleaseLease(ctx, ls[0], base.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	all, _ := holder.Leases(ctx)
	for _, x := range all {
		if x.FeedID == f.ID && (x.Owner != "" || !x.Due.Equal(base.Add(time.Hour))) {
			t.Errorf("released: %+v", x)
		}
	}
	// A check asked for leases a feed whatever its due time, but not one
	// a live poller holds.
	ls, _ = holder.LeaseFeeds(ctx, "manual", []int64{f.ID, feeds[1].ID}, time.Minute)
	if len(ls) != 1 || ls[0].FeedID != f.ID {
		t.Errorf("leased for a check asked for: %+v", ls)
	}
}

// A poller that is not seen for the timeout loses its leases to others,
// and what it saves afterwards fails; one that leaves gives them back.
func testLeaseTakenOver(t *testing.T, o Opener) {
	first, re := o.New(t)
	f := addFeed(t, first, "https://f.example/rss", base)
	dead, live := re(t, "poller").(monitor.TeamStore), re(t, "poller").(monitor.TeamStore)
	for _, who := range []string{"dead", "live"} {
		if err := dead.Beat(ctx, who); err != nil {
			t.Fatal(err)
		}
	}
	ls, err := dead.LeaseDue(ctx, "dead", base, 10, time.Minute)
	if err != nil || len(ls) != 1 {
		t.Fatalf("leased %+v, %v", ls, err)
	}
	if alive, known, _ := live.ProcessAlive(ctx, "dead", time.Minute); !alive || !known {
		t.Errorf("dead is alive %v, known %v", alive, known)
	}
	if got, _ := live.LeaseDue(ctx, "live", base, 10, time.Minute); len(got) != 0 {
		t.Fatalf("a live poller's lease taken: %+v", got)
	}
	time.Sleep(1100 * time.Millisecond)
	if err := live.Beat(ctx, "live"); err != nil {
		t.Fatal(err)
	}
	if alive, _, _ := live.ProcessAlive(ctx, "dead", time.Second); alive {
		t.Error("a poller not seen for the timeout is alive")
	}
	got, _ := live.LeaseDue(ctx, "live", base, 10, time.Second)
	if len(got) != 1 || got[0].FeedID != f.ID {
		t.Fatalf("not taken over: %+v", got)
	}
	l := ls[0]
	l.Next = base.Add(time.Hour)
	f.LastFetch = base
	if _, err := dead.SaveFetch(ctx, monitor.FetchResult{Feed: f, Lease: &l}); !errors.Is(err, monitor.ErrLeaseLost) {
		t.Errorf("the lost poller saved: %v", err)
	}
	if err := live.Leave(ctx, "live"); err != nil {
		t.Fatal(err)
	}
	if _, known, _ := live.ProcessAlive(ctx, "live", time.Minute); known {
		t.Error("a poller that left is known")
	}
	if got, _ := dead.LeaseDue(ctx, "dead", base, 10, time.Minute); len(got) != 1 {
		t.Errorf("a lease of a poller that left is held: %+v", got)
	}
}

// A desktop listening hears of matches another process stores, once it
// listens; a number is never lower than one heard before.
func testListen(t *testing.T, o Opener) {
	alice, bob, _ := team(t, o)
	f := addFeed(t, alice, "https://feed.example/rss", base)
	tp := addTopic(t, alice, "Ukraine", "Ukraine", base)
	heard := make(chan int64, 100)
	lctx, cancel := contextWithCancel()
	done := make(chan error, 1)
	go func() { done <- alice.Listen(lctx, func(seq int64) { heard <- seq }) }()
	select {
	case seq := <-heard:
		if seq != 0 {
			t.Errorf("first call %d, want 0 (listening)", seq)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Listen did not start")
	}
	var seqs []int64
	for i := range 3 {
		saveMatches(t, bob, f, tp, fmt.Sprintf("n%d-", i), 2, base, false)
		select {
		case seq := <-heard:
			seqs = append(seqs, seq)
		case <-time.After(10 * time.Second):
			t.Fatalf("no notification of save %d", i)
		}
	}
	if !slices.IsSorted(seqs) || seqs[0] <= 0 || seqs[0] == seqs[2] {
		t.Errorf("numbers heard %v", seqs)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Listen: %v", err)
	}
}

func contextWithCancel() (context.Context, context.CancelFunc) { return context.WithCancel(ctx) }
