package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crossorigin/cors/internal/fetch"
)

// Finding ids and severities (docs/corscheck.md lists them with their meaning).
const (
	idReflectsAny     = "reflects-any-origin"
	idAllowsNull      = "allows-null-origin"
	idLookalike       = "lookalike-origin"
	idInsecureOrigin  = "insecure-origin-trusted"
	idAnySubdomain    = "any-subdomain-trusted"
	idWildcardCreds   = "wildcard-with-credentials"
	idMissingVary     = "missing-vary-origin"
	idPreflightNotAns = "preflight-not-answered"

	sevCritical = "critical"
	sevHigh     = "high"
	sevMedium   = "medium"
	sevLow      = "low"
	sevInfo     = "info"
)

type (
	finding struct {
		ID       string    `json:"id"`
		Severity string    `json:"severity"`
		Origin   string    `json:"origin"`
		Evidence headerMap `json:"evidence"`
		Message  string    `json:"message"`
		Fix      string    `json:"fix"`
	}

	scanReport struct {
		Findings []finding `json:"findings"`
	}
)

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

// answer is what one origin got: the actual GET's response and the preflight's.
type answer struct {
	probe
	get, pre http.Header
	preOK    int
}

// scanner sends the scan's requests.
type scanner struct {
	transport http.RoundTripper
	timeout   time.Duration
	url       *url.URL
}

// send sends one request with the headers, boundedly, and returns the response status and headers.
func (s *scanner) send(parent context.Context, method string, h http.Header) (int, http.Header, error) {
	ctx, cancel := context.WithTimeout(parent, s.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, s.url.String(), nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header = h
	req.Header.Set("User-Agent", fetch.DefaultUserAgent)
	req.Header.Set("Accept", "*/*")
	res, err := s.transport.RoundTrip(req)
	if err != nil {
		if parent.Err() != nil {
			return 0, nil, fmt.Errorf("%s %s: %w", method, s.url, context.Cause(parent))
		}
		if ctx.Err() != nil {
			return 0, nil, fmt.Errorf("%s %s: no response within %s", method, s.url, s.timeout)
		}
		return 0, nil, fmt.Errorf("%s %s: %w", method, s.url, err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, fetch.DefaultBodyLimit))
	res.Body.Close()
	return res.StatusCode, res.Header, nil
}

func (s *scanner) ask(ctx context.Context, p probe) (answer, error) {
	a := answer{probe: p}
	_, h, err := s.send(ctx, http.MethodGet, http.Header{"Origin": {p.origin}, "Sec-Fetch-Mode": {"cors"}})
	if err != nil {
		return a, err
	}
	a.get = h
	status, h, err := s.send(ctx, http.MethodOptions, http.Header{
		"Origin": {p.origin}, "Access-Control-Request-Method": {"GET"}, "Sec-Fetch-Mode": {"cors"},
	})
	if err != nil {
		return a, err
	}
	a.pre, a.preOK = h, status
	return a, nil
}

// allows reports whether h grants exactly origin, and with credentials.
func allows(h http.Header, origin string) (allowed, credentials bool) {
	vs := h.Values("Access-Control-Allow-Origin")
	if len(vs) != 1 || vs[0] != origin {
		return false, false
	}
	return true, h.Get("Access-Control-Allow-Credentials") == "true"
}

// evidence is the CORS part of a response's headers.
func evidence(h http.Header) headerMap {
	out := headerMap{}
	for k, vs := range h {
		if shownHeader(k) {
			out[strings.ToLower(k)] = append([]string(nil), vs...)
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
			return nil, fmt.Errorf("cannot derive a trusted origin from %s: pass -origin", host)
		}
	}
	return candidates, nil
}

// runScan scans o.url on the network.
func runScan(ctx context.Context, o *options, stdout, stderr io.Writer) int {
	return runScanWith(ctx, o, fetch.NewTransport(0), stdout, stderr)
}

// runScanWith scans o.url through transport.
func runScanWith(ctx context.Context, o *options, transport http.RoundTripper, stdout, stderr io.Writer) int {
	u, err := url.Parse(o.url)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		fmt.Fprintf(stderr, "corscheck: %s is not an absolute http or https URL\n", printable(strconv.Quote(o.url)))
		return exitTrouble
	}
	s := &scanner{transport: transport, timeout: o.timeout, url: u}
	findings, err := scan(ctx, s, o.origin)
	if err != nil {
		fmt.Fprintf(stderr, "corscheck: %s\n", printable(err.Error()))
		return exitTrouble
	}
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(scanReport{Findings: findings}); err != nil {
			fmt.Fprintf(stderr, "corscheck: %s\n", printable(err.Error()))
			return exitTrouble
		}
	} else {
		writeScan(stdout, u.String(), findings)
	}
	for _, f := range findings {
		if f.Severity == sevCritical || f.Severity == sevHigh {
			return exitFailed
		}
	}
	return exitOK
}

// scan runs the battery and returns the findings, the most severe first.
func scan(ctx context.Context, s *scanner, trusted string) ([]finding, error) {
	if trusted == "null" {
		return nil, errors.New("-origin: null cannot be a trusted origin")
	}
	if trusted != "" {
		if _, err := fetch.ParseOrigin(trusted); err != nil {
			return nil, fmt.Errorf("-origin: %v", err)
		}
	}
	var candidates []string
	if trusted == "" {
		c, err := likelyFrontends(s.url.Hostname())
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
	var trustedOrigins []string
	if trusted != "" {
		trustedOrigins = []string{trusted}
	} else {
		// Likely frontends of the URL's registrable domain; those the API allows are the trusted ones.
		for _, c := range candidates {
			_, h, err := s.send(ctx, http.MethodGet, http.Header{"Origin": {c}})
			if err != nil {
				return nil, err
			}
			if ok, _ := allows(h, c); ok {
				trustedOrigins = append(trustedOrigins, c)
			}
		}
		if len(trustedOrigins) == 0 {
			trustedOrigins = candidates[:1]
			trusted = ""
		} else {
			trusted = trustedOrigins[0]
		}
	}
	probes, err := battery(trustedOrigins[0])
	if err != nil {
		return nil, err
	}
	if trusted != "" {
		probes = append([]probe{{probeTrusted, trusted, "the trusted origin"}}, probes...)
	}
	var answers []answer
	for _, p := range probes {
		a, err := s.ask(ctx, p)
		if err != nil {
			if p.kind == probeLookalike || p.kind == probeStar {
				continue // some servers drop a connection over an odd Origin: that is no finding
			}
			return nil, err
		}
		answers = append(answers, a)
	}
	return judge(answers, plain, trusted), nil
}

func writeScan(w io.Writer, target string, fs []finding) {
	if len(fs) == 0 {
		fmt.Fprintf(w, "No finding: %s trusts none of the origins tried.\n", printable(target))
		return
	}
	fmt.Fprintf(w, "%d finding(s) for %s:\n", len(fs), printable(target))
	for _, f := range fs {
		fmt.Fprintf(w, "\n[%s] %s (Origin: %s)\n  %s\n", strings.ToUpper(f.Severity), f.ID, printable(f.Origin), printable(f.Message))
		var keys []string
		for k := range f.Evidence {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			for _, v := range f.Evidence[k] {
				fmt.Fprintf(w, "  < %s: %s\n", printable(k), printable(v))
			}
		}
		fmt.Fprintf(w, "  fix: %s\n", printable(f.Fix))
	}
}
