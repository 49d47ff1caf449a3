package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPartsNameTheBenchmarksToRun(t *testing.T) {
	all, err := parseParts(strings.Join(allParts, ","))
	require.NoError(t, err)
	assert.Equal(t, "^(BenchmarkCORS|BenchmarkCORSParallel|BenchmarkOrigins|BenchmarkNew|BenchmarkVaryMerge)$", benchPattern(all))
	e2e, err := parseParts("e2e")
	require.NoError(t, err)
	assert.Empty(t, benchPattern(e2e), "the end-to-end suite runs in the report's own process")
	_, err = parseParts("cors,bogus")
	assert.ErrorContains(t, err, `no part "bogus"`)
}
