package main

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/corstest"
	"github.com/crossorigin/cors/examples/internal/routerspec"
)

func init() { gin.SetMode(gin.TestMode) }

func TestGinExampleMeetsRouterSpec(t *testing.T) {
	h, err := newHandler([]string{routerspec.AllowedOrigin})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	routerspec.RunRouterSpec(t, srv.URL)
}

// The rule as the browser applies it: the app's page on http://localhost:3000 updates an item with its session
// cookie (a PUT with a JSON body, so the browser sends a preflight first), and a page on a lookalike origin
// making the same call is stopped at the preflight, so the browser never sends its PUT.
// The gin middleware answers the preflight and aborts the chain, so no gin handler runs for it.
func TestTheAppsCredentialedWriteIsAllowedAndALookalikeIsBlocked(t *testing.T) {
	r, err := newHandler([]string{"http://localhost:3000"})
	require.NoError(t, err)
	put := corstest.Call{
		Origin:      "http://localhost:3000",
		Method:      http.MethodPut,
		URL:         "/items/1",
		Header:      http.Header{"Content-Type": {"application/json"}},
		Credentials: "include",
		Cookies:     []*http.Cookie{{Name: "session", Value: "abc"}},
	}
	if res := corstest.Allowed(t, r, put); res != nil && res.Allowed {
		assert.Equal(t, http.StatusOK, res.Response.Status, "the PUT reached its handler")
		assert.Equal(t, "session=abc", res.Response.Request.Header.Get("Cookie"), "with the session cookie")
	}

	lookalike := put
	lookalike.Origin = "http://localhost.evil.example:3000"
	if res := corstest.Blocked(t, r, lookalike); res != nil {
		assert.Equal(t, "preflight", res.BlockedAt, "the browser never sends the lookalike's PUT")
	}
}

// The preflight must stop at the middleware even when the route does have a handler for OPTIONS (here r.Any):
// with Abort the handler never runs; without it, the handler runs after the preflight was answered.
func TestGinPreflightAbortsTheChain(t *testing.T) {
	c, err := cors.New(cors.Options{AllowedOrigins: []string{routerspec.AllowedOrigin}, AllowedMethods: []string{http.MethodPut}})
	require.NoError(t, err)
	preflight := map[string]string{"Origin": routerspec.AllowedOrigin, "Access-Control-Request-Method": http.MethodPut}
	withoutAbort := func(ctx *gin.Context) { c.Apply(ctx.Writer, ctx.Request); ctx.Next() }

	tests := []struct {
		name        string
		middleware  gin.HandlerFunc
		wantHandler bool
	}{
		{"the example's middleware never reaches the handler", corsMiddleware(c), false},
		{"pitfall: without Abort the handler runs after the preflight", withoutAbort, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var handlerRan atomic.Bool
			r := gin.New()
			r.Use(tt.middleware)
			r.Any("/rpc", func(ctx *gin.Context) { handlerRan.Store(true); ctx.String(http.StatusOK, "handler output") })
			srv := httptest.NewServer(r)
			t.Cleanup(srv.Close)

			resp := routerspec.Do(t, http.MethodOptions, srv.URL+"/rpc", preflight)
			assert.Equal(t, routerspec.AllowedOrigin, resp.Header.Get("Access-Control-Allow-Origin"))
			assert.Equal(t, tt.wantHandler, handlerRan.Load())
			if !tt.wantHandler {
				assert.Equal(t, http.StatusNoContent, resp.Status)
				assert.Empty(t, resp.Body)
			}
		})
	}
}

// Why the example's handler uses Header().Add: gin's ctx.Header sets, replacing the Vary the middleware appended.
func TestPitfallGinContextHeaderReplacesVaryOrigin(t *testing.T) {
	c, err := cors.New(cors.Options{AllowedOrigins: []string{routerspec.AllowedOrigin}})
	require.NoError(t, err)
	r := gin.New()
	r.Use(corsMiddleware(c))
	r.GET("/set", func(ctx *gin.Context) { ctx.Header("Vary", "Accept-Encoding"); ctx.Status(http.StatusOK) })
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)

	resp := routerspec.Do(t, http.MethodGet, srv.URL+"/set", map[string]string{"Origin": routerspec.AllowedOrigin})
	assert.Equal(t, []string{"Accept-Encoding"}, routerspec.Tokens(resp.Header, "Vary"), "Origin was dropped")
}

// gin answers its own trailing-slash redirects before any middleware runs, so with engine.Use the redirect
// carries no CORS headers and a browser will not follow it cross-origin. If clients may hit such URLs, wrap the
// whole engine instead (http.Handler: c.Handler(r)), which then needs no gin middleware at all.
func TestGinRedirectsAreAnsweredBeforeMiddleware(t *testing.T) {
	c, err := cors.New(cors.Options{AllowedOrigins: []string{routerspec.AllowedOrigin}})
	require.NoError(t, err)
	tests := []struct {
		name     string
		handler  func(r *gin.Engine) http.Handler
		wantACAO string
	}{
		{"engine.Use: the redirect carries no CORS headers", func(r *gin.Engine) http.Handler {
			r.Use(corsMiddleware(c))
			return r
		}, ""},
		{"wrapping the engine: the redirect carries CORS headers", func(r *gin.Engine) http.Handler {
			return c.Handler(r)
		}, routerspec.AllowedOrigin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := gin.New()
			h := tt.handler(r)
			r.GET("/items/:id", getItem)
			srv := httptest.NewServer(h)
			t.Cleanup(srv.Close)

			resp := routerspec.Do(t, http.MethodGet, srv.URL+"/items/1/", map[string]string{"Origin": routerspec.AllowedOrigin})
			assert.Equal(t, http.StatusMovedPermanently, resp.Status)
			assert.Equal(t, "/items/1", resp.Header.Get("Location"))
			assert.Equal(t, tt.wantACAO, resp.Header.Get("Access-Control-Allow-Origin"))
		})
	}
}
