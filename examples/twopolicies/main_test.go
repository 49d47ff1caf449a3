package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/corstest"
	"github.com/crossorigin/cors/examples/internal/routerspec"
)

const (
	app       = "http://localhost:3000"              // the browser app, allowed with credentials on /api/
	anyPage   = "https://blog.example"               // some other site's page, which may read /public/
	lookalike = "http://localhost.evil.example:3000" // a lookalike of the app
)

func newTestHandler(t *testing.T) http.Handler {
	t.Helper()
	h, err := newHandler([]string{app})
	require.NoError(t, err)
	return h
}

// The API subtree is a router example like the others, under its prefix: the router specification's ten cases
// hold for /api/items/{id}, /api/missing and the like.
func TestTheAPISubtreeMeetsRouterSpec(t *testing.T) {
	srv := httptest.NewServer(newTestHandler(t))
	t.Cleanup(srv.Close)

	routerspec.RunRouterSpec(t, srv.URL+"/api")
}

// Each subtree answers with its own policy, as the browser judges it: the public catalogue lets any page read
// it without credentials and refuses a credentialed call ("*" never goes with credentials:
// https://fetch.spec.whatwg.org/#cors-check), while the API answers only the app, with credentials, and blocks a
// lookalike and any other page.
func TestEachSubtreeAnswersWithItsOwnPolicy(t *testing.T) {
	h := newTestHandler(t)
	session := []*http.Cookie{{Name: "session", Value: "abc"}}
	revalidate := http.Header{"If-None-Match": {`"catalogue-v0"`}} // not safelisted: preflighted
	jsonBody := http.Header{"Content-Type": {"application/json"}}

	tests := []struct {
		name          string
		call          corstest.Call
		wantAllowed   bool
		wantBlockedAt string // for a blocked call: "preflight" or "request"
		wantRead      string // for an allowed call: a response header the page can read, beyond the safelisted ones
	}{
		{"any page reads the public catalogue", corstest.Call{Origin: anyPage, URL: "/public/items/1"},
			true, "", "ETag"},
		{"any page revalidates the public catalogue with If-None-Match, through a preflight", corstest.Call{
			Origin: anyPage, URL: "/public/items/1", Header: revalidate}, true, "", "ETag"},
		{"the app reads the public catalogue too, without credentials", corstest.Call{Origin: app, URL: "/public/items/1"},
			true, "", "ETag"},
		{"the public catalogue refuses a credentialed call, even the app's", corstest.Call{
			Origin: app, URL: "/public/items/1", Credentials: "include", Cookies: session}, false, "request", ""},
		{"the public catalogue is read-only: a PUT stops at its preflight", corstest.Call{
			Origin: anyPage, Method: http.MethodPut, URL: "/public/items/1", Header: jsonBody}, false, "preflight", ""},
		{"the app's credentialed PUT to the API", corstest.Call{
			Origin: app, Method: http.MethodPut, URL: "/api/items/1", Header: jsonBody, Credentials: "include", Cookies: session},
			true, "", ""},
		{"the app's credentialed GET of the API", corstest.Call{
			Origin: app, URL: "/api/items/1", Credentials: "include", Cookies: session}, true, "", ""},
		{"a lookalike's credentialed PUT to the API stops at its preflight", corstest.Call{
			Origin: lookalike, Method: http.MethodPut, URL: "/api/items/1", Header: jsonBody, Credentials: "include", Cookies: session},
			false, "preflight", ""},
		{"a lookalike cannot read the API, even without credentials", corstest.Call{Origin: lookalike, URL: "/api/items/1"},
			false, "request", ""},
		{"a page the public catalogue admits cannot read the API", corstest.Call{Origin: anyPage, URL: "/api/items/1"},
			false, "request", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.wantAllowed {
				if res := corstest.Blocked(t, h, tt.call); res != nil {
					assert.Equal(t, tt.wantBlockedAt, res.BlockedAt)
				}
				return
			}
			res := corstest.Allowed(t, h, tt.call)
			if tt.wantRead != "" {
				assert.True(t, res.CanRead(tt.wantRead), "the page can read %s", tt.wantRead)
			}
		})
	}
}

