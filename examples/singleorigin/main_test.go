package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/corstest"
	"github.com/crossorigin/cors/examples/internal/routerspec"
)

// The tests call the binary as it is deployed: its own origin is https://app.example.com (a TLS-terminating
// proxy in front of it keeps the Host), and the frontend's dev server is http://localhost:3000.
const (
	siteHost   = "app.example.com"
	siteOrigin = "https://" + siteHost
	devPage    = routerspec.AllowedOrigin // http://localhost:3000
	evilPage   = routerspec.RefusedOrigin // https://evil.example
)

// The two environments the binary runs in.
var (
	production  = map[string]string{}
	development = map[string]string{"CORS_ALLOWED_ORIGINS": devPage}
)

// serve starts the binary's handler with the policy read from env.
func serve(t *testing.T, env map[string]string) string {
	t.Helper()
	h, err := newHandler(policy(func(name string) string { return env[name] }))
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// request is what a browser sends, as the server sees it.
type request struct {
	method string
	path   string
	header map[string]string
	body   string
}

var client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// send makes the request to the server at base, addressed to the site's host.
func send(t *testing.T, base string, r request) routerspec.Response {
	t.Helper()
	req, err := http.NewRequest(r.method, base+r.path, strings.NewReader(r.body))
	require.NoError(t, err)
	req.Host = siteHost
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return routerspec.Response{Status: resp.StatusCode, Header: resp.Header, Body: string(body)}
}

// Browsers send Origin on every same-origin request but GET and HEAD, and, to potentially trustworthy URLs
// (https, localhost), "Sec-Fetch-Site: same-origin". Neither makes the middleware refuse the page's own call:
// CORS is for other origins, and CrossOriginProtection lets same-origin writes through. So the binary answers its
// own page the same with a cross-origin policy configured (development) or none (production).
func TestSameOriginCallsPassWhetherOrNotOtherOriginsAreAllowed(t *testing.T) {
	jsonPUT := func(header map[string]string) request {
		header["Content-Type"] = "application/json"
		return request{method: http.MethodPut, path: "/api/items/7", header: header, body: `{"name":"lamp"}`}
	}
	calls := []struct {
		name     string
		req      request
		wantCode int
		wantBody string
	}{
		{
			name:     "the page's PUT, marked Sec-Fetch-Site: same-origin",
			req:      jsonPUT(map[string]string{"Origin": siteOrigin, "Sec-Fetch-Site": "same-origin"}),
			wantCode: http.StatusOK, wantBody: `"updated":true`,
		},
		{
			name:     "the page's PUT from a browser that sends no Sec-Fetch-Site, whose Origin is the request's Host",
			req:      jsonPUT(map[string]string{"Origin": siteOrigin}),
			wantCode: http.StatusOK, wantBody: `"updated":true`,
		},
		{
			name: "the page's own form POST",
			req: request{method: http.MethodPost, path: "/api/items", body: "name=lamp", header: map[string]string{
				"Origin": siteOrigin, "Sec-Fetch-Site": "same-origin", "Content-Type": "application/x-www-form-urlencoded",
			}},
			wantCode: http.StatusCreated, wantBody: `"created":true`,
		},
		{
			name:     "the page's GET, which carries no Origin",
			req:      request{method: http.MethodGet, path: "/api/items/7", header: map[string]string{"Sec-Fetch-Site": "same-origin"}},
			wantCode: http.StatusOK, wantBody: `"id":"7"`,
		},
	}
	for _, env := range []struct {
		name string
		vars map[string]string
	}{{"production, no other origin allowed", production}, {"development, the dev server allowed", development}} {
		base := serve(t, env.vars)
		for _, c := range calls {
			t.Run(env.name+"/"+c.name, func(t *testing.T) {
				got := send(t, base, c.req)
				assert.Equal(t, c.wantCode, got.Status)
				assert.Contains(t, got.Body, c.wantBody, "the handler ran")
				assert.Empty(t, got.Header.Values("Access-Control-Allow-Origin"), "a same-origin call needs no CORS grant, and gets none")
			})
		}
	}
}

// A page of another origin may call the API only if CORS_ALLOWED_ORIGINS lists its origin: its preflight is
// granted, and its answers carry the grant; otherwise the preflight is refused and the answers carry no
// Access-Control-* header, so the browser lets the page read nothing.
func TestCrossOriginCallsAreAllowedOnlyWhenTheEnvironmentListsTheOrigin(t *testing.T) {
	tests := []struct {
		name    string
		vars    map[string]string
		origin  string
		allowed bool
	}{
		{name: "production refuses the dev server", vars: production, origin: devPage},
		{name: "production refuses any other origin", vars: production, origin: evilPage},
		{name: "development allows the dev server", vars: development, origin: devPage, allowed: true},
		{name: "development refuses another port of the dev server's host", vars: development, origin: "http://localhost:3001"},
		{name: "development refuses any other origin", vars: development, origin: evilPage},
		{
			name:   "a list of origins allows each, spaces around them ignored",
			vars:   map[string]string{"CORS_ALLOWED_ORIGINS": " http://localhost:3000 , https://admin.example.com "},
			origin: "https://admin.example.com", allowed: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := serve(t, tt.vars)
			preflight := send(t, base, request{method: http.MethodOptions, path: "/api/items/7", header: map[string]string{
				"Origin": tt.origin, "Access-Control-Request-Method": http.MethodPut, "Access-Control-Request-Headers": "content-type",
			}})
			get := send(t, base, request{method: http.MethodGet, path: "/api/items/7", header: map[string]string{
				"Origin": tt.origin, "Sec-Fetch-Site": "cross-site",
			}})
			assert.Contains(t, get.Body, `"id":"7"`, "CORS is not access control: the GET is answered either way")
			if !tt.allowed {
				assert.Equal(t, http.StatusForbidden, preflight.Status, "the preflight is refused")
				routerspec.AssertNoCORS(t, preflight)
				routerspec.AssertNoCORS(t, get)
				return
			}
			assert.Equal(t, http.StatusNoContent, preflight.Status)
			assert.Equal(t, tt.origin, preflight.Header.Get("Access-Control-Allow-Origin"))
			assert.Equal(t, "true", preflight.Header.Get("Access-Control-Allow-Credentials"))
			assert.Equal(t, "7200", preflight.Header.Get("Access-Control-Max-Age"), "one preflight per URL per two hours")
			assert.Equal(t, tt.origin, get.Header.Get("Access-Control-Allow-Origin"))

			put := send(t, base, request{method: http.MethodPut, path: "/api/items/7", body: `{"name":"lamp"}`, header: map[string]string{
				"Origin": tt.origin, "Sec-Fetch-Site": "same-site", "Content-Type": "application/json",
			}})
			assert.Equal(t, http.StatusOK, put.Status, "the PUT the preflight cleared")
			assert.Contains(t, put.Body, `"updated":true`)
			assert.Equal(t, tt.origin, put.Header.Get("Access-Control-Allow-Origin"))
		})
	}
}

