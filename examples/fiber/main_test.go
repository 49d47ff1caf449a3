package main

import (
	"net"
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/corstest"
	"github.com/crossorigin/cors/examples/internal/routerspec"
)

// serve runs app on a loopback port until the test ends and returns its base URL.
func serve(t *testing.T, app *fiber.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- app.Listener(ln) }()
	t.Cleanup(func() {
		assert.NoError(t, app.Shutdown())
		assert.NoError(t, <-done)
	})
	return "http://" + ln.Addr().String()
}

func TestFiberExampleMeetsRouterSpec(t *testing.T) {
	app, err := newApp([]string{routerspec.AllowedOrigin})
	require.NoError(t, err)

	routerspec.RunRouterSpec(t, serve(t, app))
}

// The rule as the browser applies it: the app's page on http://localhost:3000 updates an item with its session
// cookie (a PUT with a JSON body, so the browser sends a preflight first), and a page on a lookalike origin
// making the same call is stopped at the preflight, so the browser never sends its PUT. fiber serves fasthttp,
// not net/http: fiber's own adaptor.FiberApp turns the app into an http.Handler, so corstest judges it
// in-process, with no listener (the fiber v3 example shows the other way, CheckURL against a running app).
func TestTheAppsCredentialedWriteIsAllowedAndALookalikeIsBlocked(t *testing.T) {
	app, err := newApp([]string{"http://localhost:3000"})
	require.NoError(t, err)
	h := adaptor.FiberApp(app)
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

// Why app.Use comes first: registered after the routes, the middleware never runs for a request a route answers,
// so the allowed GET gets no CORS headers (only unrouted requests, preflights included, still reach it).
func TestPitfallFiberUseAfterRoutesMissesRoutedRequests(t *testing.T) {
	c, err := cors.New(cors.Options{AllowedOrigins: []string{routerspec.AllowedOrigin}, AllowedMethods: []string{http.MethodPut}})
	require.NoError(t, err)
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/items/:id", getItem)
	app.Use(adaptor.HTTPMiddleware(c.Handler))
	url := serve(t, app)

	get := routerspec.Do(t, http.MethodGet, url+"/items/1", map[string]string{"Origin": routerspec.AllowedOrigin})
	assert.Equal(t, http.StatusOK, get.Status)
	routerspec.AssertNoCORS(t, get)

	preflight := routerspec.Do(t, http.MethodOptions, url+"/items/1", map[string]string{
		"Origin":                        routerspec.AllowedOrigin,
		"Access-Control-Request-Method": http.MethodPut,
	})
	assert.Equal(t, routerspec.AllowedOrigin, preflight.Header.Get("Access-Control-Allow-Origin"))
}

// A known difference from net/http: fasthttp's request conversion keeps only the last of repeated headers, so a
// request with two Origin headers is judged on the last one, where the net/http middleware refuses it. Browsers
// never send two; only a non-browser client can, and it could send any single Origin just as well.
func TestFiberAdaptorKeepsOnlyTheLastOriginHeader(t *testing.T) {
	app, err := newApp([]string{routerspec.AllowedOrigin})
	require.NoError(t, err)
	url := serve(t, app)

	req, err := http.NewRequest(http.MethodGet, url+"/items/1", nil)
	require.NoError(t, err)
	req.Header["Origin"] = []string{routerspec.RefusedOrigin, routerspec.AllowedOrigin}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())

	assert.Equal(t, routerspec.AllowedOrigin, resp.Header.Get("Access-Control-Allow-Origin"))
}
