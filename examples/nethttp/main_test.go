package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/examples/internal/routerspec"
)

func TestServeMuxExampleMeetsRouterSpec(t *testing.T) {
	h, err := newHandler([]string{routerspec.AllowedOrigin})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	routerspec.RunRouterSpec(t, srv.URL)
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
