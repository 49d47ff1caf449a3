package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/corstest"
	"github.com/crossorigin/cors/examples/internal/routerspec"
)

// endpoints are the example's two WebSocket endpoints; every test runs against both.
var endpoints = []struct {
	name string
	ws   func(*cors.Cors) http.Handler
}{
	{"gorilla", gorillaEcho},
	{"coder", coderEcho},
}

// testPolicy is the allowlist of the HTTP tests: the app, and every subdomain of example.com over https.
var testPolicy = []string{routerspec.AllowedOrigin, "https://*.example.com"}

// forEachEndpoint runs test once per WebSocket library, against the example served with testPolicy.
func forEachEndpoint(t *testing.T, test func(t *testing.T, srv *httptest.Server)) {
	for _, ep := range endpoints {
		t.Run(ep.name, func(t *testing.T) { test(t, newTestServer(t, ep.ws)) })
	}
}

func newTestServer(t *testing.T, ws func(*cors.Cors) http.Handler) *httptest.Server {
	t.Helper()
	h, err := newHandler(testPolicy, ws)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// dial opens a WebSocket to srv's /ws with the given Origin header ("" sends none). The client is gorilla's for
// both servers: what is tested is the server's handshake.
func dial(t *testing.T, srv *httptest.Server, origin string) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	header := http.Header{}
	if origin != "" {
		header.Set("Origin", origin)
	}
	dialer := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	conn, resp, err := dialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/ws", header)
	if resp != nil {
		t.Cleanup(func() { _ = resp.Body.Close() })
	}
	if conn != nil {
		t.Cleanup(func() { _ = conn.Close() })
	}
	return conn, resp, err
}

// The rule as the browser applies it to the example's fetch endpoint: the app's page reads GET /messages with
// its session cookie, and a page on a lookalike origin making the same call cannot read the answer (the
// server still answers it: a GET needs no preflight). This example has no credentialed write over fetch: its
// policy allows the default methods and no request header, and the page writes over the WebSocket, which CORS
// does not govern (corstest models fetch, not WebSocket handshakes; the tests below check those).
func TestTheAppsCredentialedReadIsAllowedAndALookalikeIsBlocked(t *testing.T) {
	h, err := newHandler([]string{"http://localhost:3000"}, gorillaEcho) // either library: /messages is plain HTTP
	require.NoError(t, err)
	read := corstest.Call{
		Origin:      "http://localhost:3000",
		URL:         "/messages",
		Credentials: "include",
		Cookies:     []*http.Cookie{{Name: "session", Value: "abc"}},
	}
	if res := corstest.Allowed(t, h, read); res != nil && res.Allowed {
		assert.Nil(t, res.Preflight, "a GET without custom headers is not preflighted")
		assert.Equal(t, "session=abc", res.Response.Request.Header.Get("Cookie"), "with the session cookie")
	}

	read.Origin = "http://evil-localhost:3000"
	if res := corstest.Blocked(t, h, read); res != nil {
		assert.Equal(t, "request", res.BlockedAt, "the server answered, but the page cannot read it")
	}
}

func TestAllowedOriginUpgradesAndEchoes(t *testing.T) {
	forEachEndpoint(t, func(t *testing.T, srv *httptest.Server) {
		conn, resp, err := dial(t, srv, routerspec.AllowedOrigin)
		require.NoError(t, err)
		assert.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)

		require.NoError(t, conn.WriteMessage(websocket.TextMessage, []byte("ping")))
		require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
		kind, msg, err := conn.ReadMessage()
		require.NoError(t, err)
		assert.Equal(t, websocket.TextMessage, kind)
		assert.Equal(t, "ping", string(msg))
	})
}

func TestRefusedOriginGets403BeforeAnyUpgrade(t *testing.T) {
	forEachEndpoint(t, func(t *testing.T, srv *httptest.Server) {
		conn, resp, err := dial(t, srv, routerspec.RefusedOrigin)
		require.ErrorIs(t, err, websocket.ErrBadHandshake)
		assert.Nil(t, conn)
		require.NotNil(t, resp)
		assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	})
}

func TestHandshakeWithoutOriginIsNotABrowserAndIsAccepted(t *testing.T) {
	forEachEndpoint(t, func(t *testing.T, srv *httptest.Server) {
		_, resp, err := dial(t, srv, "")
		require.NoError(t, err)
		assert.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	})
}

func TestHandshakeWithTwoOriginsIsRefused(t *testing.T) {
	forEachEndpoint(t, func(t *testing.T, srv *httptest.Server) {
		header := http.Header{"Origin": {routerspec.AllowedOrigin, routerspec.AllowedOrigin}}
		_, resp, err := (&websocket.Dialer{HandshakeTimeout: 5 * time.Second}).Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/ws", header)
		require.ErrorIs(t, err, websocket.ErrBadHandshake)
		require.NotNil(t, resp)
		defer resp.Body.Close()
		assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	})
}

// One allowlist: for every origin, fetch gets CORS headers exactly when the WebSocket handshake succeeds.
func TestFetchAndWebSocketShareOneAllowlist(t *testing.T) {
	forEachEndpoint(t, func(t *testing.T, srv *httptest.Server) {
		tests := []struct {
			origin  string
			allowed bool
		}{
			{routerspec.AllowedOrigin, true},
			{"https://app.example.com", true},
			{"https://deep.app.example.com", true},
			{"https://example.com", false},    // the wildcard never covers the apex
			{"http://app.example.com", false}, // the pattern is https only
			{"https://evil-example.com", false},
			{"https://app.example.com.evil.example", false},
			{"http://localhost:3001", false},
			{"http://LOCALHOST:3000", false}, // browsers serialise origins in lower case; anything else is forged
			{"null", false},
			{routerspec.RefusedOrigin, false},
		}
		for _, tt := range tests {
			t.Run(tt.origin, func(t *testing.T) {
				fetch := routerspec.Do(t, http.MethodGet, srv.URL+"/messages", map[string]string{"Origin": tt.origin})
				assert.Equal(t, http.StatusOK, fetch.Status)
				routerspec.AssertTokensOnce(t, fetch.Header, "Vary", "Origin")

				_, resp, err := dial(t, srv, tt.origin)
				if tt.allowed {
					assert.Equal(t, tt.origin, fetch.Header.Get("Access-Control-Allow-Origin"))
					assert.Equal(t, "true", fetch.Header.Get("Access-Control-Allow-Credentials"))
					require.NoError(t, err)
					assert.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
				} else {
					routerspec.AssertNoCORS(t, fetch)
					require.ErrorIs(t, err, websocket.ErrBadHandshake)
					assert.Equal(t, http.StatusForbidden, resp.StatusCode)
				}
			})
		}
	})
}
