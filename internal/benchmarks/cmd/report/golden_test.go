package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
