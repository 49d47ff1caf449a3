package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/julienschmidt/httprouter"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/examples/internal/routerspec"
)

func TestHttprouterExampleMeetsRouterSpec(t *testing.T) {
	h, err := newHandler([]string{routerspec.AllowedOrigin})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	routerspec.RunRouterSpec(t, srv.URL)
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
}
