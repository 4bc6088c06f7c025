package feed

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"sync"
	"syscall"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// A feed on the internet must not be able to send Newswatch to the user's
// own computer or network — a router's admin page, a cloud metadata
// service, a service listening on localhost — by redirecting there. A
// redirect to a loopback, private, link-local or otherwise local address
// is followed only when the feed's own address is such an address (a feed
// on the intranet, or on this machine). The check is made twice: on the
// redirect's address (resolving its name), and when connecting, on the
// address actually connected to, so a name that resolves to a local
// address, or starts to between the two, is caught too. Connections to a
// proxy are not checked (the proxy resolves the names).

// localPolicy is one fetch's rule for local addresses.
type localPolicy struct {
	origin string // the feed's own host
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)

	mu          sync.Mutex
	target      string // the host the current request goes to
	originKnown bool
	originLocal bool
}

type policyKey struct{}
type dialHostKey struct{}

func newLocalPolicy(origin string, lookup func(context.Context, string) ([]netip.Addr, error)) *localPolicy {
	if lookup == nil {
		lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	return &localPolicy{origin: origin, target: origin, lookup: lookup}
}

func policyFrom(ctx context.Context) *localPolicy {
	p, _ := ctx.Value(policyKey{}).(*localPolicy)
	return p
}

// cgnat is the shared address space of carrier-grade NAT and of overlay
// networks (Tailscale): not the internet.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// isLocal reports whether a is an address of this computer or its local
// networks rather than of the internet.
func isLocal(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsUnspecified() || cgnat.Contains(a) ||
		a.Is4() && a.As4()[0] == 0 // 0.0.0.0/8, "this network"
}

// hostIsLocal reports whether a host (a name or an address literal) is or
// resolves to a local address. A name that cannot be resolved is not.
func (p *localPolicy) hostIsLocal(ctx context.Context, host string) bool {
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return isLocal(a)
	}
	if h := strings.ToLower(strings.TrimSuffix(host, ".")); h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	addrs, err := p.lookup(ctx, host)
	if err != nil {
		return false
	}
	for _, a := range addrs {
		if isLocal(a) {
			return true
		}
	}
	return false
}

// originIsLocal reports (looking it up once) whether the feed's own
// address is local.
func (p *localPolicy) originIsLocal(ctx context.Context) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.originKnown {
		p.originLocal, p.originKnown = p.hostIsLocal(ctx, p.origin), true
	}
	return p.originLocal
}

// redirect checks a redirect to host and makes it the current target.
func (p *localPolicy) redirect(ctx context.Context, host string) error {
	p.mu.Lock()
	p.target = host
	p.mu.Unlock()
	if strings.EqualFold(host, p.origin) || !p.hostIsLocal(ctx, host) || p.originIsLocal(ctx) {
		return nil
	}
	return localRedirectError(host)
}

// dialed checks an address being connected to for host (see dialGuard).
func (p *localPolicy) dialed(ctx context.Context, host string, a netip.Addr) error {
	p.mu.Lock()
	target := p.target
	p.mu.Unlock()
	if !strings.EqualFold(host, target) || strings.EqualFold(host, p.origin) {
		return nil // a proxy, or the feed's own server
	}
	if isLocal(a) && !p.originIsLocal(ctx) {
		return localRedirectError(host)
	}
	return nil
}

func localRedirectError(host string) *Error {
	return errorf(KindHTTP, nil, msgRedirectLocal, "Address", host)
}

// msgRedirectLocal is a redirect to a local address that is not followed.
var msgRedirectLocal = msg.T("The server redirected to {{.Address}}, an address on this computer or its local network; Newswatch follows such redirects only for feeds added with such an address.")

// dialContext connects like d, telling the dial guard which host the
// connection is for.
func dialContext(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if host, _, err := net.SplitHostPort(addr); err == nil && policyFrom(ctx) != nil {
			ctx = context.WithValue(ctx, dialHostKey{}, host)
		}
		return d.DialContext(ctx, network, addr)
	}
}

// dialGuard is a net.Dialer's ControlContext: it refuses a connection to
// a local address that a fetch's policy does not allow, whatever name
// resolved to it.
func dialGuard(ctx context.Context, network, address string, _ syscall.RawConn) error {
	p := policyFrom(ctx)
	host, _ := ctx.Value(dialHostKey{}).(string)
	if p == nil || host == "" {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return nil
	}
	if err := p.dialed(ctx, host, ap.Addr()); err != nil {
		return err
	}
	return nil
}
