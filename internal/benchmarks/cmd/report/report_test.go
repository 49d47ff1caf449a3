package main

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/crossorigin/cors/internal/benchmarks"
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

func TestMedianIsTakenPerMetricAndAveragesTheMiddlePair(t *testing.T) {
	odd := Result{Samples: []Sample{{300, 1, 0}, {100, 3, 2}, {120, 2, 1}}}
	assert.Equal(t, Sample{120, 2, 1}, odd.Median())
	even := Result{Samples: []Sample{{100, 0, 1}, {400, 0, 1}, {200, 0, 1}, {300, 0, 1}}}
	assert.Equal(t, Sample{250, 0, 1}, even.Median())
	assert.Equal(t, Sample{100, 0, 1}, even.Reduce(Min), "min is the lowest of each metric")
}

func TestNumbersKeepThreeDigitsBelowAHundredAndGroupThousands(t *testing.T) {
	assert.Equal(t, "6.76", FormatNs(6.756))
	assert.Equal(t, "55.7", FormatNs(55.66))
	assert.Equal(t, "119", FormatNs(119.4))
	assert.Equal(t, "10,300,457", FormatNs(10300457))
	assert.Equal(t, "1,000", thousands(1000))
	assert.Equal(t, "999", thousands(999))
}

func TestVerdictMarksTheAimTheTargetAndAMiss(t *testing.T) {
	assert.Equal(t, "✓", Verdict(0.7))
	assert.Equal(t, "≤ 1", Verdict(1.0))
	assert.Equal(t, "✗", Verdict(1.01))
	assert.Equal(t, "—", Verdict(math.NaN()))
}

// row returns the timing row of a scenario built from synthetic results in
// which every measured library of the matrix took ns[library].
func row(t *testing.T, scenario string, ns map[string]float64) Row {
	t.Helper()
	results := map[string]*Result{}
	for lib, v := range ns {
		name := "BenchmarkCORS/" + scenario + "/" + lib
		results[name] = &Result{Name: name, Samples: []Sample{{NsPerOp: v}}}
	}
	for _, r := range Rows(results, benchmarks.Matrix(), "BenchmarkCORS") {
		if r.Scenario == scenario {
			return r
		}
	}
	t.Fatalf("no row %s", scenario)
	return Row{}
}

func TestTheRatioIsOursOverTheFastestPeerNeverTheBareFloor(t *testing.T) {
	r := row(t, "one_origin_creds/preflight_allowed", map[string]float64{
		benchmarks.Ours: 100, benchmarks.RS: 400, benchmarks.Chi: 300,
		benchmarks.Gorilla: 200, benchmarks.Jub0bs: 250, benchmarks.Bare: 5,
	})
	assert.Equal(t, benchmarks.Gorilla, r.Peer)
	assert.InDelta(t, 0.5, r.Ratio(), 1e-9)
}

func TestTheFirstRatioCountsRSButNotAPeerThatSkipsVaryAndTheFairOneNeither(t *testing.T) {
	// rs shares header slices and gorilla omits Vary here; chi and jub0bs do neither.
	r := row(t, "one_origin_creds/actual_refused", map[string]float64{
		benchmarks.Ours: 100, benchmarks.RS: 50, benchmarks.Chi: 300,
		benchmarks.Gorilla: 40, benchmarks.Jub0bs: 200, benchmarks.Bare: 5,
	})
	assert.Equal(t, benchmarks.RS, r.Peer, "gorilla does not do the scenario's work here")
	assert.InDelta(t, 2.0, r.Ratio(), 1e-9)
	assert.Equal(t, skipsVary, r.Cells[benchmarks.Gorilla])
	assert.Equal(t, benchmarks.Jub0bs, r.PeerFair)
	assert.InDelta(t, 0.5, r.FairRatio(), 1e-9)
}

func TestGorillaCountsWhereItWritesWhatTheOthersWrite(t *testing.T) {
	r := row(t, "one_origin_creds/preflight_refused", map[string]float64{
		benchmarks.Ours: 30, benchmarks.RS: 200, benchmarks.Gorilla: 25, benchmarks.Jub0bs: 60,
	})
	assert.Equal(t, benchmarks.Gorilla, r.Peer)
	assert.Equal(t, benchmarks.Gorilla, r.PeerFair)
	assert.InDelta(t, 1.2, r.Ratio(), 1e-9)
}

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

func TestSpreadIsMedianLowestHighest(t *testing.T) {
	med, lo, hi := spread([]float64{0.03, -0.01, 0.01, 0.02})
	assert.InDelta(t, 0.015, med, 1e-12)
	assert.InDelta(t, -0.01, lo, 1e-12)
	assert.InDelta(t, 0.03, hi, 1e-12)
	assert.Equal(t, "1.5%", percent(med))
}

func TestTheSweepRatioIsTheMostOriginsOverTheFewest(t *testing.T) {
	results := map[string]*Result{}
	for i, n := range benchmarks.SweepSizes {
		name := benchmarks.SweepBenchName(benchmarks.SweepActualSubdomain, n, benchmarks.Ours)
		results[name] = &Result{Name: name, Samples: []Sample{{NsPerOp: 100 + 10*float64(i)}}}
	}
	assert.InDelta(t, 1.3, sweepRatio(results, benchmarks.SweepActualSubdomain, benchmarks.Ours), 1e-9)
	assert.True(t, math.IsNaN(sweepRatio(results, benchmarks.SweepActualExact, benchmarks.Ours)))
}

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

func TestCellsThatAreNotMeasuredSayWhy(t *testing.T) {
	r := row(t, "101_origins_creds/actual_origin_1MiB", map[string]float64{benchmarks.Ours: 100, benchmarks.Jub0bs: 200})
	assert.Equal(t, "✗ invalid", r.Cells[benchmarks.RS], "rs reflects the 1 MiB origin")
	assert.Equal(t, "n/a", r.Cells[benchmarks.Gorilla])
	assert.Equal(t, "–", r.Cells[benchmarks.Bare], "measured but missing from the results")
	assert.Equal(t, benchmarks.Jub0bs, r.Peer)
}

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

func TestQuantileInterpolatesBetweenRanks(t *testing.T) {
	v := []float64{1, 2, 3, 4, 5}
	assert.InDelta(t, 3, quantile(v, 0.5), 1e-12)
	assert.InDelta(t, 2, quantile(v, 0.25), 1e-12)
	assert.InDelta(t, 5, quantile(v, 1), 1e-12)
	assert.InDelta(t, 1.5, quantile([]float64{1, 2}, 0.5), 1e-12)
	assert.True(t, math.IsNaN(quantile(nil, 0.5)))
}
