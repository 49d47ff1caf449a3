// Package routerspec holds the specification every router example must meet, over real HTTP (RouterCases) and
// in real browsers (RunBrowserSpec), and the small HTTP helpers the example tests share. It talks to the
// examples over real HTTP only, so it checks what a browser would see. It is the examples' own harness; the
// examples also use the public package github.com/crossorigin/cors/corstest, as their users would.
//
// Every router example serves the same tiny API, allowing AllowedOrigin with credentials and the methods GET
// and PUT:
//
//	GET /items/{id}  200 {"id":"<id>"}, and the handler adds its own "Vary: Accept-Encoding"
//	PUT /items/{id}  200 {"id":"<id>","updated":true}
//
// No route has an OPTIONS handler, /missing is not routed (404) and POST /items/{id} is not routed (405).
package routerspec

import (
	"io"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	// AllowedOrigin is the browser app the examples allow by default.
	AllowedOrigin = "http://localhost:3000"
	// RefusedOrigin is an origin no example allows.
	RefusedOrigin = "https://evil.example"
	// MaxAge is the Access-Control-Max-Age every router example configures (2h).
	MaxAge = "7200"
)

// Response is what came back over the wire.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

var client = &http.Client{
	Timeout: 10 * time.Second,
	// A browser must see redirects itself; so must the tests.
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// Do sends one request to url with the given headers, without following redirects, and returns the response.
func Do(t testing.TB, method, url string, header map[string]string) Response {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: string(body)}
}

// CORSHeaderNames lists the Access-Control-* header names of h, in canonical form.
func CORSHeaderNames(h http.Header) []string {
	var names []string
	for name := range h {
		if strings.HasPrefix(http.CanonicalHeaderKey(name), "Access-Control-") {
			names = append(names, http.CanonicalHeaderKey(name))
		}
	}
	return names
}

// Tokens splits every line of the list-valued header name into its comma-separated elements, trimmed.
func Tokens(h http.Header, name string) []string {
	var tokens []string
	for _, line := range h.Values(name) {
		for _, tok := range strings.Split(line, ",") {
			if tok = strings.TrimSpace(tok); tok != "" {
				tokens = append(tokens, tok)
			}
		}
	}
	return tokens
}

// AssertNoCORS asserts that the response carries no Access-Control-* header at all: the browser will refuse it.
func AssertNoCORS(t testing.TB, r Response) {
	t.Helper()
	assert.Empty(t, CORSHeaderNames(r.Header), "a refused request must carry no Access-Control-* header")
}

// AssertTokensOnce asserts that each of want appears exactly once (case-insensitively) among the elements of the
// list-valued header name, whatever else the list holds.
func AssertTokensOnce(t testing.TB, h http.Header, name string, want ...string) {
	t.Helper()
	got := Tokens(h, name)
	for _, w := range want {
		n := 0
		for _, g := range got {
			if strings.EqualFold(g, w) {
				n++
			}
		}
		assert.Equal(t, 1, n, "%s must list %q exactly once; got %q", name, w, h.Values(name))
	}
}

// Case is one request of the router specification and what the response must look like.
type Case struct {
	Name   string
	Method string
	Path   string
	Header map[string]string

	WantStatus int
	// WantCORS maps every Access-Control-* header the response must carry to its exact, single value. An entry
	// with value "" is a list-valued header checked through WantTokens instead. Any other Access-Control-* header
	// is a failure; nil means none at all.
	WantCORS map[string]string
	// WantTokens maps a list-valued header to elements it must contain, each exactly once.
	WantTokens map[string][]string
	// WantBody is a substring the body must contain (proof the route's handler ran). WantEmptyBody demands an
	// empty body (proof that no handler wrote anything).
	WantBody      string
	WantEmptyBody bool
}

// Check sends c to baseURL and asserts every expectation of c.
func Check(t *testing.T, baseURL string, c Case) {
	t.Helper()
	r := Do(t, c.Method, baseURL+c.Path, c.Header)
	assert.Equal(t, c.WantStatus, r.Status, "status (body %q)", r.Body)

	var names []string
	for name, value := range c.WantCORS {
		names = append(names, http.CanonicalHeaderKey(name))
		got := r.Header.Values(name)
		if value == "" {
			assert.NotEmpty(t, got, "%s must be present", name)
			continue
		}
		assert.Equal(t, []string{value}, got, "%s must be exactly one header with this value", name)
	}
	assert.ElementsMatch(t, names, CORSHeaderNames(r.Header), "the Access-Control-* headers sent")

	for name, want := range c.WantTokens {
		AssertTokensOnce(t, r.Header, name, want...)
	}
	if c.WantBody != "" {
		assert.Contains(t, r.Body, c.WantBody, "the route's handler must have run")
	}
	if c.WantEmptyBody {
		assert.Empty(t, r.Body, "no handler may write to this response")
	}
}

