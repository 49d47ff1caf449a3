// Package call makes one fetch() from a page, as corstest and corscheck -calls describe it, with a fresh
// browser (internal/fetch): against a handler in-process, or a URL over the network. Both front ends
// judge a call with it, and explain what the browser did (internal/explain) in their own terms.
package call

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/publicsuffix"

	"github.com/crossorigin/cors/internal/fetch"
	"github.com/crossorigin/cors/internal/method"
)

// Call is one fetch(URL, {method: Method, headers: Header, credentials: Credentials}) from a page whose
// origin is Origin, with the browser's Cookies for URL.
type Call struct {
	Origin      string
	Method      string // as written in fetch(); "" means GET
	URL         string // an absolute http(s) URL, or a path that InProcess resolves
	Header      http.Header
	Credentials string // "omit", "same-origin" ("" too) or "include"
	Cookies     []*http.Cookie
}

// String describes the call as a failure names it: "PUT /api/items/1 from http://localhost:3000
// (credentials: include)".
func (c Call) String() string {
	verb := c.Method
	if verb == "" {
		verb = "GET"
	}
	creds := c.Credentials
	if creds == "" {
		creds = string(fetch.CredentialsSameOrigin)
	}
	return fmt.Sprintf("%s %s from %s (credentials: %s)", method.Normalize(verb), c.URL, c.Origin, creds)
}

// Made is a call as the browser made it.
type Made struct {
	Request fetch.Request // the fetch() the page made, its URL absolute
	Trace   *fetch.Trace  // everything the browser sent and got, and its verdict
}

// DefaultTimeout bounds each request of Network given a nil client.
const DefaultTimeout = 10 * time.Second

// InProcess makes the call against h, with no listener. A path is resolved against base, an origin
// ("https://api.corstest.invalid"). Only the URL's host (its name and port) is served, and redirects on
// it are followed; a redirect to another host is an error, since no handler answers there. The error is
// a *fetch.RequestError for a call no page could make.
func InProcess(h http.Handler, base string, c Call) (*Made, error) {
	u, err := c.resolve(base)
	if err != nil {
		return nil, err
	}
	transport := oneHost{host: u, next: fetch.HandlerTransport{Handler: h}}
	return c.make(context.Background(), &fetch.Client{Transport: transport}, u)
}

// Network makes the call over the network through client's Transport and Timeout only (nil: a transport
// that bounds response headers, and DefaultTimeout): a fresh browser with the call's cookies, which
// follows redirects as Fetch does. The error is a *fetch.RequestError for a call no page could make, or
// a network error.
func Network(ctx context.Context, client *http.Client, c Call) (*Made, error) {
	u, err := c.resolve("")
	if err != nil {
		return nil, err
	}
	return c.make(ctx, Browser(client), u)
}

// Browser is the browser Network sends through: client's Transport and Timeout only.
func Browser(client *http.Client) *fetch.Client {
	b := &fetch.Client{Transport: fetch.NewTransport(0), Timeout: DefaultTimeout}
	if client != nil {
		b.Timeout = client.Timeout
		if client.Transport != nil {
			b.Transport = client.Transport
		}
	}
	return b
}

// make makes the call to u with the browser b.
func (c Call) make(ctx context.Context, b *fetch.Client, u *url.URL) (*Made, error) {
	req, err := c.request(u)
	if err != nil {
		return nil, err
	}
	if b.Jar, err = c.jar(u); err != nil {
		return nil, err
	}
	tr, err := b.Do(ctx, req)
	if err != nil {
		return nil, err
	}
	return &Made{Request: req, Trace: tr}, nil
}

func refuse(format string, args ...any) *fetch.RequestError {
	return &fetch.RequestError{Reason: fmt.Sprintf(format, args...)}
}

// resolve returns the absolute URL of the call: a path ("/api/items/1") is resolved against base, unless
// base is "" (Network), and anything else must be an absolute http(s) URL without user information.
func (c Call) resolve(base string) (*url.URL, error) {
	raw := c.URL
	if IsPath(raw) {
		if base == "" {
			return nil, refuse("a path such as %q is resolved only in-process: give an absolute http or https URL", raw)
		}
		raw = base + raw
	}
	u, err := url.Parse(raw)
	switch {
	case c.URL == "":
		return nil, refuse("the URL is required: a path such as /api/items/1, or an absolute http or https URL")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return nil, refuse("the URL %q is neither a path (/api/items/1) nor an absolute http or https URL", c.URL)
	case u.User != nil:
		return nil, refuse("the URL %q has user information (user:password@), which fetch() refuses", c.URL)
	}
	return u, nil
}

// IsPath reports whether raw is a path: it starts with one "/" (two start a URL without a scheme).
func IsPath(raw string) bool {
	return strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, "//")
}

// request returns the fetch a page makes for c, to u. fetch.Client.Do checks the rest of what fetch()
// would refuse: the origin, the method, the credentials mode, header names and values.
func (c Call) request(u *url.URL) (fetch.Request, error) {
	if c.Origin == "" {
		return fetch.Request{}, refuse(`the page's origin is required, such as "http://localhost:3000"`)
	}
	req := fetch.Request{URL: u.String(), Origin: c.Origin, Method: c.Method, Credentials: fetch.Credentials(c.Credentials)}
	// A map has no order: the names are sorted so that a call is always sent the same way.
	names := make([]string, 0, len(c.Header))
	for name := range c.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range c.Header[name] {
			req.Header = append(req.Header, fetch.Field{Name: name, Value: v})
		}
	}
	return req, nil
}

// jar returns the browser's cookie jar, holding c's cookies for u. A cookie without a Path is given "/",
// so that it goes with every request to u's host, as a session cookie set by a login page does.
func (c Call) jar(u *url.URL) (http.CookieJar, error) {
	if len(c.Cookies) == 0 {
		return nil, nil
	}
	cookies := make([]*http.Cookie, 0, len(c.Cookies))
	for i, ck := range c.Cookies {
		if ck == nil {
			return nil, refuse("cookie %d is nil", i)
		}
		if err := ck.Valid(); err != nil {
			return nil, refuse("cookie %d is not a cookie a browser holds: %v", i, err)
		}
		cp := *ck
		if cp.Path == "" {
			cp.Path = "/"
		}
		cookies = append(cookies, &cp)
	}
	jar, err := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	if err != nil {
		return nil, err
	}
	jar.SetCookies(u, cookies)
	return jar, nil
}

// oneHost serves requests to one host (name and port) only: the host of the URL InProcess was given.
type oneHost struct {
	host *url.URL
	next http.RoundTripper
}

func (t oneHost) RoundTrip(r *http.Request) (*http.Response, error) {
	if !sameHost(r.URL, t.host) {
		return nil, &OtherHostError{To: r.URL.Host, Served: t.host.Host}
	}
	return t.next.RoundTrip(r)
}

// An OtherHostError is a call made in-process that is redirected to another host than the one served:
// no handler answers there.
type OtherHostError struct {
	To     string // the host redirected to
	Served string // the one host served in-process
}

func (e *OtherHostError) Error() string {
	return fmt.Sprintf("the call is redirected to %s, another host than %s, which alone is served in-process", e.To, e.Served)
}

// sameHost reports whether a and b name the same host and port, the scheme aside: a redirect from http
// to https on the same name goes to the same server.
func sameHost(a, b *url.URL) bool {
	return strings.EqualFold(a.Hostname(), b.Hostname()) && a.Port() == b.Port()
}
