package monitor

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/alert"
	"codeberg.org/newswatch/newswatch/monitor/feed"
	"codeberg.org/newswatch/newswatch/monitor/fulltext"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Config holds what the engine is built from. Effects are injected: the
// store, the HTTP client and the clock.
type Config struct {
	Store  Store
	Client *http.Client // nil: feed.NewClient()
	Now    func() time.Time
	// Location is the analyst's time zone, for quiet hours, digest times
	// and volume by day (nil: time.Local).
	Location *time.Location
	Logger   *slog.Logger
	// Concurrency bounds the feeds fetched at once (default 8), and
	// PerHost the feeds fetched at once from one server (default 2).
	Concurrency int
	PerHost     int
	// WithoutStories stores articles without assigning them to stories:
	// only for measuring what stories cost (cmd/bench), never in use (the
	// timeline lists stories). The store must be told the same.
	WithoutStories bool
	// PagesPerHost bounds the article pages read at once from one server,
	// across cycles (default 2; see pages.go).
	PagesPerHost int

	// On a team database (a TeamStore; see team.go): NoPolling leaves
	// checking the feeds on their schedules to the servers (Run follows
	// the matches they store; a check asked for still runs); NoAlerts
	// claims no alerts (a server that polls for the team); LeaseTimeout
	// is how long a process that is not seen keeps its feeds (0:
	// DefaultLeaseTimeout); LeaseBatch how many due feeds a poller takes
	// at a time (0: 100).
	NoPolling, NoAlerts bool
	LeaseTimeout        time.Duration
	LeaseBatch          int
}

// Service is the engine. The timeline's operations are its store's
// (TimelineStore is embedded); everything else is a method of its own.
type Service struct {
	TimelineStore

	store   Store
	fetcher *feed.Fetcher
	now     func() time.Time
	loc     *time.Location
	log     *slog.Logger
	limit   int
	perHost int
	noStory bool

	queries queryCache // parsed queries, by text
	owner   string     // this process in reading marks (see crashmark.go)
	team    *team      // on a team database (team.go); nil on SQLite

	pages     *fulltext.Reader // article pages (see pages.go)
	pageHosts *hostLimiter     // pages read at once per server

	mu       sync.Mutex
	rhythms  map[int64]learned // feeds' rhythms, learned now and then (alertfacts.go)
	subs     map[int]func(Event)
	nextSub  int
	inflight map[int64]bool // feeds being checked right now
	sched    *scheduler     // set while Run is running
	topicSet *cachedTopics  // the compiled topics of the last cycle
	cycles   int            // check cycles running
	idle     sync.Cond      // signalled when cycles drops to 0 (L is &mu)
	closing  bool           // Close was called: no new cycles
}

// New builds the engine.
func New(cfg Config) *Service {
	s := &Service{
		TimelineStore: cfg.Store,
		store:         cfg.Store,
		fetcher:       feed.NewFetcher(cfg.Client, UserAgent),
		now:           cfg.Now,
		loc:           cfg.Location,
		log:           cfg.Logger,
		limit:         cfg.Concurrency,
		perHost:       cfg.PerHost,
		noStory:       cfg.WithoutStories,
		subs:          map[int]func(Event){},
		inflight:      map[int64]bool{},
		rhythms:       map[int64]learned{},
		owner:         processOwner(),
	}
	s.idle.L = &s.mu
	s.team = newTeam(cfg)
	if s.now == nil {
		s.now = time.Now
	}
	if s.loc == nil {
		s.loc = time.Local
	}
	s.fetcher.Now = s.now
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.limit <= 0 {
		s.limit = 8
	}
	if s.perHost <= 0 {
		s.perHost = 2
	}
	perHost := cfg.PagesPerHost
	if perHost <= 0 || perHost > 2 {
		perHost = 2
	}
	s.pages = fulltext.NewReader(s.fetcher, 2)
	s.pageHosts = newHostLimiter(perHost)
	return s
}

// Fetcher gives access to the engine's fetcher (limits, client).
func (s *Service) Fetcher() *feed.Fetcher { return s.fetcher }

// Close waits for the check cycles that are running to end (a cycle ends
// soon once its context is cancelled, having saved what it checked), then
// closes the store. A cycle asked for after Close began does not run.
func (s *Service) Close() error {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	s.waitCycles()
	if s.team != nil {
		s.leave()
	}
	return s.store.Close()
}

// errClosing is a check asked for while the engine closes.
var errClosing = msg.Errorf(nil, msg.T("Newswatch is closing; the feeds were not checked."))

// beginCycle counts a check cycle in, unless the engine is closing.
func (s *Service) beginCycle() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return errClosing
	}
	s.cycles++
	return nil
}

func (s *Service) endCycle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cycles--; s.cycles == 0 {
		s.idle.Broadcast()
	}
}

// waitCycles waits until no check cycle runs.
func (s *Service) waitCycles() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.cycles > 0 {
		s.idle.Wait()
	}
}

// Settings are the engine's own settings, shared by every process on the
// same data directory.
type Settings struct {
	Schedule      string // global check schedule
	RetentionDays int    // days unmatched articles are kept
	// The alerts' switches (see alertsettings.go): desktop notifications
	// on or off, paused, quiet hours; how long a feed fails before it is
	// reported dead.
	Notifications bool
	Paused        bool
	QuietHours    alert.Quiet
	DeadAfter     time.Duration
}

// Setting keys and defaults.
const (
	settingSchedule      = "schedule"
	settingRetentionDays = "retention_days"
	DefaultRetentionDays = 30
)

