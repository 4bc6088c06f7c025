package monitor

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Full text. Many feeds carry a title and one teaser sentence; the name
// an analyst watches for is often in the third paragraph. For feeds that
// read full articles (Feed.ReadsFullText), the web page of each new story
// is read after the feed's items are stored — the timeline never waits
// for a page: a story appears when its item arrives and gains its text
// when the page has been read. Then the topics are matched over the
// whole story again; a topic that matches only now is a new match like
// any other (announced once, in the cycle's second event), and its hits
// in the text have the field query.FullText.
//
// Pages are read politely: at most PagesPerHost at once from one server
// (across cycles), with the feed fetcher's rules (fulltext.Reader). Each
// page is read at most once, ever: it is queued in the same transaction
// as its story, claimed in the store before it is fetched, and a claim
// whose process died (a page that crashed it, say) is given up, never
// read again. What a feed's pages missed is counted into one sentence on
// the feed ("full text missing for 3 of 20 articles: the site answered
// 403").

// MaxPagesPerFetch is the most new stories of one fetch whose pages are
// read (the first in the feed): a feed of 50,000 items must not turn into
// 50,000 page requests to its server.
const MaxPagesPerFetch = 100

// pageBatch is how many waiting pages a cycle takes from the queue at a
// time.
const pageBatch = 500

// msgStoppedReadingPage is a page whose reader died reading it.
var msgStoppedReadingPage = msg.T("Newswatch stopped while reading the page")

// PageRound is what the second part of a check cycle did: read the
// pages of new stories.
type PageRound struct {
	Read, Missed int
	// Texts are the articles that gained their full text.
	Texts []int64
	// Stories are the timeline's stories that gained a text or a match.
	Stories []int64
	// Feeds are the feeds whose pages were read, with their notes.
	Feeds []FeedPages
}

// FeedPages is what reading one feed's pages gave in a round.
type FeedPages struct {
	Feed         Feed
	Read, Missed int
	Cut          int // of Read, pages read only in part
	// Note is the feed's new PagesNote: what was missed, else what was
	// cut; zero when every page was read whole.
	Note msg.Message
}

// pageOutcome is one page's result, for the round's counts.
type pageOutcome struct {
	feedID  int64
	article int64
	miss    msg.Message
	cut     bool
	matches []Match
	stories []int64 // timeline stories it changed
	done    bool    // read or missed (not: stopped, or taken by another process)
}

// readPages reads the waiting pages and matches their text; ok is false
// when there was none.
func (s *Service) readPages(ctx context.Context, topics *topicSet) (round PageRound, ok bool) {
	if ctx.Err() != nil {
		return round, false
	}
	s.reviewPageMarks(ctx)
	var outcomes []pageOutcome
	var mu sync.Mutex
	seen := map[int64]bool{}
	for ctx.Err() == nil {
		jobs, err := s.store.PendingPages(ctx, pageBatch)
		if err != nil {
			s.log.Error("list waiting pages", slog.Any("err", err))
			break
		}
		var fresh []PageJob
		for _, j := range jobs {
			if !seen[j.Article.ID] { // a page released after a stop stays for later
				seen[j.Article.ID] = true
				fresh = append(fresh, j)
			}
		}
		if len(fresh) == 0 {
			break
		}
		sem := make(chan struct{}, s.limit)
		var wg sync.WaitGroup
		for _, j := range fresh {
			wg.Add(1)
			go func() {
				defer wg.Done()
				host := hostOf(j.Article.Link)
				if !s.pageHosts.acquireCtx(ctx, host) {
					return
				}
				defer s.pageHosts.release(host)
				select {
				case sem <- struct{}{}:
				case <-ctx.Done():
					return
				}
				defer func() { <-sem }()
				o := s.readPage(ctx, j, topics)
				mu.Lock()
				outcomes = append(outcomes, o)
				mu.Unlock()
			}()
		}
		wg.Wait()
	}
	return s.finishRound(ctx, outcomes)
}

// readPage claims, reads, matches and stores one page.
func (s *Service) readPage(ctx context.Context, j PageJob, topics *topicSet) (o pageOutcome) {
	a := j.Article
	o = pageOutcome{feedID: a.FeedID, article: a.ID}
	claimed, err := s.store.ClaimPage(ctx, a.ID, s.owner, s.now())
	if err != nil || !claimed {
		return o
	}
	res := PageResult{ArticleID: a.ID, Owner: s.owner, Backlog: j.Backlog}
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("reading a page panicked", slog.String("url", a.Link), slog.Any("panic", r),
				slog.String("stack", string(debug.Stack())))
			res.Text, res.Matches = "", nil
			res.Miss = msg.New(msg.T("Newswatch hit an internal error while reading the page ({{.Reason}})"), "Reason", fmt.Sprint(r))
			o.miss, o.done = res.Miss, s.savePage(ctx, res, &o)
		}
	}()
	if j.FeedURL == "" {
		res.Miss = msg.New(msg.T("the story's feed was removed"))
	} else {
		teaser := a.Summary
		if len(a.Content) > len(teaser) {
			teaser = a.Content
		}
		read := s.pages.Read(ctx, a.Link, j.FeedURL, teaser)
		if ctx.Err() != nil && read.Text == "" {
			// Stopped (the app is quitting): not the page's fault; it is
			// read by the next cycle.
			if err := s.store.ReleasePage(context.WithoutCancel(ctx), a.ID, s.owner); err != nil {
				s.log.Warn("cannot put a page back in the queue", slog.String("url", a.Link), slog.Any("err", err))
			}
			return o
		}
		res.Text, res.Cut, res.Miss = read.Text, read.Cut, read.Miss
		o.cut = read.Cut && read.Text != ""
	}
	if res.Text != "" {
		a.FullText = res.Text
		res.Matches = topics.match(a, s.now())
	}
	o.miss = res.Miss
	o.done = s.savePage(ctx, res, &o)
	return o
}

