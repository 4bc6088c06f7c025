package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
)

// runTeam runs the part of the suite for stores a team shares.
func runTeam(t *testing.T, o Opener) {
	for _, c := range []struct {
		name string
		fn   func(t *testing.T, o Opener)
	}{
		{"ReadingStatePerUser", testReadingStatePerUser},
		{"ClaimsPerUser", testClaimsPerUser},
		{"PersonalTopics", testPersonalTopics},
		{"PersonalSettingsAndHistory", testPersonalSettings},
		{"Leases", testLeases},
		{"LeaseTakenOver", testLeaseTakenOver},
		{"Listen", testListen},
	} {
		t.Run(c.name, func(t *testing.T) { c.fn(t, o) })
	}
}

// team opens the database for two users.
func team(t *testing.T, o Opener) (alice, bob monitor.TeamStore, re Reopen) {
	t.Helper()
	_, re = o.New(t)
	return re(t, "alice").(monitor.TeamStore), re(t, "bob").(monitor.TeamStore), re
}

// What one analyst reads, stars or deletes is theirs.
func testReadingStatePerUser(t *testing.T, o Opener) {
	alice, bob, _ := team(t, o)
	f := addFeed(t, alice, "https://feed.example/rss", base)
	tp := addTopic(t, alice, "Ukraine", "Ukraine", base)
	var ids []int64
	for i := range 3 {
		at := base.Add(time.Duration(i) * time.Hour)
		a := article(fmt.Sprintf("s%d", i), "feed.example", timelineTitles[i], timelineTexts[i], at)
		ids = append(ids, storyOfKey(t, save(t, alice, f, tp, at, []monitor.Article{a}, a.Key), a.Key))
	}
	if err := alice.SetRead(ctx, ids[:2], true); err != nil {
		t.Fatal(err)
	}
	if err := alice.SetStarred(ctx, ids[:1], true); err != nil {
		t.Fatal(err)
	}
	if err := alice.DeleteStories(ctx, ids[2:]); err != nil {
		t.Fatal(err)
	}
	ca, _ := alice.Counts(ctx)
	cb, _ := bob.Counts(ctx)
	if ca.Unread != 0 || ca.Starred != 1 || cb.Unread != 3 || cb.Starred != 0 {
		t.Errorf("counts: alice %+v, bob %+v", ca, cb)
	}
	if got := timelineIDs(t, bob, monitor.Filter{Unread: true}); len(got) != 3 {
		t.Errorf("bob's unread %v", got)
	}
	if got := timelineIDs(t, alice, monitor.Filter{}); len(got) != 2 {
		t.Errorf("alice's timeline after deleting one %v", got)
	}
	if st := loadStory(t, bob, ids[0]); st == nil || st.Read || st.Starred {
		t.Errorf("bob's view of alice's read, starred story: %+v", st)
	}
	ms, _ := bob.Matches(ctx, monitor.Filter{})
	for _, m := range ms {
		if m.Read || m.Starred {
			t.Errorf("bob's export has alice's state: %+v", m)
		}
	}
}

// Every analyst is alerted of every match once: two users, each with
// two desktops claiming at once while pollers store matches.
func testClaimsPerUser(t *testing.T, o Opener) {
	alice, bob, re := team(t, o)
	f := addFeed(t, alice, "https://feed.example/rss", base)
	tp := addTopic(t, alice, "Ukraine", "Ukraine", base)
	pollers := []monitor.Store{re(t, "poller"), re(t, "poller")}
	desks := map[string][]monitor.Store{"alice": {alice, re(t, "alice")}, "bob": {bob, re(t, "bob")}}
	const rounds, per = 20, 5
	var mu sync.Mutex
	claimed := map[string]map[int64]int{"alice": {}, "bob": {}}
	stop := make(chan struct{})
	var claimers sync.WaitGroup
	claim := func(user string, s monitor.Store) {
		got, err := s.ClaimAlerts(ctx, base)
		if err != nil {
			t.Error(err)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		for _, m := range got.Matches {
			claimed[user][m.ID]++
		}
	}
	for user, ss := range desks {
		for _, s := range ss {
			claimers.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
						claim(user, s)
					}
				}
			})
		}
	}
	var writers sync.WaitGroup
	for i, p := range pollers {
		pf := addFeed(t, p, fmt.Sprintf("https://p%d.example/rss", i), base) // no row shared with the other poller
		writers.Go(func() {
			for r := range rounds {
				saveMatches(t, p, pf, tp, fmt.Sprintf("p%d-%d-", i, r), per, base, false)
			}
		})
	}
	writers.Wait()
	close(stop)
	claimers.Wait()
	for user, ss := range desks {
		claim(user, ss[0]) // what came after the last claim
	}
	ms, _ := alice.Matches(ctx, monitor.Filter{})
	if len(ms) != len(pollers)*rounds*per {
		t.Fatalf("%d matches stored, want %d", len(ms), len(pollers)*rounds*per)
	}
	for user, got := range claimed {
		if len(got) != len(ms) {
			t.Errorf("%s claimed %d matches, want %d", user, len(got), len(ms))
		}
		for id, n := range got {
			if n != 1 {
				t.Errorf("%s claimed match %d %d times", user, id, n)
			}
		}
	}
	// A colleague who joins later is not alerted of what came before.
	carol := re(t, "carol")
	if got, _ := carol.ClaimAlerts(ctx, base); len(got.Matches) != 0 {
		t.Errorf("a new user claimed %d old matches", len(got.Matches))
	}
	saveMatches(t, pollers[0], f, tp, "late", 1, base, false)
	if got, _ := carol.ClaimAlerts(ctx, base); len(got.Matches) != 1 {
		t.Errorf("the new user claimed %d new matches, want 1", len(got.Matches))
	}
}

