package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/examples/internal/routerspec"
)

// The router specification again, with real browsers as the judge of what the browser app may do.
func TestServeMuxExampleInBrowsers(t *testing.T) {
	h, err := newHandler([]string{routerspec.AllowedOrigin})
	require.NoError(t, err)

	routerspec.RunBrowserSpec(t, routerspec.ServeRecorded(t, h), routerspec.RouterBrowserCases())
}
