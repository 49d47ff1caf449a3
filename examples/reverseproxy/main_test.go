package main

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/corstest"
	"github.com/crossorigin/cors/examples/internal/routerspec"
)

// serveUpstream runs the demo upstream until the test ends and returns its URL.
func serveUpstream(t *testing.T) *url.URL {
	t.Helper()
	up := httptest.NewServer(newUpstream())
	t.Cleanup(up.Close)
	u, err := url.Parse(up.URL)
	require.NoError(t, err)
	return u
}

// naiveProxy is the proxy as it is usually first written: the same CORS middleware in front of a ReverseProxy
// that passes the upstream's headers through.
func naiveProxy(t *testing.T, upstream *url.URL) http.Handler {
	t.Helper()
	c, err := newCORS([]string{routerspec.AllowedOrigin})
	require.NoError(t, err)
	return c.Handler(&httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) { pr.SetURL(upstream) }})
}

func TestReverseProxyExampleMeetsRouterSpec(t *testing.T) {
	h, err := newHandler([]string{routerspec.AllowedOrigin}, serveUpstream(t))
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	routerspec.RunRouterSpec(t, srv.URL)
}

// The rule as the browser applies it: the app's page on http://localhost:3000 updates an item with its session
// cookie (a PUT with a JSON body, so the browser sends a preflight first), which the proxy's policy answers and
// the upstream serves; a page on a lookalike origin making the same call is stopped at the preflight, so the
// upstream never sees its PUT. The proxy is judged in-process; the upstream it calls is a real server.
func TestTheAppsCredentialedWriteIsAllowedAndALookalikeIsBlocked(t *testing.T) {
	h, err := newHandler([]string{"http://localhost:3000"}, serveUpstream(t))
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
		assert.Equal(t, http.StatusOK, res.Response.Status, "the upstream answered the PUT")
		assert.Equal(t, "session=abc", res.Response.Request.Header.Get("Cookie"), "with the session cookie")
	}

	lookalike := put
	lookalike.Origin = "http://localhost.evil.example:3000"
	if res := corstest.Blocked(t, h, lookalike); res != nil {
		assert.Equal(t, "preflight", res.BlockedAt, "the browser never sends the lookalike's PUT")
	}
}

// The pitfall in the browser's terms: with the upstream's CORS headers passed through, the app's own
// credentialed GET is blocked (two Access-Control-Allow-Origin values), while any page can read what the
// upstream's "*" gives it, since the browser sends no credentials.
func TestPitfallPassingTheUpstreamsCORSThroughBlocksTheAppAndOpensTheAPIToAnyPage(t *testing.T) {
	proxy := naiveProxy(t, serveUpstream(t))

	res := corstest.Blocked(t, proxy, corstest.Call{Origin: "http://localhost:3000", URL: "/items/1", Credentials: "include"})
	require.NotNil(t, res)
	assert.ErrorContains(t, res.Err(), "multiple values")

	// The hole: a page the policy refuses reads the item all the same.
	corstest.Allowed(t, proxy, corstest.Call{Origin: "http://evil-localhost:3000", URL: "/items/1"})
}

// The pitfall, over HTTP: passed through, the upstream's CORS headers are added to the middleware's. The allowed
// origin gets two Access-Control-Allow-Origin values, which a browser refuses ("multiple values"), and a refused
// origin gets the upstream's "*", which lets it read the response without credentials. Taken over in
// ModifyResponse, each gets exactly what the policy says, and Vary is one line.
func TestReverseProxyMustTakeOverTheUpstreamsCORSHeaders(t *testing.T) {
	upstream := serveUpstream(t)
	fixed, err := newHandler([]string{routerspec.AllowedOrigin}, upstream)
	require.NoError(t, err)

	tests := []struct {
		name    string
		handler http.Handler
		origin  string
		// every Access-Control-Allow-Origin line, every Vary line, and whether Access-Control-Expose-Headers is sent
		wantACAO, wantVary []string
		wantExpose         bool
	}{
		{"the allowed origin gets one value", fixed, routerspec.AllowedOrigin,
			[]string{routerspec.AllowedOrigin}, []string{"Origin, Accept-Encoding"}, false},
		{"a refused origin gets none", fixed, routerspec.RefusedOrigin,
			nil, []string{"Origin, Accept-Encoding"}, false},
		{"pitfall: passed through, the allowed origin gets two values, which the browser refuses", naiveProxy(t, upstream), routerspec.AllowedOrigin,
			[]string{routerspec.AllowedOrigin, "*"}, []string{"Origin", "Accept-Encoding"}, true},
		{"pitfall: passed through, a refused origin gets the upstream's *", naiveProxy(t, upstream), routerspec.RefusedOrigin,
			[]string{"*"}, []string{"Origin", "Accept-Encoding"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			t.Cleanup(srv.Close)

			r := routerspec.Do(t, http.MethodGet, srv.URL+"/items/1", map[string]string{"Origin": tt.origin})
			assert.Equal(t, http.StatusOK, r.Status)
			assert.Contains(t, r.Body, `"id":"1"`, "the upstream answered")
			assert.Equal(t, tt.wantACAO, r.Header.Values("Access-Control-Allow-Origin"))
			assert.Equal(t, tt.wantVary, r.Header.Values("Vary"))
			assert.Equal(t, tt.wantExpose, r.Header.Get("Access-Control-Expose-Headers") != "")
		})
	}
}

