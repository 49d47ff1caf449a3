package corstest

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/crossorigin/cors/internal/fetch"
	"github.com/crossorigin/cors/internal/method"
)

// APIOrigin is the origin [Check] resolves a path against: a reserved name (.invalid never resolves)
// that is cross-site to every page origin a test uses, so that a call to a path is cross-origin, as a
// call from a frontend to an API is, and its Sec-Fetch-Site is cross-site.
const APIOrigin = "https://api.corstest.invalid"

// A Call is one fetch(URL, {method: Method, headers: Header, credentials: Credentials}) made by a page
// whose origin is Origin.
type Call struct {
	Origin      string         // the page's origin, e.g. "http://localhost:3000"; required
	Method      string         // as written in fetch(); "" means GET (browsers upper-case the six Fetch normalises)
	URL         string         // the URL fetched; for Check, a path such as "/api/items/1" is enough
	Header      http.Header    // the headers the page's script sets; forbidden ones (Cookie too) are dropped, as browsers do
	Credentials string         // "omit", "same-origin" (the default; "" too) or "include", lower-case as in fetch()
	Cookies     []*http.Cookie // the browser's cookies for URL; sent only where Credentials lets them go
}

// String describes the call as a test failure names it: "PUT /api/items/1 from http://localhost:3000
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

// errPathOnly is CheckURL's refusal of a path: it has no API to resolve it against.
var errPathOnly = errors.New("CheckURL needs an absolute http or https URL; a path is resolved only by Check, in-process")

// resolve returns the absolute URL of the call: a path ("/api/items/1") is resolved against base, unless
// base is "" (CheckURL), and anything else must be an absolute http(s) URL without user information.
func (c Call) resolve(base string) (*url.URL, error) {
	raw := c.URL
	if isPath(raw) {
		if base == "" {
			return nil, errPathOnly
		}
		raw = base + raw
	}
	u, err := url.Parse(raw)
	switch {
	case c.URL == "":
		return nil, errors.New("Call.URL is required: a path such as /api/items/1, or an absolute http or https URL")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return nil, fmt.Errorf("Call.URL %q is neither a path (/api/items/1) nor an absolute http or https URL", c.URL)
	case u.User != nil:
		return nil, fmt.Errorf("Call.URL %q has user information (user:password@), which fetch() refuses", c.URL)
	}
	return u, nil
}

// isPath reports whether raw is a path: it starts with one "/" (two start a URL without a scheme).
func isPath(raw string) bool {
	return strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, "//")
}

// request returns the fetch a page makes for c, to u. fetch.Client.Do checks the rest of what fetch()
// would refuse: the origin, the method, the credentials mode, header names and values.
func (c Call) request(u *url.URL) (fetch.Request, error) {
	if c.Origin == "" {
		return fetch.Request{}, errors.New(`Call.Origin is required: the page's origin, such as "http://localhost:3000"`)
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
			return nil, fmt.Errorf("Call.Cookies[%d] is nil", i)
		}
		if err := ck.Valid(); err != nil {
			return nil, fmt.Errorf("Call.Cookies[%d] is not a cookie a browser holds: %v", i, err)
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