// RouterCases is the specification shared by every router example (see the package comment for the API).
func RouterCases() []Case {
	credentialed := map[string]string{"Origin": AllowedOrigin, "Cookie": "session=abc"}
	allowedActual := map[string]string{
		"Access-Control-Allow-Origin":      AllowedOrigin,
		"Access-Control-Allow-Credentials": "true",
	}
	return []Case{
		{
			Name:   "preflight to a route without an OPTIONS handler is answered by the middleware, not the router",
			Method: http.MethodOptions, Path: "/items/1",
			Header: map[string]string{
				"Origin":                         AllowedOrigin,
				"Access-Control-Request-Method":  http.MethodPut,
				"Access-Control-Request-Headers": "content-type",
			},
			WantStatus: http.StatusNoContent,
			WantCORS: map[string]string{
				"Access-Control-Allow-Origin":      AllowedOrigin,
				"Access-Control-Allow-Credentials": "true",
				"Access-Control-Allow-Methods":     "",
				"Access-Control-Allow-Headers":     "",
				"Access-Control-Max-Age":           MaxAge,
			},
			WantTokens: map[string][]string{
				"Access-Control-Allow-Methods": {http.MethodPut},
				"Access-Control-Allow-Headers": {"Content-Type"},
				"Vary":                         {"Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"},
			},
			WantEmptyBody: true,
		},
		{
			Name:   "preflight from a refused origin gets no CORS headers and never reaches a handler",
			Method: http.MethodOptions, Path: "/items/1",
			Header: map[string]string{
				"Origin":                        RefusedOrigin,
				"Access-Control-Request-Method": http.MethodPut,
			},
			WantStatus: http.StatusForbidden,
		},
		{
			Name:   "preflight for a method the config does not allow gets no CORS headers",
			Method: http.MethodOptions, Path: "/items/1",
			Header: map[string]string{
				"Origin":                        AllowedOrigin,
				"Access-Control-Request-Method": http.MethodDelete,
			},
			WantStatus: http.StatusForbidden,
		},
		{
			Name:   "credentialed GET from the allowed origin gets the exact origin and credentials, and the handler's Vary survives",
			Method: http.MethodGet, Path: "/items/1", Header: credentialed,
			WantStatus: http.StatusOK,
			WantCORS:   allowedActual,
			WantTokens: map[string][]string{"Vary": {"Accept-Encoding", "Origin"}},
			WantBody:   `"id":"1"`,
		},
		{
			Name:   "credentialed PUT from the allowed origin (the request the preflight cleared) gets CORS headers",
			Method: http.MethodPut, Path: "/items/7",
			Header:     map[string]string{"Origin": AllowedOrigin, "Cookie": "session=abc", "Content-Type": "application/json"},
			WantStatus: http.StatusOK,
			WantCORS:   allowedActual,
			WantTokens: map[string][]string{"Vary": {"Origin"}},
			WantBody:   `"id":"7"`,
		},
		{
			Name:   "GET from a refused origin is still served, without CORS headers, and varies on Origin",
			Method: http.MethodGet, Path: "/items/1",
			Header:     map[string]string{"Origin": RefusedOrigin},
			WantStatus: http.StatusOK,
			WantTokens: map[string][]string{"Vary": {"Accept-Encoding", "Origin"}},
			WantBody:   `"id":"1"`,
		},
		{
			Name:   "GET without Origin is not a CORS request but still varies on Origin",
			Method: http.MethodGet, Path: "/items/1",
			WantStatus: http.StatusOK,
			WantTokens: map[string][]string{"Vary": {"Accept-Encoding", "Origin"}},
			WantBody:   `"id":"1"`,
		},
		{
			Name:   "the router's 404 carries CORS headers, so the browser app can read the status",
			Method: http.MethodGet, Path: "/missing", Header: credentialed,
			WantStatus: http.StatusNotFound,
			WantCORS:   allowedActual,
			WantTokens: map[string][]string{"Vary": {"Origin"}},
		},
		{
			Name:   "the router's 405 for a safelisted method carries CORS headers, so the browser app can read the status",
			Method: http.MethodPost, Path: "/items/1", Header: credentialed,
			WantStatus: http.StatusMethodNotAllowed,
			WantCORS:   allowedActual,
			WantTokens: map[string][]string{"Vary": {"Origin"}},
		},
		{
			Name:   "the router's 404 for a refused origin carries no CORS headers but varies on Origin",
			Method: http.MethodGet, Path: "/missing",
			Header:     map[string]string{"Origin": RefusedOrigin},
			WantStatus: http.StatusNotFound,
			WantTokens: map[string][]string{"Vary": {"Origin"}},
		},
	}
}

// RunRouterSpec runs every case of RouterCases against the example API served at baseURL.
func RunRouterSpec(t *testing.T, baseURL string) {
	t.Helper()
	for _, c := range RouterCases() {
		t.Run(c.Name, func(t *testing.T) { Check(t, baseURL, c) })
	}
}

// WithExposedHeaders adapts cases to an example whose policy also exposes response headers: every response
// that grants the allowed origin (an actual response, not a preflight) must then also carry
// Access-Control-Expose-Headers listing each of names exactly once. The other cases are unchanged: a preflight
// never carries it (the Fetch standard defines Access-Control-Expose-Headers for CORS requests that are not
// preflights), and a refused origin gets no CORS header at all.
func WithExposedHeaders(cases []Case, names ...string) []Case {
	out := make([]Case, len(cases))
	for i, c := range cases {
		_, granted := c.WantCORS["Access-Control-Allow-Origin"]
		_, preflight := c.WantCORS["Access-Control-Allow-Methods"]
		if granted && !preflight {
			c.WantCORS = maps.Clone(c.WantCORS)
			c.WantCORS["Access-Control-Expose-Headers"] = ""
			c.WantTokens = maps.Clone(c.WantTokens)
			if c.WantTokens == nil {
				c.WantTokens = map[string][]string{}
			}
			c.WantTokens["Access-Control-Expose-Headers"] = names
		}
		out[i] = c
	}
	return out
}
