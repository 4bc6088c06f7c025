package monitor

import (
	"context"
	"errors"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/feed"
	"codeberg.org/newswatch/newswatch/monitor/inert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// NormalizeURL checks a feed address and returns it in stored form: an
// http(s) URL as given (scheme lower-cased), or file:// with an absolute
// path.
func NormalizeURL(raw string) (string, error) {
	u, err := feed.ParseAddress(raw)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// AddFeedOptions says how to add a feed.
type AddFeedOptions struct {
	Name     string
	Schedule string
	// Probe fetches the feed once to check that it is a feed and take its
	// title; without it only the address is checked.
	Probe bool
}

// AddFeed validates and stores a new feed. With Probe, an address that is
// not a feed is refused, and a web page that names its feed says so.
func (s *Service) AddFeed(ctx context.Context, rawURL string, opt AddFeedOptions) (Feed, error) {
	u, err := NormalizeURL(rawURL)
	if err != nil {
		return Feed{}, err
	}
	if err := ValidateSchedule(opt.Schedule); err != nil {
		return Feed{}, err
	}
	if existing, err := s.store.FeedByURL(ctx, u); err == nil {
		return existing, msg.Errorf(ErrExists, msg.T("{{.Address}} is already in your feeds as “{{.Name}}”."), "Address", u, "Name", existing.DisplayName())
	}
	f := Feed{URL: u, Name: inert.Name(opt.Name), Schedule: strings.Join(strings.Fields(opt.Schedule), " "),
		Enabled: true, Added: s.now()}
	if opt.Probe {
		resp, err := s.fetcher.Fetch(ctx, feed.Request{URL: u})
		if err != nil {
			return Feed{}, err
		}
		p, err := parseSafely(resp.Body, resp.FinalURL)
		if err != nil {
			return Feed{}, err
		}
		f.Title, f.SiteURL, f.ItemCount = p.Title, p.SiteURL, len(p.Items)
		if resp.MovedTo != "" {
			f.URL = resp.MovedTo
		}
	}
	if err := s.store.AddFeed(ctx, &f); err != nil {
		if errors.Is(err, ErrExists) {
			return Feed{}, msg.Errorf(ErrExists, msg.T("{{.Address}} is already in your feeds."), "Address", f.URL)
		}
		return Feed{}, err
	}
	s.resync()
	s.changed(FeedsChanged)
	return f, nil
}

// FeedByURL finds a stored feed by its address (as given or normalized).
func (s *Service) FeedByURL(ctx context.Context, raw string) (Feed, error) {
	u, err := NormalizeURL(raw)
	if err != nil {
		return Feed{}, err
	}
	f, err := s.store.FeedByURL(ctx, u)
	if errors.Is(err, ErrNotFound) {
		return Feed{}, msg.Errorf(ErrNotFound, msg.T("{{.Address}} is not one of your feeds."), "Address", u)
	}
	return f, err
}

// RemoveFeed deletes a feed. Its matched stories stay in the timeline;
// its unmatched articles go.
func (s *Service) RemoveFeed(ctx context.Context, id int64) error {
	if err := s.store.RemoveFeed(ctx, id); err != nil {
		return err
	}
	s.resync()
	s.changed(FeedsChanged)
	return nil
}

// UpdateFeed saves the user's settings of a feed: name, schedule,
// enabled, full text.
func (s *Service) UpdateFeed(ctx context.Context, f Feed) error {
	f.Name = inert.Name(f.Name)
	f.Schedule = strings.Join(strings.Fields(f.Schedule), " ")
	if err := ValidateSchedule(f.Schedule); err != nil {
		return err
	}
	if err := s.store.UpdateFeedSettings(ctx, f); err != nil {
		return err
	}
	s.resync()
	s.changed(FeedsChanged)
	return nil
}

// ImportResult tells what an OPML import did.
type ImportResult struct {
	Added   []Feed
	Skipped []string      // already present
	Refused []msg.Message // "address: reason"
}

// ImportFeeds adds feeds (from OPML) by address, keeping their titles and
// schedules. Each feed is checked on its own: a bad one is refused with its
// reason and does not stop the others. Local files (file:) are refused:
// they are only read when the user adds them one by one.
func (s *Service) ImportFeeds(ctx context.Context, feeds []Feed) (ImportResult, error) {
	var res ImportResult
	for _, in := range feeds {
		u, err := NormalizeURL(in.URL)
		if err != nil {
			res.Refused = append(res.Refused, msg.New(msg.T("{{.Address}}: {{.Reason}}"), "Address", in.URL, "Reason", msg.Of(err)))
			continue
		}
		if strings.HasPrefix(u, "file:") {
			// A list from elsewhere must not make Newswatch read local
			// files: those are added one by one, on purpose.
			res.Refused = append(res.Refused, msg.New(msg.T("{{.Address}}: local files are not imported; add them one by one."), "Address", in.URL))
			continue
		}
		schedule := in.Schedule
		if ValidateSchedule(schedule) != nil {
			schedule = "" // keep the feed, fall back to the global schedule
		}
		if _, err := s.store.FeedByURL(ctx, u); err == nil {
			res.Skipped = append(res.Skipped, u)
			continue
		}
		f := Feed{URL: u, Name: inert.Name(in.Name), Title: inert.Name(in.Title),
			SiteURL: in.SiteURL, Schedule: schedule, Enabled: true, Added: s.now(), FullText: in.FullText}
		if err := s.store.AddFeed(ctx, &f); err != nil {
			if errors.Is(err, ErrExists) {
				res.Skipped = append(res.Skipped, u)
				continue
			}
			return res, err
		}
		res.Added = append(res.Added, f)
	}
	s.resync()
	if len(res.Added) > 0 {
		s.changed(FeedsChanged)
	}
	return res, nil
}

// NextRun is when the feed will next be checked, for display. Zero means
// never (disabled or gone).
func (s *Service) NextRun(ctx context.Context, f Feed) time.Time {
	if !f.Enabled || f.Gone {
		return time.Time{}
	}
	if t, ok := s.teamNextRun(ctx, f); ok {
		return t
	}
	now := s.now()
	if t, ok := s.scheduledNext(f); ok && !t.IsZero() {
		return afterRetry(f, t, nil)
	}
	spec := f.Schedule
	if spec == "" {
		st, err := s.Settings(ctx)
		if err != nil {
			return time.Time{}
		}
		spec = st.Schedule
	}
	sched, err := ParseSchedule(spec)
	if err != nil {
		return time.Time{}
	}
	return afterRetry(f, sched.Next(now), sched)
}

// afterRetry moves a scheduled time past the feed's Retry-After and
// back-off: scheduled runs before then are skipped.
func afterRetry(f Feed, t time.Time, sched interface{ Next(time.Time) time.Time }) time.Time {
	nb := f.notBefore(true)
	if nb.IsZero() || !t.Before(nb) {
		return t
	}
	if sched != nil {
		return sched.Next(nb.Add(-time.Second))
	}
	return nb
}

// FeedSuggestion returns the feed a web page names when err says that the
// address given to AddFeed was such a page, else "".
func FeedSuggestion(err error) string {
	var fe *feed.Error
	if errors.As(err, &fe) && len(fe.Alternates) > 0 {
		return fe.Alternates[0]
	}
	return ""
}
