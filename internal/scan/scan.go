// Package scan looks for CORS answers that trust origins they should not. It sends an actual GET and a
// preflight from each origin of a battery derived from the origin an API is meant to trust (an unrelated
// origin, null, lookalikes, the http variant, an arbitrary subdomain, "*") and judges the answers into
// findings, each with an id, a severity, the evidence and the fix.
//
// The corscheck command (-scan) and the corstest package (Scan, ScanURL) are its front ends: the ids and
// severities are theirs, and a stable contract (docs/corscheck.md lists them).
package scan

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/crossorigin/cors/internal/fetch"
	"github.com/crossorigin/cors/internal/header"
)

// Finding ids.
const (
	IDReflectsAny          = "reflects-any-origin"
	IDAllowsNull           = "allows-null-origin"
	IDLookalike            = "lookalike-origin"
	IDInsecureOrigin       = "insecure-origin-trusted"
	IDAnySubdomain         = "any-subdomain-trusted"
	IDWildcardCreds        = "wildcard-with-credentials"
	IDMissingVary          = "missing-vary-origin"
	IDPreflightNotAnswered = "preflight-not-answered"
)

// Severities, the most severe first.
const (
	SeverityCritical = "critical"
	SeverityHigh     = "high"
	SeverityMedium   = "medium"
	SeverityLow      = "low"
	SeverityInfo     = "info"
)

// Finding is one dangerous answer.
type Finding struct {
	ID       string              `json:"id"`
	Severity string              `json:"severity"`
	Origin   string              `json:"origin"`   // the Origin sent
	Evidence map[string][]string `json:"evidence"` // the response's CORS headers, by lower-case name
	Message  string              `json:"message"`
	Fix      string              `json:"fix"`
}

// Severe reports whether the finding is high or critical: what fails a scan.
func (f *Finding) Severe() bool {
	return f.Severity == SeverityCritical || f.Severity == SeverityHigh
}

// An OriginError says that the trusted origin given is not one a browser sends.
type OriginError struct {
	Origin string
	Reason string
}

func (e *OriginError) Error() string { return e.Reason }

// A DeriveError says that no trusted origin can be derived from the API's host: the caller must give one.
type DeriveError struct {
	Host string
}

func (e *DeriveError) Error() string {
	return fmt.Sprintf("cannot derive a trusted origin from %s", e.Host)
}

// probe kinds: what an origin of the battery stands for.
const (
	probeUnrelated = "unrelated"
	probeNull      = "null"
	probeLookalike = "lookalike"
	probeInsecure  = "insecure"
	probeSubdomain = "subdomain"
	probeStar      = "star"
	probeTrusted   = "trusted"
)

type probe struct {
	kind   string
	origin string
	what   string // how it relates to the trusted origin, for messages
}

// answer is what one origin got: the actual GET's response and the preflight's, with its status.
type answer struct {
	probe
	get, pre        http.Header
	preflightStatus int
}

// Scanner sends a scan's requests to one URL.
type Scanner struct {
	// Transport sends every request: [fetch.NewTransport] for a live API, [fetch.HandlerTransport]
	// in-process.
	Transport http.RoundTripper
	// Timeout bounds each request, from sending it to reading its response; zero means no bound but
	// the context's.
	Timeout time.Duration
	// URL is the API scanned: an absolute http or https URL.
	URL *url.URL
}

// send sends one request with the headers, boundedly, and returns the response status and headers.
func (s *Scanner) send(parent context.Context, method string, h http.Header) (int, http.Header, error) {
	ctx, cancel := parent, context.CancelFunc(func() {})
	if s.Timeout > 0 {
		ctx, cancel = context.WithTimeout(parent, s.Timeout)
	}
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, s.URL.String(), nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header = h
	req.Header.Set("User-Agent", fetch.DefaultUserAgent)
	req.Header.Set("Accept", "*/*")
	res, err := s.Transport.RoundTrip(req)
	if err != nil {
		if parent.Err() != nil {
			return 0, nil, fmt.Errorf("%s %s: %w", method, s.URL, context.Cause(parent))
		}
		if ctx.Err() != nil {
			return 0, nil, fmt.Errorf("%s %s: no response within %s", method, s.URL, s.Timeout)
		}
		return 0, nil, fmt.Errorf("%s %s: %w", method, s.URL, err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, fetch.DefaultBodyLimit))
	res.Body.Close()
	return res.StatusCode, res.Header, nil
}

