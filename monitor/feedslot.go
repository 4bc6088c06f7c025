package monitor

// A feedSlot is one feed's turn in a check cycle. Fetching and reading
// the feed hold one of the cycle's fetch slots and one of its server's;
// saving what it brought holds one of the save slots instead, so that
// while the store writes (one fetch after the other), the next feeds are
// fetched and read: waiting for the writer no longer keeps the cores
// idle. As many saves as fetches may wait; a feed that finds them all
// taken waits with its fetch slot (so no more bodies are read than can
// be saved).
type feedSlot struct {
	fetch, saves chan struct{}
	hosts        *hostLimiter
	host         string
	held         int // 0 nothing, 1 the fetch slots, 2 a save slot
}

// acquire waits for the feed's fetch slots.
func (f *feedSlot) acquire() {
	f.hosts.acquire(f.host)
	f.fetch <- struct{}{}
	f.held = 1
}

// saving trades the fetch slots for a save slot (called before the
// store is asked to save; a slot not fetching stays as it is).
func (f *feedSlot) saving() {
	if f == nil || f.held != 1 {
		return
	}
	f.saves <- struct{}{}
	<-f.fetch
	f.hosts.release(f.host)
	f.held = 2
}

// release gives back what the feed holds.
func (f *feedSlot) release() {
	switch f.held {
	case 1:
		<-f.fetch
		f.hosts.release(f.host)
	case 2:
		<-f.saves
	}
	f.held = 0
}
