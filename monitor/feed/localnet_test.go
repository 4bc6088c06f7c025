package feed

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

// fakeDNS resolves the test's names.
func fakeDNS(names map[string]string) func(context.Context, string) ([]netip.Addr, error) {
	return func(_ context.Context, host string) ([]netip.Addr, error) {
		if a, ok := names[host]; ok {
			return []netip.Addr{netip.MustParseAddr(a)}, nil
		}
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
}

// TestRedirectToLocalAddresses: a feed on the internet cannot send
// Newswatch to this machine or its network by redirecting there, whether
// the redirect names the address or a name that resolves to it; a feed
// added with a local address follows its redirects as before, and
// redirects between internet addresses are followed.
func TestRedirectToLocalAddresses(t *testing.T) {
	var target string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed" {
			w.Write([]byte(miniRSS))
			return
		}
		http.Redirect(w, r, target, http.StatusFound)
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndexByte(srv.URL, ':'):]

	// The feed's server is news.example on the internet: every connection
	// goes to the test server (this transport has no dial check; the
	// redirect check is what is tested here).
	public := testFetcher()
	public.lookup = fakeDNS(map[string]string{
		"news.example": "203.0.113.7", "other.example": "198.51.100.1", "intranet.example": "10.1.2.3",
		"rebind.example": "192.168.1.1",
	})
	tr := NewClient().Transport.(*http.Transport).Clone()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
	}
	public.Client = &http.Client{Transport: tr}

	tests := []struct {
		to   string
		want string // "" when followed
	}{
		{"http://other.example" + port + "/feed", ""},
		{"/feed", ""},
		{"http://127.0.0.1" + port + "/feed", "The server redirected to 127.0.0.1, an address on this computer or its local network"},
		{"http://localhost" + port + "/feed", "redirected to localhost, an address on this computer"},
		{"http://[::1]" + port + "/feed", "redirected to ::1"},
		{"http://169.254.169.254/latest/meta-data/", "redirected to 169.254.169.254"},
		{"http://intranet.example/feed", "redirected to intranet.example"},
		{"http://100.100.100.100/", "redirected to 100.100.100.100"},
		{"http://0.0.0.0" + port + "/feed", "redirected to 0.0.0.0"},
	}
	for _, tt := range tests {
		target = tt.to
		_, err := public.Fetch(context.Background(), Request{URL: "http://news.example" + port + "/start"})
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("redirect to %s: %v", tt.to, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("redirect to %s: %v, want %q", tt.to, err, tt.want)
		}
	}

	// A feed added with a local address (here the test server itself)
	// follows a redirect to another local name.
	local := testFetcher()
	target = "http://localhost" + port + "/feed"
	if _, err := local.Fetch(context.Background(), Request{URL: srv.URL + "/start"}); err != nil {
		t.Errorf("a loopback feed's redirect to localhost: %v", err)
	}
}

// TestLocalAddressRefusedWhenConnecting: the check is made again on the
// address connected to, so a name that resolved to an internet address
// when the redirect was checked and to a local one when connecting (DNS
// rebinding) is still refused; the feed's own server and a proxy are
// not checked.
func TestLocalAddressRefusedWhenConnecting(t *testing.T) {
	p := newLocalPolicy("news.example", fakeDNS(map[string]string{"news.example": "203.0.113.7", "rebind.example": "198.51.100.9"}))
	ctx := context.WithValue(context.Background(), policyKey{}, p)
	if err := p.redirect(ctx, "rebind.example"); err != nil {
		t.Fatalf("the redirect's name resolves to an internet address: %v", err)
	}
	// Connecting: rebind.example now is 127.0.0.1.
	dctx := context.WithValue(ctx, dialHostKey{}, "rebind.example")
	var fe *Error
	if err := dialGuard(dctx, "tcp", "127.0.0.1:80", nil); !errors.As(err, &fe) || !strings.Contains(err.Error(), "redirected to rebind.example") {
		t.Errorf("connecting to 127.0.0.1 for rebind.example: %v", err)
	}
	if err := dialGuard(dctx, "tcp", "198.51.100.9:80", nil); err != nil {
		t.Errorf("connecting to an internet address: %v", err)
	}
	if err := dialGuard(context.WithValue(ctx, dialHostKey{}, "proxy.corp"), "tcp", "10.0.0.1:3128", nil); err != nil {
		t.Errorf("connecting to a proxy: %v", err)
	}
	if err := dialGuard(context.WithValue(ctx, dialHostKey{}, "news.example"), "tcp", "10.0.0.2:80", nil); err != nil {
		t.Errorf("connecting to the feed's own server: %v", err)
	}

	// Through the real client's dialer: connecting to a local address for
	// a host other than the feed's is refused before any byte is sent.
	p2 := newLocalPolicy("news.example", fakeDNS(map[string]string{"news.example": "203.0.113.7"}))
	ctx2 := context.WithValue(context.Background(), policyKey{}, p2)
	p2.target = "127.0.0.1"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dial := NewClient().Transport.(*http.Transport).DialContext
	conn, err := dial(ctx2, "tcp", ln.Addr().String())
	if err == nil {
		conn.Close()
		t.Fatal("connected to 127.0.0.1 for a feed on the internet")
	}
	if !errors.As(err, &fe) {
		t.Errorf("the dialer's error: %v", err)
	}
}