func (s *Scanner) ask(ctx context.Context, p probe) (answer, error) {
	a := answer{probe: p}
	_, h, err := s.send(ctx, http.MethodGet, http.Header{header.Origin: {p.origin}, "Sec-Fetch-Mode": {"cors"}})
	if err != nil {
		return a, err
	}
	a.get = h
	status, h, err := s.send(ctx, http.MethodOptions, http.Header{
		header.Origin: {p.origin}, header.AccessControlRequestMethod: {"GET"}, "Sec-Fetch-Mode": {"cors"},
	})
	if err != nil {
		return a, err
	}
	a.pre, a.preflightStatus = h, status
	return a, nil
}

// allows reports whether h grants exactly origin, and with credentials.
func allows(h http.Header, origin string) (allowed, credentials bool) {
	vs := h.Values(header.AccessControlAllowOrigin)
	if len(vs) != 1 || vs[0] != origin {
		return false, false
	}
	return true, h.Get(header.AccessControlAllowCredentials) == "true"
}

// evidence is the CORS part of a response's headers.
func evidence(h http.Header) map[string][]string {
	out := map[string][]string{}
	for k, vs := range h {
		if header.IsDecisive(k) {
			out[header.Lower(k)] = append([]string(nil), vs...)
		}
	}
	return out
}

// battery derives the origins to try from the trusted one, a serialized origin ([fetch.ParseOrigin]).
func battery(trusted string) ([]probe, error) {
	t, err := url.Parse(trusted)
	if err != nil || t.Host == "" {
		return nil, fmt.Errorf("%q is not an origin to build lookalikes of", trusted)
	}
	scheme, host, port := t.Scheme, t.Hostname(), t.Port()
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // IPv6, as an origin writes it
	}
	if port != "" {
		port = ":" + port
	}
	domain := fetch.RegistrableDomain(host)
	ps := []probe{
		{probeUnrelated, "https://corscheck-attacker.example", "an unrelated origin"},
		{probeNull, "null", "the opaque origin null"},
		{probeLookalike, scheme + "://evil-" + domain + port, "a domain ending with " + domain},
		{probeLookalike, scheme + "://not" + domain + port, "a domain ending with " + domain},
		{probeLookalike, scheme + "://" + host + ".evil.net" + port, "a domain starting with " + host},
		{probeLookalike, scheme + "://" + host + "_.evil.net" + port, "an origin with '_' after " + host},
		{probeLookalike, scheme + "://" + host + "`.evil.net" + port, "an origin with '`' after " + host},
		{probeLookalike, scheme + "://" + host + "%60.evil.net" + port, "an origin with '%60' after " + host},
		{probeSubdomain, scheme + "://corscheck-probe." + domain + port, "an arbitrary subdomain of " + domain},
		{probeStar, "*", "the literal origin *"},
	}
	if domain != host {
		ps = append(ps, probe{probeLookalike, scheme + "://" + domain + ".evil.net" + port, "a domain starting with " + domain})
	}
	if scheme == "https" {
		ps = append(ps, probe{probeInsecure, "http://" + host + port, "the http variant of " + trusted})
	}
	return ps, nil
}

