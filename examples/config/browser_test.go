package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/examples/internal/corstest"
)

// The router specification again, with the shipped cors.json and real browsers as the judge of what the
// browser app may do.
func TestShippedConfigFileInBrowsers(t *testing.T) {
	c, err := configure("cors.json", environ(nil))
	require.NoError(t, err)

	corstest.RunBrowserSpec(t, corstest.ServeRecorded(t, newHandler(c)), corstest.RouterBrowserCases())
}
