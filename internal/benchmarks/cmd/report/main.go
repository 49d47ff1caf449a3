// Command report runs the benchmarks of this module with `go test -bench`
// and prints a Markdown report: the machine, the outcome of every library
// in every scenario, and per scenario the median ns/op, B/op and allocs/op
// of every library with the ratio of ours to the fastest peer.
//
// Run it from internal/benchmarks:
//
//	go run ./cmd/report [-count 6] [-benchtime 200ms] [-raw bench.txt]
//
// The -raw file holds the untouched `go test` output, for benchstat.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"github.com/crossorigin/cors/internal/benchmarks"
)

func main() {
	count := flag.Int("count", 6, "runs of each benchmark (the report shows medians)")
	benchtime := flag.String("benchtime", "200ms", "go test -benchtime for each run")
	bench := flag.String("bench", "^(BenchmarkCORS|BenchmarkNew)$", "go test -bench pattern")
	raw := flag.String("raw", "", "also write the raw go test output to this file (for benchstat)")
	flag.Parse()

	out, err := runBenchmarks(*bench, *benchtime, *count)
	if *raw != "" {
		if werr := os.WriteFile(*raw, out, 0o644); werr != nil {
			fmt.Fprintln(os.Stderr, "report:", werr)
			os.Exit(1)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "report: go test:", err)
		os.Exit(1)
	}
	results, env := Parse(bytes.NewReader(out))
	env.Run = fmt.Sprintf("`-count %d -benchtime %s`, medians", *count, *benchtime)
	env.CPUs = runtime.NumCPU()
	if env.CPU == "" {
		env.CPU = cpuModel()
	}
	if v, err := exec.Command("go", "env", "GOVERSION").Output(); err == nil {
		env.Go = strings.TrimSpace(string(v))
	}
	Write(os.Stdout, env, results, benchmarks.Matrix())
}

// runBenchmarks runs go test in this module, echoing its output to stderr
// as it goes, and returns that output.
func runBenchmarks(bench, benchtime string, count int) ([]byte, error) {
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		return nil, fmt.Errorf("locating the module: %w", err)
	}
	cmd := exec.Command("go", "test", "-run", "^$", "-bench", bench, "-benchmem",
		"-count", fmt.Sprint(count), "-benchtime", benchtime, ".")
	cmd.Dir = strings.TrimSpace(string(dir))
	var buf bytes.Buffer
	cmd.Stdout = io.MultiWriter(&buf, os.Stderr)
	cmd.Stderr = os.Stderr
	err = cmd.Run()
	return buf.Bytes(), err
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
