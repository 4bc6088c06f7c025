package monitor

import (
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
	h.mu.Lock()
	c := h.slots[host]
	if c == nil {
		c = make(chan struct{}, h.per)
		h.slots[host] = c
	}
	h.mu.Unlock()
	c <- struct{}{}
}

func (h *hostLimiter) release(host string) {
	h.mu.Lock()
	c := h.slots[host]
	h.mu.Unlock()
	<-c
}
