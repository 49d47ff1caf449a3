package main

import (
	"bufio"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Sample is one benchmark line.
type Sample struct{ NsPerOp, BytesPerOp, AllocsPerOp float64 }

// Result gathers the samples of one benchmark, named without the
// "Benchmark" prefix's -GOMAXPROCS suffix.
type Result struct {
	Name    string
	Samples []Sample
}

// Statistic reduces a benchmark's samples to one, metric by metric.
type Statistic func(sorted []float64) float64

// Median is the middle sample (the mean of the middle two for an even count).
func Median(v []float64) float64 {
	if n := len(v); n%2 == 1 {
		return v[n/2]
	} else {
		return (v[n/2-1] + v[n/2]) / 2
	}
}

// Min is the lowest sample: load on the machine only ever adds time, so on
// a busy machine it is the better estimate of the code's own cost.
func Min(v []float64) float64 { return v[0] }

// Stat is the statistic the report shows.
var Stat Statistic = Median

// Median is the per-metric median over the samples.
func (r *Result) Median() Sample { return r.Reduce(Median) }

// Reduce applies stat to each metric over the samples.
func (r *Result) Reduce(stat Statistic) Sample {
	pick := func(f func(Sample) float64) float64 {
		v := make([]float64, len(r.Samples))
		for i, s := range r.Samples {
			v[i] = f(s)
		}
		slices.Sort(v)
		return stat(v)
	}
	return Sample{
		NsPerOp:     pick(func(s Sample) float64 { return s.NsPerOp }),
		BytesPerOp:  pick(func(s Sample) float64 { return s.BytesPerOp }),
		AllocsPerOp: pick(func(s Sample) float64 { return s.AllocsPerOp }),
	}
}

// Env is what the report says about where the numbers come from.
type Env struct {
	GOOS, GOARCH, CPU, Go, Run, Load, Stat, Library string
	CPUs                                            int
}

var (
	lineRE  = regexp.MustCompile(`^(Benchmark\S+)\s+\d+\s+(.*)$`)
	procsRE = regexp.MustCompile(`-\d+$`)
)

// Parse reads `go test -bench -benchmem` output.
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
		var s Sample
		fields := strings.Fields(m[2])
		for i := 0; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			switch fields[i+1] {
			case "ns/op":
				s.NsPerOp = v
			case "B/op":
				s.BytesPerOp = v
			case "allocs/op":
				s.AllocsPerOp = v
			}
		}
		res := results[name]
		if res == nil {
			res = &Result{Name: name}
			results[name] = res
		}
		res.Samples = append(res.Samples, s)
	}
	return results, env
}
