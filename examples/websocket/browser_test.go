package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/examples/internal/corstest"
)

// One allowlist for fetch and WebSocket, with headless Chromium as the judge of what a page may open and read.
func TestWebSocketExampleInChromium(t *testing.T) {
	h, err := newHandler([]string{corstest.AllowedOrigin})
	require.NoError(t, err)

	corstest.RunBrowserSpec(t, corstest.ServeRecorded(t, h), corstest.WebSocketBrowserCases())
}
