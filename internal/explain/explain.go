// Package explain turns what a browser did with one fetch (a [fetch.Trace]) into what a developer needs
// to know: every check the failing response fails, in the words of a browser console, each with the fix
// on the server; what works but is fragile; what let an allowed call through; why a response header
// cannot be read.
//
// The corscheck command and the corstest package are its front ends, so that a call is explained the
// same way whichever of them a developer asks. Where a fix is about the call itself rather than the
// server, [Tool] words it in the front end's own terms (a flag, a struct field).
package explain

import (
	"strings"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/internal/fetch"
	"github.com/crossorigin/cors/internal/header"
)

// Tool names, in a front end's own terms, what a fix may ask of the call itself.
type Tool struct {
	// Include is how to make the call with credentials: "include" (corscheck: "-credentials").
	Include string
	// Cookie names the browser's cookies for the URL (corscheck: "-cookie").
	Cookie string
	// SetCookie is how to give the browser a cookie (corscheck: "-cookie 'name=value'").
	SetCookie string
}

// Input is one call and what the browser did with it.
type Input struct {
	Trace   *fetch.Trace
	Request fetch.Request
	// Cookies tells that the browser had cookies for the URL, so that a call that cannot send them is
	// worth a warning.
	Cookies bool
	// Policy is the policy that served the call in-process, when known: fixes then name exactly what
	// it lacks.
	Policy *cors.Cors
}

// Problem is one check that the failing response fails.
type Problem struct {
	Step    string // fetch.KindPreflight or fetch.KindRequest
	Check   string // one of fetch's Check constants
	Message string // what a browser console would say, as a sentence
	Fix     string // what to change on the server, or in the call
}

// Report is the explanation of one call.
type Report struct {
	Problems []Problem // every check the failing response fails, the one the browser reports first; empty when allowed
	Warnings []Warning // what works but is fragile, or what the browser did that a developer may not expect
}

// Explain explains the call in.
func Explain(in Input, tool Tool) Report {
	rep := Report{Problems: problems(in), Warnings: warnings(in, tool)}
	if in.Trace.Blocked && in.Trace.Failure.Reason == fetch.ReasonAuthorizationWildcard {
		rep.Warnings = append([]Warning{authorizationDeviation}, rep.Warnings...)
	}
	return rep
}

// problems lists every check the failing response fails, the one the browser reports first.
func problems(in Input) []Problem {
	tr := in.Trace
	if !tr.Blocked {
		return []Problem{}
	}
	last := &tr.Exchanges[len(tr.Exchanges)-1]
	credentialed := in.Request.Credentials == fetch.CredentialsInclude
	unsafe := last.RequestedHeaders()
	failures := []*fetch.Failure{tr.Failure}
	if last.Kind == fetch.KindPreflight {
		p := fetch.Preflight{Origin: last.RequestHeader.Get(header.Origin), Method: last.RequestHeader.Get(header.AccessControlRequestMethod),
			HeaderNames: unsafe, Credentials: credentialed}
		failures = p.Failures(last.Status, last.ResponseHeader)
		if failures[0].Check == fetch.CheckStatus && last.ResponseHeader.Get(header.AccessControlAllowOrigin) == "" {
			// Nothing CORS answered: the other checks would only repeat that the headers are missing.
			failures = failures[:1]
		}
	}
	fc := fixContext{
		origin: last.RequestHeader.Get(header.Origin), method: tr.Method, credentialed: credentialed,
		unsafe: unsafe, ex: last, policy: in.Policy,
	}
	out := make([]Problem, 0, len(failures))
	for _, f := range failures {
		out = append(out, Problem{Step: tr.BlockedAt, Check: f.Check, Message: sentence(f.Error()), Fix: fc.fix(f)})
	}
	return out
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
