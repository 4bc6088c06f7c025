package monitor

// Event is what the engine tells its subscribers: that a check cycle
// finished (with what it found), or that the user's data changed through
// this Service outside a cycle. Front ends update their screens from
// events instead of calling each other.
type Event struct {
	// Cycle is set when a check cycle finished.
	Cycle *CycleEvent
	// Changed says what changed outside a cycle.
	Changed Change
	// Alerts are the alerts decided with this event, each recorded in
	// the alert history: those to show (Status alert.Shown, each exactly
	// once across every process on the data directory) and those held
	// back or gathered for a summary. A cycle's are Cycle.Alerts; a
	// summary that came due between cycles comes in an event of its own.
	// Front ends show the shown ones and decide nothing.
	Alerts []Alert
}

// Change is a set of things that changed.
type Change uint8

// What can change outside a check cycle.
const (
	TopicsChanged   Change = 1 << iota // a topic was added, edited or removed
	FeedsChanged                       // a feed was added, edited, removed or imported
	SettingsChanged                    // the schedule or the retention changed
	MatchesChanged                     // matches were added or removed (a topic applied or removed)
	AlertsChanged                      // the alert history changed (alerts decided or deleted)
)

// Subscribe registers fn to receive every event. It returns a function
// that ends the subscription. fn runs on the goroutine that caused the
// event and must not block.
func (s *Service) Subscribe(fn func(Event)) (cancel func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextSub
	s.nextSub++
	s.subs[id] = fn
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.subs, id)
	}
}

func (s *Service) emit(ev Event) {
	s.mu.Lock()
	subs := make([]func(Event), 0, len(s.subs))
	for _, fn := range s.subs {
		subs = append(subs, fn)
	}
	s.mu.Unlock()
	for _, fn := range subs {
		fn(ev)
	}
}

// changed tells the subscribers what changed.
func (s *Service) changed(c Change) { s.emit(Event{Changed: c}) }
