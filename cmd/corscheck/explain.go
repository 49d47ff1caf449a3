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

// fixContext is what the fix of a failure depends on.
type fixContext struct {
	origin       string // the Origin sent with the failing request ("null" after a cross-origin redirect)
	pageOrigin   string
	method       string
	credentialed bool
	unsafe       []string
	ex           *fetch.Exchange
	policy       *cors.Cors // the policy with -config, else nil
	redirected   bool
}

// fix says what to change on the server (or in the call) so that the browser accepts it.
func (c fixContext) fix(f *fetch.Failure) string {
	switch f.Check {
	case fetch.CheckStatus:
		return c.fixStatus(f)
	case fetch.CheckAllowOrigin:
		return c.fixOrigin(f)
	case fetch.CheckAllowCredentials:
		if f.Reason == fetch.ReasonMismatch {
			return fmt.Sprintf("Send exactly 'Access-Control-Allow-Credentials: true' (lower case, one line), not %q.", f.Got)
		}
		return "Set AllowCredentials: true so that the server sends Access-Control-Allow-Credentials: true, or make the call without credentials if it needs no cookies."
	case fetch.CheckAllowMethods:
		if f.Reason == fetch.ReasonMalformed {
			return "Access-Control-Allow-Methods must be a comma-separated list of method names (tokens, no spaces inside one)."
		}
		return c.fixMethod(f)
	case fetch.CheckAllowHeaders:
		switch f.Reason {
		case fetch.ReasonMalformed:
			return "Access-Control-Allow-Headers must be a comma-separated list of header names (tokens, no spaces inside one)."
		case fetch.ReasonAuthorizationWildcard:
			return "List Authorization in AllowedHeaders: '*' never covers it."
		}
		if c.credentialed && slices.Contains(splitList(f.Got), "*") {
			return fmt.Sprintf("With credentials, '*' in Access-Control-Allow-Headers is read as a header literally named '*': list %s in AllowedHeaders.", f.Name)
		}
		if strings.EqualFold(f.Name, "authorization") {
			return "List Authorization in AllowedHeaders."
		}
		return fmt.Sprintf("Add %s to AllowedHeaders (Access-Control-Allow-Headers), or stop sending that header from the page.", f.Name)
	case fetch.CheckRedirect:
		switch f.Reason {
		case fetch.ReasonTooManyRedirects:
			return "The URL redirects more than 20 times (a redirect loop?): call the final URL."
		case fetch.ReasonRedirectCredentials:
			return "Remove the user:password@ part from the Location the server redirects to."
		case fetch.ReasonMultiple:
			return "Send exactly one Location header with the redirect: two layers (the application and a proxy, or two handlers) each add their own."
		}
		return "Redirect only to http or https URLs."
	}
	return ""
}

func splitList(v string) []string {
	var out []string
	for e := range strings.SplitSeq(v, ",") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	return out
}

func (c fixContext) fixStatus(f *fetch.Failure) string {
	if f.Reason == fetch.ReasonRedirected {
		loc := c.ex.ResponseHeader.Get("Location")
		return fmt.Sprintf("Browsers never follow a redirect for a preflight (this one goes to %q): call the final URL from the page (a missing or extra trailing slash, or http instead of https?), or let the CORS middleware answer OPTIONS before anything redirects.", loc)
	}
	corsHeaders := c.ex.ResponseHeader.Get("Access-Control-Allow-Origin") != ""
	switch {
	case c.policy != nil && !corsHeaders:
		return c.policyFix(true, f.Status)
	case f.Status == http.StatusNotFound || f.Status == http.StatusMethodNotAllowed:
		return fmt.Sprintf("The preflight got %d: your router answers OPTIONS before the middleware. Wrap the router, not the route: handler := cors.New(opts).Handler(router), or route OPTIONS to the middleware.", f.Status)
	case (f.Status == http.StatusUnauthorized || f.Status == http.StatusForbidden) && !corsHeaders:
		return fmt.Sprintf("The preflight got %d without CORS headers. Either the CORS middleware refused it (github.com/crossorigin/cors answers a refused preflight 403: check that %s is in AllowedOrigins, %s", f.Status, c.origin, c.needList()) +
			"), or an authentication layer answered first: a preflight never carries cookies or Authorization, so put the CORS middleware before authentication."
	case f.Status >= 500:
		return fmt.Sprintf("The preflight got %d: the server failed on OPTIONS. Let the CORS middleware answer preflights before the application code runs.", f.Status)
	}
	return fmt.Sprintf("Answer the preflight with a 2xx status (204 is usual), not %d.", f.Status)
}

// needList names the method and headers the policy must allow for this call.
func (c fixContext) needList() string {
	var parts []string
	if !fetch.IsSafelistedMethod(c.method) {
		parts = append(parts, c.method+" in AllowedMethods")
	}
	if len(c.unsafe) > 0 {
		parts = append(parts, strings.Join(c.unsafe, ", ")+" in AllowedHeaders")
	}
	if len(parts) == 0 {
		return "and that nothing else refuses it"
	}
	return "and " + strings.Join(parts, " and ")
}

