package app

import (
	"context"
	"sync"
	"testing"

	"codeberg.org/newswatch/newswatch/internal/notifier"
	"codeberg.org/newswatch/newswatch/monitor"
)

// fakeDaemon is a notification daemon with actions: it keeps what it was
// asked to show, and the test clicks.
type fakeDaemon struct {
	mu      sync.Mutex
	notes   []notifier.Note
	handler notifier.Handler
}

func (f *fakeDaemon) Send(n notifier.Note) (uint32, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.notes = append(f.notes, n)
	return uint32(len(f.notes)), nil
}
func (f *fakeDaemon) Caps() notifier.Caps { return notifier.Caps{Actions: true} }
func (f *fakeDaemon) Close() error        { return nil }

// click invokes an action of the newest notification, as the daemon does.
func (f *fakeDaemon) click(action string) {
	f.mu.Lock()
	id := uint32(len(f.notes))
	f.mu.Unlock()
	f.handler(id, action)
}

// A click on a story's notification opens that story (it is then read);
// "Mark read" on a topic's marks its stories read without opening them.
func TestNotificationActions(t *testing.T) {
	d := &fakeDaemon{}
	tu := newTestUI(t, func(o *Options) {
		o.NewSender = func(h notifier.Handler) (notifier.Sender, error) { d.handler = h; return d, nil }
	})
	ctx := context.Background()
	feed := newNewsFeed(t, "Alt|a")
	tu.svc.AddFeed(ctx, feed.srv.URL, monitor.AddFeedOptions{})
	tu.svc.AddTopic(ctx, monitor.Topic{Name: "Lawrow", Enabled: true, Notify: true})
	tu.check(t)

	feed.publish("Lawrow trifft Wang Yi in Peking|Gespräche über die Ukraine")
	tu.check(t)
	if len(d.notes) != 1 || d.notes[0].Summary != "Lawrow — 1 new story" || len(d.notes[0].Actions) != 2 ||
		d.notes[0].Actions[0].Key != notifier.DefaultAction || d.notes[0].Actions[1].Key != actionRead {
		t.Fatalf("notes %+v: want one with a click and Mark read", d.notes)
	}
	if len(tu.takeNotes()) != 0 {
		t.Fatal("a plain notification besides the one with actions")
	}
	d.click(notifier.DefaultAction)
	s := tu.model.openStory()
	if s == nil || s.Article.Title != "Lawrow trifft Wang Yi in Peking" || !s.Read || tu.tabs.SelectedIndex() != 0 {
		t.Fatalf("after the click the open story is %+v", s)
	}

	feed.publish("Lawrow reist nach Pjöngjang|Nordkorea", "Lawrow in Minsk|Belarus")
	tu.check(t)
	if len(d.notes) != 2 || d.notes[1].Summary != "Lawrow — 2 new stories" {
		t.Fatalf("notes %+v", d.notes)
	}
	unread := tu.model.counts.Unread
	d.click(actionRead)
	if tu.model.counts.Unread != unread-2 {
		t.Errorf("Mark read: %d unread, want %d", tu.model.counts.Unread, unread-2)
	}
	// A click on it shows just its two stories.
	d.click(notifier.DefaultAction)
	if f := tu.model.filter; len(f.StoryIDs) != 2 || !tu.timeline.banner.Visible() {
		t.Errorf("filter %+v, banner shown %v: want the alert's two stories", f, tu.timeline.banner.Visible())
	}
}
