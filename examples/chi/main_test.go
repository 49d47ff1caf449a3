package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/corstest"
	"github.com/crossorigin/cors/examples/internal/routerspec"
)

func TestChiExampleMeetsRouterSpec(t *testing.T) {
	h, err := newHandler([]string{routerspec.AllowedOrigin})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	routerspec.RunRouterSpec(t, srv.URL)
}

// The rule as the browser applies it: the app's page on http://localhost:3000 updates an item with its session
// cookie (a PUT with a JSON body, so the browser sends a preflight first), and a page on a lookalike origin
// making the same call is stopped at the preflight, so the browser never sends its PUT.
// chi's r.Use runs before routing, so the preflight, which matches no route, reaches the middleware.
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

// Why r.Use comes first: chi refuses middleware declared after a route, at start-up.
func TestPitfallChiPanicsOnUseAfterRoutes(t *testing.T) {
	c, err := cors.New(cors.Options{AllowedOrigins: []string{routerspec.AllowedOrigin}})
	require.NoError(t, err)
	r := chi.NewRouter()
	r.Get("/items/{id}", getItem)

	assert.PanicsWithValue(t, "chi: all middlewares must be defined before routes on a mux", func() { r.Use(c.Handler) })
}

// Route-level middleware (r.With, or r.Use inside r.Group) runs only when that route matches, so a preflight,
// which matches no route, never reaches it. Install CORS on the root router.
func TestPitfallChiRouteLevelMiddlewareMissesPreflights(t *testing.T) {
	c, err := cors.New(cors.Options{AllowedOrigins: []string{routerspec.AllowedOrigin}, AllowedMethods: []string{http.MethodPut}})
	require.NoError(t, err)
	r := chi.NewRouter()
	r.With(c.Handler).Put("/items/{id}", putItem)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)

	resp := routerspec.Do(t, http.MethodOptions, srv.URL+"/items/1", map[string]string{
		"Origin":                        routerspec.AllowedOrigin,
		"Access-Control-Request-Method": http.MethodPut,
	})
	assert.Equal(t, http.StatusMethodNotAllowed, resp.Status)
	routerspec.AssertNoCORS(t, resp)

	// As the browser judges it: the preflight fails, so the app's PUT is never sent.
	if res := corstest.Blocked(t, r, corstest.Call{Origin: routerspec.AllowedOrigin, Method: http.MethodPut, URL: "/items/1"}); res != nil {
		assert.Equal(t, "preflight", res.BlockedAt)
	}
}
