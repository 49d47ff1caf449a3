package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/examples/internal/routerspec"
)

// The router specification again, with the shipped cors.json and real browsers as the judge of what the
// browser app may do.
func TestShippedConfigFileInBrowsers(t *testing.T) {
	c, err := configure("cors.json", environ(nil))
	require.NoError(t, err)

	routerspec.RunBrowserSpec(t, routerspec.ServeRecorded(t, newHandler(c)), routerspec.RouterBrowserCases())
}
