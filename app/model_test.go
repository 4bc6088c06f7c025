package app

import (
	"context"
	"io"
	"slices"
	"testing"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
)

// fakeTimeline is a timeline source in memory: stories with IDs 1..n,
// the newest (highest ID) first, one a minute, each of reports reports
// (at least one).
type fakeTimeline struct{ n, reports int64 }

func (f *fakeTimeline) Subscribe(func(monitor.Event)) func() { return func() {} }

func (f *fakeTimeline) published(id int64) time.Time {
	return testNow.Add(time.Duration(id-f.n) * time.Minute)
}

func (f *fakeTimeline) Timeline(_ context.Context, flt monitor.Filter) ([]monitor.TimelineEntry, error) {
	var out []monitor.TimelineEntry
	for id := f.n; id > 0; id-- {
		if flt.StoryIDs == nil || slices.Contains(flt.StoryIDs, id) {
			out = append(out, monitor.TimelineEntry{StoryID: id, Published: f.published(id)})
		}
	}
	return out, nil
}

func (f *fakeTimeline) Stories(_ context.Context, ids []int64) ([]monitor.Story, error) {
	out := make([]monitor.Story, len(ids))
	for i, id := range ids {
		out[i].ID = id
		out[i].Article = monitor.Article{ID: id, Title: "story", Published: f.published(id), StoryID: id}
	}
	return out, nil
}

func (f *fakeTimeline) Story(ctx context.Context, id int64) (monitor.Story, error) {
	s, err := f.Stories(ctx, []int64{id})
	if err != nil {
		return monitor.Story{}, err
	}
	for range max(f.reports, 1) {
		s[0].Reports = append(s[0].Reports, s[0].Report)
	}
	return s[0], nil
}

func (f *fakeTimeline) Counts(context.Context) (monitor.Counts, error) { return monitor.Counts{}, nil }
func (f *fakeTimeline) SetRead(context.Context, []int64, bool) error   { return nil }
func (f *fakeTimeline) SetStarred(context.Context, []int64, bool) error {
	return nil
}
func (f *fakeTimeline) DeleteStories(context.Context, []int64) error { return nil }
func (f *fakeTimeline) MarkAllRead(context.Context, monitor.Filter) ([]int64, error) {
	return nil, nil
}
func (f *fakeTimeline) Topics(context.Context) ([]monitor.Topic, error) { return nil, nil }
func (f *fakeTimeline) Export(context.Context, io.Writer, monitor.ExportOptions) (int, error) {
	return 0, nil
}

// A window left alone all day loads no page of stories, only those of
// each cycle's new matches: they are kept to maxLoaded like the pages.
func TestModelKeepsLoadedStoriesBounded(t *testing.T) {
	src := &fakeTimeline{n: 100}
	m := newTimelineModel(context.Background(), src, &runner{sync: true}, func(err error) { t.Fatal(err) })
	m.reload()
	const perCycle = 50
	for range 2 * maxLoaded / perCycle {
		ids := make([]int64, perCycle)
		for i := range ids {
			src.n++
			ids[i] = src.n
		}
		m.add(ids)
		if len(m.stories) > maxLoaded+perCycle {
			t.Fatalf("%d stories loaded, want at most %d", len(m.stories), maxLoaded+perCycle)
		}
		if m.story(m.rowOf(src.n)) == nil {
			t.Fatalf("the newest story %d is not loaded", src.n)
		}
	}
	if got, want := m.storyCount(), int(src.n); got != want {
		t.Errorf("%d stories in the rows, want %d", got, want)
	}
}

// The open story's reports are listed under its row while the stories of
// new matches are merged in above it: every story's row is where rowOf
// says, and the report rows stay under the open story.
func TestModelRowsAroundTheOpenStory(t *testing.T) {
	src := &fakeTimeline{n: 20, reports: 3}
	m := newTimelineModel(context.Background(), src, &runner{sync: true}, func(err error) { t.Fatal(err) })
	m.reload()
	m.open(10)
	check := func(when string) {
		t.Helper()
		for id := int64(1); id <= src.n; id++ {
			if i := m.rowOf(id); i < 0 || m.rows[i].id != id || m.rows[i].report != 0 {
				t.Fatalf("%s: story %d at row %d", when, id, i)
			}
		}
		at := m.rowOf(10)
		for k := 1; k <= 3; k++ {
			if r := m.rows[at+k]; r.id != 10 || r.report != k {
				t.Fatalf("%s: row %d under the open story is %+v, want its report %d", when, at+k, r, k)
			}
		}
		if got := m.storyCount(); got != int(src.n) {
			t.Fatalf("%s: %d stories, want %d", when, got, src.n)
		}
	}
	check("opened")
	src.n += 5
	m.add([]int64{21, 22, 23, 24, 25})
	check("after a cycle")
	m.closeStory()
	if len(m.rows) != len(m.base) {
		t.Fatalf("closed: %d rows, %d without reports", len(m.rows), len(m.base))
	}
	for id := int64(1); id <= src.n; id++ {
		if i := m.rowOf(id); i < 0 || m.rows[i].id != id {
			t.Fatalf("closed: story %d at row %d", id, i)
		}
	}
}
