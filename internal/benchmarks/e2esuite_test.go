package benchmarks

import (
	"context"
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
