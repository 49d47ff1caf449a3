package main

import (
	"math"
	"testing"

	"github.com/crossorigin/cors/internal/benchmarks"
	"github.com/stretchr/testify/assert"
)

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

func TestCellsThatAreNotMeasuredSayWhy(t *testing.T) {
	r := row(t, "101_origins_creds/actual_origin_1MiB", map[string]float64{benchmarks.Ours: 100, benchmarks.Jub0bs: 200})
	assert.Equal(t, "✗ invalid", r.Cells[benchmarks.RS], "rs reflects the 1 MiB origin")
	assert.Equal(t, "n/a", r.Cells[benchmarks.Gorilla])
	assert.Equal(t, "–", r.Cells[benchmarks.Bare], "measured but missing from the results")
	assert.Equal(t, benchmarks.Jub0bs, r.Peer)
}
