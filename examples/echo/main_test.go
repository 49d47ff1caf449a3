package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/corstest"
	"github.com/crossorigin/cors/examples/internal/routerspec"
)

func TestEchoExampleMeetsRouterSpec(t *testing.T) {
	e, err := newHandler([]string{routerspec.AllowedOrigin})
	require.NoError(t, err)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)

	routerspec.RunRouterSpec(t, srv.URL)
}

// The rule as the browser applies it: the app's page on http://localhost:3000 updates an item with its session
// cookie (a PUT with a JSON body, so the browser sends a preflight first), and a page on a lookalike origin
// making the same call is stopped at the preflight, so the browser never sends its PUT.
// The middleware is e.Pre, so it answers the preflight before echo routes it.
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
	lookalike.Origin = "http://localhost.evil.example:3000"
	if res := corstest.Blocked(t, e, lookalike); res != nil {
		assert.Equal(t, "preflight", res.BlockedAt, "the browser never sends the lookalike's PUT")
	}
}

// Why e.Pre, first: echo runs every Pre middleware before any Use middleware. A Pre middleware that answers by
// itself — here echo's trailing-slash redirect — then answers before a CORS middleware installed with Use, and
// a browser refuses to follow a cross-origin redirect that carries no CORS headers. (For routed requests,
// 404s, 405s and OPTIONS, e.Use also works in echo v4.16: echo wraps its fallback handlers with it.)
func TestEchoCORSMustRunBeforeOtherPreMiddleware(t *testing.T) {
	c, err := cors.New(cors.Options{AllowedOrigins: []string{routerspec.AllowedOrigin}})
	require.NoError(t, err)
	redirect := middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusPermanentRedirect})

	tests := []struct {
		name     string
		install  func(e *echo.Echo)
		wantACAO string
	}{
		{"e.Pre(cors) first: the redirect carries CORS headers and Vary", func(e *echo.Echo) {
			e.Pre(echo.WrapMiddleware(c.Handler))
			e.Pre(redirect)
		}, routerspec.AllowedOrigin},
		{"pitfall: e.Use(cors) never runs for the Pre redirect", func(e *echo.Echo) {
			e.Pre(redirect)
			e.Use(echo.WrapMiddleware(c.Handler))
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := echo.New()
			tt.install(e)
			e.GET("/items/:id", getItem)
			srv := httptest.NewServer(e)
			t.Cleanup(srv.Close)

			resp := routerspec.Do(t, http.MethodGet, srv.URL+"/items/1/", map[string]string{"Origin": routerspec.AllowedOrigin})
			assert.Equal(t, http.StatusPermanentRedirect, resp.Status)
			assert.Equal(t, "/items/1", resp.Header.Get("Location"))
			if tt.wantACAO == "" {
				routerspec.AssertNoCORS(t, resp)
				assert.Empty(t, resp.Header.Values("Vary"), "the middleware never ran")
				return
			}
			assert.Equal(t, tt.wantACAO, resp.Header.Get("Access-Control-Allow-Origin"))
			routerspec.AssertTokensOnce(t, resp.Header, "Vary", "Origin")
		})
	}
}
