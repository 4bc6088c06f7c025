package monitor_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/store"
)

// leaveMark writes a reading mark as a process would have left it.
func leaveMark(t *testing.T, dir string, feedID int64, owner string, since time.Time) {
	t.Helper()
	if _, err := rawDB(t, dir).Exec(`INSERT INTO reading (feed_id, owner, since) VALUES (?, ?, ?)`,
		feedID, owner, since.UnixMilli()); err != nil {
		t.Fatal(err)
	}
}

func marks(t *testing.T, dir string) int {
	t.Helper()
	var n int
	if err := rawDB(t, dir).QueryRow(`SELECT count(*) FROM reading`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCrashWhileReadingPausesTheFeed: a mark left by a process that died
// while reading a feed pauses that feed at the next check — the feed is
// not fetched again, its health says why and until when — while the other
// feeds are checked; once the pause is over the feed is checked again, and
// a second death pauses it for longer.
func TestCrashWhileReadingPausesTheFeed(t *testing.T) {
	clock := newClock()
	dir := t.TempDir()
	svc := openService(t, dir, clock)
	ctx := context.Background()
	var hostileHits atomic.Int64
	hostile := &fakeFeed{title: "Böse", items: []testItem{{GUID: "b1", Title: "Ukraine: böse Meldung"}}}
	hostileSrv := serve(t, countRequests(hostile, &hostileHits))
	good := &fakeFeed{title: "Gut", items: []testItem{{GUID: "g1", Title: "Ukraine erhält Hilfe"}}}
	bad := mustAddFeed(t, svc, hostileSrv.URL)
	mustAddFeed(t, svc, serve(t, good).URL)
	mustAddTopic(t, svc, "Ukraine", "")

	// A process on this machine that no longer runs (no pid is this big).
	host, _ := os.Hostname()
	dead := fmt.Sprintf("%s 2147483646 gone/1", host)
	leaveMark(t, dir, bad.ID, dead, clock.Now().Add(-time.Minute))

	ev := mustCheck(t, svc)
	if n := hostileHits.Load(); n != 0 {
		t.Fatalf("the feed a process died reading was fetched again (%d requests)", n)
	}
	if got := titles(ev.Matches); len(got) != 1 || got[0] != "Ukraine: Ukraine erhält Hilfe" {
		t.Fatalf("matches = %q: the good feed's match must arrive", got)
	}
	var paused *monitor.FeedResult
	for i, r := range ev.Feeds {
		if r.Feed.ID == bad.ID {
			paused = &ev.Feeds[i]
		}
	}
	wantUntil := clock.Now().Add(5 * time.Minute).Local().Format("2006-01-02 15:04")
	if paused == nil || !strings.HasPrefix(paused.Skipped.String(), "paused until ") ||
		paused.Err.String() != "Newswatch stopped while reading this feed; it is paused until "+wantUntil+"." {
		t.Fatalf("the paused feed's result: %+v", paused)
	}
	if n := marks(t, dir); n != 0 {
		t.Errorf("%d marks left after the check", n)
	}

	// Checked again (by hand, or scheduled) within the pause: still not read.
	mustCheck(t, svc)
	clock.Advance(time.Minute)
	svc.Check(ctx, monitor.CheckOptions{Scheduled: true})
	if n := hostileHits.Load(); n != 0 {
		t.Fatalf("fetched within the pause (%d requests)", n)
	}

	// The pause ends, the next process dies reading it again: a longer
	// pause (the failure back-off doubles).
	clock.Advance(5 * time.Minute)
	leaveMark(t, dir, bad.ID, dead, clock.Now())
	mustCheck(t, svc)
	f, _ := svc.FeedByURL(ctx, hostileSrv.URL)
	if want := clock.Now().Add(10 * time.Minute); !f.RetryAt.Equal(want) || f.Failures != 2 || hostileHits.Load() != 0 {
		t.Fatalf("second pause until %v (want %v) after %d failures, %d requests", f.RetryAt, want, f.Failures, hostileHits.Load())
	}
	// Once that pause is over the feed is read again, and is healthy.
	clock.Advance(10 * time.Minute)
	mustCheck(t, svc)
	f, _ = svc.FeedByURL(ctx, hostileSrv.URL)
	if hostileHits.Load() != 1 || !f.Healthy() {
		t.Fatalf("after the pause: %d requests, health %q", hostileHits.Load(), f.LastError)
	}
}

// countRequests counts a handler's requests in n (when not nil) and calls
// first before the first one is answered.
func countRequests(h http.Handler, n *atomic.Int64, first ...func()) http.Handler {
	var once sync.Once
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n != nil {
			n.Add(1)
		}
		for _, fn := range first {
			once.Do(fn)
		}
		h.ServeHTTP(w, r)
	})
}

