package benchmarks

import "time"

// The end-to-end figures: a run's throughput, latencies and CPU time, and
// each handler's overhead set against another's in the same rounds.

// E2EResult is one end-to-end run.
type E2EResult struct {
	Requests  int             // completed, each with status 200
	Elapsed   time.Duration   // from the first request to the last response
	Latencies []time.Duration // per request, sorted
	// Stopped: the time bound ended the run before Requests reached the
	// number asked for.
	Stopped bool
	// CPU is the CPU time the whole process (clients and server alike) used
	// during the run, 0 where it cannot be read. Load from other processes
	// slows the wall clock but barely changes it, so its per-request
	// difference from the bare handler's is the steadier estimate of a
	// middleware's cost on a busy machine.
	CPU time.Duration
}

// CPUPerRequest is the process's CPU time per request of the run.
func (r E2EResult) CPUPerRequest() time.Duration {
	if r.Requests == 0 {
		return 0
	}
	return r.CPU / time.Duration(r.Requests)
}

// RequestsPerSecond is the throughput of the run.
func (r E2EResult) RequestsPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Quantile is the latency below which fraction q of the requests
// completed (nearest rank).
func (r E2EResult) Quantile(q float64) time.Duration {
	n := len(r.Latencies)
	if n == 0 {
		return 0
	}
	i := int(q*float64(n)+0.999999) - 1
	return r.Latencies[max(0, min(n-1, i))]
}

// E2ETarget is the most our middleware may cost end to end, as a fraction
// of the bare handler's requests per second.
const E2ETarget = 0.02

// Overheads is, round by round, how much lower name's throughput was than
// the bare handler's in the same round, as a fraction (0.01 = 1% fewer
// requests per second; negative when it was faster).
func Overheads(series []E2ESeries, name string) []float64 {
	return OverheadsAgainst(series, name, Bare)
}

// OverheadsAgainst is Overheads set against base instead of the bare handler.
func OverheadsAgainst(series []E2ESeries, name, base string) []float64 {
	return paired(series, name, base, func(lib, bare E2EResult) (float64, bool) {
		b := bare.RequestsPerSecond()
		return 1 - lib.RequestsPerSecond()/b, b > 0
	})
}

// CPUOverheads is, round by round, how much more CPU time per request the
// process used serving name than serving the bare handler in the same
// round, as a fraction of the bare handler's (0.01 = 1% more).
func CPUOverheads(series []E2ESeries, name string) []float64 {
	return CPUOverheadsAgainst(series, name, Bare)
}

// CPUOverheadsAgainst is CPUOverheads set against base instead of the bare
// handler.
func CPUOverheadsAgainst(series []E2ESeries, name, base string) []float64 {
	return paired(series, name, base, func(lib, bare E2EResult) (float64, bool) {
		b := bare.CPUPerRequest()
		return float64(lib.CPUPerRequest())/float64(b) - 1, b > 0
	})
}

// paired applies f to name's rounds and base's same rounds, keeping the
// values f says are defined.
func paired(series []E2ESeries, name, base string, f func(lib, base E2EResult) (float64, bool)) []float64 {
	var bare, lib *E2ESeries
	for i := range series {
		if series[i].Name == base {
			bare = &series[i]
		}
		if series[i].Name == name {
			lib = &series[i]
		}
	}
	if bare == nil || lib == nil {
		return nil
	}
	out := make([]float64, 0, len(lib.Rounds))
	for r := range min(len(bare.Rounds), len(lib.Rounds)) {
		if v, ok := f(lib.Rounds[r], bare.Rounds[r]); ok {
			out = append(out, v)
		}
	}
	return out
}
