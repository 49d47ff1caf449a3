package benchmarks

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEndToEndStopsAtItsTimeBound(t *testing.T) {
	h, err := E2EHandler(Ours)
	require.NoError(t, err)
	srv, err := StartE2E(h, 2)
	require.NoError(t, err)
	defer srv.Close()
	require.NoError(t, srv.Warm(2, true))
	res, err := srv.Run(context.Background(), 1<<30, 2, 50*time.Millisecond)
	require.NoError(t, err)
	assert.True(t, res.Stopped)
	assert.Less(t, res.Elapsed, 5*time.Second)
}

func TestEndToEndChecksTheCORSHeadersOnTheWire(t *testing.T) {
	for _, name := range E2ENames() {
		h, err := E2EHandler(name)
		require.NoError(t, err)
		srv, err := StartE2E(h, 1)
		require.NoError(t, err)
		bare := name == Bare || name == BareAgain
		assert.NoError(t, srv.Warm(1, !bare), name)
		assert.Error(t, srv.Warm(1, bare), "%s: the check tells a middleware from the bare handler", name)
		srv.Close()
	}
	bad := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) })
	srv, err := StartE2E(bad, 1)
	require.NoError(t, err)
	defer srv.Close()
	assert.ErrorContains(t, srv.Warm(1, false), "status 418")
}

func TestRunReadsTheProcessCPUTime(t *testing.T) {
	h, err := E2EHandler(Bare)
	require.NoError(t, err)
	srv, err := StartE2E(h, 1)
	require.NoError(t, err)
	defer srv.Close()
	require.NoError(t, srv.Warm(1, false))
	res, err := srv.Run(context.Background(), 200, 1, time.Minute)
	require.NoError(t, err)
	assert.Positive(t, res.CPUPerRequest(), "200 loopback round trips use measurable CPU")
	assert.Zero(t, E2EResult{}.CPUPerRequest())
}
