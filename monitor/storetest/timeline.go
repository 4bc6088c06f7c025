package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

var timelineTitles = []string{"Ukraine: Gaspreis steigt", "Kiew meldet Stromausfall in der Ukraine",
	"Gasspeicher in Odessa getroffen, Ukraine warnt", "Ukraine: Parlament beschließt Haushalt"}

var timelineTexts = []string{
	"Der Preis für Gas an der Börse in Amsterdam stieg am Montag um zwölf Prozent.",
	"Nach Angriffen auf Umspannwerke fiel in mehreren Stadtteilen der Hauptstadt der Strom aus.",
	"Ein Lager mit Flüssiggas am Schwarzen Meer brannte nach einem Raketenangriff bis in den Morgen.",
	"Die Abgeordneten stimmten mit großer Mehrheit für den Etat des kommenden Jahres.",
}

// The timeline's filters, read and starred state, deleting, and the
// counts.
func testTimeline(t *testing.T, o Opener) {
	s, _ := o.New(t)
	f := addFeed(t, s, "https://feed.example/rss", base)
	uk := addTopic(t, s, "Ukraine", "Ukraine", base)
	gas := addTopic(t, s, "Gas", "Gas", base)
	var ids []int64
	for i := range 4 {
		at := base.Add(time.Duration(i) * time.Hour)
		a := article(fmt.Sprintf("s%d", i), "feed.example", timelineTitles[i], timelineTexts[i], at)
		a.FeedID = f.ID
		f.LastFetch = at
		ms := []monitor.Match{{Article: a, TopicID: uk.ID, TopicName: uk.Name, MatchedAt: at}}
		if i%2 == 0 {
			ms = append(ms, monitor.Match{Article: a, TopicID: gas.ID, TopicName: gas.Name, MatchedAt: at})
		}
		saved, err := s.SaveFetch(ctx, monitor.FetchResult{Feed: f, Articles: []monitor.Article{a}, Matches: ms, Body: true})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, storyOfKey(t, saved, a.Key))
	}
	rev := slices.Clone(ids)
	slices.Reverse(rev)
	if got := timelineIDs(t, s, monitor.Filter{}); !slices.Equal(got, rev) {
		t.Fatalf("timeline %v, want %v", got, rev)
	}
	if got := timelineIDs(t, s, monitor.Filter{Limit: 2}); !slices.Equal(got, rev[:2]) {
		t.Errorf("limit 2: %v", got)
	}
	if got := timelineIDs(t, s, monitor.Filter{TopicID: gas.ID}); !slices.Equal(got, []int64{ids[2], ids[0]}) {
		t.Errorf("gas: %v", got)
	}
	if got := timelineIDs(t, s, monitor.Filter{Since: base.Add(time.Hour), Until: base.Add(3 * time.Hour)}); !slices.Equal(got, []int64{ids[2], ids[1]}) {
		t.Errorf("since/until: %v", got)
	}
	if got := timelineIDs(t, s, monitor.Filter{StoryIDs: []int64{ids[1], ids[3]}}); !slices.Equal(got, []int64{ids[3], ids[1]}) {
		t.Errorf("story IDs: %v", got)
	}
	if got := timelineIDs(t, s, monitor.Filter{StoryIDs: []int64{}}); len(got) != 0 {
		t.Errorf("no story IDs: %v", got)
	}
	c, err := s.Counts(ctx)
	if err != nil || c.Unread != 4 || c.Starred != 0 || c.TopicUnread[uk.ID] != 4 || c.TopicUnread[gas.ID] != 2 {
		t.Fatalf("counts %+v, %v", c, err)
	}
	if err := s.SetRead(ctx, []int64{ids[0], ids[1]}, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStarred(ctx, []int64{ids[1]}, true); err != nil {
		t.Fatal(err)
	}
	if got := timelineIDs(t, s, monitor.Filter{Unread: true}); !slices.Equal(got, []int64{ids[3], ids[2]}) {
		t.Errorf("unread: %v", got)
	}
	if got := timelineIDs(t, s, monitor.Filter{Starred: true}); !slices.Equal(got, []int64{ids[1]}) {
		t.Errorf("starred: %v", got)
	}
	c, _ = s.Counts(ctx)
	if c.Unread != 2 || c.Starred != 1 || c.TopicUnread[uk.ID] != 2 || c.TopicUnread[gas.ID] != 1 {
		t.Errorf("counts after reading %+v", c)
	}
	st := loadStory(t, s, ids[1])
	if st == nil || !st.Read || !st.Starred || len(st.Topics) != 1 {
		t.Errorf("story %+v", st)
	}
	ms, err := s.Matches(ctx, monitor.Filter{Starred: true})
	if err != nil || len(ms) != 1 || !ms[0].Read || !ms[0].Starred || ms[0].Story.ID != ids[1] || ms[0].Story.Sources != 1 {
		t.Errorf("starred matches %+v, %v", ms, err)
	}
	if err := s.SetRead(ctx, []int64{ids[0]}, false); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteStories(ctx, []int64{ids[2]}); err != nil {
		t.Fatal(err)
	}
	if got := timelineIDs(t, s, monitor.Filter{Unread: true}); !slices.Equal(got, []int64{ids[3], ids[0]}) {
		t.Errorf("unread after deleting and marking unread: %v", got)
	}
	if st := loadStory(t, s, ids[2]); st != nil {
		t.Errorf("a deleted story loads: %+v", st)
	}
	c, _ = s.Counts(ctx)
	if c.Unread != 2 || c.TopicUnread[gas.ID] != 1 {
		t.Errorf("counts after deleting %+v", c)
	}
}

