package corstest

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/crossorigin/cors/internal/explain"
	"github.com/crossorigin/cors/internal/fetch"
	"github.com/crossorigin/cors/internal/header"
)

// Result is the browser's verdict on a Call and what it saw on the way.
type Result struct {
	Allowed   bool      // the page can read the response
	BlockedAt string    // "" when allowed; "preflight" or "request"
	Preflight *Exchange // the preflight; nil when the browser sends none
	Response  *Exchange // the actual request's (last) response; nil when the preflight failed
	Readable  []string  // when allowed: the names of the response's headers the page can read, lower-case, sorted; empty when blocked
	Problems  []Problem // why it is blocked, the deciding one first; empty when allowed
	Warnings  []Problem // what works but is fragile (a reflected origin without Vary: Origin, max-age 0, ...)

	call  Call         // as given, for the messages
	trace *fetch.Trace // everything the browser did
}

// Exchange is one request as the browser sent it and the response it got.
type Exchange struct {
	Request *http.Request // as sent: its URL, method and every header, the browser's own included; no body
	Status  int           // the response's status
	Header  http.Header   // the response's headers, as received
}

// Problem is one failed check or warning, in words a browser console would use, with the fix on the server.
type Problem struct {
	Message string // what failed, as a browser console would say it
	Fix     string // what to change; for a warning that only informs (a redirect followed), ""
}

// newResult turns what the browser did into its verdict.
func newResult(c Call, tr *fetch.Trace, rep explain.Report) *Result {
	r := &Result{Allowed: !tr.Blocked, BlockedAt: tr.BlockedAt, call: c, trace: tr}
	if p := tr.LastOf(fetch.KindPreflight); p != nil {
		r.Preflight = exchange(p)
	}
	if q := tr.LastOf(fetch.KindRequest); q != nil && tr.BlockedAt != fetch.KindPreflight {
		r.Response = exchange(q)
	}
	if r.Allowed {
		r.Readable = slices.Clone(tr.Readable)
	}
	for _, p := range rep.Problems {
		r.Problems = append(r.Problems, Problem{Message: p.Message, Fix: p.Fix})
	}
	for _, w := range rep.Warnings {
		r.Warnings = append(r.Warnings, Problem{Message: w.Message, Fix: w.Fix})
	}
	return r
}

// exchange is ex as this package shows it: the request rebuilt as an *http.Request.
func exchange(ex *fetch.Exchange) *Exchange {
	u, err := url.Parse(ex.URL)
	if err != nil {
		u = &url.URL{Opaque: ex.URL} // unreachable: the URL was sent
	}
	req := &http.Request{
		Method: ex.Method, URL: u, Host: u.Host, Header: ex.RequestHeader.Clone(),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Body: http.NoBody,
	}
	return &Exchange{Request: req, Status: ex.Status, Header: ex.ResponseHeader.Clone()}
}

// Err returns nil when the call is Allowed; otherwise an error whose text holds every problem's Message
// and Fix, the deciding one first.
func (r *Result) Err() error {
	if r == nil {
		return errors.New("corstest: no result: the call was refused before it was made")
	}
	if r.Allowed {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "the browser blocks %s at the %s:", r.call, r.BlockedAt)
	for i, p := range r.Problems {
		fmt.Fprintf(&b, "\n  %d. %s\n     fix: %s", i+1, p.Message, p.Fix)
	}
	return errors.New(b.String())
}

// CanRead reports whether the page may read the response header name (in any case): false when the
// call is blocked, or when the response has no such header or does not expose it.
func (r *Result) CanRead(name string) bool {
	return r != nil && r.Allowed && slices.Contains(r.Readable, header.Lower(name))
}

// allowance says what let an allowed call through, and how to stop it: what Blocked reports.
func (r *Result) allowance() string {
	return fmt.Sprintf("the browser allows %s: %s\n  fix: %s", r.call, explain.Allowance(r.trace),
		explain.AllowedFix(r.trace, r.call.Origin))
}
