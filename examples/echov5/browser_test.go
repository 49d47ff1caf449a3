package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/examples/internal/corstest"
)

// The router specification again, with real browsers as the judge of what the browser app may do.
func TestEchoV5ExampleInBrowsers(t *testing.T) {
	h, err := newHandler([]string{corstest.AllowedOrigin})
	require.NoError(t, err)

	corstest.RunBrowserSpec(t, corstest.ServeRecorded(t, h), corstest.RouterBrowserCases())
}
