package monitor

import (
	"context"
	"net/url"
	"sync"
)

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Host
}

// hostLimiter bounds concurrent fetches per server.
type hostLimiter struct {
	mu    sync.Mutex
	per   int
	slots map[string]chan struct{}
}

func newHostLimiter(per int) *hostLimiter {
	return &hostLimiter{per: per, slots: map[string]chan struct{}{}}
}

func (h *hostLimiter) acquire(host string) {
	h.slot(host) <- struct{}{}
}

// acquireCtx is acquire that gives up when ctx ends, and then reports
// false.
func (h *hostLimiter) acquireCtx(ctx context.Context, host string) bool {
	select {
	case h.slot(host) <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

func (h *hostLimiter) slot(host string) chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := h.slots[host]
	if c == nil {
		c = make(chan struct{}, h.per)
		h.slots[host] = c
	}
	return c
}

func (h *hostLimiter) release(host string) {
	h.mu.Lock()
	c := h.slots[host]
	h.mu.Unlock()
	<-c
}
