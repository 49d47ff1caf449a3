package benchmarks

import (
	"net/http"
	"strconv"
)

// SweepSizes are the numbers of configured origins in the origin-count
// sweep: a multi-tenant API lists every customer's domain, so its cost per
// request must not grow with the number of customers.
var SweepSizes = []int{1, 100, 1000, 10000}

// Kinds of configured origin in the sweep.
const (
	KindExact     = "exact"     // https://customer-N.com
	KindSubdomain = "subdomain" // https://*.customer-N.com
)

// Sweep request names, in report order.
const (
	SweepActualExact        = "actual_exact"
	SweepActualSubdomain    = "actual_subdomain"
	SweepActualRefused      = "actual_refused"
	SweepPreflightExact     = "preflight_exact"
	SweepPreflightSubdomain = "preflight_subdomain"
	SweepPreflightRefused   = "preflight_refused"
)

// SweepRequests lists the sweep's requests in report order.
func SweepRequests() []string {
	return []string{SweepActualExact, SweepActualSubdomain, SweepActualRefused,
		SweepPreflightExact, SweepPreflightSubdomain, SweepPreflightRefused}
}

// sweepKind is the kind of configured origin a sweep request is about: the
// one that lets it in, or for a refusal the subdomain wildcard, whose
// lookup (the request host's parent domains) is the dearer one to miss.
func sweepKind(request string) string {
	switch request {
	case SweepActualExact, SweepPreflightExact:
		return KindExact
	}
	return KindSubdomain
}

// SweepRefusedOrigin is shaped like a tenant's subdomain, for a tenant
// that is not configured: it passes every cheap test and must be looked up.
const SweepRefusedOrigin = "https://app.customer-unknown.com"

// SweepOrigins is n configured origins, half exact ("https://customer-i.com")
// and half subdomain wildcards ("https://*.customer-i.com"), alternating, so
// that the last — the one a list scan reaches last — is of kind last. With
// n = 1 it is that one origin alone.
func SweepOrigins(n int, last string) []string {
	out := make([]string, n)
	for i := range out {
		kind := last
		if (n-1-i)%2 == 1 {
			kind = KindExact
			if last == KindExact {
				kind = KindSubdomain
			}
		}
		if kind == KindExact {
			out[i] = "https://customer-" + strconv.Itoa(i) + ".com"
		} else {
			out[i] = "https://*.customer-" + strconv.Itoa(i) + ".com"
		}
	}
	return out
}

// SweepConfigName names the sweep configuration of n origins whose last
// one is of kind last.
func SweepConfigName(n int, last string) string {
	return strconv.Itoa(n) + "_origins_" + last + "_last"
}

// SweepConfigs is every configuration of the sweep: for each size, one
// whose last origin is exact and one whose last is a subdomain wildcard;
// credentialed, as a multi-tenant API with sessions is.
func SweepConfigs() []Config {
	var out []Config
	for _, n := range SweepSizes {
		for _, kind := range []string{KindExact, KindSubdomain} {
			last := strconv.Itoa(n - 1)
			allowed := "https://customer-" + last + ".com"
			if kind == KindSubdomain {
				allowed = "https://app.customer-" + last + ".com"
			}
			out = append(out, Config{
				Name:          SweepConfigName(n, kind),
				Origins:       SweepOrigins(n, kind),
				Credentials:   true,
				AllowedOrigin: allowed,
				RefusedOrigin: SweepRefusedOrigin,
			})
		}
	}
	return out
}

// SweepScenarios is every request of the sweep, each under the
// configuration of its size whose last origin is of the request's kind.
func SweepScenarios() []*Scenario {
	byName := map[string]Config{}
	for _, c := range SweepConfigs() {
		byName[c.Name] = c
	}
	var out []*Scenario
	for _, n := range SweepSizes {
		for _, req := range SweepRequests() {
			c := byName[SweepConfigName(n, sweepKind(req))]
			s := &Scenario{Config: c, Name: req, Size: n}
			switch req {
			case SweepActualExact, SweepActualSubdomain:
				s.Expect, s.Request = ExpectAllowed, actual(c.AllowedOrigin)
			case SweepActualRefused:
				s.Expect, s.Request = ExpectRefused, actual(c.RefusedOrigin)
			case SweepPreflightExact, SweepPreflightSubdomain:
				s.Expect, s.Request = ExpectPreflightAllowed, preflight(c.AllowedOrigin, "authorization,content-type")
				s.ACRH = []string{"authorization", "content-type"}
			case SweepPreflightRefused:
				s.Expect, s.Request = ExpectPreflightRefused, preflight(c.RefusedOrigin, "authorization,content-type")
			}
			out = append(out, s)
		}
	}
	return out
}

// SweepBenchName is the benchmark of a sweep cell without the "Benchmark"
// prefix's procs suffix: BenchmarkOrigins/<request>/<n>/<library>.
func SweepBenchName(request string, n int, library string) string {
	return "BenchmarkOrigins/" + request + "/" + strconv.Itoa(n) + "/" + library
}

// Sweep evaluates every library on the given sweep scenarios (all of them
// when none is given), building only the configurations they need. It is
// not cached: 10,000 origins in every library make a heap that every
// later benchmark's garbage collection would have to walk.
func Sweep(scenarios ...*Scenario) []*Cell {
	if len(scenarios) == 0 {
		scenarios = SweepScenarios()
	}
	var configs []Config
	seen := map[string]bool{}
	for _, s := range scenarios {
		if !seen[s.Config.Name] {
			seen[s.Config.Name] = true
			configs = append(configs, s.Config)
		}
	}
	return Evaluate(configs, scenarios, false)
}

// SweepScenario returns the sweep scenario of a request at size n.
func SweepScenario(request string, n int) *Scenario {
	for _, s := range SweepScenarios() {
		if s.Name == request && s.Size == n {
			return s
		}
	}
	return nil
}

// FindSweep returns a library's cell for a sweep request at size n.
func FindSweep(cells []*Cell, request string, n int, library string) *Cell {
	for _, c := range cells {
		if c.Scenario.Name == request && c.Scenario.Size == n && c.Library.Name == library {
			return c
		}
	}
	return nil
}

// SweepMaxRatio is the target: with 10,000 origins a request costs at
// most this many times what it costs with one.
const SweepMaxRatio = 1.5

// NewMaxNs is the target for building our middleware with 10,000 origins.
const NewMaxNs = 20e6

// VaryMergeScenario is an allowed actual request (one_origin_creds) to which
// an earlier layer has already answered "Vary: Accept-Encoding".
func VaryMergeScenario() *Scenario {
	for _, s := range Scenarios() {
		if s.Config.Name == "one_origin_creds" && s.Name == ActualAllowed {
			return s
		}
	}
	panic("no one_origin_creds/actual_allowed scenario")
}

// EarlierVary is the Vary line the earlier layer of BenchmarkVaryMerge set.
const EarlierVary = "Accept-Encoding"

// ServeAfterVary sends r through h into w, after an earlier layer has set
// "Vary: Accept-Encoding" in scratch (a slice of length 1 the caller
// reuses, so that the harness allocates nothing; it is rewritten on every
// call, so that a merge in place cannot change the next call's input).
func ServeAfterVary(h http.Handler, w *Writer, r *http.Request, scratch []string) {
	w.Reset()
	scratch[0] = EarlierVary
	w.Header()["Vary"] = scratch[:1:1]
	h.ServeHTTP(w, r)
}

// VaryMergeBench is the name of BenchmarkVaryMerge's benchmarks, which end
// in "/<library>".
const VaryMergeBench = "BenchmarkVaryMerge"
