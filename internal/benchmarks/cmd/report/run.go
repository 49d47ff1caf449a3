package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// allParts are the sections -parts can name, in report order.
var allParts = []string{"cors", "parallel", "origins", "new", "vary", "e2e"}

// parseParts reads -parts: the comma-separated sections to run, each one
// of allParts.
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