// When the upstream is down, ReverseProxy answers 502 itself; the middleware's headers are already on the
// response, so the browser app can read the 502 and tell an outage from a CORS failure.
func TestReverseProxyUpstreamDownIsA502TheAppCanRead(t *testing.T) {
	up := httptest.NewServer(newUpstream())
	target, err := url.Parse(up.URL)
	require.NoError(t, err)
	up.Close()
	h, err := newHandler([]string{routerspec.AllowedOrigin}, target)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	r := routerspec.Do(t, http.MethodGet, srv.URL+"/items/1", map[string]string{"Origin": routerspec.AllowedOrigin})
	assert.Equal(t, http.StatusBadGateway, r.Status)
	assert.Equal(t, routerspec.AllowedOrigin, r.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "true", r.Header.Get("Access-Control-Allow-Credentials"))
}

func TestTakeOverCORSDropsTheUpstreamsDecisionAndMergesVary(t *testing.T) {
	tests := []struct {
		name            string
		out, up         http.Header
		wantOut, wantUp http.Header
	}{
		{
			name:    "every Access-Control-* header of the upstream goes, whatever its spelling",
			out:     http.Header{"Access-Control-Allow-Origin": {"http://localhost:3000"}},
			up:      http.Header{"Access-Control-Allow-Origin": {"*"}, "access-control-allow-credentials": {"true"}, "Access-Control-Expose-Headers": {"X-Request-Id"}, "Content-Type": {"application/json"}},
			wantOut: http.Header{"Access-Control-Allow-Origin": {"http://localhost:3000"}},
			wantUp:  http.Header{"Content-Type": {"application/json"}},
		},
		{
			name:    "the upstream's Vary joins the proxy's line, each name once whatever its case",
			out:     http.Header{"Vary": {"Origin"}},
			up:      http.Header{"Vary": {"Accept-Encoding, origin", "Accept-Language"}},
			wantOut: http.Header{"Vary": {"Origin, Accept-Encoding, Accept-Language"}},
			wantUp:  http.Header{},
		},
		{
			name:    "an upstream without Vary leaves the proxy's Vary alone",
			out:     http.Header{"Vary": {"Origin", "Cookie"}},
			up:      http.Header{"Content-Type": {"application/json"}},
			wantOut: http.Header{"Vary": {"Origin", "Cookie"}},
			wantUp:  http.Header{"Content-Type": {"application/json"}},
		},
		{
			name:    "Vary: * from the upstream is kept, merged like any name",
			out:     http.Header{"Vary": {"Origin"}},
			up:      http.Header{"Vary": {"*"}},
			wantOut: http.Header{"Vary": {"Origin, *"}},
			wantUp:  http.Header{},
		},
		{
			name:   "without the proxy's header, only the CORS headers go",
			up:     http.Header{"Access-Control-Allow-Origin": {"*"}, "Vary": {"Accept-Encoding"}},
			wantUp: http.Header{"Vary": {"Accept-Encoding"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			takeOverCORS(tt.out, tt.up)
			assert.Equal(t, tt.wantOut, tt.out)
			assert.Equal(t, tt.wantUp, tt.up)
		})
	}
}
