package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gorilla/mux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/corstest"
	"github.com/crossorigin/cors/examples/internal/routerspec"
)

func TestGorillaMuxExampleMeetsRouterSpec(t *testing.T) {
	h, err := newHandler([]string{routerspec.AllowedOrigin})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	routerspec.RunRouterSpec(t, srv.URL)
}

// The rule as the browser applies it: the app's page on http://localhost:3000 updates an item with its session
// cookie (a PUT with a JSON body, so the browser sends a preflight first), and a page on a lookalike origin
// making the same call is stopped at the preflight, so the browser never sends its PUT.
// The router is wrapped whole: with r.Use, mux would answer this preflight itself (405) and the browser would
// block the app's PUT too.
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

// Why the example wraps the router: with r.Use, mux answers the preflight (405) and its 404s itself, before any
// middleware runs, and none of those responses carries CORS headers.
func TestPitfallGorillaMuxUseRunsOnlyOnMatchedRoutes(t *testing.T) {
	c, err := cors.New(cors.Options{
		AllowedOrigins:   []string{routerspec.AllowedOrigin},
		AllowedMethods:   []string{http.MethodGet, http.MethodPut},
		AllowCredentials: true,
	})
	require.NoError(t, err)
	r := mux.NewRouter()
	r.Use(c.Handler)
	r.HandleFunc("/items/{id}", getItem).Methods(http.MethodGet)
	r.HandleFunc("/items/{id}", putItem).Methods(http.MethodPut)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)

	tests := []struct {
		name       string
		method     string
		path       string
		header     map[string]string
		wantStatus int
	}{
		{"preflight gets mux's 405", http.MethodOptions, "/items/1", map[string]string{
			"Origin": routerspec.AllowedOrigin, "Access-Control-Request-Method": http.MethodPut,
		}, http.StatusMethodNotAllowed},
		{"unknown route gets mux's bare 404", http.MethodGet, "/missing", map[string]string{"Origin": routerspec.AllowedOrigin}, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := routerspec.Do(t, tt.method, srv.URL+tt.path, tt.header)
			assert.Equal(t, tt.wantStatus, resp.Status)
			routerspec.AssertNoCORS(t, resp)
		})
	}

	// As the browser judges it: the preflight fails, so the app's PUT is never sent.
	if res := corstest.Blocked(t, r, corstest.Call{Origin: routerspec.AllowedOrigin, Method: http.MethodPut, URL: "/items/1"}); res != nil {
		assert.Equal(t, "preflight", res.BlockedAt)
	}
}
