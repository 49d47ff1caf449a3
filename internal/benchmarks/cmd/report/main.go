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
//	                    [-parts cors,parallel,origins,new,vary,e2e]
//	                    [-e2e-rounds 80] [-e2e-requests 10000] [-e2e-conns 4] [-e2e-max 6m]
//
// The -raw file holds the untouched benchmark output, for benchstat.
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/crossorigin/cors/internal/benchmarks"
)

func main() {
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
		fmt.Fprintln(os.Stderr, "report: -stat must be median or min")
		os.Exit(2)
	}
	want, err := parseParts(*parts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(2)
	}
	if *bench == "" {
		*bench = benchPattern(want)
	}
	var out []byte
	loadBefore := loadAverage()
	switch {
	case *from != "":
		out, err = os.ReadFile(*from)
	case *bench != "":
		out, err = runBenchmarks(*bench, *benchtime, *count)
	}
	if *raw != "" && *from == "" {
		if werr := os.WriteFile(*raw, out, 0o644); werr != nil {
			fmt.Fprintln(os.Stderr, "report:", werr)
			os.Exit(1)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
	var e2e *E2E
	if want["e2e"] && *from == "" {
		opts := benchmarks.E2EOptions{Rounds: *e2eRounds, PerRound: *e2eRequests, Conns: *e2eConns, MaxTime: *e2eMax}
		series, err := benchmarks.RunE2ESuite(context.Background(), opts, os.Stderr)
		if err != nil {
			fmt.Fprintln(os.Stderr, "report: end to end:", err)
			os.Exit(1)
		}
		e2e = &E2E{Options: opts, Series: series}
	}
	results, env := Parse(bytes.NewReader(out))
	env.Run = fmt.Sprintf("%d pass(es) of `-benchtime %s`", *count, *benchtime)
	env.Load = loadBefore + " before, " + loadAverage() + " after"
	if *from != "" {
		env.Run, env.Load = "from "+*from, "not recorded"
	}
	env.Stat = *stat
	env.CPUs = runtime.NumCPU()
	if env.CPU == "" {
		env.CPU = cpuModel()
	}
	if v, err := exec.Command("go", "env", "GOVERSION").Output(); err == nil {
		env.Go = strings.TrimSpace(string(v))
	}
	if *from == "" {
		env.Library = libraryRevision()
	}
	Write(os.Stdout, env, results, e2e)
}

// allParts are the sections -parts can name, in report order.
var allParts = []string{"cors", "parallel", "origins", "new", "vary", "e2e"}

func parseParts(s string) (map[string]bool, error) {
	want := map[string]bool{}
	for p := range strings.SplitSeq(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !slices.Contains(allParts, p) {
			return nil, fmt.Errorf("-parts: no part %q (have %s)", p, strings.Join(allParts, ", "))
		}
		want[p] = true
	}
	return want, nil
}

// benchPattern is the go test -bench pattern of the parts, "" for none.
func benchPattern(want map[string]bool) string {
	names := map[string]string{"cors": "BenchmarkCORS", "parallel": "BenchmarkCORSParallel",
		"origins": "BenchmarkOrigins", "new": "BenchmarkNew", "vary": "BenchmarkVaryMerge"}
	var alt []string
	for _, p := range allParts {
		if want[p] && names[p] != "" {
			alt = append(alt, names[p])
		}
	}
	if len(alt) == 0 {
		return ""
	}
	return "^(" + strings.Join(alt, "|") + ")$"
}

// runBenchmarks builds the module's test binary once, then runs every
// benchmark once per pass, count passes in a row, so that a burst of load
// on the machine spreads over the libraries instead of landing on one. The
// output, echoed to stderr as it comes, is what `go test -bench` prints.
func runBenchmarks(bench, benchtime string, count int) ([]byte, error) {
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		return nil, fmt.Errorf("locating the module: %w", err)
	}
	tmp, err := os.MkdirTemp("", "cors-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "benchmarks.test")
	build := exec.Command("go", "test", "-c", "-o", bin, ".")
	build.Dir = strings.TrimSpace(string(dir))
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("building the test binary: %w", err)
	}
	var buf bytes.Buffer
	for pass := 1; pass <= count; pass++ {
		fmt.Fprintf(os.Stderr, "report: pass %d of %d\n", pass, count)
		cmd := exec.Command(bin, "-test.run", "^$", "-test.bench", bench, "-test.benchmem",
			"-test.count", "1", "-test.benchtime", benchtime)
		cmd.Dir = build.Dir
		cmd.Stdout = io.MultiWriter(&buf, os.Stderr)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return buf.Bytes(), err
		}
	}
	return buf.Bytes(), nil
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

// loadAverage is the 1-minute load average: other work on the machine
// inflates every timing, so the report states it.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Fields(string(b) + " unknown")[0]
}

// libraryRevision names the commit of the library the benchmarks were built
// from (they build the working tree, through the replace directive), and
// says whether its Go files had uncommitted changes.
func libraryRevision() string {
	root, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/crossorigin/cors").Output()
	if err != nil {
		return ""
	}
	dir := strings.TrimSpace(string(root))
	rev, err := exec.Command("git", "-C", dir, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return ""
	}
	s := "library at " + strings.TrimSpace(string(rev))
	dirty, err := exec.Command("git", "-C", dir, "status", "--porcelain", "--", "*.go", ":!internal/benchmarks").Output()
	if err == nil && len(bytes.TrimSpace(dirty)) > 0 {
		s += " plus uncommitted changes"
	}
	return s
}
