package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/crossorigin/cors/internal/benchmarks"
)

// E2E is the end-to-end suite's outcome, for the report.
type E2E struct {
	Options benchmarks.E2EOptions
	Series  []benchmarks.E2ESeries
}

// writeE2E prints the end-to-end table, a row per handler in the suite's
// order, and how the suite runs; nothing when the suite did not run or
// kept no round.
func writeE2E(w io.Writer, e2e *E2E) {
	if e2e == nil || len(e2e.Series) == 0 || len(e2e.Series[0].Rounds) == 0 {
		return
	}
	o := e2e.Options
	fmt.Fprintf(w, "#### End to end: loopback HTTP/1.1, %d keep-alive connections, %d rounds of %s requests per middleware\n\n",
		o.Conns, len(e2e.Series[0].Rounds), thousands(float64(o.PerRound)))
	fmt.Fprintln(w, "| handler | req/s (median of rounds) | p50 µs | p99 µs | overhead vs bare (median) | overhead, lowest to highest round | CPU µs per request | CPU vs bare (median) | req/s per round |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|---|--:|--:|---|")
	for _, s := range e2e.Series {
		writeE2ERow(w, e2e.Series, s)
	}
	fmt.Fprintln(w)
	writeE2ESetup(w)
}

// writeE2ERow prints the row of s: its requests per second, latencies and
// CPU time over all its rounds, and its overheads against the bare handler
// of the same rounds in series.
func writeE2ERow(w io.Writer, series []benchmarks.E2ESeries, s benchmarks.E2ESeries) {
	rps, all := pool(s.Rounds)
	med, _, _ := spread(rps)
	var perRound []string
	for _, x := range rps {
		perRound = append(perRound, thousands(x))
	}
	overhead, rng, cpu := "—", "—", "—"
	if s.Name != benchmarks.Bare {
		m, lo, hi := spread(benchmarks.Overheads(series, s.Name))
		overhead, rng = percent(m), percent(lo)+" to "+percent(hi)
		if c := benchmarks.CPUOverheads(series, s.Name); len(c) > 0 {
			cm, _, _ := spread(c)
			cpu = signedPercent(cm)
		}
	}
	fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", e2eLabel(s.Name), thousands(med),
		strconv.FormatFloat(float64(all.Quantile(0.50).Nanoseconds())/1e3, 'f', 1, 64),
		strconv.FormatFloat(float64(all.Quantile(0.99).Nanoseconds())/1e3, 'f', 1, 64),
		overhead, rng, strconv.FormatFloat(float64(all.CPUPerRequest().Nanoseconds())/1e3, 'f', 1, 64), cpu,
		strings.Join(perRound, ", "))
}

// pool is each round's requests per second, in round order, and all the
// rounds as one result: every request, its latency (sorted) and the CPU
// time.
func pool(rounds []benchmarks.E2EResult) (rps []float64, all benchmarks.E2EResult) {
	for _, r := range rounds {
		rps = append(rps, r.RequestsPerSecond())
		all.Latencies = append(all.Latencies, r.Latencies...)
		all.Requests += r.Requests
		all.CPU += r.CPU
	}
	slices.Sort(all.Latencies)
	return rps, all
}

// e2eLabel is how the table names a handler of the suite.
func e2eLabel(name string) string {
	switch name {
	case benchmarks.BareAgain:
		return name + " (control)"
	case benchmarks.HeadersOnly:
		return name + " (the headers, no middleware)"
	}
	return name
}

// writeE2ESetup prints, under the table, how the suite runs and how to
// read its rows.
func writeE2ESetup(w io.Writer) {
	fmt.Fprintf(w, "Every middleware (configuration one_origin_creds) wraps the same handler, which encodes a small JSON "+
		"document on every request; the client sends an allowed cross-origin GET and reads the whole body. The "+
		"load generator reads each response as bytes, as wrk does, checking its status, length, body and CORS lines "+
		"without building a header map, so that the CPU it shares with the server goes to the server; Go's own "+
		"client checks every server's answers once beforehand. All "+
		"servers are started and their connections warmed (and each answer checked) first; then each round runs "+
		"every handler once, in an order that rotates from round to round, and each handler's overhead is set against "+
		"the bare handler of the same round (positive: fewer requests per second). `bare_again` is the bare handler "+
		"once more: its overhead is the noise, against which a \"within %.0f%%\" claim is to be read. Client and "+
		"server share the machine's CPUs, so the wall clock moves with any other load on it; the process's CPU time "+
		"per request (clients and server together, from getrusage) moves far less, and its difference from the bare "+
		"handler's is the middleware's cost plus the noise of the control's row. `%s` sets the very headers ours "+
		"sets (fresh copies, no decision): against the bare handler it is what those headers cost to send (net/http "+
		"copies, sorts and writes every header line) and to read, which every correct middleware pays; ours against "+
		"it is what deciding them costs.\n\n",
		benchmarks.E2ETarget*100, benchmarks.HeadersOnly)
}
