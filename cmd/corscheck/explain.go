package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/internal/explain"
	"github.com/crossorigin/cors/internal/fetch"
	"github.com/crossorigin/cors/internal/header"
)

// The JSON output of an explanation (docs/corscheck.md documents it).
type (
	// headerMap is a header section with lower-case names, each with its values in order.
	headerMap map[string][]string

	preflightJSON struct {
		Status          int       `json:"status"`
		RequestHeaders  headerMap `json:"request_headers"`
		ResponseHeaders headerMap `json:"response_headers"`
		Passed          bool      `json:"passed"`
	}

	requestJSON struct {
		Status          int       `json:"status"`
		ResponseHeaders headerMap `json:"response_headers"`
		Passed          bool      `json:"passed"`
		ReadableHeaders []string  `json:"readable_headers"`
	}

	problem struct {
		Step    string `json:"step"`
		Check   string `json:"check"`
		Message string `json:"message"`
		Fix     string `json:"fix"`
	}

	warning struct {
		Check   string `json:"check"`
		Message string `json:"message"`
	}

	report struct {
		CorscheckVersion string         `json:"corscheck_version"`
		Verdict          string         `json:"verdict"`
		BlockedAt        string         `json:"blocked_at"`
		Preflight        *preflightJSON `json:"preflight"`
		Request          *requestJSON   `json:"request"`
		Problems         []problem      `json:"problems"`
		Warnings         []warning      `json:"warnings"`
	}
)

// lowerHeaders is h with its names byte-lower-cased, as Fetch lower-cases them
// (https://infra.spec.whatwg.org/#byte-lowercase).
func lowerHeaders(h http.Header) headerMap {
	out := headerMap{}
	for k, vs := range h {
		k = header.Lower(k)
		out[k] = append(out[k], vs...)
	}
	return out
}

// runExplain explains one call.
func runExplain(ctx context.Context, o *options, stdout, stderr io.Writer) int {
	client, req, policy, err := setup(o)
	if err != nil {
		fmt.Fprintf(stderr, "corscheck: %s\n", printable(err.Error()))
		return exitTrouble
	}
	tr, err := client.Do(ctx, req)
	if err != nil {
		if refused := (*fetch.RequestError)(nil); errors.As(err, &refused) {
			fmt.Fprintf(stderr, "corscheck: %s\n", printable(refused.Reason))
		} else {
			fmt.Fprintf(stderr, "corscheck: network error: %s\n", printable(err.Error()))
		}
		return exitTrouble
	}
	rep := buildReport(explain.Input{Trace: tr, Request: req, Cookies: len(o.cookies) > 0, Policy: policy})
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "corscheck: %s\n", printable(err.Error()))
			return exitTrouble
		}
	} else {
		writeHuman(stdout, tr, req, rep, o.config)
	}
	if rep.Verdict == "blocked" {
		return exitFailed
	}
	return exitOK
}

// tool words the fixes that are about the call itself in the command's flags.
var tool = explain.Tool{Include: "-credentials", Cookie: "-cookie", SetCookie: "-cookie 'name=value'"}

// buildReport turns a traced call into the report, problems and warnings included.
func buildReport(in explain.Input) *report {
	tr := in.Trace
	rep := &report{CorscheckVersion: version(), Verdict: "allowed", Problems: []problem{}, Warnings: []warning{}}
	if tr.Blocked {
		rep.Verdict, rep.BlockedAt = "blocked", tr.BlockedAt
	}
	if p := tr.LastOf(fetch.KindPreflight); p != nil {
		rep.Preflight = &preflightJSON{
			Status:          p.Status,
			RequestHeaders:  lowerHeaders(p.RequestHeader),
			ResponseHeaders: lowerHeaders(p.ResponseHeader),
			Passed:          p.Failure == nil,
		}
	}
	if r := tr.LastOf(fetch.KindRequest); r != nil {
		readable := tr.Readable
		if readable == nil {
			readable = []string{}
		}
		rep.Request = &requestJSON{
			Status:          r.Status,
			ResponseHeaders: lowerHeaders(r.ResponseHeader),
			Passed:          r.Failure == nil,
			ReadableHeaders: readable,
		}
	}
	ex := explain.Explain(in, tool)
	for _, p := range ex.Problems {
		rep.Problems = append(rep.Problems, problem(p))
	}
	for _, w := range ex.Warnings {
		rep.Warnings = append(rep.Warnings, warning{Check: w.Check, Message: w.Text()})
	}
	return rep
}