// savePage stores a page's result and reports whether it was stored.
func (s *Service) savePage(ctx context.Context, res PageResult, o *pageOutcome) bool {
	res.At = s.now()
	saved, err := s.store.SavePage(context.WithoutCancel(ctx), res)
	if err != nil {
		s.log.Error("save a page's text", slog.Int64("article", res.ArticleID), slog.Any("err", err))
		return false
	}
	o.matches, o.stories = saved.Matches, saved.Stories
	return true
}

// finishRound counts the round per feed, saves each feed's note, and
// claims the new matches.
func (s *Service) finishRound(ctx context.Context, outcomes []pageOutcome) (round PageRound, ok bool) {
	byFeed := map[int64]*FeedPages{}
	reasons := map[int64]map[string]int{}
	examples := map[string]msg.Message{}
	for _, o := range outcomes {
		if !o.done {
			continue
		}
		for _, id := range o.stories {
			if !slices.Contains(round.Stories, id) {
				round.Stories = append(round.Stories, id)
			}
		}
		fp := byFeed[o.feedID]
		if fp == nil {
			fp = &FeedPages{}
			byFeed[o.feedID] = fp
			reasons[o.feedID] = map[string]int{}
		}
		if o.miss.IsZero() {
			if o.cut {
				fp.Cut++
			}
			fp.Read++
			round.Read++
			round.Texts = append(round.Texts, o.article)
			continue
		}
		fp.Missed++
		round.Missed++
		key := o.miss.Encode()
		reasons[o.feedID][key]++
		examples[key] = o.miss
	}
	if len(byFeed) == 0 {
		return round, false
	}
	bg := context.WithoutCancel(ctx)
	for id, fp := range byFeed {
		f, err := s.store.Feed(bg, id)
		if err != nil {
			continue // removed meanwhile
		}
		switch {
		case fp.Missed > 0:
			fp.Note = msg.NewCount(msgPagesMissing, fp.Read+fp.Missed, "Missing", fp.Missed,
				"Reason", examples[mostCommon(reasons[id])])
		case fp.Cut > 0:
			fp.Note = msg.NewCount(msgPagesCut, fp.Read, "Cut", fp.Cut,
				"MB", s.pages.Limit()>>20)
		}
		if err := s.store.SavePagesNote(bg, id, fp.Note); err != nil {
			s.log.Error("save a feed's note on its pages", slog.String("feed_url", f.URL), slog.Any("err", err))
		}
		f.PagesNote = fp.Note
		fp.Feed = f
		round.Feeds = append(round.Feeds, *fp)
	}
	slices.SortFunc(round.Feeds, func(a, b FeedPages) int { return cmp.Compare(a.Feed.DisplayName(), b.Feed.DisplayName()) })
	slices.Sort(round.Texts)
	return round, true
}

// msgPagesMissing is a feed's note after some of its pages gave no text.
var msgPagesMissing = msg.TN("full text missing for {{.Missing}} of {{.N}} articles: {{.Reason}}")

// msgPagesCut is a feed's note after some of its pages were too large
// (or too slow) to be read whole.
var msgPagesCut = msg.TN("full text of {{.Cut}} of {{.N}} articles read only in part: the page was larger than {{.MB}} MB or arrived too slowly")

// mostCommon is the key counted most (the first in order among equals).
func mostCommon(counts map[string]int) string {
	best, n := "", 0
	for k, c := range counts {
		if c > n || c == n && k < best {
			best, n = k, c
		}
	}
	return best
}

// reviewPageMarks gives up the pages whose readers are gone: a page that
// may have crashed a process is never read again.
func (s *Service) reviewPageMarks(ctx context.Context) {
	marks, err := s.store.ReadingPages(ctx)
	if err != nil {
		s.log.Error("read the page marks", slog.Any("err", err))
		return
	}
	for _, m := range marks {
		if s.ownerAlive(ctx, ReadMark{Owner: m.Owner, Since: m.Since}) {
			continue
		}
		if given, err := s.store.GiveUpPage(ctx, m.ArticleID, m.Owner, msg.New(msgStoppedReadingPage), s.now()); err == nil && given {
			s.log.Warn("a Newswatch process stopped while reading an article page; it is not read again",
				slog.Int64("article", m.ArticleID), slog.String("process", m.Owner))
		}
	}
}
