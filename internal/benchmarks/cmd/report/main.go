// Command report runs the benchmarks of this module with `go test -bench`
// and prints a Markdown report: the machine, the outcome of every library
// in every scenario, and per scenario the median ns/op, B/op and allocs/op
// of every library with the ratio of ours to the fastest peer.
//
// Run it from internal/benchmarks:
//
//	go run ./cmd/report [-count 6] [-benchtime 200ms] [-stat median|min] [-raw bench.txt]
//
// The -raw file holds the untouched benchmark output, for benchstat.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/crossorigin/cors/internal/benchmarks"
)

func main() {
	count := flag.Int("count", 6, "passes over all benchmarks (reduced by -stat)")
	benchtime := flag.String("benchtime", "200ms", "go test -benchtime for each run")
	bench := flag.String("bench", "^(BenchmarkCORS|BenchmarkNew)$", "go test -bench pattern")
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
	var out []byte
	var err error
	loadBefore := loadAverage()
	if *from != "" {
		out, err = os.ReadFile(*from)
	} else {
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
	Write(os.Stdout, env, results, benchmarks.Matrix())
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
