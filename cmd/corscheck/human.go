package main

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/crossorigin/cors/internal/fetch"
	"github.com/crossorigin/cors/internal/header"
	"github.com/crossorigin/cors/internal/method"
)

// writeHuman prints the explanation: the verdict, the failing step first with its fix, then what
// happened step by step, then the warnings.
func writeHuman(w io.Writer, tr *fetch.Trace, req fetch.Request, rep *report, config string) {
	writeVerdict(w, tr, req, rep, config)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "What the browser did:")
	writeSteps(w, tr)
	if rep.BlockedAt == fetch.KindPreflight {
		writeNotSent(w, tr)
	}
	if !tr.Blocked {
		writeReadable(w, tr)
	}
	writeWarnings(w, rep.Warnings)
}

// writeVerdict prints the call and what the browser decided; for a blocked call, every problem with
// its fix.
func writeVerdict(w io.Writer, tr *fetch.Trace, req fetch.Request, rep *report, config string) {
	creds := "credentials: same-origin, so no cookies cross-origin"
	if req.Credentials == fetch.CredentialsInclude {
		creds = "credentials: include"
	}
	call := fmt.Sprintf("%s %s from %s (%s)", printable(tr.Method), printable(req.URL), printable(req.Origin), creds)
	if config != "" {
		call += fmt.Sprintf(", served in-process by the policy %s", printable(config))
	}
	if rep.Verdict != "blocked" {
		fmt.Fprintf(w, "ALLOWED: %s\n", call)
		return
	}
	fmt.Fprintf(w, "BLOCKED at the %s: %s\n", rep.BlockedAt, call)
	fmt.Fprintln(w, "The page gets \"TypeError: Failed to fetch\" and cannot read the response.")
	fmt.Fprintln(w)
	for i, p := range rep.Problems {
		fmt.Fprintf(w, "%d. %s\n   fix: %s\n", i+1, printable(p.Message), printable(p.Fix))
	}
}

// writeSteps prints each exchange: why a preflight was or was not needed (before the first
// cross-origin one, which follows same-origin redirects if any), the request and response headers
// CORS rests on, and the browser's judgement.
func writeSteps(w io.Writer, tr *fetch.Trace) {
	reasonShown := false
	for _, ex := range tr.Exchanges {
		if ex.CORS && !reasonShown {
			reasonShown = true
			if ex.Kind == fetch.KindPreflight {
				fmt.Fprintf(w, "  - %s\n", printable(preflightReason(ex.RequestHeader.Get(header.AccessControlRequestMethod), ex.RequestedHeaders())))
			} else {
				fmt.Fprintf(w, "  - %s\n", preflightReason(ex.Method, nil))
			}
		}
		fmt.Fprintf(w, "  - %s %s -> %d\n", printable(ex.Method), printable(ex.URL), ex.Status)
		writeRequestHeaders(w, &ex)
		printHeaders(w, ex.ResponseHeader)
		fmt.Fprintf(w, "      %s\n", judgement(&ex))
	}
}

// writeRequestHeaders prints the request headers CORS rests on: a preflight's Origin and what it asks
// for, a cross-origin request's Origin and cookies. A same-origin request carries none of interest.
func writeRequestHeaders(w io.Writer, ex *fetch.Exchange) {
	switch {
	case ex.Kind == fetch.KindPreflight:
		for _, k := range []string{header.Origin, header.AccessControlRequestMethod, header.AccessControlRequestHeaders} {
			if v := ex.RequestHeader.Get(k); v != "" {
				fmt.Fprintf(w, "      > %s: %s\n", k, printable(v))
			}
		}
	case ex.CORS:
		fmt.Fprintf(w, "      > %s: %s\n", header.Origin, printable(ex.RequestHeader.Get(header.Origin)))
		if c := ex.RequestHeader.Get("Cookie"); c != "" {
			fmt.Fprintf(w, "      > Cookie: %s\n", printable(c))
		}
	}
}

// judgement says what the browser made of one exchange.
func judgement(ex *fetch.Exchange) string {
	switch {
	case ex.Failure != nil:
		return "FAILED: " + printable(ex.Failure.Error())
	case ex.Kind == fetch.KindPreflight:
		return "preflight passed"
	case ex.CORS && fetch.IsRedirectStatus(ex.Status):
		return "CORS check passed; following the redirect"
	case ex.CORS:
		return "CORS check passed"
	case fetch.IsRedirectStatus(ex.Status):
		return "same origin as the page: no CORS check; following the redirect"
	}
	return "same origin as the page: no CORS check"
}

// writeNotSent says, after a failed preflight, that the request it was for was not sent.
func writeNotSent(w io.Writer, tr *fetch.Trace) {
	last := tr.Exchanges[len(tr.Exchanges)-1]
	verb := last.RequestHeader.Get(header.AccessControlRequestMethod)
	if tr.LastOf(fetch.KindRequest) == nil {
		fmt.Fprintf(w, "  - %s was not sent: a browser stops at a failed preflight\n", printable(verb))
		return
	}
	// An earlier hop was sent and redirected here: only this hop's request was not.
	fmt.Fprintf(w, "  - %s was not sent to %s: a browser stops at a failed preflight (only the requests above were sent)\n", printable(verb), printable(last.URL))
}

// writeReadable says, for an allowed call, which response headers of the final response the page can
// read and which it cannot.
func writeReadable(w io.Writer, tr *fetch.Trace) {
	final := tr.Exchanges[len(tr.Exchanges)-1]
	var hidden []string
	for k := range final.ResponseHeader {
		if l := header.Lower(k); !slices.Contains(tr.Readable, l) {
			hidden = append(hidden, l)
		}
	}
	slices.Sort(hidden)
	fmt.Fprintf(w, "  - the page can read these response headers: %s\n", printable(listOrNone(tr.Readable)))
	if len(hidden) > 0 {
		fmt.Fprintf(w, "    and not these (expose them with ExposedHeaders): %s\n", printable(strings.Join(hidden, ", ")))
	}
}

// writeWarnings prints the warnings, if any, after a blank line.
func writeWarnings(w io.Writer, warnings []warning) {
	if len(warnings) == 0 {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Warnings:")
	for _, wn := range warnings {
		fmt.Fprintf(w, "  - %s\n", printable(wn.Message))
	}
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// printHeaders prints the response headers CORS decisions rest on (Access-Control-*, Vary, Location),
// or says there are none.
func printHeaders(w io.Writer, h http.Header) {
	var keys []string
	for k := range h {
		if header.IsDecisive(k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	if len(keys) == 0 {
		fmt.Fprintln(w, "      < (no CORS headers)")
	}
	for _, k := range keys {
		for _, v := range h[k] {
			fmt.Fprintf(w, "      < %s: %s\n", printable(k), printable(v))
		}
	}
}

// preflightReason says why the first cross-origin request, with verb and CORS-unsafe header names,
// was or was not preflighted.
func preflightReason(verb string, unsafe []string) string {
	var why []string
	if !method.IsSafelisted(verb) {
		why = append(why, fmt.Sprintf("%s is not a CORS-safelisted method (GET, HEAD, POST)", verb))
	}
	if len(unsafe) > 0 {
		why = append(why, fmt.Sprintf("the request sets %s, not CORS-safelisted (only Accept, Accept-Language, Content-Language, and Content-Type or Range with restricted values are)", strings.Join(unsafe, ", ")))
	}
	if len(why) == 0 {
		return "no preflight: a CORS-safelisted method with only CORS-safelisted headers"
	}
	return "a preflight is needed: " + strings.Join(why, "; and ")
}
