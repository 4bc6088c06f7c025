package monitor

import (
	"errors"
	"time"

	"github.com/robfig/cron/v3"

	"codeberg.org/newswatch/newswatch/monitor/feed"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// notBefore is the earliest time the feed may be fetched: never before the
// server's Retry-After, and for scheduled runs not before the back-off
// after failures has passed.
func (f Feed) notBefore(scheduled bool) time.Time {
	t := f.RetryAt
	if scheduled && f.Failures > 0 {
		if b := f.LastFetch.Add(backoff(f.Failures)); b.After(t) {
			t = b
		}
	}
	return t
}

// Back-off after failures: 5 minutes doubling per failure, at most 12 hours.
const (
	backoffBase = 5 * time.Minute
	backoffMax  = 12 * time.Hour
)

func backoff(failures int) time.Duration {
	if failures <= 0 {
		return 0
	}
	d := backoffBase
	for i := 1; i < failures && d < backoffMax; i++ {
		d *= 2
	}
	return min(d, backoffMax)
}

func (s *Service) recordFailure(f *Feed, err error, now time.Time) {
	f.Failures++
	f.LastError = msg.Of(err)
	f.RetryAt = time.Time{}
	var fe *feed.Error
	if errors.As(err, &fe) {
		if fe.Kind == feed.KindGone {
			f.Gone, f.Enabled = true, false
		}
		f.RetryAt = fe.RetryAt
	}
}

// NextCheck is when the feed is checked next on schedule s: its first
// time after now that is not before the feed's back-off after failures or
// the server's Retry-After (the zero time when s has none within a year).
func (f Feed) NextCheck(s cron.Schedule, now time.Time) time.Time {
	nb := f.notBefore(true)
	t := s.Next(now)
	for i := 0; i < 100000 && !t.IsZero() && t.Before(nb); i++ {
		t = s.Next(t)
	}
	if t.Before(nb) || t.After(now.AddDate(1, 0, 0)) {
		return time.Time{}
	}
	return t
}
