package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/corstest"
	"github.com/crossorigin/cors/examples/internal/routerspec"
)

func TestServeMuxExampleMeetsRouterSpec(t *testing.T) {
	h, err := newHandler([]string{routerspec.AllowedOrigin})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	routerspec.RunRouterSpec(t, srv.URL)
}

// The rule as the browser applies it: the app's page on http://localhost:3000 updates an item with its session
// cookie (a PUT with a JSON body, so the browser sends a preflight first), and a page on a lookalike origin
// making the same call is stopped at the preflight, so the browser never sends its PUT.
// The whole mux is wrapped, so the middleware answers the preflight before the mux could answer it with 405.
func TestTheAppsCredentialedWriteIsAllowedAndALookalikeIsBlocked(t *testing.T) {
	h, err := newHandler([]string{"http://localhost:3000"})
	require.NoError(t, err)
	put := corstest.Call{
		Origin:      "http://localhost:3000",
		Method:      http.MethodPut,
		URL:         "/items/1",
		Header:      http.Header{"Content-Type": {"application/json"}},
		Credentials: "include",
		Cookies:     []*http.Cookie{{Name: "session", Value: "abc"}},
	}
	if res := corstest.Allowed(t, h, put); res != nil && res.Allowed {
		assert.Equal(t, http.StatusOK, res.Response.Status, "the PUT reached its handler")
		assert.Equal(t, "session=abc", res.Response.Request.Header.Get("Cookie"), "with the session cookie")
	}

	lookalike := put
	lookalike.Origin = "http://localhost.evil.example:3000"
	if res := corstest.Blocked(t, h, lookalike); res != nil {
		assert.Equal(t, "preflight", res.BlockedAt, "the browser never sends the lookalike's PUT")
	}
}

// Why the example wraps the mux: wrapping each route's handler instead leaves preflights to the mux, which
// answers 405 with an Allow header and no CORS headers, so the browser blocks the PUT.
func TestPitfallWrappingOnlyTheRouteLetsTheMuxAnswerPreflightsWith405(t *testing.T) {
	c, err := cors.New(cors.Options{AllowedOrigins: []string{routerspec.AllowedOrigin}, AllowedMethods: []string{http.MethodPut}})
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.Handle("PUT /items/{id}", c.Handler(http.HandlerFunc(putItem)))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	r := routerspec.Do(t, http.MethodOptions, srv.URL+"/items/1", map[string]string{
		"Origin":                        routerspec.AllowedOrigin,
		"Access-Control-Request-Method": http.MethodPut,
	})
	assert.Equal(t, http.StatusMethodNotAllowed, r.Status)
	assert.NotEmpty(t, r.Header.Get("Allow"))
	routerspec.AssertNoCORS(t, r)

	// As the browser judges it: the preflight fails, so the app's PUT is never sent.
	if res := corstest.Blocked(t, mux, corstest.Call{Origin: routerspec.AllowedOrigin, Method: http.MethodPut, URL: "/items/1"}); res != nil {
		assert.Equal(t, "preflight", res.BlockedAt)
	}
}

// For comparison with fiber (see examples/fiber): on net/http the middleware sees every Origin header, and a
// request carrying two is refused.
func TestTwoOriginHeadersAreRefused(t *testing.T) {
	h, err := newHandler([]string{routerspec.AllowedOrigin})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	req, err := http.NewRequest(http.MethodGet, srv.URL+"/items/1", nil)
	require.NoError(t, err)
	req.Header["Origin"] = []string{routerspec.RefusedOrigin, routerspec.AllowedOrigin}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())

	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Empty(t, routerspec.CORSHeaderNames(resp.Header))
}
