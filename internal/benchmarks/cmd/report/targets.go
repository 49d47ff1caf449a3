package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/crossorigin/cors/internal/benchmarks"
)

// The "Against the targets" section: a line per target of the project that
// the results have numbers for, marked ✓ when it is met and ✗ when it is
// not, with what missed it.

// Targets of the issue beyond the ratios.
const (
	// fairShare: ours at ≤ aimRatio × the fastest peer without shortcut on
	// at least this many of the matrix's scenarios.
	fairShare = 24
	// hostileMaxNs and hostileFlat: the 1 MiB hostile preflight costs under
	// 1 µs and at most hostileFlat × the 1 KiB one.
	hostileMaxNs = 1000
	hostileFlat  = 1.5
	// newThousandMaxNs: building with 1,000 exact origins.
	newThousandMaxNs = 1e6
)

// writeTargets prints the section: the timing tables' targets first (seq
// and par are their rows), then those of the Vary merge, the hostile
// preflights, the origin sweep, building a middleware and the end-to-end
// suite (e2e, if it ran), each where results has its numbers; then the
// outcomes of the matrix and of sweep and the public `*` policy, which are
// always checked.
func writeTargets(w io.Writer, seq, par []Row, sweep []*benchmarks.Cell, results map[string]*Result, e2e *E2E) {
	fmt.Fprintln(w, "#### Against the targets")
	fmt.Fprintln(w)
	writeRatioTargets(w, "Per request", seq)
	writeRatioTargets(w, "Under b.RunParallel", par)
	writeVaryMergeTarget(w, results)
	writeHostileTargets(w, results)
	writeSweepTarget(w, results)
	writeNewTargets(w, results)
	if e2e != nil {
		writeE2ETargets(w, e2e.Series)
		writeE2EOwnCostTargets(w, e2e.Series)
	}
	writeOutcomeTarget(w, sweep)
	writeStarTarget(w)
	fmt.Fprintln(w)
}

// ratioChecks counts, over the rows, ours against both targets.
type ratioChecks struct {
	rows, within, fair int
	missed, unfair     []string
	allocs             []string
}

// checkRows sets ours in every measured row against the ratio targets and
// the allocation target, listing the rows that miss each.
func checkRows(rows []Row) ratioChecks {
	var c ratioChecks
	for _, r := range rows {
		if r.Ours == nil {
			continue
		}
		c.rows++
		if x := r.Ratio(); math.IsNaN(x) || x <= targetRatio {
			c.within++
		} else {
			c.missed = append(c.missed, fmt.Sprintf("%s %.2f × %s", r.Scenario, x, r.Peer))
		}
		if x := r.FairRatio(); math.IsNaN(x) || x <= aimRatio {
			c.fair++
		} else {
			c.unfair = append(c.unfair, fmt.Sprintf("%s %.2f × %s", r.Scenario, x, r.PeerFair))
		}
		if r.Ours.AllocsPerOp > benchmarks.AllocTarget {
			c.allocs = append(c.allocs, fmt.Sprintf("%s %s", r.Scenario, strconv.FormatFloat(r.Ours.AllocsPerOp, 'g', 3, 64)))
		}
	}
	return c
}

// writeRatioTargets prints, for the timing table called name, ours against
// the fastest peer, against the fastest peer without shortcut, and its
// allocations; nothing when ours was not measured.
func writeRatioTargets(w io.Writer, name string, rows []Row) {
	if !measured(rows) {
		return
	}
	c := checkRows(rows)
	fmt.Fprintf(w, "- %s, ours ≤ 1.0 × the fastest peer (rs/cors included; gorilla out where it skips Vary): "+
		"%s %d of %d%s.\n", name, mark(c.within == c.rows), c.within, c.rows, list(c.missed))
	fmt.Fprintf(w, "- %s, ours ≤ %.1f × the fastest peer without shortcut on at least %d of %d: %s %d%s.\n",
		name, aimRatio, fairShare, c.rows, mark(c.fair >= fairShare), c.fair, list(c.unfair))
	fmt.Fprintf(w, "- %s, 0 allocs/op on every path: %s", name, mark(len(c.allocs) == 0))
	if len(c.allocs) > 0 {
		fmt.Fprintf(w, " (over: %s)", strings.Join(c.allocs, "; "))
	}
	fmt.Fprintln(w, ".")
}

