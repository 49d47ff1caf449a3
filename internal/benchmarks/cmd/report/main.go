// Command report runs the benchmarks of this module with `go test -bench`,
// then the end-to-end suite over loopback HTTP/1.1, and prints a Markdown
// report: the machine; per scenario, sequential and under b.RunParallel,
// the ns/op, B/op and allocs/op of every library with the ratio of ours to
// the fastest peer; the origin-count sweep; building with 1,000 and 10,000
// origins; the Vary merge; requests per second and latency end to end;
// every target of the project checked; and the outcome of every library
// in every scenario, checked before timing.
//
// Run it from internal/benchmarks:
//
//	go run ./cmd/report [-count 5] [-benchtime 100ms] [-stat median|min] [-raw bench.txt]
//	                    [-parts cors,parallel,origins,new,vary,e2e] [-bench pattern]
//	                    [-e2e-rounds 80] [-e2e-requests 10000] [-e2e-conns 4] [-e2e-max 6m]
//	go run ./cmd/report -from bench.txt [-stat median|min] [-parts ...]
//
// The -raw file holds the untouched benchmark output, for benchstat; -from
// reports on such a file instead of running the benchmarks (and without the
// end-to-end suite, which is not in it).
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/crossorigin/cors/internal/benchmarks"
)

// main measures, or reads the saved measurements, and prints the report.
func main() {
	o := parseFlags()
	loadBefore := loadAverage()
	out := benchOutput(o)
	e2e := runE2E(o)
	results, env := Parse(bytes.NewReader(out))
	describe(&env, o, loadBefore)
	Write(os.Stdout, env, results, e2e)
}

// options are the command's flags, read and checked.
type options struct {
	count     int
	benchtime string
	stat      string
	bench     string          // the go test -bench pattern, "" for no benchmark
	want      map[string]bool // the parts to run
	e2e       benchmarks.E2EOptions
	from      string // saved benchmark output to report on, "" to run the benchmarks
	raw       string // where to save the benchmark output, "" for nowhere
}

// parseFlags reads the flags, sets Stat, and exits with status 2 on a flag
// it cannot use.
func parseFlags() options {
	count := flag.Int("count", 5, "passes over all benchmarks (reduced by -stat)")
	benchtime := flag.String("benchtime", "100ms", "go test -benchtime for each run")
	parts := flag.String("parts", strings.Join(allParts, ","), "what to run, comma-separated: "+strings.Join(allParts, ", "))
	bench := flag.String("bench", "", "go test -bench pattern (default: the one -parts names)")
	e2eRounds := flag.Int("e2e-rounds", 80, "end to end: rounds (each runs every middleware once, in rotating order)")
	e2eRequests := flag.Int("e2e-requests", 10000, "end to end: requests per middleware and round")
	e2eConns := flag.Int("e2e-conns", 4, "end to end: keep-alive connections, one client goroutine each")
	e2eMax := flag.Duration("e2e-max", 6*time.Minute, "end to end: time bound of the whole suite")
	stat := flag.String("stat", "median", "statistic over the passes: median, or min (on a busy machine)")
	from := flag.String("from", "", "report on this saved benchmark output instead of running the benchmarks")
	raw := flag.String("raw", "", "also write the raw go test output to this file (for benchstat)")
	flag.Parse()

	switch *stat {
	case "median":
		Stat = Median
	case "min":
		Stat = Min
	default:
		fail(2, "report: -stat must be median or min")
	}
	want, err := parseParts(*parts)
	if err != nil {
		fail(2, "report:", err)
	}
	if *bench == "" {
		*bench = benchPattern(want)
	}
	return options{
		count: *count, benchtime: *benchtime, stat: *stat, bench: *bench, want: want,
		e2e:  benchmarks.E2EOptions{Rounds: *e2eRounds, PerRound: *e2eRequests, Conns: *e2eConns, MaxTime: *e2eMax},
		from: *from, raw: *raw,
	}
}

// benchOutput is the benchmark output the report is on: the -from file, or
// a run of the -bench pattern (saved to -raw), or nothing when no part
// needs a benchmark. It exits with status 1 when it cannot get it.
func benchOutput(o options) []byte {
	var out []byte
	var err error
	switch {
	case o.from != "":
		out, err = os.ReadFile(o.from)
	case o.bench != "":
		out, err = runBenchmarks(o.bench, o.benchtime, o.count)
	}
	if o.raw != "" && o.from == "" {
		if werr := os.WriteFile(o.raw, out, 0o644); werr != nil {
			fail(1, "report:", werr)
		}
	}
	if err != nil {
		fail(1, "report:", err)
	}
	return out
}

// runE2E runs the end-to-end suite when the e2e part is asked for and the
// report is not on saved output; otherwise it returns nil. It exits with
// status 1 when the suite fails.
func runE2E(o options) *E2E {
	if !o.want["e2e"] || o.from != "" {
		return nil
	}
	series, err := benchmarks.RunE2ESuite(context.Background(), o.e2e, os.Stderr)
	if err != nil {
		fail(1, "report: end to end:", err)
	}
	return &E2E{Options: o.e2e, Series: series}
}

// fail prints args to stderr, as fmt.Println would, and exits with code.
func fail(code int, args ...any) {
	fmt.Fprintln(os.Stderr, args...)
	os.Exit(code)
}
