package app

import (
	"time"

	"fyne.io/fyne/v2"
)

// runner keeps database and network work off the Fyne goroutine: work
// runs on a goroutine of its own, and what it found is applied to the
// widgets through fyne.Do. In tests (Options.Synchronous) both run at
// once on the caller's goroutine, so a test can assert right after an
// action.
type runner struct {
	sync bool
}

// bg runs work in the background, then apply on the UI goroutine.
func (r *runner) bg(work, apply func()) {
	if r.sync {
		work()
		if apply != nil {
			apply()
		}
		return
	}
	go func() {
		work()
		if apply != nil {
			fyne.Do(apply)
		}
	}()
}

// ui runs fn on the UI goroutine (from any goroutine).
func (r *runner) ui(fn func()) {
	if r.sync {
		fn()
		return
	}
	fyne.Do(fn)
}

// later runs fn on the UI goroutine after d (at once when synchronous),
// replacing what an earlier call with the same timer scheduled.
func (r *runner) later(t **time.Timer, d time.Duration, fn func()) {
	if *t != nil {
		(*t).Stop()
	}
	if r.sync {
		fn()
		return
	}
	*t = time.AfterFunc(d, func() { fyne.Do(fn) })
}

// signal tells its listeners that something changed, with a value
// (struct{} when there is nothing to say but that). Listeners are called
// on the UI goroutine, in the order they started listening.
type signal[T any] struct {
	next int
	fns  map[int]func(T)
}

// listen calls fn on every emit until stop is called.
func (s *signal[T]) listen(fn func(T)) (stop func()) {
	if s.fns == nil {
		s.fns = map[int]func(T){}
	}
	id := s.next
	s.next++
	s.fns[id] = fn
	return func() { delete(s.fns, id) }
}

func (s *signal[T]) emit(v T) {
	for id := range s.next {
		if fn, ok := s.fns[id]; ok {
			fn(v)
		}
	}
}

// changed is a signal that carries no value.
type changed struct{ s signal[struct{}] }

func (c *changed) listen(fn func()) (stop func()) { return c.s.listen(func(struct{}) { fn() }) }
func (c *changed) emit()                          { c.s.emit(struct{}{}) }

// hooks are the listeners one build of the screens registered (on the
// model's signals, the engine's events): released together when the
// screens are built again (the language changed) or the app stops.
type hooks struct{ stops []func() }

func (h *hooks) add(stop func()) { h.stops = append(h.stops, stop) }

func (h *hooks) release() {
	for _, stop := range h.stops {
		stop()
	}
	h.stops = nil
}
