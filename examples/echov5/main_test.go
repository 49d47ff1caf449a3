package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/corstest"
	"github.com/crossorigin/cors/examples/internal/routerspec"
)

func TestEchoV5ExampleMeetsRouterSpec(t *testing.T) {
	e, err := newHandler([]string{routerspec.AllowedOrigin})
	require.NoError(t, err)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)

	routerspec.RunRouterSpec(t, srv.URL)
}

// The rule as the browser applies it: the app's page on http://localhost:3000 updates an item with its session
// cookie (a PUT with a JSON body, so the browser sends a preflight first), and a page on a lookalike origin
// making the same call is stopped at the preflight, so the browser never sends its PUT.
// The middleware is e.Pre, so it answers the preflight before echo's own OPTIONS handler could.
func TestTheAppsCredentialedWriteIsAllowedAndALookalikeIsBlocked(t *testing.T) {
	e, err := newHandler([]string{"http://localhost:3000"})
	require.NoError(t, err)
	put := corstest.Call{
		Origin:      "http://localhost:3000",
		Method:      http.MethodPut,
		URL:         "/items/1",
		Header:      http.Header{"Content-Type": {"application/json"}},
		Credentials: "include",
		Cookies:     []*http.Cookie{{Name: "session", Value: "abc"}},
	}
	if res := corstest.Allowed(t, e, put); res != nil && res.Allowed {
		assert.Equal(t, http.StatusOK, res.Response.Status, "the PUT reached its handler")
		assert.Equal(t, "session=abc", res.Response.Request.Header.Get("Cookie"), "with the session cookie")
	}

	lookalike := put
	lookalike.Origin = "http://evil-localhost:3000"
	if res := corstest.Blocked(t, e, lookalike); res != nil {
		assert.Equal(t, "preflight", res.BlockedAt, "the browser never sends the lookalike's PUT")
	}
}

// Where the middleware goes in echo v5, and why e.Pre. Echo runs every Pre middleware before routing and every
// Use middleware after it, for routed requests and for its own 404, 405 and OPTIONS answers alike (group
// middleware too, since v5 registers a catch-all route per group). So e.Use and g.Use meet the router
// specification; what they miss is a Pre middleware that answers by itself — here the trailing-slash redirect
// — and a browser refuses to follow a cross-origin redirect without CORS headers. Route middleware
// (e.PUT(path, h, cors)) wraps that one method's handler only: the preflight, an OPTIONS, goes to the router's
// OPTIONS handler (204 and an Allow header) without it, and the browser never sends the PUT.
func TestEchoV5CORSMustBeAPreMiddleware(t *testing.T) {
	redirect := middleware.RemoveTrailingSlashWithConfig(middleware.RemoveTrailingSlashConfig{RedirectCode: http.StatusPermanentRedirect})
	preflight := map[string]string{
		"Origin":                         routerspec.AllowedOrigin,
		"Access-Control-Request-Method":  http.MethodPut,
		"Access-Control-Request-Headers": "content-type",
	}
	tests := []struct {
		name    string
		install func(e *echo.Echo, cors echo.MiddlewareFunc) // registers the routes too
		// the preflight to PUT /items/1, and GET /items/1/ (which the redirect answers), with CORS headers or not
		wantPreflightCORS, wantRedirectCORS bool
	}{
		{"e.Pre(cors) first: the preflight and the redirect get CORS headers", func(e *echo.Echo, cors echo.MiddlewareFunc) {
			e.Pre(cors, redirect)
			e.PUT("/items/:id", putItem)
		}, true, true},
		{"pitfall: e.Use(cors) never runs for a Pre middleware's own answer", func(e *echo.Echo, cors echo.MiddlewareFunc) {
			e.Pre(redirect)
			e.Use(cors)
			e.PUT("/items/:id", putItem)
		}, true, false},
		{"pitfall: route middleware never sees the preflight, which echo answers with Allow and no CORS", func(e *echo.Echo, cors echo.MiddlewareFunc) {
			e.Pre(redirect)
			e.PUT("/items/:id", putItem, cors)
		}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := newCORS([]string{routerspec.AllowedOrigin})
			require.NoError(t, err)
			e := echo.New()
			tt.install(e, echo.WrapMiddleware(c.Handler))
			e.GET("/items/:id", getItem)
			srv := httptest.NewServer(e)
			t.Cleanup(srv.Close)

			r := routerspec.Do(t, http.MethodOptions, srv.URL+"/items/1", preflight)
			assert.Equal(t, http.StatusNoContent, r.Status, "the preflight is answered either way")
			if tt.wantPreflightCORS {
				assert.Equal(t, routerspec.AllowedOrigin, r.Header.Get("Access-Control-Allow-Origin"))
				routerspec.AssertTokensOnce(t, r.Header, "Access-Control-Allow-Methods", http.MethodPut)
				assert.Empty(t, r.Header.Values("Allow"), "the middleware answered, not echo's OPTIONS handler")
			} else {
				routerspec.AssertNoCORS(t, r)
				assert.ElementsMatch(t, []string{http.MethodOptions, http.MethodGet, http.MethodPut}, routerspec.Tokens(r.Header, "Allow"),
					"echo's OPTIONS handler answered")
			}

			r = routerspec.Do(t, http.MethodGet, srv.URL+"/items/1/", map[string]string{"Origin": routerspec.AllowedOrigin})
			assert.Equal(t, http.StatusPermanentRedirect, r.Status)
			assert.Equal(t, "/items/1", r.Header.Get("Location"))
			if tt.wantRedirectCORS {
				assert.Equal(t, routerspec.AllowedOrigin, r.Header.Get("Access-Control-Allow-Origin"))
				routerspec.AssertTokensOnce(t, r.Header, "Vary", "Origin")
			} else {
				routerspec.AssertNoCORS(t, r)
				assert.Empty(t, r.Header.Values("Vary"), "the middleware never ran")
			}
		})
	}
}
