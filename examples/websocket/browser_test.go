package main

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/examples/internal/routerspec"
)

// One allowlist for fetch and WebSocket, with real browsers as the judge of what a page may open and read, for
// each WebSocket library.
func TestWebSocketExampleInBrowsers(t *testing.T) {
	for _, ep := range endpoints {
		t.Run(ep.name, func(t *testing.T) {
			h, err := newHandler([]string{routerspec.AllowedOrigin}, ep.ws)
			require.NoError(t, err)

			cases := routerspec.WebSocketBrowserCases()
			if ep.name == "coder" {
				// gorilla writes its 101 on the hijacked connection, so the server's record shows no headers
				// ("upgraded"); coder/websocket sends it through the ResponseWriter before hijacking, so it
				// carries the headers the CORS middleware set for the allowed origin. Browsers ignore them on a
				// WebSocket handshake: what matters is that the socket opens, which the case still checks.
				for i := range cases {
					cases[i].WantReceived = slices.Clone(cases[i].WantReceived)
					for j, line := range cases[i].WantReceived {
						if line == "GET /ws: 101, upgraded" {
							cases[i].WantReceived[j] = "GET /ws: 101, CORS"
						}
					}
				}
			}
			routerspec.RunBrowserSpec(t, routerspec.ServeRecorded(t, h), cases)
		})
	}
}
