package main

import (
	"math"
	"slices"
)

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

// quantile interpolates linearly between the nearest ranks of sorted v.
func quantile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	pos := q * float64(len(v)-1)
	i := int(pos)
	if i+1 >= len(v) {
		return v[len(v)-1]
	}
	return v[i] + (pos-float64(i))*(v[i+1]-v[i])
}

// spread is the median, lowest and highest of v (zeros when empty).
func spread(v []float64) (med, lo, hi float64) {
	if len(v) == 0 {
		return 0, 0, 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return Median(s), s[0], s[len(s)-1]
}