// Settings returns the current settings.
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	st := Settings{Schedule: DefaultSchedule, RetentionDays: DefaultRetentionDays}
	if err := s.alertSettings(ctx, &st); err != nil {
		return st, err
	}
	if v, ok, err := s.store.Setting(ctx, settingSchedule); err != nil {
		return st, err
	} else if ok && ValidateSchedule(v) == nil && v != "" {
		st.Schedule = v
	}
	if v, ok, err := s.store.Setting(ctx, settingRetentionDays); err != nil {
		return st, err
	} else if n, perr := strconv.Atoi(v); ok && perr == nil && n > 0 {
		st.RetentionDays = n
	}
	return st, nil
}

// SetSchedule changes the global schedule after validating it.
func (s *Service) SetSchedule(ctx context.Context, spec string) error {
	spec = strings.Join(strings.Fields(spec), " ")
	if _, err := ParseSchedule(spec); err != nil {
		return err
	}
	if err := s.store.SetSetting(ctx, settingSchedule, spec); err != nil {
		return err
	}
	s.resync()
	s.changed(SettingsChanged)
	return nil
}

// SetRetentionDays changes how long unmatched articles are kept.
func (s *Service) SetRetentionDays(ctx context.Context, days int) error {
	if days < 1 || days > 3650 {
		return msg.Errorf(nil, msg.T("Stories can be kept for 1 to 3650 days, not {{.Days}}."), "Days", days)
	}
	if err := s.store.SetSetting(ctx, settingRetentionDays, strconv.Itoa(days)); err != nil {
		return err
	}
	s.changed(SettingsChanged)
	return nil
}

// Feeds lists the feeds.
func (s *Service) Feeds(ctx context.Context) ([]Feed, error) { return s.store.Feeds(ctx) }

// Topics lists the topics the user sees: on a team database the team's
// and their own personal ones (see visibleTopics).
func (s *Service) Topics(ctx context.Context) ([]Topic, error) { return s.visibleTopics(ctx) }

// Matches lists the matches (one per story and topic) of the stories the
// filter selects, newest first.
func (s *Service) Matches(ctx context.Context, f Filter) ([]Match, error) {
	return s.store.Matches(ctx, f)
}

// AddTopic validates and stores a new topic; the query defaults to the name.
func (s *Service) AddTopic(ctx context.Context, t Topic) (Topic, error) {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" {
		return t, msg.Errorf(nil, msg.T("A topic needs a name."))
	}
	if strings.TrimSpace(t.Query) == "" {
		t.Query = t.Name
	}
	if _, err := s.parseQuery(t.Query); err != nil {
		return t, topicQueryError(t.Name, err)
	}
	if err := ValidateEscalation(t.Escalation); err != nil {
		return t, err
	}
	if err := t.Policy.Validate(); err != nil {
		return t, err
	}
	if err := s.checkOwner(t.Owner); err != nil {
		return t, err
	}
	t.Created = s.now()
	if err := s.store.AddTopic(ctx, &t); err != nil {
		if errors.Is(err, ErrExists) {
			return t, msg.Errorf(err, msg.T("There is already a topic named “{{.Name}}”."), "Name", t.Name)
		}
		return t, err
	}
	s.changed(TopicsChanged)
	return t, nil
}

// UpdateTopic saves a changed topic. A query that does not parse is
// refused and the old query kept.
func (s *Service) UpdateTopic(ctx context.Context, t Topic) error {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" {
		return msg.Errorf(nil, msg.T("A topic needs a name."))
	}
	if _, err := s.parseQuery(t.Query); err != nil {
		return topicQueryError(t.Name, err)
	}
	if err := ValidateEscalation(t.Escalation); err != nil {
		return err
	}
	if err := t.Policy.Validate(); err != nil {
		return err
	}
	if err := s.mayChange(ctx, t.ID); err != nil {
		return err
	}
	err := s.store.UpdateTopic(ctx, t)
	if errors.Is(err, ErrExists) {
		return msg.Errorf(err, msg.T("There is already a topic named “{{.Name}}”."), "Name", t.Name)
	}
	if err == nil {
		s.changed(TopicsChanged | MatchesChanged) // names and colours on the stories
	}
	return err
}

// TopicByName finds a topic by its name, ignoring case.
func (s *Service) TopicByName(ctx context.Context, name string) (Topic, error) {
	topics, err := s.visibleTopics(ctx)
	if err != nil {
		return Topic{}, err
	}
	// The user's own topic first, should the team have one so named.
	for _, own := range []bool{true, false} {
		for _, t := range topics {
			if strings.EqualFold(t.Name, strings.TrimSpace(name)) && (t.Owner != "") == own {
				return t, nil
			}
		}
	}
	return Topic{}, msg.Errorf(ErrNotFound, msg.T("There is no topic named “{{.Name}}”."), "Name", name)
}

// RemoveTopic deletes a topic and its matches.
func (s *Service) RemoveTopic(ctx context.Context, id int64) error {
	if err := s.mayChange(ctx, id); err != nil {
		return err
	}
	if err := s.store.RemoveTopic(ctx, id); err != nil {
		return err
	}
	s.changed(TopicsChanged | MatchesChanged)
	return nil
}

// topicQueryError says which topic's query is wrong and where.
func topicQueryError(name string, err error) error {
	return msg.Errorf(err, msg.T("The query of topic “{{.Name}}” has a problem: {{.Problem}}."), "Name", name, "Problem", msg.Of(err))
}
