package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/internal/fetch"
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
		Verdict   string         `json:"verdict"`
		BlockedAt string         `json:"blocked_at"`
		Preflight *preflightJSON `json:"preflight"`
		Request   *requestJSON   `json:"request"`
		Problems  []problem      `json:"problems"`
		Warnings  []warning      `json:"warnings"`
	}
)

func lowerHeaders(h http.Header) headerMap {
	out := headerMap{}
	for k, vs := range h {
		k = strings.ToLower(k)
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
		if errors.Is(err, fetch.ErrUsage) {
			fmt.Fprintf(stderr, "corscheck: %s\n", printable(strings.TrimPrefix(err.Error(), fetch.ErrUsage.Error()+": ")))
		} else {
			fmt.Fprintf(stderr, "corscheck: network error: %s\n", printable(err.Error()))
		}
		return exitTrouble
	}
	rep := buildReport(tr, req, policy)
	if len(o.cookies) > 0 && !o.credentials {
		rep.Warnings = append(rep.Warnings, warning{Check: "credentials", Message: "-cookie without -credentials: fetch()'s default credentials mode, same-origin, sends no cookie cross-origin, so the cookie was not sent. Add -credentials to call with credentials: \"include\"."})
	}
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

// buildReport turns a trace into the report, problems and warnings included.
func buildReport(tr *fetch.Trace, req fetch.Request, policy *cors.Cors) *report {
	rep := &report{Verdict: "allowed", Problems: []problem{}, Warnings: []warning{}}
	if tr.Blocked {
		rep.Verdict, rep.BlockedAt = "blocked", tr.BlockedAt
	}
	credentialed := req.Credentials == fetch.CredentialsInclude
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

	// Problems: every check the failing response fails, the one the browser reports first.
	if tr.Blocked {
		last := &tr.Exchanges[len(tr.Exchanges)-1]
		failures := []*fetch.Failure{tr.Failure}
		if last.Kind == fetch.KindPreflight {
			failures = fetch.PreflightFailures(last.Status, last.ResponseHeader, last.RequestHeader.Get("Origin"),
				last.RequestHeader.Get("Access-Control-Request-Method"), splitNames(last.RequestHeader.Get("Access-Control-Request-Headers")),
				credentialed, false)
			if failures[0].Check == fetch.CheckStatus && last.ResponseHeader.Get("Access-Control-Allow-Origin") == "" {
				// Nothing CORS answered: the other checks would only repeat that the headers are missing.
				failures = failures[:1]
			}
		}
		fc := fixContext{
			origin: last.RequestHeader.Get("Origin"), pageOrigin: req.Origin, method: tr.Method, credentialed: credentialed,
			unsafe: splitNames(last.RequestHeader.Get("Access-Control-Request-Headers")), ex: last, policy: policy,
			redirected: len(tr.Redirects) > 0,
		}
		for _, f := range failures {
			rep.Problems = append(rep.Problems, problem{Step: tr.BlockedAt, Check: f.Check, Message: sentence(f.Error()), Fix: fc.fix(f)})
		}
		if tr.Failure.Reason == fetch.ReasonAuthorizationWildcard {
			rep.Warnings = append(rep.Warnings, warning{Check: "allow-headers", Message: "Chromium (unless its CorsNonWildcardRequestHeadersSupport feature is on), Firefox (unless network.cors_preflight.authorization_covered_by_wildcard is false) and Safari still let '*' cover Authorization, so this call may work in your browser today; the Fetch standard does not allow it, so do not rely on it"})
		}
	}
	rep.Warnings = append(rep.Warnings, traceWarnings(tr, req)...)
	return rep
}

// splitNames splits an Access-Control-Request-Headers value as this command sends it.
func splitNames(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

// sentence upper-cases the first letter and ends with a full stop.
func sentence(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// traceWarnings are what is allowed but fragile, and what the browser did that the developer may not expect.
func traceWarnings(tr *fetch.Trace, req fetch.Request) []warning {
	var ws []warning
	for _, d := range tr.Dropped {
		msg := fmt.Sprintf("A page cannot set %s: browsers drop it (a forbidden request-header), so it was not sent.", d.Name)
		if strings.EqualFold(d.Name, "cookie") {
			msg += " Cookies come from the browser's jar: use -credentials and -cookie 'name=value'."
		}
		ws = append(ws, warning{Check: "forbidden-header", Message: msg})
	}
	anyCORS := slices.ContainsFunc(tr.Exchanges, func(ex fetch.Exchange) bool { return ex.CORS })
	if len(tr.Exchanges) > 0 && !anyCORS {
		ws = append(ws, warning{Check: "same-origin", Message: fmt.Sprintf("%s is on the page's own origin %s: CORS does not apply to it.", req.URL, req.Origin)})
	}
	page, _ := url.Parse(req.Origin) // nil for an origin that does not parse, such as "null"
	for _, r := range tr.Redirects {
		msg := fmt.Sprintf("The browser followed a %d redirect from %s to %s.", r.Status, r.From, r.To)
		from, errFrom := url.Parse(r.From)
		to, errTo := url.Parse(r.To)
		if req.Origin != "null" && page != nil && errFrom == nil && errTo == nil && fetch.SameOrigin(page, from) && !fetch.SameOrigin(page, to) {
			msg += fmt.Sprintf(" It leaves the page's own origin %s, so CORS applies from there on, as to any cross-origin call: a preflight when one is needed, and the CORS check on every response.", req.Origin)
		}
		if r.MethodChanged {
			msg += " The request became a GET without a body."
		}
		if r.AuthorizationDropped {
			msg += " The redirect goes to another origin, so the browser dropped the Authorization header."
		}
		if r.Tainted {
			msg += " The redirect left the API's origin for another one, so the browser sent 'Origin: null' from there on: the target must answer Access-Control-Allow-Origin: * (or null, which is unsafe)."
		}
		ws = append(ws, warning{Check: "redirect", Message: msg})
	}
	if p := tr.LastOf(fetch.KindPreflight); p != nil && p.Failure == nil {
		secs, present, valid := fetch.MaxAge(p.ResponseHeader)
		switch {
		case present && !valid:
			ws = append(ws, warning{Check: "max-age", Message: fmt.Sprintf("Access-Control-Max-Age %q is not a number of seconds: browsers cache this preflight for 5 seconds only.", p.ResponseHeader.Get("Access-Control-Max-Age"))})
		case present && secs == 0:
			ws = append(ws, warning{Check: "max-age", Message: "Access-Control-Max-Age is 0: browsers send a preflight before every such call."})
		case secs > fetch.FirefoxMaxAge:
			ws = append(ws, warning{Check: "max-age", Message: fmt.Sprintf("Access-Control-Max-Age is %d seconds: Firefox caches a preflight for at most 24 hours and Chromium for 2 hours.", secs)})
		case secs > fetch.ChromiumMaxAge:
			ws = append(ws, warning{Check: "max-age", Message: fmt.Sprintf("Access-Control-Max-Age is %d seconds: Chromium caches a preflight for at most 2 hours (7200 s), Firefox for 24 hours.", secs)})
		}
	}
	if !tr.Blocked {
		if r := tr.LastOf(fetch.KindRequest); r != nil && r.CORS {
			acao := r.ResponseHeader.Get("Access-Control-Allow-Origin")
			if acao != "" && acao != "*" && !varies(r.ResponseHeader, "Origin") {
				ws = append(ws, warning{Check: "vary", Message: fmt.Sprintf("The response allows %s without 'Vary: Origin': unless the server sends this same value to every origin, a shared cache can serve this answer to another origin (and another origin's to this one). Add Vary: Origin to every response whose CORS headers depend on the Origin.", acao)})
			}
			if acao == "*" && r.ResponseHeader.Get("Access-Control-Allow-Credentials") == "true" {
				ws = append(ws, warning{Check: "allow-origin", Message: "The response has Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true: a credentialed call (-credentials) fails against it."})
			}
		}
	}
	return ws
}

// varies reports whether the Vary header names name (or "*").
func varies(h http.Header, name string) bool {
	for _, line := range h.Values("Vary") {
		for v := range strings.SplitSeq(line, ",") {
			v = strings.TrimSpace(v)
			if strings.EqualFold(v, name) || v == "*" {
				return true
			}
		}
	}
	return false
}
