package benchmarks

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEndToEndSuiteRunsEveryMiddlewareOverLoopbackInWholeRounds(t *testing.T) {
	opts := E2EOptions{Rounds: 2, PerRound: 20, Conns: 2, MaxTime: time.Minute}
	series, err := RunE2ESuite(context.Background(), opts, nil)
	require.NoError(t, err)
	require.Len(t, series, len(E2ENames()))
	for i, s := range series {
		assert.Equal(t, E2ENames()[i], s.Name)
		require.Len(t, s.Rounds, opts.Rounds, s.Name)
		for _, r := range s.Rounds {
			assert.Equal(t, opts.PerRound, r.Requests, s.Name)
			assert.False(t, r.Stopped, s.Name)
			assert.Positive(t, r.RequestsPerSecond(), s.Name)
			assert.LessOrEqual(t, r.Quantile(0.5), r.Quantile(0.99), s.Name)
		}
	}
	assert.Len(t, Overheads(series, Ours), opts.Rounds)
	assert.Equal(t, []float64{0, 0}, Overheads(series, Bare), "bare against itself, round by round")
}

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

func TestQuantileIsTheNearestRank(t *testing.T) {
	r := E2EResult{}
	for i := 1; i <= 100; i++ {
		r.Latencies = append(r.Latencies, time.Duration(i))
	}
	assert.Equal(t, time.Duration(50), r.Quantile(0.50))
	assert.Equal(t, time.Duration(99), r.Quantile(0.99))
	assert.Equal(t, time.Duration(100), r.Quantile(1))
	assert.Equal(t, time.Duration(1), r.Quantile(0))
	assert.Zero(t, E2EResult{}.Quantile(0.5))
}

func TestOverheadsSetEachRoundAgainstTheBareHandlersSameRound(t *testing.T) {
	round := func(n int, cpu time.Duration) E2EResult {
		return E2EResult{Requests: n, Elapsed: time.Second, CPU: cpu}
	}
	series := []E2ESeries{
		{Name: Bare, Rounds: []E2EResult{round(1000, 50*time.Millisecond), round(2000, 0)}},
		{Name: Ours, Rounds: []E2EResult{round(990, 51*time.Millisecond), round(2020, time.Millisecond)}},
	}
	got := Overheads(series, Ours)
	require.Len(t, got, 2)
	assert.InDelta(t, 0.01, got[0], 1e-9)
	assert.InDelta(t, -0.01, got[1], 1e-9)
	assert.Nil(t, Overheads(series, RS))
	cpu := CPUOverheads(series, Ours)
	require.Len(t, cpu, 1, "a round whose bare CPU time is unknown is left out")
	assert.InDelta(t, 51.0/990/(50.0/1000)-1, cpu[0], 1e-4, "whole nanoseconds per request")
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

func TestHeadersOnlySendsExactlyTheHeadersOursSends(t *testing.T) {
	serve := func(h http.Handler) http.Header {
		req, err := http.NewRequest(http.MethodGet, "http://127.0.0.1"+e2ePath, nil)
		require.NoError(t, err)
		req.Header.Set("Origin", E2EOrigin())
		w := NewWriter()
		h.ServeHTTP(w, req)
		return w.Header()
	}
	ours, err := E2EHandler(Ours)
	require.NoError(t, err)
	only, err := E2EHandler(HeadersOnly)
	require.NoError(t, err)
	first := serve(only)
	assert.Equal(t, serve(ours), first)
	assert.Equal(t, []string{E2EOrigin()}, first["Access-Control-Allow-Origin"])
	assert.Equal(t, []string{"Origin"}, first["Vary"])
	// Fresh copies on every request, as ours: no two responses share a value slice.
	second := serve(only)
	assert.NotSame(t, &first["Vary"][0], &second["Vary"][0])
}
