package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/examples/internal/corstest"
)

// The router specification again, with the shipped cors.json and headless Chromium as the judge of what the
// browser app may do.
func TestShippedConfigFileInChromium(t *testing.T) {
	c, err := configure("cors.json", environ(nil))
	require.NoError(t, err)

	corstest.RunBrowserSpec(t, corstest.ServeRecorded(t, newHandler(c)), corstest.RouterBrowserCases())
}