// The browser's verdict on the page's credentialed PUT, judged in-process by corstest: the page on the site's
// own origin may always make it, the dev server only where the environment lists it, a lookalike never.
func TestTheBrowserLetsOnlyTheSiteAndTheListedDevServerMakeThePUT(t *testing.T) {
	put := func(origin string) corstest.Call {
		return corstest.Call{
			Origin: origin, Method: http.MethodPut, URL: siteOrigin + "/api/items/7",
			Header:      http.Header{"Content-Type": {"application/json"}},
			Credentials: "include", Cookies: []*http.Cookie{{Name: "session", Value: "abc"}},
		}
	}
	for _, env := range []struct {
		name       string
		vars       map[string]string
		devAllowed bool
	}{{"production", production, false}, {"development", development, true}} {
		h, err := newHandler(policy(func(name string) string { return env.vars[name] }))
		require.NoError(t, err)
		t.Run(env.name, func(t *testing.T) {
			if res := corstest.Allowed(t, h, put(siteOrigin)); res != nil {
				assert.Nil(t, res.Preflight, "a same-origin PUT is never preflighted")
				assert.Equal(t, http.StatusBadRequest, res.Response.Status, "the PUT reached its handler, which wants a body a Call has not")
			}
			if env.devAllowed {
				if res := corstest.Allowed(t, h, put(devPage)); res != nil {
					assert.Equal(t, "session=abc", res.Response.Request.Header.Get("Cookie"), "with the session cookie")
				}
			} else if res := corstest.Blocked(t, h, put(devPage)); res != nil {
				assert.Equal(t, "preflight", res.BlockedAt, "production never sends the dev server's PUT")
			}
			if res := corstest.Blocked(t, h, put("https://app.example.com.evil.example")); res != nil {
				assert.Equal(t, "preflight", res.BlockedAt, "the browser never sends the lookalike's PUT")
			}
		})
	}
}

