package monitor

import (
	"context"
	"time"
)

// A team shares one database (monitor/pgstore): feeds, topics and stories
// are everyone's; what was read, starred or deleted, the alert claims,
// the alert history and the alert switches are each user's; several
// processes poll the feeds, each due feed checked by one of them (a
// lease); desktops learn of new matches as they are stored (Listen).
// The SQLite store is one user's and implements none of this.

// TeamStore is a Store a team shares. The store is opened for one user
// (User): the timeline's reading state, claims (ClaimAlerts,
// DecideAlerts), the alert history and the personal settings are theirs,
// and their Timeline, Counts and Matches leave out the personal topics
// of others. Topics lists every topic (the engine matches them all).
type TeamStore interface {
	Store
	// User is the analyst the store is opened for.
	User() string
	// Sees reports whether the user sees the topics of owner ("" the
	// team's): their Timeline, Counts, Matches and claims hold those.
	Sees(owner string) bool

	// Beat records that owner (a process, see processOwner) is alive
	// now; Leave that it stops: its leases go back at once.
	Beat(ctx context.Context, owner string) error
	Leave(ctx context.Context, owner string) error
	// ProcessAlive reports whether owner beat within timeout; known is
	// false for a process that never beat (not a poller).
	ProcessAlive(ctx context.Context, owner string, timeout time.Duration) (alive, known bool, err error)

	// LeaseDue leases to owner up to limit enabled feeds due at now
	// that no process holds (or whose holder was not seen for timeout),
	// the longest due first. Concurrent callers never get the same feed.
	LeaseDue(ctx context.Context, owner string, now time.Time, limit int, timeout time.Duration) ([]Lease, error)
	// LeaseFeeds leases these feeds to owner whatever their due time (a
	// check asked for), but not those a live process holds.
	LeaseFeeds(ctx context.Context, owner string, ids []int64, timeout time.Duration) ([]Lease, error)
	// ReleaseLease gives a lease back unchecked, due again at due.
	ReleaseLease(ctx context.Context, l Lease, due time.Time) error
	// Leases lists every feed's next check.
	Leases(ctx context.Context) ([]Lease, error)
	// Reschedule makes a feed that is not leased due at due, computed
	// with spec.
	Reschedule(ctx context.Context, feedID int64, due time.Time, spec string) error

	// Listen calls fn whenever matches were stored (by any process),
	// with the newest match's number, until ctx ends; also once at start
	// and after a lost connection (with 0), so that nothing stored
	// meanwhile goes unnoticed.
	Listen(ctx context.Context, fn func(seq int64)) error
}

// Lease is a feed's next check, held by one process. SaveFetch of a
// result with its Lease completes it in the same transaction — the feed
// is due again at Next — or fails with ErrLeaseLost when another process
// took the lease meanwhile (this one was not seen for the timeout).
type Lease struct {
	FeedID int64
	Owner  string
	Due    time.Time // zero: due since it was added
	Spec   string    // the schedule Due was computed with
	// Next and NextSpec are set by the engine before it saves the check.
	Next     time.Time
	NextSpec string
}

// ErrLeaseLost is a check saved by a process whose lease on the feed was
// taken over: another process checks the feed for this due time.
var ErrLeaseLost = errLeaseLost{}

type errLeaseLost struct{}

func (errLeaseLost) Error() string {
	return "another Newswatch process took over this feed's check (this one was not seen for too long)"
}

// PersonalSetting reports whether a setting is each user's own in a team
// database: the alert switches (notifications, pause, quiet hours).
func PersonalSetting(key string) bool {
	switch key {
	case settingNotifications, settingPaused, settingQuietOn, settingQuietFrom, settingQuietTo:
		return true
	}
	return false
}