// TestMarksOfLiveProcessesStay: a mark of a process that still runs (here
// pid 1, with its real start time) is another process reading the feed
// right now, not a crash.
func TestMarksOfLiveProcessesStay(t *testing.T) {
	clock := newClock()
	dir := t.TempDir()
	svc := openService(t, dir, clock)
	good := &fakeFeed{title: "Gut", items: []testItem{{GUID: "g1", Title: "Ukraine erhält Hilfe"}}}
	f := mustAddFeed(t, svc, serve(t, good).URL)
	owner := monitor.ProcessOwnerOf(1)
	if !strings.HasSuffix(owner, " ") { // the start time is known here
		leaveMark(t, dir, f.ID, owner, clock.Now())
		ev := mustCheck(t, svc)
		if ev.Failed() != 0 || marks(t, dir) != 1 {
			t.Fatalf("a live process's mark: %d failed, %d marks", ev.Failed(), marks(t, dir))
		}
	}
	// Where a process's start cannot be told (another computer), a mark
	// counts as left behind only when it is old.
	leaveMark(t, dir, f.ID, "elsewhere 42 ", clock.Now().Add(-time.Minute))
	if ev := mustCheck(t, svc); ev.Failed() != 0 {
		t.Fatalf("a fresh mark of another computer paused the feed")
	}
	clock.Advance(time.Hour)
	good.add(testItem{GUID: "g2", Title: "Neu"})
	ev := mustCheck(t, svc)
	if len(ev.Feeds) != 1 || !strings.HasPrefix(ev.Feeds[0].Skipped.String(), "paused until") {
		t.Fatalf("an old mark of another computer: %+v", ev.Feeds)
	}
}

// panicStore panics while a given feed's items are looked up, the way a
// bug in normalizing or matching would.
type panicStore struct {
	*store.Store
	feedID int64
}

func (p panicStore) UnknownItems(ctx context.Context, feedID int64, items []monitor.ItemRef) (map[string]bool, error) {
	if feedID == p.feedID {
		panic("index out of range [7] with length 3")
	}
	return p.Store.UnknownItems(ctx, feedID, items)
}

// TestPanicInOneFeedIsThatFeedsError: a panic while checking one feed
// becomes that feed's health sentence, its reading mark is cleared, and
// the cycle checks the other feeds.
func TestPanicInOneFeedIsThatFeedsError(t *testing.T) {
	clock := newClock()
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ps := &panicStore{Store: st}
	svc := monitor.New(monitor.Config{Store: ps, Now: clock.Now})
	t.Cleanup(func() { svc.Close() })
	bad := mustAddFeed(t, svc, serve(t, &fakeFeed{title: "B", items: []testItem{{GUID: "1", Title: "Ukraine"}}}).URL)
	mustAddFeed(t, svc, serve(t, &fakeFeed{title: "G", items: []testItem{{GUID: "2", Title: "Ukraine erhält Hilfe"}}}).URL)
	mustAddTopic(t, svc, "Ukraine", "")
	ps.feedID = bad.ID

	ev := mustCheck(t, svc)
	if len(ev.Matches) != 1 || ev.Matches[0].Article.Title != "Ukraine erhält Hilfe" {
		t.Fatalf("matches = %q", titles(ev.Matches))
	}
	f, _ := svc.FeedByURL(context.Background(), bad.URL)
	if got := f.LastError.String(); got != "Newswatch hit an internal error while reading this feed (index out of range [7] with length 3)." {
		t.Fatalf("health = %q", got)
	}
	if f.ETag != "" || !f.LastSuccess.IsZero() {
		t.Errorf("a failed check stored the feed's validators: %+v", f)
	}
	if n := marks(t, dir); n != 0 {
		t.Errorf("%d marks left", n)
	}
}

// TestCloseWaitsForRunningCheck: closing the engine while a check cycle
// runs waits for it to save (no "database is closed" on the way); a check
// asked for afterwards is refused in a sentence.
func TestCloseWaitsForRunningCheck(t *testing.T) {
	clock := newClock()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc := monitor.New(monitor.Config{Store: st, Now: clock.Now})
	release := make(chan struct{})
	arrived := make(chan struct{})
	feed := &fakeFeed{title: "Langsam", items: []testItem{{GUID: "1", Title: "Eins"}}}
	srv := serve(t, countRequests(feed, nil, func() { close(arrived); <-release }))
	mustAddFeed(t, svc, srv.URL)

	done := make(chan monitor.CycleEvent)
	go func() {
		ev, _ := svc.Check(context.Background(), monitor.CheckOptions{})
		done <- ev
	}()
	<-arrived // the cycle is fetching
	closed := make(chan error)
	go func() { closed <- svc.Close() }()
	close(release)
	ev := <-done
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if ev.Failed() != 0 || ev.NewArticles != 1 {
		t.Fatalf("the cycle running when Close was called: %+v", ev.Feeds)
	}
	if _, err := svc.Check(context.Background(), monitor.CheckOptions{}); err == nil || err.Error() != "Newswatch is closing; the feeds were not checked." {
		t.Fatalf("a check after Close: %v", err)
	}
}