// parseHeader reads one -H value.
func parseHeader(s string) (fetch.Field, error) {
	name, value, ok := strings.Cut(s, ":")
	if !ok {
		return fetch.Field{}, fmt.Errorf("-H %q has no colon: write it 'Name: value'", s)
	}
	name = strings.TrimSpace(name)
	if !header.IsToken(name) {
		return fetch.Field{}, fmt.Errorf("-H %q: %q is not a header name", s, name)
	}
	return fetch.Field{Name: name, Value: value}, nil
}

// setup builds the client and request of an explanation, and the policy when -config is given.
func setup(o *options) (*fetch.Client, fetch.Request, *cors.Cors, error) {
	req, err := newRequest(o)
	if err != nil {
		return nil, req, nil, err
	}
	client := &fetch.Client{Timeout: o.timeout}
	var policy *cors.Cors
	if o.config != "" {
		if policy, err = loadPolicy(o.config); err != nil {
			return nil, req, nil, err
		}
		client.Transport = fetch.HandlerTransport{Handler: policy.Handler(appHandler)}
		req.URL = offlineURL(req.URL)
	} else {
		client.Transport = fetch.NewTransport(0)
	}
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, req, nil, fmt.Errorf("%q is not an absolute http or https URL", req.URL)
	}
	if client.Jar, err = cookieJar(u, o.cookies); err != nil {
		return nil, req, nil, err
	}
	return client, req, policy, nil
}

// newRequest is the fetch() of the command line: its origin, method, URL, credentials mode and the
// headers of -H.
func newRequest(o *options) (fetch.Request, error) {
	req := fetch.Request{Origin: o.origin, Method: o.method, URL: o.url, Credentials: fetch.CredentialsSameOrigin}
	if o.credentials {
		req.Credentials = fetch.CredentialsInclude
	}
	if _, err := fetch.ParseOrigin(o.origin); err != nil {
		return req, fmt.Errorf("-origin: %v", err)
	}
	for _, h := range o.headers {
		f, err := parseHeader(h)
		if err != nil {
			return req, err
		}
		req.Header = append(req.Header, f)
	}
	return req, nil
}

// offlineURL is the URL called with -config: defaultConfigURL when none is given, a bare path on its
// host (offline only the path matters: "/api/items/1"), any other URL as given.
func offlineURL(raw string) string {
	switch {
	case raw == "":
		return defaultConfigURL
	case strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, "//"):
		return strings.TrimSuffix(defaultConfigURL, "/") + raw
	}
	return raw
}

// cookieJar is the page's cookie jar for u, holding the cookies of -cookie; nil when there are none.
func cookieJar(u *url.URL, cookies []string) (http.CookieJar, error) {
	if len(cookies) == 0 {
		return nil, nil
	}
	jar, err := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	if err != nil {
		return nil, err
	}
	var cs []*http.Cookie
	for _, c := range cookies {
		name, value, ok := strings.Cut(c, "=")
		if !ok || !header.IsToken(strings.TrimSpace(name)) {
			return nil, fmt.Errorf("-cookie %q: write it name=value", c)
		}
		cs = append(cs, &http.Cookie{Name: strings.TrimSpace(name), Value: strings.TrimSpace(value)})
	}
	jar.SetCookies(u, cs)
	return jar, nil
}

// appHandler stands for the application behind the middleware with -config: it answers every request
// with 200 and a short text body.
var appHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "ok\n")
})
