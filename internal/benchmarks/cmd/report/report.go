package main

import (
	"fmt"
	"io"

	"github.com/crossorigin/cors/internal/benchmarks"
)

// Write prints the whole Markdown report: the machine; every target
// checked; the timing tables (per request, under b.RunParallel, the origin
// sweep, building a middleware, the Vary merge, end to end), each left out
// when results has no numbers for it (e2e nil: no end-to-end suite); then
// the public `*` policy and the outcomes, which are checked, not timed.
func Write(w io.Writer, env Env, results map[string]*Result, e2e *E2E) {
	cells := benchmarks.Matrix()
	sweep := benchmarks.Sweep()
	writeMachine(w, env)
	seq := Rows(results, cells, "BenchmarkCORS")
	par := Rows(results, cells, "BenchmarkCORSParallel")
	writeTargets(w, seq, par, sweep, results, e2e)
	writePerRequest(w, env, seq)
	writeParallel(w, env, par, seq)
	writeSweep(w, sweep, results)
	writeNew(w, results)
	writeVaryMerge(w, results)
	writeE2E(w, e2e)
	writeStar(w)
	writeOutcomes(w, cells, sweep)
}

// writeMachine prints the report's first paragraph: where the numbers come
// from and how they were taken.
func writeMachine(w io.Writer, env Env) {
	fmt.Fprintf(w, "Machine: %s, %d CPUs, %s/%s; %s; %s; 1-minute load average %s.",
		env.CPU, env.CPUs, env.GOOS, env.GOARCH, env.Go, env.Run, env.Load)
	if env.Library != "" {
		fmt.Fprintf(w, " Built from the %s.", env.Library)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)
}
