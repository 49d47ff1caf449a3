package benchmarks

import (
	"net/http"
	"strings"
)

// Config is one middleware configuration, written in this library's
// syntax; each Library translates it as faithfully as its API allows.
type Config struct {
	Name        string
	Origins     []string
	Credentials bool
	// AllowedOrigin is an origin the configuration allows; RefusedOrigin
	// one it refuses, or "" when the configuration allows every origin.
	AllowedOrigin string
	RefusedOrigin string
}

// AllowsAnyOrigin reports whether the configuration is the "*" one.
func (c Config) AllowsAnyOrigin() bool {
	return len(c.Origins) == 1 && c.Origins[0] == "*"
}

// Methods and Headers are allowed by every configuration.
var (
	Methods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete}
	Headers = []string{"Authorization", "Content-Type"}
)

// Configs lists the configurations, in report order.
func Configs() []Config {
	many := make([]string, 0, 101)
	for i := range 100 {
		many = append(many, "https://site"+threeDigits(i)+".example.org")
	}
	many = append(many, "https://*.example.com")
	return []Config{
		{
			Name:          "one_origin_creds",
			Origins:       []string{"https://app.example.com"},
			Credentials:   true,
			AllowedOrigin: "https://app.example.com",
			RefusedOrigin: "https://attacker.example.net",
		},
		{
			// The allowed origin is let in by the subdomain wildcard, after
			// the 100 exact origins have failed to match it.
			Name:          "101_origins_creds",
			Origins:       many,
			Credentials:   true,
			AllowedOrigin: "https://app.example.com",
			RefusedOrigin: "https://attacker.example.net",
		},
		{
			Name:          "any_origin",
			Origins:       []string{"*"},
			AllowedOrigin: "https://app.example.com",
		},
	}
}

// threeDigits is i, from 0 to 999, in three digits: "007".
func threeDigits(i int) string {
	return string([]byte{byte('0' + i/100), byte('0' + i/10%10), byte('0' + i%10)})
}

// Expect is what a scenario's name promises about the response.
type Expect int

const (
	// ExpectRefused: an actual request (or one without Origin) gets no
	// Access-Control-Allow-Origin.
	ExpectRefused Expect = iota
	// ExpectAllowed: an actual request gets the right
	// Access-Control-Allow-Origin (and -Credentials with credentials).
	ExpectAllowed
	// ExpectPreflightAllowed: ok status, ACAO, ACAM naming the method and
	// ACAH covering the requested headers.
	ExpectPreflightAllowed
	// ExpectPreflightRefused: a preflight gets no ACAO.
	ExpectPreflightRefused
)

// String is what the outcome table says the scenario expects: "allowed"
// or "refused".
func (e Expect) String() string {
	switch e {
	case ExpectAllowed, ExpectPreflightAllowed:
		return "allowed"
	default:
		return "refused"
	}
}

// IsPreflight reports whether the scenario's request is a preflight.
func (e Expect) IsPreflight() bool {
	return e == ExpectPreflightAllowed || e == ExpectPreflightRefused
}

// Scenario is one request sent under one configuration.
type Scenario struct {
	Config Config
	Name   string
	Expect Expect
	// WildcardOK: with "*" configured, a response carrying
	// "Access-Control-Allow-Origin: *" is as correct as one without CORS
	// headers (no Origin, or an Origin no browser can send).
	WildcardOK bool
	// Request is built once and sent on every iteration; nil when the
	// scenario cannot exist under this configuration (see NA).
	Request *http.Request
	NA      string
	// ACRH is the requested-headers list a preflight carries ("" if none).
	ACRH []string
	// Size is the number of configured origins in the origin-count sweep
	// (0 in the matrix).
	Size int
}

// FullName is "<config>/<request>", the benchmark's name without library.
func (s *Scenario) FullName() string { return s.Config.Name + "/" + s.Name }

// Request names, in report order.
const (
	NoOrigin          = "no_origin"
	ActualAllowed     = "actual_allowed"
	ActualRefused     = "actual_refused"
	PreflightAllowed  = "preflight_allowed"
	PreflightRefused  = "preflight_refused"
	PreflightACRH1K   = "preflight_acrh_1KiB"
	PreflightACRH64K  = "preflight_acrh_64KiB"
	PreflightACRH1M   = "preflight_acrh_1MiB"
	PreflightACRH1024 = "preflight_acrh_1024_lines"
	ActualOrigin1M    = "actual_origin_1MiB"
)

