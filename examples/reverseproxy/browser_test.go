package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/examples/internal/routerspec"
)

// Both sides in real browsers. The example, on every path but /naive/, meets the router specification through
// the proxy. The naive proxy, on /naive/, passes the upstream's CORS headers through: the browser refuses the
// app's response for its two Access-Control-Allow-Origin values, although the server answered 200, and lets a
// refused origin read the response through the upstream's "*". (WebKit blocks that refused page's call before it
// is sent, as mixed content from its https origin; the harness records it as WebKit's deviation.)
func TestReverseProxyExampleInBrowsers(t *testing.T) {
	upstream := serveUpstream(t)
	fixed, err := newHandler([]string{routerspec.AllowedOrigin}, upstream)
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.Handle("/", fixed)
	mux.Handle("/naive/", http.StripPrefix("/naive", naiveProxy(t, upstream)))

	// The fetch() requests, of the type the browser harness declares for BrowserCase.Fetch.
	var plain routerspec.BrowserCase
	include := plain.Fetch
	include.Credentials = "include"
	jsonPUT := include
	jsonPUT.Method, jsonPUT.Headers, jsonPUT.Body = http.MethodPut, map[string]string{"Content-Type": "application/json"}, `{"name":"lamp"}`
	twoValues := `unexpected CORS headers [Access-Control-Allow-Credentials=["true"] Access-Control-Allow-Origin=["http://localhost:3000" "*"] Access-Control-Expose-Headers=["X-Request-Id"]]`
	naive := []routerspec.BrowserCase{
		{
			Name: "pitfall: passed through, the app's credentialed GET fails in the page for two Access-Control-Allow-Origin values",
			Page: routerspec.AllowedOrigin, Path: "/naive/items/1", Fetch: include,
			WantReceived: []string{"GET /naive/items/1: 200, " + twoValues},
		},
		{
			Name: "pitfall: passed through, the app's PUT passes the middleware's preflight, then fails in the page the same way",
			Page: routerspec.AllowedOrigin, Path: "/naive/items/7", Fetch: jsonPUT,
			WantReceived: []string{"OPTIONS /naive/items/7: 204, CORS", "PUT /naive/items/7: 200, " + twoValues},
		},
		{
			Name: "pitfall: passed through, a refused origin reads the response through the upstream's *",
			Page: routerspec.RefusedOrigin, Path: "/naive/items/1", Fetch: plain.Fetch,
			WantReadable: true, WantBody: `"id":"1"`,
			WantReceived: []string{`GET /naive/items/1: 200, unexpected CORS headers [Access-Control-Allow-Origin=["*"] Access-Control-Expose-Headers=["X-Request-Id"]]`},
		},
	}

	routerspec.RunBrowserSpec(t, routerspec.ServeRecorded(t, mux), append(routerspec.RouterBrowserCases(), naive...))
}
