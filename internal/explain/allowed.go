package explain

import (
	"fmt"
	"slices"
	"strings"

	"github.com/crossorigin/cors/internal/fetch"
	"github.com/crossorigin/cors/internal/header"
)

// grantHeaders are the response headers that grant a call, in the order a reader checks them.
var grantHeaders = []string{
	header.AccessControlAllowOrigin, header.AccessControlAllowCredentials,
	header.AccessControlAllowMethods, header.AccessControlAllowHeaders,
}

// Allowance says what let an allowed call through: that CORS did not apply (the page's own origin), or
// which headers of the preflight and of the response passed the browser's checks. It is what a test that
// expected the call to be blocked needs to see.
func Allowance(tr *fetch.Trace) string {
	if !slices.ContainsFunc(tr.Exchanges, func(ex fetch.Exchange) bool { return ex.CORS }) {
		return "the URL is on the page's own origin, so CORS does not apply: the page reads any response"
	}
	var parts []string
	if p := tr.LastOf(fetch.KindPreflight); p != nil {
		parts = append(parts, fmt.Sprintf("the preflight got %d with %s", p.Status, granted(p)))
	}
	if r := tr.LastOf(fetch.KindRequest); r != nil && r.CORS {
		parts = append(parts, fmt.Sprintf("the response got %d with %s", r.Status, granted(r)))
	}
	return strings.Join(parts, "; ")
}

// granted lists the granting headers of ex's response as "Name: value" pairs.
func granted(ex *fetch.Exchange) string {
	var pairs []string
	for _, k := range grantHeaders {
		if vs := ex.ResponseHeader.Values(k); len(vs) > 0 {
			pairs = append(pairs, k+": "+strings.Join(vs, ", "))
		}
	}
	if len(pairs) == 0 {
		return "no CORS header"
	}
	return strings.Join(pairs, ", ")
}

// AllowedProblem is what is wrong with an allowed call that must be blocked: what let it through, and
// how to stop it, for a call from origin.
func AllowedProblem(tr *fetch.Trace, origin string) Problem {
	return Problem{Step: fetch.KindRequest, Message: sentence("the browser allows the call: " + Allowance(tr)), Fix: AllowedFix(tr, origin)}
}

// AllowedFix says what to change on the server so that an allowed cross-origin call is blocked, for a
// call from origin that must not read the API.
func AllowedFix(tr *fetch.Trace, origin string) string {
	r := tr.LastOf(fetch.KindRequest)
	switch {
	case r == nil || !r.CORS:
		return "A page on the API's own origin reads it whatever the CORS policy: serve the API on another origin, or stop the call on the server."
	case r.ResponseHeader.Get(header.AccessControlAllowOrigin) == "*":
		return fmt.Sprintf("The response answers Access-Control-Allow-Origin: *, which lets every origin read it without credentials: list the origins that may read it (AllowedOrigins) instead of \"*\", if %s must not.", origin)
	}
	return fmt.Sprintf("Remove %s from the allowed origins, or the wildcard pattern or AllowOriginFunc that admits it.", origin)
}

// Unreadable returns why the page cannot read the response header name after the call traced, or nil
// when it can (or when the call is blocked, which says more).
func Unreadable(tr *fetch.Trace, name string, credentialed bool) *Problem {
	lower := header.Lower(name)
	if tr.Blocked || slices.Contains(tr.Readable, lower) {
		return nil
	}
	p := &Problem{Step: fetch.KindRequest, Check: "readable"}
	r := tr.LastOf(fetch.KindRequest)
	if r == nil {
		return nil // not blocked, so a request was sent: unreachable
	}
	exposed, _, _ := fetch.ExtractHeaderListValues(r.ResponseHeader, header.AccessControlExposeHeaders, header.IsToken)
	switch {
	case lower == "set-cookie" || lower == "set-cookie2":
		p.Message = fmt.Sprintf("The page can never read %s: browsers filter it out of every response.", name)
		p.Fix = "Read the cookie on the server; a page never sees Set-Cookie."
	case len(r.ResponseHeader.Values(name)) == 0:
		p.Message = fmt.Sprintf("The response has no %s header, so the page cannot read it.", name)
		p.Fix = fmt.Sprintf("Make the handler set %s on this response.", name)
	case credentialed && slices.Contains(exposed, "*"):
		p.Message = fmt.Sprintf("The page cannot read %s: with credentials, '*' in Access-Control-Expose-Headers names a header literally called '*'.", name)
		p.Fix = fmt.Sprintf("List %s in ExposedHeaders (Access-Control-Expose-Headers).", name)
	default:
		p.Message = fmt.Sprintf("The page cannot read %s: it is not CORS-safelisted and Access-Control-Expose-Headers does not list it.", name)
		p.Fix = fmt.Sprintf("Add %s to ExposedHeaders (Access-Control-Expose-Headers).", name)
	}
	return p
}