// A personal topic is matched for everyone's sake but seen and alerted
// only by its owner; a desktop may show only its user's topics.
func testPersonalTopics(t *testing.T, o Opener) {
	alice, bob, re := team(t, o)
	f := addFeed(t, alice, "https://feed.example/rss", base)
	shared := addTopic(t, alice, "Ukraine", "Ukraine", base)
	mine := monitor.Topic{Name: "Gas", Query: "Gas", Enabled: true, Notify: true, Owner: "alice", Created: base}
	if err := alice.AddTopic(ctx, &mine); err != nil {
		t.Fatal(err)
	}
	bobs := monitor.Topic{Name: "Gas", Query: "Gas", Enabled: true, Owner: "bob", Created: base}
	if err := bob.AddTopic(ctx, &bobs); err != nil {
		t.Errorf("bob's personal topic of the same name: %v", err)
	}
	if err := alice.AddTopic(ctx, &monitor.Topic{Name: "gas", Query: "x", Owner: "alice"}); !errors.Is(err, monitor.ErrExists) {
		t.Errorf("alice's second personal topic of the same name: %v", err)
	}
	if topics, _ := bob.Topics(ctx); len(topics) != 3 {
		t.Errorf("the store lists %d topics, want all 3 (the engine matches them all)", len(topics))
	}
	at := base
	a := article("s0", "feed.example", timelineTitles[0], timelineTexts[0], at)
	a.FeedID = f.ID
	f.LastFetch = at
	if _, err := alice.SaveFetch(ctx, monitor.FetchResult{Feed: f, Articles: []monitor.Article{a}, Matches: []monitor.Match{
		{Article: a, TopicID: shared.ID, TopicName: shared.Name, MatchedAt: at},
		{Article: a, TopicID: mine.ID, TopicName: mine.Name, MatchedAt: at},
	}}); err != nil {
		t.Fatal(err)
	}
	ga, _ := alice.ClaimAlerts(ctx, at)
	gb, _ := bob.ClaimAlerts(ctx, at)
	if len(ga.Matches) != 2 || len(gb.Matches) != 1 || gb.Matches[0].TopicID != shared.ID {
		t.Errorf("claims: alice %d, bob %+v", len(ga.Matches), gb.Matches)
	}
	ca, _ := alice.Counts(ctx)
	cb, _ := bob.Counts(ctx)
	if ca.TopicUnread[mine.ID] != 1 || cb.TopicUnread[mine.ID] != 0 || cb.Unread != 1 {
		t.Errorf("counts: alice %+v, bob %+v", ca, cb)
	}
	ids := timelineIDs(t, bob, monitor.Filter{})
	if st := loadStory(t, bob, ids[0]); st == nil || len(st.Topics) != 1 || st.Topics[0].ID != shared.ID {
		t.Errorf("bob sees %+v", st)
	}
	if got := timelineIDs(t, bob, monitor.Filter{TopicID: mine.ID}); len(got) != 0 {
		t.Errorf("bob filtered by alice's topic: %v", got)
	}
	// Only alice's own topics.
	onlyMine := re(t, "alice")
	if ms, ok := onlyMine.(interface{ SetMineOnly(bool) }); ok {
		ms.SetMineOnly(true)
		ids := timelineIDs(t, onlyMine, monitor.Filter{})
		st := loadStory(t, onlyMine, ids[0])
		if st == nil || len(st.Topics) != 1 || st.Topics[0].ID != mine.ID {
			t.Errorf("only alice's topics: %+v", st)
		}
	}
}

// The alert switches and the alert history are each user's; the
// schedule is the team's.
func testPersonalSettings(t *testing.T, o Opener) {
	alice, bob, _ := team(t, o)
	if err := alice.SetSetting(ctx, "alerts_paused", "1"); err != nil {
		t.Fatal(err)
	}
	if err := alice.SetSetting(ctx, "schedule", "@every 30m"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := bob.Setting(ctx, "alerts_paused"); ok {
		t.Error("alice's pause is bob's")
	}
	if v, _, _ := bob.Setting(ctx, "schedule"); v != "@every 30m" {
		t.Errorf("the team's schedule reads %q for bob", v)
	}
	f := addFeed(t, alice, "https://feed.example/rss", base)
	if _, err := alice.DecideAlerts(ctx, base, false, func(monitor.AlertRound) (alert.Output, error) {
		return alert.Output{Alerts: []alert.Alert{{At: base, Kind: alert.KindCoverage, FeedID: f.ID, Status: alert.Shown}},
			Coverage: map[int64]alert.FeedState{f.ID: {Coverage: alert.CoverageDead, Since: base}}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	ha, _ := alice.AlertHistory(ctx, monitor.AlertFilter{})
	hb, _ := bob.AlertHistory(ctx, monitor.AlertFilter{})
	if len(ha) != 1 || len(hb) != 0 {
		t.Errorf("history: alice %d, bob %d", len(ha), len(hb))
	}
	if n, _ := bob.DeleteAlerts(ctx, []int64{ha[0].ID}); n != 0 {
		t.Error("bob deleted alice's alert")
	}
	fa, _ := alice.Feed(ctx, f.ID)
	fb, _ := bob.Feed(ctx, f.ID)
	if fa.Coverage != alert.CoverageDead || fb.Coverage != alert.CoverageOK {
		t.Errorf("coverage: alice %q, bob %q", fa.Coverage, fb.Coverage)
	}
}
