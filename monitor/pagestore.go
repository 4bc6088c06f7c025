package monitor

import (
	"context"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// PageStore keeps the queue of article pages to read and what reading
// them gave (see pages.go). A page is read at most once, ever: it is
// claimed in the store before it is fetched, and a claim whose process
// died is never read again.
type PageStore interface {
	// PendingPages lists up to limit articles whose pages wait to be
	// read, oldest first.
	PendingPages(ctx context.Context, limit int) ([]PageJob, error)
	// ClaimPage records that owner (a process) reads the article's page
	// now; false when it is not waiting any more (another process took
	// it, or the article is gone).
	ClaimPage(ctx context.Context, articleID int64, owner string, at time.Time) (bool, error)
	// ReleasePage puts a page that owner claimed but did not read (the
	// check was stopped) back in the queue.
	ReleasePage(ctx context.Context, articleID int64, owner string) error
	// SavePage stores what reading a page gave, in one transaction: the
	// text (and its index entry), the outcome, the article's new matches
	// (pending for ClaimAlerts) and the hits of its older ones. It returns
	// the matches it added and the article's story when that is in the
	// timeline (has matches).
	SavePage(ctx context.Context, r PageResult) (Saved, error)
	// ReadingPages lists the pages being read, by any process.
	ReadingPages(ctx context.Context) ([]PageMark, error)
	// GiveUpPage records that the page owner was reading will not be read
	// (its process is gone), with why; false when it was not so marked.
	GiveUpPage(ctx context.Context, articleID int64, owner string, why msg.Message, at time.Time) (bool, error)
	// SavePagesNote stores the note on a feed's last pages (zero: none
	// was missed).
	SavePagesNote(ctx context.Context, feedID int64, note msg.Message) error
}

// PageJob is an article whose page waits to be read.
type PageJob struct {
	Article Article // with its feed's current name
	FeedURL string  // the feed that listed it ("" when it was removed)
	Backlog bool    // from a feed's first fetch
}

// PageResult is what reading one article's page gave.
type PageResult struct {
	ArticleID int64
	Owner     string // the process that claimed it
	At        time.Time
	Text      string      // "" when Miss says why not
	Miss      msg.Message // why there is no text
	Cut       bool        // only the page's start was read
	// Matches are all the article's matches with the text (Hits over
	// every field); those it had before get the new hits.
	Matches []Match
	Backlog bool
}

// PageMark says that a process was reading an article's page.
type PageMark struct {
	ArticleID int64
	FeedID    int64
	Owner     string
	Since     time.Time
}
