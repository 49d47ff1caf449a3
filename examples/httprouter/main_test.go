package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/julienschmidt/httprouter"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/corstest"
	"github.com/crossorigin/cors/examples/internal/routerspec"
)

func TestHttprouterExampleMeetsRouterSpec(t *testing.T) {
	h, err := newHandler([]string{routerspec.AllowedOrigin})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	routerspec.RunRouterSpec(t, srv.URL)
}

// The rule as the browser applies it: the app's page on http://localhost:3000 updates an item with its session
// cookie (a PUT with a JSON body, so the browser sends a preflight first), and a page on a lookalike origin
// making the same call is stopped at the preflight, so the browser never sends its PUT.
// The router is wrapped whole: around the route only, httprouter would answer this preflight itself (200 with
// Allow and no CORS headers) and the browser would block the app's PUT too.
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
	lookalike.Origin = "http://evil-localhost:3000"
	if res := corstest.Blocked(t, h, lookalike); res != nil {
		assert.Equal(t, "preflight", res.BlockedAt, "the browser never sends the lookalike's PUT")
	}
}

// Why the example wraps the router: with CORS only around the route's handler, httprouter's automatic OPTIONS
// reply (200 with Allow) answers the preflight, without CORS headers.
func TestPitfallHttprouterAnswersPreflightsItself(t *testing.T) {
	c, err := cors.New(cors.Options{AllowedOrigins: []string{routerspec.AllowedOrigin}, AllowedMethods: []string{http.MethodPut}})
	require.NoError(t, err)
	router := httprouter.New()
	router.Handler(http.MethodPut, "/items/:id", c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		putItem(w, r, httprouter.ParamsFromContext(r.Context()))
	})))
	srv := httptest.NewServer(router)
	t.Cleanup(srv.Close)

	resp := routerspec.Do(t, http.MethodOptions, srv.URL+"/items/1", map[string]string{
		"Origin":                        routerspec.AllowedOrigin,
		"Access-Control-Request-Method": http.MethodPut,
	})
	assert.Equal(t, http.StatusOK, resp.Status)
	assert.Contains(t, resp.Header.Get("Allow"), http.MethodPut)
	routerspec.AssertNoCORS(t, resp)

	// As the browser judges it: the preflight fails, so the app's PUT is never sent.
	if res := corstest.Blocked(t, router, corstest.Call{Origin: routerspec.AllowedOrigin, Method: http.MethodPut, URL: "/items/1"}); res != nil {
		assert.Equal(t, "preflight", res.BlockedAt)
	}
}
