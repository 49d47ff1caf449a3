package main

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMedianIsTakenPerMetricAndAveragesTheMiddlePair(t *testing.T) {
	odd := Result{Samples: []Sample{{300, 1, 0}, {100, 3, 2}, {120, 2, 1}}}
	assert.Equal(t, Sample{120, 2, 1}, odd.Median())
	even := Result{Samples: []Sample{{100, 0, 1}, {400, 0, 1}, {200, 0, 1}, {300, 0, 1}}}
	assert.Equal(t, Sample{250, 0, 1}, even.Median())
	assert.Equal(t, Sample{100, 0, 1}, even.Reduce(Min), "min is the lowest of each metric")
}

func TestSpreadIsMedianLowestHighest(t *testing.T) {
	med, lo, hi := spread([]float64{0.03, -0.01, 0.01, 0.02})
	assert.InDelta(t, 0.015, med, 1e-12)
	assert.InDelta(t, -0.01, lo, 1e-12)
	assert.InDelta(t, 0.03, hi, 1e-12)
	assert.Equal(t, "1.5%", percent(med))
}

func TestQuantileInterpolatesBetweenRanks(t *testing.T) {
	v := []float64{1, 2, 3, 4, 5}
	assert.InDelta(t, 3, quantile(v, 0.5), 1e-12)
	assert.InDelta(t, 2, quantile(v, 0.25), 1e-12)
	assert.InDelta(t, 5, quantile(v, 1), 1e-12)
	assert.InDelta(t, 1.5, quantile([]float64{1, 2}, 0.5), 1e-12)
	assert.True(t, math.IsNaN(quantile(nil, 0.5)))
}
