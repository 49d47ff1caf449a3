package main

import (
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/adaptor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/corstest"
	"github.com/crossorigin/cors/examples/internal/routerspec"
)

// serve runs app on a loopback port until the test ends and returns its base URL.
func serve(t *testing.T, app *fiber.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- app.Listener(ln, fiber.ListenConfig{DisableStartupMessage: true}) }()
	t.Cleanup(func() {
		assert.NoError(t, app.Shutdown())
		assert.NoError(t, <-done)
	})
	return "http://" + ln.Addr().String()
}

func TestFiberV3ExampleMeetsRouterSpec(t *testing.T) {
	app, err := newApp([]string{routerspec.AllowedOrigin})
	require.NoError(t, err)

	routerspec.RunRouterSpec(t, serve(t, app))
}

// The rule as the browser applies it: the app's page on http://localhost:3000 updates an item with its session
// cookie (a PUT with a JSON body, so the browser sends a preflight first), and a page on a lookalike origin
// making the same call is stopped at the preflight, so the browser never sends its PUT. fiber serves fasthttp,
// not net/http, so here corstest.CheckURL makes the calls over a loopback connection to the running app, as it
// would to a deployed API (the fiber v2 example shows the other way: adaptor.FiberApp and corstest.Allowed).
func TestTheAppsCredentialedWriteIsAllowedAndALookalikeIsBlocked(t *testing.T) {
	app, err := newApp([]string{"http://localhost:3000"})
	require.NoError(t, err)
	url := serve(t, app)

	tests := []struct {
		name        string
		origin      string
		wantAllowed bool
	}{
		{"the app's page", "http://localhost:3000", true},
		{"a lookalike page", "http://localhost.evil.example:3000", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := corstest.CheckURL(t.Context(), nil, corstest.Call{
				Origin:      tt.origin,
				Method:      http.MethodPut,
				URL:         url + "/items/1",
				Header:      http.Header{"Content-Type": {"application/json"}},
				Credentials: "include",
				Cookies:     []*http.Cookie{{Name: "session", Value: "abc"}},
			})
			require.NoError(t, err, "a network error, not a verdict")
			if tt.wantAllowed {
				require.True(t, res.Allowed, "%v", res.Err())
				assert.Equal(t, http.StatusOK, res.Response.Status, "the PUT reached its handler")
				assert.Equal(t, "session=abc", res.Response.Request.Header.Get("Cookie"), "with the session cookie")
				return
			}
			assert.False(t, res.Allowed, "the browser lets %s make the app's PUT", tt.origin)
			assert.Equal(t, "preflight", res.BlockedAt, "the browser never sends the lookalike's PUT")
		})
	}
}

// Why app.Use comes first: fiber v3 still runs handlers in registration order, so registered after the routes
// the middleware never runs for a request a route answers — the allowed GET and PUT get no CORS headers, and
// the browser app cannot read them — while unrouted requests, preflights included, still reach it. The
// preflight succeeding makes the mistake look like a server-side bug in the PUT.
func TestFiberV3UseAfterRoutesMissesRoutedRequests(t *testing.T) {
	tests := []struct {
		name     string
		install  func(app *fiber.App, cors fiber.Handler)
		wantCORS bool // for the routed GET
	}{
		{"app.Use(cors) before the routes: the routed GET gets CORS headers", func(app *fiber.App, cors fiber.Handler) {
			app.Use(cors)
			app.Get("/items/:id", getItem)
		}, true},
		{"pitfall: app.Use(cors) after the routes: the routed GET gets none", func(app *fiber.App, cors fiber.Handler) {
			app.Get("/items/:id", getItem)
			app.Use(cors)
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := newCORS([]string{routerspec.AllowedOrigin})
			require.NoError(t, err)
			app := fiber.New()
			tt.install(app, adaptor.HTTPMiddleware(c.Handler))
			url := serve(t, app)

			get := routerspec.Do(t, http.MethodGet, url+"/items/1", map[string]string{"Origin": routerspec.AllowedOrigin})
			assert.Equal(t, http.StatusOK, get.Status)
			assert.Contains(t, get.Body, `"id":"1"`)
			if tt.wantCORS {
				assert.Equal(t, routerspec.AllowedOrigin, get.Header.Get("Access-Control-Allow-Origin"))
				routerspec.AssertTokensOnce(t, get.Header, "Vary", "Origin", "Accept-Encoding")
			} else {
				routerspec.AssertNoCORS(t, get)
				assert.Equal(t, []string{"Accept-Encoding"}, routerspec.Tokens(get.Header, "Vary"), "the middleware never ran")
			}

			// Either way the preflight, which no route answers, reaches the middleware.
			preflight := routerspec.Do(t, http.MethodOptions, url+"/items/1", map[string]string{
				"Origin":                        routerspec.AllowedOrigin,
				"Access-Control-Request-Method": http.MethodPut,
			})
			assert.Equal(t, http.StatusNoContent, preflight.Status)
			assert.Equal(t, routerspec.AllowedOrigin, preflight.Header.Get("Access-Control-Allow-Origin"))
		})
	}
}

// A known difference from net/http, unchanged from fiber v2: fasthttp's request conversion keeps only the last of
// repeated headers, so a request with two Origin headers is judged on the last one, where the net/http
// middleware refuses it. Browsers never send two; only a non-browser client can, and it could send any single
// Origin just as well.
func TestFiberV3AdaptorKeepsOnlyTheLastOriginHeader(t *testing.T) {
	app, err := newApp([]string{routerspec.AllowedOrigin})
	require.NoError(t, err)
	url := serve(t, app)

	tests := []struct {
		origins  []string
		wantACAO []string
	}{
		{[]string{routerspec.RefusedOrigin, routerspec.AllowedOrigin}, []string{routerspec.AllowedOrigin}},
		{[]string{routerspec.AllowedOrigin, routerspec.RefusedOrigin}, nil},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.origins, " then "), func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, url+"/items/1", nil)
			require.NoError(t, err)
			req.Header["Origin"] = tt.origins
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())

			assert.Equal(t, tt.wantACAO, resp.Header.Values("Access-Control-Allow-Origin"))
		})
	}
}