// CORS keeps another origin's page from reading an answer, never from sending a form POST or a no-cors fetch
// with the user's cookies. CrossOriginProtection refuses such writes with 403 before the handler, unless the
// environment trusts their origin.
func TestCrossOriginWritesFromUntrustedOriginsNeverReachTheHandler(t *testing.T) {
	form := func(origin, site string) request {
		h := map[string]string{"Origin": origin, "Content-Type": "application/x-www-form-urlencoded"}
		if site != "" {
			h["Sec-Fetch-Site"] = site
		}
		return request{method: http.MethodPost, path: "/api/items", header: h, body: "name=stolen"}
	}
	noCORSFetch := request{method: http.MethodPost, path: "/api/items", body: "name=stolen", header: map[string]string{
		"Origin": evilPage, "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Content-Type": "text/plain;charset=UTF-8",
	}}
	tests := []struct {
		name    string
		vars    map[string]string
		req     request
		refused bool
	}{
		{name: "production refuses an untrusted site's form POST", vars: production, req: form(evilPage, "cross-site"), refused: true},
		{name: "production refuses an untrusted site's no-cors fetch POST", vars: production, req: noCORSFetch, refused: true},
		{name: "production refuses an untrusted form POST from a browser without Sec-Fetch-Site", vars: production, req: form(evilPage, ""), refused: true},
		{name: "production refuses the dev server's form POST", vars: production, req: form(devPage, "same-site"), refused: true},
		{name: "development refuses an untrusted site's form POST", vars: development, req: form(evilPage, "cross-site"), refused: true},
		{name: "development refuses an untrusted site's no-cors fetch POST", vars: development, req: noCORSFetch, refused: true},
		{name: "development lets the dev server's POST through", vars: development, req: form(devPage, "same-site")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := send(t, serve(t, tt.vars), tt.req)
			if tt.refused {
				assert.Equal(t, http.StatusForbidden, got.Status)
				assert.NotContains(t, got.Body, `"created"`, "the handler never ran")
				routerspec.AssertNoCORS(t, got)
				return
			}
			assert.Equal(t, http.StatusCreated, got.Status)
			assert.Contains(t, got.Body, `"created":true`)
		})
	}
}

// The frontend is in the binary, at /, beside the API.
func TestTheBuiltFrontendIsServedFromTheBinary(t *testing.T) {
	got := send(t, serve(t, production), request{method: http.MethodGet, path: "/"})
	assert.Equal(t, http.StatusOK, got.Status)
	assert.Equal(t, "text/html; charset=utf-8", got.Header.Get("Content-Type"))
	assert.Contains(t, got.Body, "async function saveItem(id, name)", "the page's own script")
	assert.Contains(t, got.Body, "/api/items/", "which calls the API on the page's origin")
}

// A mistake in CORS_ALLOWED_ORIGINS stops the server at start-up with the fix, instead of allowing nothing, or
// something else, quietly.
func TestAWrongOriginInTheEnvironmentStopsTheServer(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  string
	}{
		{name: "a trailing slash", value: "http://localhost:3000/", want: "write http://localhost:3000"},
		{name: "a wildcard with credentials", value: "*", want: `"*" cannot be combined with AllowCredentials`},
		{name: "no scheme", value: "localhost:3000", want: "an origin is scheme://host[:port]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := newHandler(policy(func(string) string { return tt.value }))
			require.Error(t, err)
			assert.Nil(t, h)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