// policyFix says exactly what the -config policy lacks for this call, which it refused in its preflight
// or its actual request (with status).
func (c fixContext) policyFix(preflight bool, status int) string {
	opts := c.policy.Options()
	refused := "The policy refused the preflight"
	if !preflight {
		refused = "The policy does not allow this origin"
		if opts.CrossOriginProtection && status == http.StatusForbidden {
			refused = "The policy refused this cross-origin write before the handler ran (cross_origin_protection)"
		}
	}
	if status != 0 && !fetch.IsOKStatus(status) {
		refused += fmt.Sprintf(" (%d)", status)
	}
	var fixes []string
	if !c.policy.OriginAllowed(c.origin) {
		if c.origin == "null" {
			fixes = append(fixes, "the policy refuses Origin: null (always: trusting null lets any sandboxed page in)")
		} else {
			fixes = append(fixes, fmt.Sprintf("add %s to allowed_origins", c.origin))
		}
	}
	if !fetch.IsSafelistedMethod(c.method) && !slices.Contains(opts.AllowedMethods, c.method) && !slices.Contains(opts.AllowedMethods, "*") {
		fixes = append(fixes, fmt.Sprintf("add %s to allowed_methods", c.method))
	}
	star := slices.Contains(opts.AllowedHeaders, "*")
	for _, n := range c.unsafe {
		listed := slices.ContainsFunc(opts.AllowedHeaders, func(a string) bool { return strings.EqualFold(a, n) })
		switch {
		case listed:
		case n == "authorization" && star:
			fixes = append(fixes, "list Authorization in allowed_headers: '*' never covers it")
		case !star:
			fixes = append(fixes, fmt.Sprintf("add %s to allowed_headers", n))
		}
	}
	if len(fixes) == 0 {
		return refused + "."
	}
	return refused + ": " + strings.Join(fixes, "; ") + "."
}

func (c fixContext) fixOrigin(f *fetch.Failure) string {
	resp := "response"
	if f.Preflight {
		resp = "preflight response"
	}
	switch f.Reason {
	case fetch.ReasonMissing:
		if c.policy != nil && !c.policy.OriginAllowed(c.origin) {
			return c.policyFix(f.Preflight, f.Status)
		}
		if c.origin == "null" {
			return "After a redirect to another origin the browser sends Origin: null, which no sound policy allows: call the final URL directly instead of redirecting."
		}
		if f.Status >= 400 && !f.Preflight {
			return fmt.Sprintf("The %d response has no CORS headers: error responses need them too, or the page cannot even read the error. Make the CORS middleware wrap everything that can answer, including error handlers, recovery and authentication. If it already does, add %s to AllowedOrigins.", f.Status, c.origin)
		}
		return fmt.Sprintf("Add %s to AllowedOrigins, and make sure the CORS middleware wraps this route.", c.origin)
	case fetch.ReasonMultiple:
		return "Two layers add Access-Control-Allow-Origin (a proxy and the application, or two middlewares; browsers join them into one invalid value): keep exactly one of them."
	case fetch.ReasonWildcardWithCredentials:
		return fmt.Sprintf("With credentials the %s must name the origin: replace \"*\" by %s in AllowedOrigins (this library never sends \"*\" with credentials), or make the call without credentials.", resp, c.origin)
	}
	switch {
	case f.Got == c.origin+"/":
		return fmt.Sprintf("Remove the trailing slash: an origin has no path, so write %s.", c.origin)
	case strings.EqualFold(f.Got, c.origin):
		return fmt.Sprintf("Write the origin exactly as browsers send it, %s: the comparison is byte for byte.", c.origin)
	case c.origin == "null":
		return "After a redirect to another origin the browser sends Origin: null, which this answer does not match: call the final URL directly instead of redirecting."
	}
	return fmt.Sprintf("The server allows %s, not %s: add %s to AllowedOrigins.", f.Got, c.origin, c.origin)
}

func (c fixContext) fixMethod(f *fetch.Failure) string {
	listed := splitList(f.Got)
	if slices.ContainsFunc(listed, func(m string) bool { return strings.EqualFold(m, f.Name) && m != f.Name }) {
		if fetch.NormalizeMethod(f.Name) == f.Name && strings.ToUpper(f.Name) == f.Name {
			return fmt.Sprintf("Methods compare case-sensitively and browsers send %s in upper case: write %s, not %q, in Access-Control-Allow-Methods.", f.Name, f.Name, strings.ToLower(f.Name))
		}
		return fmt.Sprintf("Methods compare case-sensitively and fetch() upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT, so the page sends %q: write method: %q in the fetch() call, or allow %q.", f.Name, strings.ToUpper(f.Name), f.Name)
	}
	if c.credentialed && slices.Contains(listed, "*") {
		return fmt.Sprintf("With credentials, '*' in Access-Control-Allow-Methods is read as a method literally named '*': list %s in AllowedMethods.", f.Name)
	}
	return fmt.Sprintf("Add %s to AllowedMethods (Access-Control-Allow-Methods).", f.Name)
}