// The same page, the app, preflights both subtrees and gets each policy's own answer: the root mux routes the
// OPTIONS request by path alone, so it reaches the middleware of the subtree it is for
// (https://fetch.spec.whatwg.org/#cors-preflight-fetch). The public one grants "*" without credentials; the
// API's names the app and allows credentials.
func TestThePreflightOfEachSubtreeReachesItsOwnPolicy(t *testing.T) {
	h := newTestHandler(t)
	tests := []struct {
		name string
		call corstest.Call
		// wantHeader maps each CORS header of the preflight's answer to its value; "" means absent.
		wantHeader map[string]string
	}{
		{"the public catalogue's preflight", corstest.Call{
			Origin: app, URL: "/public/items/1", Header: http.Header{"If-None-Match": {`"catalogue-v0"`}},
		}, map[string]string{
			"Access-Control-Allow-Origin":      "*",
			"Access-Control-Allow-Credentials": "",
			"Access-Control-Allow-Methods":     "GET",
			"Access-Control-Allow-Headers":     "if-none-match",
		}},
		{"the API's preflight", corstest.Call{
			Origin: app, Method: http.MethodPut, URL: "/api/items/1",
			Header: http.Header{"Content-Type": {"application/json"}}, Credentials: "include",
		}, map[string]string{
			"Access-Control-Allow-Origin":      app,
			"Access-Control-Allow-Credentials": "true",
			"Access-Control-Allow-Methods":     "GET, PUT",
			"Access-Control-Allow-Headers":     "content-type",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := corstest.Check(h, tt.call)
			require.NoError(t, err)
			require.True(t, res.Allowed, "%v", res.Err())
			require.NotNil(t, res.Preflight, "the call is preflighted")
			assert.Equal(t, http.StatusNoContent, res.Preflight.Status)
			for name, want := range tt.wantHeader {
				assert.Equal(t, want, res.Preflight.Header.Get(name), name)
			}
		})
	}
}

// The pitfall: nesting the policies instead of mounting them side by side. With the API's middleware around the
// whole server and the public one around its subtree inside, the outer one sees every preflight first, so the
// public catalogue's preflight gets the API's answer (403: If-None-Match is not allowed there, nor is any
// origin but the app), and the public responses carry both policies' headers mixed.
func TestPitfallNestedPoliciesAnswerThePublicPreflightWithTheAPIsPolicy(t *testing.T) {
	public, err := newPublicCORS()
	require.NoError(t, err)
	api, err := newAPICORS([]string{app})
	require.NoError(t, err)
	inner := http.NewServeMux()
	inner.Handle("/public/", public.Handler(newPublicRouter()))
	inner.Handle("/api/", newAPIRouter())
	nested := api.Handler(inner)

	revalidate := corstest.Call{Origin: anyPage, URL: "/public/items/1", Header: http.Header{"If-None-Match": {`"catalogue-v0"`}}}
	res := corstest.Blocked(t, nested, revalidate)
	require.NotNil(t, res)
	assert.Equal(t, "preflight", res.BlockedAt)
	require.NotNil(t, res.Preflight)
	assert.Equal(t, http.StatusForbidden, res.Preflight.Status, "the API's policy refused it")

	corstest.Allowed(t, newTestHandler(t), revalidate) // mounted side by side, the public policy answers it

	// The app's plain read of the public catalogue still works, but the response mixes the two policies: "*"
	// from one, Access-Control-Allow-Credentials from the other, and corstest warns about it.
	res = corstest.Allowed(t, nested, corstest.Call{Origin: app, URL: "/public/items/1"})
	require.NotNil(t, res)
	assert.Equal(t, "true", res.Response.Header.Get("Access-Control-Allow-Credentials"))
	assert.NotEmpty(t, res.Warnings)
}
