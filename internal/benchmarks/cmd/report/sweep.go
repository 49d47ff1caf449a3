package main

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/crossorigin/cors/internal/benchmarks"
)

// The origin-count sweep's table (BenchmarkOrigins): a row per request and
// number of configured origins, a column per library but the bare floor,
// and per request the cost with the most origins over the cost with the
// fewest.

// sweepRatio is a library's cost with the most origins ÷ with the fewest.
func sweepRatio(results map[string]*Result, req, lib string) float64 {
	sizes := benchmarks.SweepSizes
	lo := results[benchmarks.SweepBenchName(req, sizes[0], lib)]
	hi := results[benchmarks.SweepBenchName(req, sizes[len(sizes)-1], lib)]
	if lo == nil || hi == nil {
		return math.NaN()
	}
	l, h := lo.Reduce(Stat), hi.Reduce(Stat)
	return ratio(&h, &l)
}

// writeSweep prints the sweep's table and how it was set up, when any
// library was measured on the first request with one origin; cells are the
// sweep's outcomes.
func writeSweep(w io.Writer, cells []*benchmarks.Cell, results map[string]*Result) {
	libs := sweepLibraries()
	if !sweepMeasured(results, libs) {
		return
	}
	fmt.Fprintln(w, "#### Origin-count sweep: ns/op · allocs/op with 1 to 10,000 configured origins")
	fmt.Fprintln(w)
	fmt.Fprint(w, "| request | origins |")
	for _, l := range libs {
		fmt.Fprintf(w, " %s |", l.Name)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "|---|--:|"+strings.Repeat("--:|", len(libs)))
	for _, req := range benchmarks.SweepRequests() {
		for _, n := range benchmarks.SweepSizes {
			fmt.Fprintf(w, "| %s | %s |", req, thousands(float64(n)))
			for _, l := range libs {
				fmt.Fprint(w, sweepCell(benchmarks.FindSweep(cells, req, n, l.Name), results[benchmarks.SweepBenchName(req, n, l.Name)]))
			}
			fmt.Fprintln(w)
		}
		writeSweepRatios(w, results, req, libs)
	}
	fmt.Fprintln(w)
	writeSweepSetup(w)
}

// sweepLibraries are the sweep's columns: every library but the bare
// floor, which does not depend on the configuration.
func sweepLibraries() []*benchmarks.Library {
	var libs []*benchmarks.Library
	for _, l := range benchmarks.Libraries() {
		if l.Name != benchmarks.Bare {
			libs = append(libs, l)
		}
	}
	return libs
}

// sweepMeasured reports whether any of libs has a result for the first
// sweep request with one origin.
func sweepMeasured(results map[string]*Result, libs []*benchmarks.Library) bool {
	for _, l := range libs {
		if results[benchmarks.SweepBenchName(benchmarks.SweepActualExact, 1, l.Name)] != nil {
			return true
		}
	}
	return false
}

// sweepCell renders one library's cell for one request and size, from its
// outcome (nil if none) and its result (nil if not measured), with the
// separator that ends it.
func sweepCell(cell *benchmarks.Cell, res *Result) string {
	switch {
	case cell != nil && cell.Skip != "" && cell.Wrong():
		return " ✗ " + string(cell.Outcome.Verdict) + " |"
	case cell != nil && cell.Skip != "":
		return " n/a |"
	case cell != nil && cell.Outcome.Shortcut == benchmarks.NoVary:
		return " " + skipsVary + " |"
	case res == nil:
		return " – |"
	}
	m := res.Reduce(Stat)
	return fmt.Sprintf(" %s ns · %s |", FormatNs(m.NsPerOp), thousands(m.AllocsPerOp))
}

// writeSweepRatios prints the row of req that sets every library's cost
// with 10,000 origins against its cost with one, ours marked against the
// target.
func writeSweepRatios(w io.Writer, results map[string]*Result, req string, libs []*benchmarks.Library) {
	fmt.Fprintf(w, "| %s | **10,000 ÷ 1** |", req)
	for _, l := range libs {
		x := sweepRatio(results, req, l.Name)
		switch {
		case math.IsNaN(x):
			fmt.Fprint(w, " — |")
		case l.Name == benchmarks.Ours:
			fmt.Fprintf(w, " **%.2f** %s |", x, mark(x <= benchmarks.SweepMaxRatio))
		default:
			fmt.Fprintf(w, " %.2f |", x)
		}
	}
	fmt.Fprintln(w)
}

// writeSweepSetup prints, under the table, how the sweep's configurations
// and requests are built and what each peer can state.
func writeSweepSetup(w io.Writer) {
	fmt.Fprintf(w, "Each configuration alternates exact origins (`https://customer-N.com`) and subdomain wildcards "+
		"(`https://*.customer-N.com`), half each, credentials on; the origin that lets the request in is the last one "+
		"listed (a list scan's worst case), and with 1 origin it is the only one. Refusals come from "+
		"`%s`, shaped like an unlisted tenant's subdomain, under the configuration whose last origin is a wildcard. "+
		"gorilla/handlers has no subdomain wildcard, so it can state only the one exact origin (n/a elsewhere), "+
		"and there it skips `Vary: Origin` on actual responses; "+
		"rs/cors and go-chi/cors read `https://*.customer-N.com` as a prefix and a suffix, which lets in the same "+
		"origins here; jub0bs/cors states it as written. Target for ours: 10,000 origins at most %.1f × the cost of 1.\n\n",
		benchmarks.SweepRefusedOrigin, benchmarks.SweepMaxRatio)
}