// The search box folds like topics do: umlauts, ß, accents and case;
// its words are prefixes, all of which a story must have.
func testSearch(t *testing.T, o Opener) {
	s, _ := o.New(t)
	f := addFeed(t, s, "https://feed.example/rss", base)
	tp := addTopic(t, s, "Alles", "Außenminister OR Zürich OR Élysée OR Straße", base)
	saved := save(t, s, f, tp, base, []monitor.Article{
		article("a", "feed.example", "Außenminister Lawrow in Genf", "Gespräche über Nordkorea.", base),
		article("b", "feed.example", "Bankenplatz ZÜRICH", "Die Straße der Banken.", base.Add(time.Minute)),
		article("c", "feed.example", "Gipfel im Élysée", "Macron empfängt.", base.Add(2*time.Minute)),
	}, "a", "b", "c")
	a, b, c := storyOfKey(t, saved, "a"), storyOfKey(t, saved, "b"), storyOfKey(t, saved, "c")
	for _, tt := range []struct {
		search string
		want   []int64
	}{
		{"aussenminister", []int64{a}},
		{"AUßENMIN", []int64{a}},
		{"lawr nordk", []int64{a}},
		{"zurich", nil}, // ü is ue, not u
		{"zuerich", []int64{b}},
		{"Zürich strasse", []int64{b}},
		{"elysee", []int64{c}},
		{"Genf Macron", nil},
		{"  ", []int64{c, b, a}},
		{"!!", nil},
	} {
		if got := timelineIDs(t, s, monitor.Filter{Search: tt.search}); !slices.Equal(got, tt.want) {
			t.Errorf("search %q: %v, want %v", tt.search, got, tt.want)
		}
	}
}

func mustParse(t *testing.T, q string) *query.Query {
	t.Helper()
	p, err := query.Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A backtest's narrowing never loses a match: for queries of every kind
// (words, prefixes, *infix, phrases, regular expressions, exclusions,
// fields, German folding), what ScanQuery hands over and matches is
// exactly what matching every stored article finds; newest first, from
// since on.
func testScanQuery(t *testing.T, o Opener) {
	s, _ := o.New(t)
	f := addFeed(t, s, "https://feed.example/rss", base)
	tp := addTopic(t, s, "Alles", "x", base)
	texts := []struct{ title, summary string }{
		{"Außenminister Lawrow in Genf", "Gespräche über Nordkorea und die Ostukraine."},
		{"Westukraine: Stromausfall", "In Lwiw fiel am Abend der Strom aus."},
		{"Bankenplatz ZÜRICH", "Die Straße der Banken, covid-19 und die Börse."},
		{"Gipfel im Élysée", "Macron empfängt den Kanzler."},
		{"Wetter", "Sonne über Hamburg, 14 Grad."},
		{"Kriegsgefahr", "Die Ukrainekrise verschärft sich; Ukraine-Hilfe beschlossen."},
	}
	var arts []monitor.Article
	for i, x := range texts {
		arts = append(arts, article(fmt.Sprintf("a%d", i), "feed.example", x.title, x.summary, base.Add(time.Duration(i)*time.Hour)))
	}
	save(t, s, f, tp, base, arts)
	for _, q := range []string{"Ukraine", "*ukraine*", "*krieg*", "Außenminister", "aussenmin*", "zuerich", "\"Ostukraine\"",
		"Lawrow -Genf", "Lawrow OR Macron", "/Str[oa]m/", "title:Wetter", "covid-19", "Börse", "*ukraine", "Kanzler*",
		"\"die Börse\"", "Ukraine-Hilfe"} {
		parsed := mustParse(t, q)
		var want []string
		for i := len(arts) - 1; i >= 0; i-- {
			if parsed.TestDoc(arts[i].Doc()) {
				want = append(want, arts[i].Key)
			}
		}
		var got []string
		err := s.ScanQuery(ctx, parsed, time.Time{}, func(a *monitor.Article) bool {
			if parsed.TestDoc(a.Doc()) {
				got = append(got, a.Key)
			}
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: found %v, want %v", q, got, want)
		}
	}
	// Since, and stopping early.
	var keys []string
	err := s.ScanQuery(ctx, mustParse(t, "/./"), base.Add(3*time.Hour), func(a *monitor.Article) bool {
		keys = append(keys, a.Key)
		return len(keys) < 2
	})
	if err != nil || !slices.Equal(keys, []string{"a5", "a4"}) {
		t.Errorf("since 3h, two: %v, %v", keys, err)
	}
}

// Matches of a topic applied to the past are stored once, never
// claimed, and their stories show in the timeline.
func testAddMatches(t *testing.T, o Opener) {
	s, _ := o.New(t)
	f := addFeed(t, s, "https://feed.example/rss", base)
	tp := addTopic(t, s, "Hafen", "Hafen", base)
	save(t, s, f, tp, base, []monitor.Article{article("x1", "ndr.de", "Brand im Hafen", agency, base)})
	id := idOf(t, s, f, "x1")
	m := monitor.Match{Article: monitor.Article{ID: id, Title: "Brand im Hafen"}, TopicID: tp.ID, TopicName: tp.Name, MatchedAt: base}
	for want := 1; want >= 0; want-- {
		if n, err := s.AddMatches(ctx, []monitor.Match{m}); err != nil || n != want {
			t.Fatalf("applied %d, %v; want %d", n, err, want)
		}
	}
	if claimed, _ := s.ClaimAlerts(ctx, base); len(claimed.Matches) != 0 {
		t.Errorf("an applied match was claimed: %+v", claimed.Matches)
	}
	if ids := timelineIDs(t, s, monitor.Filter{}); len(ids) != 1 {
		t.Errorf("timeline %v", ids)
	}
}
