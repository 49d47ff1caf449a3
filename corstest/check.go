package corstest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/crossorigin/cors/internal/explain"
	"github.com/crossorigin/cors/internal/fetch"
)

// tool words the fixes that are about the call itself in this package's terms.
var tool = explain.Tool{Include: `Credentials: "include"`, Cookie: "Cookies", SetCookie: "the Call's Cookies"}

// defaultTimeout bounds each request of CheckURL and ScanURL given a nil client.
const defaultTimeout = 10 * time.Second

// Check makes the call against h in-process, with no listener. The error is for a Call that no page
// could make (an Origin that is not a serialised origin, a URL with userinfo or that is neither a path
// nor an absolute http(s) URL, a Credentials mode fetch() does not know, a method or header that fetch()
// would throw on); a blocked call is not an error.
//
// A path is resolved against [APIOrigin]. Check serves the URL's host (its name and port) only, and
// follows redirects on it; a redirect to another host is an error that says so, since no handler
// answers there: use CheckURL, with a server on each host. A handler that panics is an error too.
func Check(h http.Handler, c Call) (*Result, error) {
	if h == nil {
		return nil, errors.New("corstest: Check needs a handler")
	}
	u, err := c.resolve(APIOrigin)
	if err != nil {
		return nil, fmt.Errorf("corstest: %w", err)
	}
	transport := oneHost{host: u, next: fetch.HandlerTransport{Handler: h}}
	return run(context.Background(), &fetch.Client{Transport: transport}, c, u)
}

// CheckURL makes the call over the network with client (nil: a default client with timeouts). A network
// error (nothing listening, a timeout) is an error, not a verdict.
//
// Only the client's Transport and Timeout are used: each call is a fresh browser with the Call's
// cookies (the client's Jar is not used) that follows redirects as Fetch does (its CheckRedirect is not
// used). Timeout bounds each request, ctx the whole call. A nil client, or a nil Transport, reads
// response headers up to 256 KiB (Chromium's limit) and never reuses connections; a nil client bounds
// each request to 10 seconds.
func CheckURL(ctx context.Context, client *http.Client, c Call) (*Result, error) {
	u, err := c.resolve("")
	if err != nil {
		return nil, fmt.Errorf("corstest: %w", err)
	}
	return run(ctxOrBackground(ctx), browserClient(client), c, u)
}

// run makes the call c to u with the browser client b.
func run(ctx context.Context, b *fetch.Client, c Call, u *url.URL) (*Result, error) {
	req, err := c.request(u)
	if err != nil {
		return nil, fmt.Errorf("corstest: %w", err)
	}
	if b.Jar, err = c.jar(u); err != nil {
		return nil, fmt.Errorf("corstest: %w", err)
	}
	tr, err := b.Do(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("corstest: %s: %w", c, err)
	}
	rep := explain.Explain(explain.Input{Trace: tr, Request: req, Cookies: len(c.Cookies) > 0}, tool)
	return newResult(c, tr, rep), nil
}

// browserClient is the browser CheckURL and ScanURL send through: client's Transport and Timeout only.
func browserClient(client *http.Client) *fetch.Client {
	b := &fetch.Client{Transport: fetch.NewTransport(0), Timeout: defaultTimeout}
	if client != nil {
		b.Timeout = client.Timeout
		if client.Transport != nil {
			b.Transport = client.Transport
		}
	}
	return b
}

func ctxOrBackground(ctx context.Context) context.Context {
	if ctx == nil {
		return context.Background()
	}
	return ctx
}

// oneHost serves requests to one host (name and port) only: the host of the URL Check was given.
type oneHost struct {
	host *url.URL
	next http.RoundTripper
}

func (t oneHost) RoundTrip(r *http.Request) (*http.Response, error) {
	if !sameHost(r.URL, t.host) {
		return nil, fmt.Errorf("the call is redirected to %s, another host than %s, which Check serves alone: use CheckURL with a server on each host", r.URL.Host, t.host.Host)
	}
	return t.next.RoundTrip(r)
}

// sameHost reports whether a and b name the same host and port, the scheme aside: a redirect from http
// to https on the same name goes to the same server.
func sameHost(a, b *url.URL) bool {
	return strings.EqualFold(a.Hostname(), b.Hostname()) && a.Port() == b.Port()
}
