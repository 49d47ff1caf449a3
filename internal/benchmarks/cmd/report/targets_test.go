package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTheEndToEndVerdictWaitsForTheNoiseToAllowIt(t *testing.T) {
	quiet := []float64{-0.002, 0.001, 0.0, 0.002, -0.001, 0.001, 0.0, -0.002}
	loud := []float64{-0.3, 0.2, 0.1, -0.25, 0.4, -0.1, 0.05, 0.3}
	v, u := e2eVerdict(0.01, quiet, 0.02)
	assert.Equal(t, "✓", v)
	assert.Less(t, u, 0.005)
	v, _ = e2eVerdict(0.05, quiet, 0.02)
	assert.Equal(t, "✗", v)
	v, _ = e2eVerdict(0.01, loud, 0.02)
	assert.Equal(t, "undecided at this noise", v, "a 1% median means nothing when rounds swing by 30%")
	v, _ = e2eVerdict(0.01, nil, 0.02)
	assert.Equal(t, "undecided (no control)", v)
}
