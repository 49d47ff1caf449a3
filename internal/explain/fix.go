package explain

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/internal/fetch"
	"github.com/crossorigin/cors/internal/header"
	"github.com/crossorigin/cors/internal/method"
)

// fixContext is what the fix of a failure depends on.
type fixContext struct {
	origin       string // the Origin sent with the failing request ("null" after a cross-origin redirect)
	method       string
	credentialed bool
	unsafe       []string
	ex           *fetch.Exchange
	policy       *cors.Cors // the policy served in-process, when known
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
		loc := c.ex.ResponseHeader.Get(header.Location)
		return fmt.Sprintf("Browsers never follow a redirect for a preflight (this one goes to %q): call the final URL from the page (a missing or extra trailing slash, or http instead of https?), or let the CORS middleware answer OPTIONS before anything redirects.", loc)
	}
	corsHeaders := c.ex.ResponseHeader.Get(header.AccessControlAllowOrigin) != ""
	switch {
	case c.policy != nil && !corsHeaders:
		return c.policyFix(f)
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
	if !method.IsSafelisted(c.method) {
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

// policyFix says exactly what the policy served in-process lacks for this call, which it refused in the
// response f failed on: its preflight or its actual request.
func (c fixContext) policyFix(f *fetch.Failure) string {
	preflight, status := f.Preflight, f.Status
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
	if !method.IsSafelisted(c.method) && !slices.Contains(opts.AllowedMethods, c.method) && !slices.Contains(opts.AllowedMethods, "*") {
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
			return c.policyFix(f)
		}
		if c.origin == "null" {
			return "After a redirect to another origin the browser sends Origin: null, which no sound policy allows: call the final URL directly instead of redirecting."
		}
		if f.Status >= 400 && !f.Preflight {
			return fmt.Sprintf("The %d response has no CORS headers: error responses need them too, or the page cannot even read the error. Make the CORS middleware wrap everything that can answer, including error handlers, recovery and authentication. If it already does, add %s to AllowedOrigins.", f.Status, c.origin)
		}
		return fmt.Sprintf("Add %s to AllowedOrigins, and make sure the CORS middleware wraps the whole router, not a route, so that this response gets its headers too.", c.origin)
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
		if method.Normalize(f.Name) == f.Name && strings.ToUpper(f.Name) == f.Name {
			return fmt.Sprintf("Methods compare case-sensitively and browsers send %s in upper case: write %s, not %q, in Access-Control-Allow-Methods.", f.Name, f.Name, strings.ToLower(f.Name))
		}
		return fmt.Sprintf("Methods compare case-sensitively and fetch() upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT, so the page sends %q: write method: %q in the fetch() call, or allow %q.", f.Name, strings.ToUpper(f.Name), f.Name)
	}
	if c.credentialed && slices.Contains(listed, "*") {
		return fmt.Sprintf("With credentials, '*' in Access-Control-Allow-Methods is read as a method literally named '*': list %s in AllowedMethods.", f.Name)
	}
	return fmt.Sprintf("Add %s to AllowedMethods (Access-Control-Allow-Methods).", f.Name)
}
