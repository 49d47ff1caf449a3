package main

import (
	"bufio"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Sample is one benchmark line.
type Sample struct{ NsPerOp, BytesPerOp, AllocsPerOp float64 }

// Result gathers the samples of one benchmark, named as go test prints it
// ("BenchmarkCORS/<config>/<request>/<library>") without the -GOMAXPROCS
// suffix.
type Result struct {
	Name    string
	Samples []Sample
}

// lineRE matches a benchmark line, capturing its name and what follows the
// iteration count; procsRE matches the name's -GOMAXPROCS suffix.
var (
	lineRE  = regexp.MustCompile(`^(Benchmark\S+)\s+\d+\s+(.*)$`)
	procsRE = regexp.MustCompile(`-\d+$`)
)

// Parse reads `go test -bench -benchmem` output: every benchmark line is a
// sample of its benchmark, and the goos, goarch and cpu lines describe the
// machine.
func Parse(r io.Reader) (map[string]*Result, Env) {
	results := map[string]*Result{}
	var env Env
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if k, v, ok := strings.Cut(line, ": "); ok {
			switch k {
			case "goos":
				env.GOOS = v
			case "goarch":
				env.GOARCH = v
			case "cpu":
				env.CPU = strings.TrimSpace(v) // go test pads the model name
			}
		}
		m := lineRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		name := procsRE.ReplaceAllString(m[1], "")
		res := results[name]
		if res == nil {
			res = &Result{Name: name}
			results[name] = res
		}
		res.Samples = append(res.Samples, parseSample(m[2]))
	}
	return results, env
}

// parseSample reads the "<value> <unit>" pairs after a benchmark line's
// iteration count; units other than ns/op, B/op and allocs/op are skipped.
func parseSample(fields string) Sample {
	var s Sample
	f := strings.Fields(fields)
	for i := 0; i+1 < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			continue
		}
		switch f[i+1] {
		case "ns/op":
			s.NsPerOp = v
		case "B/op":
			s.BytesPerOp = v
		case "allocs/op":
			s.AllocsPerOp = v
		}
	}
	return s
}