// Hostile reports whether the request is one of the hostile preflights.
func Hostile(request string) bool {
	switch request {
	case PreflightACRH1K, PreflightACRH64K, PreflightACRH1M, PreflightACRH1024:
		return true
	}
	return false
}

const (
	kib = 1 << 10
	mib = 1 << 20
)

// hostileList is "a," repeated up to size bytes.
func hostileList(size int) string { return strings.Repeat("a,", size/2) }

// hostileOrigin is a 1 MiB origin shaped like a subdomain of the
// configured wildcard, as long as no DNS name can be.
func hostileOrigin() string {
	const prefix, suffix = "https://", ".example.com"
	return prefix + strings.Repeat("a", mib-len(prefix)-len(suffix)) + suffix
}

// Scenarios builds every request of every configuration once.
func Scenarios() []*Scenario {
	acrh1K, acrh64K, acrh1M := hostileList(kib), hostileList(64*kib), hostileList(mib)
	lines := make([]string, 1024)
	for i := range lines {
		lines[i] = "a"
	}
	origin1M := hostileOrigin()

	var out []*Scenario
	for _, c := range Configs() {
		add := func(name string, e Expect, r *http.Request, na string) *Scenario {
			s := &Scenario{Config: c, Name: name, Expect: e, Request: r, NA: na}
			out = append(out, s)
			return s
		}
		add(NoOrigin, ExpectRefused, actual(""), "").WildcardOK = c.AllowsAnyOrigin()
		add(ActualAllowed, ExpectAllowed, actual(c.AllowedOrigin), "")
		if c.RefusedOrigin == "" {
			add(ActualRefused, ExpectRefused, nil, "every origin is allowed")
		} else {
			add(ActualRefused, ExpectRefused, actual(c.RefusedOrigin), "")
		}
		add(PreflightAllowed, ExpectPreflightAllowed,
			preflight(c.AllowedOrigin, "authorization,content-type"), "").ACRH = []string{"authorization", "content-type"}
		if c.RefusedOrigin == "" {
			add(PreflightRefused, ExpectPreflightRefused, nil, "every origin is allowed")
		} else {
			add(PreflightRefused, ExpectPreflightRefused,
				preflight(c.RefusedOrigin, "authorization,content-type"), "")
		}
		add(PreflightACRH1K, ExpectPreflightRefused, preflight(c.AllowedOrigin, acrh1K), "")
		add(PreflightACRH64K, ExpectPreflightRefused, preflight(c.AllowedOrigin, acrh64K), "")
		add(PreflightACRH1M, ExpectPreflightRefused, preflight(c.AllowedOrigin, acrh1M), "")
		add(PreflightACRH1024, ExpectPreflightRefused, preflight(c.AllowedOrigin, lines...), "")
		add(ActualOrigin1M, ExpectRefused, actual(origin1M), "").WildcardOK = c.AllowsAnyOrigin()
	}
	return out
}

// actual is a GET to the API from origin ("" for a request without Origin).
func actual(origin string) *http.Request {
	r, err := http.NewRequest(http.MethodGet, "https://api.example.com/resource", nil)
	if err != nil {
		panic(err)
	}
	if origin != "" {
		r.Header["Origin"] = []string{origin}
	}
	return r
}

// preflight is a preflight from origin for a PUT, whose
// Access-Control-Request-Headers lines are acrh.
func preflight(origin string, acrh ...string) *http.Request {
	r, err := http.NewRequest(http.MethodOptions, "https://api.example.com/resource", nil)
	if err != nil {
		panic(err)
	}
	r.Header["Origin"] = []string{origin}
	r.Header["Access-Control-Request-Method"] = []string{http.MethodPut}
	r.Header["Access-Control-Request-Headers"] = acrh
	return r
}

// AllocTarget is the most heap allocations (amortised, as allocs/op
// reports them) our middleware may make while serving any request of the
// matrix: none. Header value slots come from per-policy chunks, so an
// allocation is shared by hundreds of responses. The one exception,
// merging a Vary line an earlier layer set, is not in the matrix but in
// BenchmarkVaryMerge (VaryMergeAllocTarget).
const AllocTarget = 0

// VaryMergeAllocTarget is the most allocations our middleware may make to
// merge "Vary: Origin" into a Vary line an earlier layer set: the merged
// line is a new string.
const VaryMergeAllocTarget = 1