// batteries joins the battery of each trusted origin, each origin asked once and none of the trusted
// ones among the probes: an API may check each origin it allows its own way, right for one and wrong for
// another (an exact www, a prefix match for app), so every one gets its lookalikes.
func batteries(trusted []string) ([]probe, error) {
	seen := make(map[string]bool, len(trusted))
	for _, t := range trusted {
		seen[t] = true
	}
	var out []probe
	for _, t := range trusted {
		ps, err := battery(t)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if !seen[p.origin] {
				seen[p.origin] = true
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// likelyFrontends are the origins that probably serve the pages calling an API on host: https on its
// registrable domain, its www and its app subdomains (just the address itself for an IP address). It
// fails when they are no origin a browser sends (a host with a zone or a percent sign in it), for
// every lookalike of the scan would be built on them.
func likelyFrontends(host string) ([]string, error) {
	domain := fetch.RegistrableDomain(host)
	candidates := []string{"https://" + domain, "https://www." + domain, "https://app." + domain}
	if strings.Contains(domain, ":") {
		candidates = []string{"https://[" + domain + "]"} // IPv6: no subdomains
	} else if net.ParseIP(domain) != nil {
		candidates = candidates[:1]
	}
	for _, c := range candidates {
		if _, err := fetch.ParseOrigin(c); err != nil {
			return nil, &DeriveError{Host: host}
		}
	}
	return candidates, nil
}

// Run runs the battery against s.URL and returns the findings, the most severe first. trusted is the
// origin the API is meant to allow; "" derives likely ones from the URL's registrable domain (a
// [*DeriveError] when none can be), and the battery is then built on each of them the API allows. A
// trusted origin a browser never sends is an [*OriginError].
func (s *Scanner) Run(ctx context.Context, trusted string) ([]Finding, error) {
	if err := checkTrusted(trusted); err != nil {
		return nil, err
	}
	var candidates []string
	if trusted == "" {
		c, err := likelyFrontends(s.URL.Hostname())
		if err != nil {
			return nil, err
		}
		candidates = c
	}
	// The request without Origin comes first: if it fails, the server is not reachable at all.
	_, plain, err := s.send(ctx, http.MethodGet, http.Header{})
	if err != nil {
		return nil, err
	}
	trustedOrigins := []string{trusted}
	if trusted == "" {
		if trustedOrigins, err = s.allowedAmong(ctx, candidates); err != nil {
			return nil, err
		}
		if len(trustedOrigins) > 0 {
			trusted = trustedOrigins[0]
		} else {
			trustedOrigins = candidates[:1] // lookalikes of a likely frontend, none of them trusted
		}
	}
	probes, err := batteries(trustedOrigins)
	if err != nil {
		return nil, err
	}
	if trusted != "" {
		probes = append([]probe{{probeTrusted, trusted, "the trusted origin"}}, probes...)
	}
	answers, err := s.askAll(ctx, probes)
	if err != nil {
		return nil, err
	}
	return judge(answers, plain), nil
}

// checkTrusted refuses a trusted origin that no page has ("null", a malformed value); "" is accepted.
func checkTrusted(trusted string) error {
	switch trusted {
	case "":
		return nil
	case "null":
		return &OriginError{Origin: trusted, Reason: "null cannot be a trusted origin"}
	}
	if _, err := fetch.ParseOrigin(trusted); err != nil {
		return &OriginError{Origin: trusted, Reason: err.Error()}
	}
	return nil
}

// allowedAmong returns the candidates the API allows, in order.
func (s *Scanner) allowedAmong(ctx context.Context, candidates []string) ([]string, error) {
	var out []string
	for _, c := range candidates {
		_, h, err := s.send(ctx, http.MethodGet, http.Header{header.Origin: {c}})
		if err != nil {
			return nil, err
		}
		if ok, _ := allows(h, c); ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// askAll asks every probe. A server that drops the connection over an odd Origin (a lookalike, "*")
// gives no finding for it; any other error, and the end of the run's own time, ends the scan.
func (s *Scanner) askAll(ctx context.Context, probes []probe) ([]answer, error) {
	var answers []answer
	for _, p := range probes {
		a, err := s.ask(ctx, p)
		if err != nil {
			if (p.kind == probeLookalike || p.kind == probeStar) && ctx.Err() == nil {
				continue
			}
			return nil, err
		}
		answers = append(answers, a)
	}
	return answers, nil
}