// writeVaryMergeTarget prints ours' allocations when it merges Vary.
func writeVaryMergeTarget(w io.Writer, results map[string]*Result) {
	if res := results[benchmarks.VaryMergeBench+"/"+benchmarks.Ours]; res != nil {
		m := res.Reduce(Stat)
		fmt.Fprintf(w, "- The Vary merge (an earlier layer set Vary), the one path that may allocate: %s allocs/op %s (at most %d).\n",
			thousands(m.AllocsPerOp), mark(m.AllocsPerOp <= benchmarks.VaryMergeAllocTarget), benchmarks.VaryMergeAllocTarget)
	}
}

// writeHostileTargets prints, per configuration whose three hostile
// preflights were all measured, ours' cost as the list grows to 1 MiB.
func writeHostileTargets(w io.Writer, results map[string]*Result) {
	for _, c := range benchmarks.Configs() {
		var ns []float64
		for _, req := range []string{benchmarks.PreflightACRH1K, benchmarks.PreflightACRH64K, benchmarks.PreflightACRH1M} {
			if res := results["BenchmarkCORS/"+c.Name+"/"+req+"/"+benchmarks.Ours]; res != nil {
				ns = append(ns, res.Reduce(Stat).NsPerOp)
			}
		}
		if len(ns) == 3 {
			ok := ns[2] < hostileMaxNs && ns[2] <= hostileFlat*ns[0]
			fmt.Fprintf(w, "- Hostile preflight, %s, ACRH 1 KiB / 64 KiB / 1 MiB: %s / %s / %s ns; 1 MiB under 1 µs and ≤ %.1f × 1 KiB: %s (%.2f ×).\n",
				c.Name, FormatNs(ns[0]), FormatNs(ns[1]), FormatNs(ns[2]), hostileFlat, mark(ok), ns[2]/ns[0])
		}
	}
}

// writeSweepTarget prints ours' cost with the most origins over its cost
// with the fewest, for every sweep request measured at both.
func writeSweepTarget(w io.Writer, results map[string]*Result) {
	var ratios []string
	sweepOK := true
	for _, req := range benchmarks.SweepRequests() {
		if x := sweepRatio(results, req, benchmarks.Ours); !math.IsNaN(x) {
			ratios = append(ratios, fmt.Sprintf("%s %.2f", req, x))
			sweepOK = sweepOK && x <= benchmarks.SweepMaxRatio
		}
	}
	if len(ratios) > 0 {
		fmt.Fprintf(w, "- Origin sweep, ours with 10,000 origins ÷ with 1 (at most %.1f): %s %s.\n",
			benchmarks.SweepMaxRatio, mark(sweepOK), strings.Join(ratios, "; "))
	}
}

// writeNewTargets prints how long building ours took, with 1,000 and with
// 10,000 origins.
func writeNewTargets(w io.Writer, results map[string]*Result) {
	for _, t := range []struct {
		name string
		max  float64
	}{{"1000_origins", newThousandMaxNs}, {"10000_origins", benchmarks.NewMaxNs}} {
		if res := results["BenchmarkNew/"+t.name+"/"+benchmarks.Ours]; res != nil {
			m := res.Reduce(Stat)
			fmt.Fprintf(w, "- `New` with %s origins: %s ms, under %s ms %s.\n", strings.TrimSuffix(t.name, "_origins"),
				strconv.FormatFloat(m.NsPerOp/1e6, 'f', 2, 64), strconv.FormatFloat(t.max/1e6, 'f', 0, 64), mark(m.NsPerOp < t.max))
		}
	}
}

// writeE2ETargets prints ours' end-to-end overhead against the bare
// handler, in requests per second and in CPU time per request, each judged
// against the noise of the bare handler set against itself.
func writeE2ETargets(w io.Writer, series []benchmarks.E2ESeries) {
	o := benchmarks.Overheads(series, benchmarks.Ours)
	if len(o) == 0 {
		return
	}
	med, lo, hi := spread(o)
	aa := benchmarks.Overheads(series, benchmarks.BareAgain)
	verdict, u := e2eVerdict(med, aa, benchmarks.E2ETarget)
	fmt.Fprintf(w, "- End to end, ours within %.0f%% of the bare handler's requests per second: %s median %s over %d rounds "+
		"(rounds from %s to %s); noise, from the bare handler against itself: ±%s (twice the standard error of a median of %d rounds).\n",
		benchmarks.E2ETarget*100, verdict, percent(med), len(o), percent(lo), percent(hi), percent(2*u), len(aa))
	if c := benchmarks.CPUOverheads(series, benchmarks.Ours); len(c) > 0 {
		cmed, _, _ := spread(c)
		cv, cu := e2eVerdict(cmed, benchmarks.CPUOverheads(series, benchmarks.BareAgain), benchmarks.E2ETarget)
		fmt.Fprintf(w, "- End to end, CPU time per request (clients and server; steadier than the wall clock on a busy machine): "+
			"ours %s against the bare handler, median over the rounds, noise ±%s: %s within %.0f%%.\n",
			signedPercent(cmed), percent(2*cu), cv, benchmarks.E2ETarget*100)
	}
}

