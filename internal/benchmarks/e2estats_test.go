package benchmarks

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
