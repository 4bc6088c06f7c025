package monitor

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/feed"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// A process can die while it reads a feed in ways no recover catches: the
// kernel's OOM killer, a fatal error in a dependency. If the feed is what
// killed it, reading it again at the next start kills that process too,
// and the start-up check of every launch (the one at login included)
// dies the same way. So before a feed's body is parsed, the process marks
// the feed as being read by it (in the database); saving the feed's check
// clears the mark, as does every other way the check ends. A mark whose
// process is gone is found by the next check cycle of any process on the
// data directory, and the feed is paused — for the failure back-off,
// which grows each time it happens again — instead of read again.
//
// Marks of processes that are alive are left alone: the desktop app and
// `newswatch check` may read the same feed at once. A process is told by
// its host, pid and start time (so a recycled pid is another process);
// where the start time cannot be told, a mark older than markLease counts
// as left behind.

// msgStoppedReading is a feed's health after a process died reading it.
var msgStoppedReading = msg.T("Newswatch stopped while reading this feed; it is paused until {{.Until}}.")

// msgInternalError is a feed's health after checking it panicked.
var msgInternalError = msg.T("Newswatch hit an internal error while reading this feed ({{.Reason}}).")

// markLease is how old the mark of a process whose state cannot be told
// must be to count as left behind: far longer than checking one feed can
// take.
const markLease = 30 * time.Minute

// processOwner names this process in its marks: host, pid, start time.
func processOwner() string { return processOwnerOf(os.Getpid()) }

func processOwnerOf(pid int) string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s %d %s", strings.ReplaceAll(host, " ", "_"), pid, processStart(pid))
}

// ownerAlive reports whether the process that left a mark may still be
// running.
func (s *Service) ownerAlive(ctx context.Context, m ReadMark) bool {
	if m.Owner == s.owner {
		return true
	}
	// On a team database a process tells it is alive by beating, from
	// whatever machine it runs on.
	if alive, known := s.alive(ctx, m.Owner); known {
		return alive
	}
	host, rest, _ := strings.Cut(m.Owner, " ")
	pidText, start, _ := strings.Cut(rest, " ")
	pid, err := strconv.Atoi(pidText)
	myHost, _, _ := strings.Cut(s.owner, " ")
	if err != nil || host != myHost || start == "" {
		return s.now().Sub(m.Since) < markLease
	}
	return processStart(pid) == start
}

// markReading marks the feed as being read by this process, and reports
// whether it could.
func (s *Service) markReading(ctx context.Context, f Feed) bool {
	if err := s.store.MarkReading(ctx, f.ID, s.owner, s.now()); err != nil {
		s.log.Warn("cannot mark a feed as being read", slog.String("feed_url", f.URL), slog.Any("err", err))
		return false
	}
	return true
}

// unmark clears this process's mark on the feed when it set one (for a
// check that ends without saving; it is cleared also when stopping).
func (s *Service) unmark(f Feed, marked bool) {
	if !marked {
		return
	}
	if _, err := s.store.ReleaseReading(context.Background(), f.ID, s.owner); err != nil {
		s.log.Warn("cannot clear a feed's reading mark", slog.String("feed_url", f.URL), slog.Any("err", err))
	}
}

// reviewMarks pauses the feeds whose marks were left by processes that
// are gone and returns their results.
func (s *Service) reviewMarks(ctx context.Context) []FeedResult {
	marks, err := s.store.Readings(ctx)
	if err != nil {
		s.log.Error("read the reading marks", slog.Any("err", err))
		return nil
	}
	var out []FeedResult
	for _, m := range marks {
		if s.ownerAlive(ctx, m) {
			continue
		}
		// Of two processes that find the mark, one pauses the feed.
		if released, err := s.store.ReleaseReading(ctx, m.FeedID, m.Owner); err != nil || !released {
			continue
		}
		f, err := s.store.Feed(ctx, m.FeedID)
		if err != nil {
			continue // removed meanwhile
		}
		res := FeedResult{}
		until := s.now().Add(backoff(f.Failures + 1))
		f.Failures++
		f.LastFetch = m.Since
		f.RetryAt = until
		f.LastError = msg.New(msgStoppedReading, "Until", until.Local().Format("2006-01-02 15:04"))
		if err := s.store.SaveFeedHealth(ctx, f); err != nil {
			s.log.Error("save feed health", slog.String("feed_url", f.URL), slog.Any("err", err))
		}
		s.log.Warn("a Newswatch process stopped while reading a feed; it is paused", slog.String("feed_url", f.URL),
			slog.String("process", m.Owner), slog.Time("until", until))
		res.Feed, res.Err, res.Skipped = f, f.LastError, waitReason(f, until)
		out = append(out, res)
	}
	return out
}

// waitReason says why a feed is not fetched before nb.
func waitReason(f Feed, nb time.Time) msg.Message {
	if f.LastError.Tmpl == msgStoppedReading {
		return msg.New(msg.T("paused until {{.Time}} after Newswatch stopped while reading it"), "Time", msg.Clock(nb))
	}
	return msg.New(msg.T("the server asked to wait until {{.Time}}"), "Time", msg.Clock(nb))
}

// internalError is the error of a check that panicked.
func internalError(r any) error {
	return msg.Errorf(nil, msgInternalError, "Reason", fmt.Sprint(r))
}

// parseSafely is feed.Parse with a panic turned into its error.
func parseSafely(body []byte, url string) (p *feed.Parsed, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, internalError(r)
		}
	}()
	return feed.Parse(body, url)
}
