package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/examples/internal/routerspec"
)

// Why the coder endpoint checks the origin itself instead of handing coder/websocket the allowlist as
// OriginPatterns: written the way its documentation shows (hosts), the same allowlist lets in origins the CORS
// policy refuses — every scheme of an allowed host, and any origin whose host is the server's own Host — so a
// page refused for fetch could still open the socket. With InsecureSkipVerify after handshakeOriginAllowed, the
// socket and fetch agree on every origin.
func TestCoderOriginPatternsCannotExpressThePolicy(t *testing.T) {
	// testPolicy in coder's syntax: host patterns, matched with path.Match.
	patterns := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{OriginPatterns: []string{"localhost:3000", "*.example.com"}})
		if err != nil {
			return
		}
		_ = conn.CloseNow()
	}))
	t.Cleanup(patterns.Close)
	example := newTestServer(t, coderEcho)

	tests := []struct {
		name                        string
		origin                      func(server *httptest.Server) string
		patternsAdmit, policyAdmits bool
	}{
		{"the app", func(*httptest.Server) string { return routerspec.AllowedOrigin }, true, true},
		{"an https subdomain", func(*httptest.Server) string { return "https://app.example.com" }, true, true},
		{"the apex, under neither", func(*httptest.Server) string { return "https://example.com" }, false, false},
		{"a refused origin", func(*httptest.Server) string { return routerspec.RefusedOrigin }, false, false},
		{"pitfall: a plain-http page of a subdomain, which the network can rewrite", func(*httptest.Server) string {
			return "http://app.example.com"
		}, true, false},
		{"pitfall: the app's host over another scheme", func(*httptest.Server) string { return "https://localhost:3000" }, true, false},
		{"pitfall: any scheme on the server's own host", func(s *httptest.Server) string {
			return "https://" + strings.TrimPrefix(s.URL, "http://")
		}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, side := range []struct {
				srv   *httptest.Server
				admit bool
			}{{patterns, tt.patternsAdmit}, {example, tt.policyAdmits}} {
				origin := tt.origin(side.srv)
				_, resp, err := dial(t, side.srv, origin)
				if side.admit {
					require.NoError(t, err, origin)
					assert.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode, origin)
				} else {
					require.Error(t, err, origin)
					require.NotNil(t, resp, origin)
					assert.Equal(t, http.StatusForbidden, resp.StatusCode, origin)
				}
			}
			// And the example's fetch side agrees with its socket.
			fetch := routerspec.Do(t, http.MethodGet, example.URL+"/messages", map[string]string{"Origin": tt.origin(example)})
			if tt.policyAdmits {
				assert.Equal(t, tt.origin(example), fetch.Header.Get("Access-Control-Allow-Origin"))
			} else {
				routerspec.AssertNoCORS(t, fetch)
			}
		})
	}
}
