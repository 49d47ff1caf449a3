package main

import (
	"math"
	"testing"

	"github.com/crossorigin/cors/internal/benchmarks"
	"github.com/stretchr/testify/assert"
)

func TestTheSweepRatioIsTheMostOriginsOverTheFewest(t *testing.T) {
	results := map[string]*Result{}
	for i, n := range benchmarks.SweepSizes {
		name := benchmarks.SweepBenchName(benchmarks.SweepActualSubdomain, n, benchmarks.Ours)
		results[name] = &Result{Name: name, Samples: []Sample{{NsPerOp: 100 + 10*float64(i)}}}
	}
	assert.InDelta(t, 1.3, sweepRatio(results, benchmarks.SweepActualSubdomain, benchmarks.Ours), 1e-9)
	assert.True(t, math.IsNaN(sweepRatio(results, benchmarks.SweepActualExact, benchmarks.Ours)))
}
