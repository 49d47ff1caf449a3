package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sampleOutput = `goos: linux
goarch: amd64
pkg: github.com/crossorigin/cors/internal/benchmarks
cpu: AMD EPYC 7B13
BenchmarkCORS/one_origin_creds/no_origin/crossorigin-2   	 1000	       100.0 ns/op	      16 B/op	       1 allocs/op
BenchmarkCORS/one_origin_creds/no_origin/crossorigin-2   	 1000	       300.0 ns/op	      16 B/op	       1 allocs/op
BenchmarkCORS/one_origin_creds/no_origin/crossorigin-2   	 1000	       120.0 ns/op	      16 B/op	       1 allocs/op
BenchmarkCORS/one_origin_creds/no_origin/rs              	 1000	        90.5 ns/op	       0 B/op	       0 allocs/op
BenchmarkNew/1000_origins/crossorigin-2                  	  100	    500000 ns/op	  100000 B/op	    1000 allocs/op
PASS
ok  	github.com/crossorigin/cors/internal/benchmarks	1.0s
`

func TestParseReadsEveryLineAsASampleOfItsBenchmarkWithoutTheProcsSuffix(t *testing.T) {
	results, env := Parse(strings.NewReader(sampleOutput))
	assert.Equal(t, Env{GOOS: "linux", GOARCH: "amd64", CPU: "AMD EPYC 7B13"}, env)
	require.Len(t, results, 3)
	ours := results["BenchmarkCORS/one_origin_creds/no_origin/crossorigin"]
	require.NotNil(t, ours)
	assert.Len(t, ours.Samples, 3)
	assert.Equal(t, Sample{NsPerOp: 90.5}, results["BenchmarkCORS/one_origin_creds/no_origin/rs"].Samples[0])
	assert.Equal(t, Sample{NsPerOp: 500000, BytesPerOp: 100000, AllocsPerOp: 1000},
		results["BenchmarkNew/1000_origins/crossorigin"].Samples[0])
}
