package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crossorigin/cors/internal/benchmarks"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTheReportChecksEveryTargetItHasNumbersFor(t *testing.T) {
	results, _ := Parse(strings.NewReader(sampleOutput + `BenchmarkNew/10000_origins/crossorigin-2 	 10	 25000000 ns/op	 1 B/op	 1 allocs/op
BenchmarkVaryMerge/crossorigin-2 	 1000	 150 ns/op	 32 B/op	 1 allocs/op
`))
	series := []benchmarks.E2ESeries{{Name: benchmarks.Bare}, {Name: benchmarks.Ours}, {Name: benchmarks.HeadersOnly}, {Name: benchmarks.BareAgain}}
	for i, rps := range []int{10000, 9900, 9950, 10050} {
		for range 3 {
			series[i].Rounds = append(series[i].Rounds, benchmarks.E2EResult{Requests: rps, Elapsed: time.Second,
				Latencies: []time.Duration{100 * time.Microsecond, 200 * time.Microsecond}})
		}
	}
	var b strings.Builder
	Write(&b, Env{Stat: "median", CPUs: 2}, results, &E2E{Options: benchmarks.E2EOptions{Conns: 4, PerRound: 100}, Series: series})
	out := b.String()
	assert.Contains(t, out, "- `New` with 10000 origins: 25.00 ms, under 20 ms ✗.")
	assert.Contains(t, out, "- `New` with 1000 origins: 0.50 ms, under 1 ms ✓.")
	assert.Contains(t, out, "the one path that may allocate: 1 allocs/op ✓")
	assert.Contains(t, out, "- End to end, ours within 2% of the bare handler's requests per second: ✓ median 1.0% over 3 rounds")
	assert.Contains(t, out, "noise, from the bare handler against itself: ±0.0%")
	assert.Contains(t, out, "| bare_again (control) | 10,050 | 100.0 | 200.0 | -0.5% | -0.5% to -0.5% | 0.0 | — |")
	assert.Contains(t, out, "- End to end, the middleware's own cost: ours against `headers_only`")
	assert.Contains(t, out, "requests per second 0.5%, noise ±0.0%: ✓ within 2%")
	assert.Contains(t, out, "| headers_only (the headers, no middleware) | 9,950 |")
	assert.Contains(t, out, "#### Public `*` policy")
	assert.Contains(t, out, "#### Outcomes (checked before timing)")
	assert.NotContains(t, out, "#### Origin-count sweep", "no sweep results, no sweep table")
}

var update = flag.Bool("update", false, "rewrite testdata/*.golden.md from the current code")

// The fixed measurements the golden reports are rendered from:
//
//   - testdata/bench.txt is the untouched output of `go test -run '^$'
//     -bench '^(BenchmarkCORS|BenchmarkCORSParallel|BenchmarkOrigins|BenchmarkNew|BenchmarkVaryMerge)$'
//     -benchtime=1x -benchmem -count 3`: every benchmark the report reads,
//     three samples each, timed once (numbers to render, not to quote);
//   - testdata/e2e.json is an end-to-end suite of 6 rounds of 25 requests
//     over 2 connections, as RunE2ESuite returned it.
const (
	benchFixture = "testdata/bench.txt"
	e2eFixture   = "testdata/e2e.json"
)

// TestTheReportIsTheGoldenFileForFixedMeasurements holds Write's output
// byte for byte: a change to how the report is written that is not meant
// to change what it says must leave every golden file as it is. With
// -update it rewrites them instead.
func TestTheReportIsTheGoldenFileForFixedMeasurements(t *testing.T) {
	bench, err := os.ReadFile(benchFixture)
	require.NoError(t, err)
	var e2e E2E
	data, err := os.ReadFile(e2eFixture)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &e2e))
	require.NotEmpty(t, e2e.Series)

	tests := []struct {
		golden string
		stat   string
		bench  string
		e2e    *E2E
	}{
		{"every_section_median.golden.md", "median", string(bench), &e2e},
		{"every_section_min.golden.md", "min", string(bench), &e2e},
		{"some_sections.golden.md", "median", sampleOutput, nil},
		{"missing_results.golden.md", "median", without(string(bench),
			"BenchmarkCORSParallel/one_origin_creds/actual_allowed/crossorigin-",
			"BenchmarkOrigins/actual_exact/100/rs-",
			"BenchmarkVaryMerge/chi-"), &e2e},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			got := render(t, tt.stat, tt.bench, tt.e2e)
			path := filepath.Join("testdata", tt.golden)
			if *update {
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test -run Golden -update to write it")
			assert.Equal(t, string(want), got)
			assert.Equal(t, got, render(t, tt.stat, tt.bench, tt.e2e), "the same measurements, the same report")
		})
	}
}

// without is the benchmark output without the lines that start with any
// of prefixes: cells measured but missing from the results.
func without(bench string, prefixes ...string) string {
	var b strings.Builder
	for line := range strings.Lines(bench) {
		if !slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(line, p) }) {
			b.WriteString(line)
		}
	}
	return b.String()
}

// render is the report on the saved benchmark output and end-to-end suite,
// with the statistic named stat and a fixed machine.
func render(t *testing.T, stat, bench string, e2e *E2E) string {
	t.Helper()
	saved := Stat
	t.Cleanup(func() { Stat = saved })
	switch stat {
	case "median":
		Stat = Median
	case "min":
		Stat = Min
	default:
		t.Fatalf("no statistic %q", stat)
	}
	results, env := Parse(strings.NewReader(bench))
	env.Go, env.CPUs, env.Stat = "go1.26.8", 2, stat
	env.Run, env.Load = "3 pass(es) of `-benchtime 1x`", "0.42 before, 1.37 after"
	env.Library = "library at 845bb0b"
	var b strings.Builder
	Write(&b, env, results, e2e)
	return b.String()
}