// writeE2EOwnCostTargets prints the same, set against the CORS headers sent
// without a middleware (benchmarks.HeadersOnly): the middleware's own cost.
func writeE2EOwnCostTargets(w io.Writer, series []benchmarks.E2ESeries) {
	o := benchmarks.OverheadsAgainst(series, benchmarks.Ours, benchmarks.HeadersOnly)
	if len(o) == 0 {
		return
	}
	med, _, _ := spread(o)
	verdict, u := e2eVerdict(med, benchmarks.Overheads(series, benchmarks.BareAgain), benchmarks.E2ETarget)
	cmed, _, _ := spread(benchmarks.CPUOverheadsAgainst(series, benchmarks.Ours, benchmarks.HeadersOnly))
	cv, cu := e2eVerdict(cmed, benchmarks.CPUOverheads(series, benchmarks.BareAgain), benchmarks.E2ETarget)
	hb, _, _ := spread(benchmarks.CPUOverheads(series, benchmarks.HeadersOnly))
	fmt.Fprintf(w, "- End to end, the middleware's own cost: ours against `%s` (the same CORS headers set by a wrapper "+
		"that decides nothing; those headers alone cost %s CPU per request against the bare handler): requests per "+
		"second %s, noise ±%s: %s within %.0f%%; CPU per request %s, noise ±%s: %s within %.0f%%.\n",
		benchmarks.HeadersOnly, signedPercent(hb), percent(med), percent(2*u), verdict, benchmarks.E2ETarget*100,
		signedPercent(cmed), percent(2*cu), cv, benchmarks.E2ETarget*100)
}

// e2eVerdict judges an end-to-end overhead (the median over the rounds)
// against target, given the A/A control's overheads (the bare handler
// against itself, round by round), whose spread is the noise. u estimates
// the standard error of a median of that many rounds from the control's
// interquartile range (for normal noise, σ ≈ IQR/1.35 and the median's
// standard error ≈ 1.25 σ/√n). The verdict is ✓ only when the overhead
// plus 2u is within target, ✗ when the overhead minus 2u is past it, and
// "undecided" otherwise: on a noisy machine the run cannot tell.
func e2eVerdict(overhead float64, control []float64, target float64) (verdict string, u float64) {
	if len(control) < 2 {
		return "undecided (no control)", math.Inf(1)
	}
	s := slices.Clone(control)
	slices.Sort(s)
	iqr := quantile(s, 0.75) - quantile(s, 0.25)
	u = 1.25 * iqr / 1.35 / math.Sqrt(float64(len(s)))
	switch {
	case overhead+2*u <= target:
		return "✓", u
	case overhead-2*u > target:
		return "✗", u
	}
	return "undecided at this noise", u
}

// writeOutcomeTarget prints whether ours did what every scenario of the
// matrix and of sweep says, naming those it did not.
func writeOutcomeTarget(w io.Writer, sweep []*benchmarks.Cell) {
	ours, bad := 0, []string{}
	for _, c := range slices.Concat(benchmarks.Matrix(), sweep) { // not append: Matrix is shared by the whole process
		if c.Library.Name != benchmarks.Ours || c.Scenario.Request == nil {
			continue
		}
		ours++
		if !c.Scenario.OursMatches(c.Outcome) {
			bad = append(bad, c.Scenario.FullName()+": "+c.Outcome.String())
		}
	}
	fmt.Fprintf(w, "- Outcomes, ours does what every scenario and sweep request says (under `*`: ACAO `*` without `Vary: Origin` on every actual response): %s %d of %d%s.\n",
		mark(len(bad) == 0), ours-len(bad), ours, list(bad))
}

// writeStarTarget prints whether ours answered every check of the public
// `*` policy as a public resource.
func writeStarTarget(w io.Writer) {
	star, starBad := 0, []string{}
	for _, r := range benchmarks.Star() {
		if r.Library == benchmarks.Ours {
			star++
			if !r.Public {
				starBad = append(starBad, r.Check.Name+": "+r.Label)
			}
		}
	}
	fmt.Fprintf(w, "- Public `*` policy, ours answers as a public resource (actual: `*`, no `Vary: Origin`, also for no Origin, `null` and a 1 MiB Origin; preflight from `null` answered): %s %d of %d%s.\n",
		mark(len(starBad) == 0), star-len(starBad), star, list(starBad))
}
