package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/examples/internal/routerspec"
)

// The router examples' browser specification, against the API subtree under its prefix, with the public
// subtree mounted beside it: real browsers judge what the app may do with the API.
func TestTwoPoliciesAPIInBrowsers(t *testing.T) {
	h, err := newHandler([]string{routerspec.AllowedOrigin})
	require.NoError(t, err)

	cases := routerspec.RouterBrowserCases()
	for i := range cases {
		cases[i].Path = "/api" + cases[i].Path
		for j, line := range cases[i].WantReceived { // "OPTIONS /items/7: 204, CORS"
			cases[i].WantReceived[j] = strings.Replace(line, " /", " /api/", 1)
		}
	}
	routerspec.RunBrowserSpec(t, routerspec.ServeRecorded(t, h), cases)
}
