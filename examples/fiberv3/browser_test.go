package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/examples/internal/routerspec"
)

// The router specification again, with real browsers as the judge of what the browser app may do. The app is
// served by fiber's own fasthttp server, as in production; the test only records what that server handles.
func TestFiberV3ExampleInBrowsers(t *testing.T) {
	app, err := newApp([]string{routerspec.AllowedOrigin})
	require.NoError(t, err)
	rec := routerspec.RecordFastHTTP(app.Server())
	url := serve(t, app)

	routerspec.RunBrowserSpec(t, routerspec.BrowserAPI{Addr: strings.TrimPrefix(url, "http://"), Log: rec}, routerspec.RouterBrowserCases())
}
