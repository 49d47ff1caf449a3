package main

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/crossorigin/cors/internal/fetch"
	"github.com/crossorigin/cors/internal/method"
)

// shownHeaders are the response headers the human output prints: the ones CORS decisions rest on.
func shownHeader(name string) bool {
	n := strings.ToLower(name)
	return strings.HasPrefix(n, "access-control-") || n == "vary" || n == "location"
}

// writeHuman prints the explanation: the verdict, the failing step first with its fix, then what
// happened step by step, then the warnings.
func writeHuman(w io.Writer, tr *fetch.Trace, req fetch.Request, rep *report, config string) {
	creds := "credentials: same-origin, so no cookies cross-origin"
	if req.Credentials == fetch.CredentialsInclude {
		creds = "credentials: include"
	}
	call := fmt.Sprintf("%s %s from %s (%s)", printable(tr.Method), printable(req.URL), printable(req.Origin), creds)
	if config != "" {
		call += fmt.Sprintf(", served in-process by the policy %s", printable(config))
	}
	if rep.Verdict == "blocked" {
		fmt.Fprintf(w, "BLOCKED at the %s: %s\n", rep.BlockedAt, call)
		fmt.Fprintln(w, "The page gets \"TypeError: Failed to fetch\" and cannot read the response.")
		fmt.Fprintln(w)
		for i, p := range rep.Problems {
			fmt.Fprintf(w, "%d. %s\n   fix: %s\n", i+1, printable(p.Message), printable(p.Fix))
		}
	} else {
		fmt.Fprintf(w, "ALLOWED: %s\n", call)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "What the browser did:")
	reasonShown := false
	for _, ex := range tr.Exchanges {
		if ex.CORS && !reasonShown {
			// Before the first cross-origin request, which follows same-origin redirects if any.
			reasonShown = true
			if ex.Kind == fetch.KindPreflight {
				fmt.Fprintf(w, "  - %s\n", printable(preflightReason(ex.RequestHeader.Get("Access-Control-Request-Method"), ex.RequestedHeaders())))
			} else {
				fmt.Fprintf(w, "  - %s\n", preflightReason(ex.Method, nil))
			}
		}
		fmt.Fprintf(w, "  - %s %s -> %d\n", printable(ex.Method), printable(ex.URL), ex.Status)
		if ex.Kind == fetch.KindPreflight {
			for _, k := range []string{"Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"} {
				if v := ex.RequestHeader.Get(k); v != "" {
					fmt.Fprintf(w, "      > %s: %s\n", k, printable(v))
				}
			}
		} else if ex.CORS {
			fmt.Fprintf(w, "      > Origin: %s\n", printable(ex.RequestHeader.Get("Origin")))
			if c := ex.RequestHeader.Get("Cookie"); c != "" {
				fmt.Fprintf(w, "      > Cookie: %s\n", printable(c))
			}
		}
		printHeaders(w, ex.ResponseHeader)
		switch {
		case ex.Failure != nil:
			fmt.Fprintf(w, "      FAILED: %s\n", printable(ex.Failure.Error()))
		case ex.Kind == fetch.KindPreflight:
			fmt.Fprintln(w, "      preflight passed")
		case ex.CORS && fetch.IsRedirectStatus(ex.Status):
			fmt.Fprintln(w, "      CORS check passed; following the redirect")
		case ex.CORS:
			fmt.Fprintln(w, "      CORS check passed")
		case fetch.IsRedirectStatus(ex.Status):
			fmt.Fprintln(w, "      same origin as the page: no CORS check; following the redirect")
		default:
			fmt.Fprintln(w, "      same origin as the page: no CORS check")
		}
	}
	if last := tr.Exchanges[len(tr.Exchanges)-1]; rep.BlockedAt == fetch.KindPreflight {
		method := last.RequestHeader.Get("Access-Control-Request-Method")
		if tr.LastOf(fetch.KindRequest) == nil {
			fmt.Fprintf(w, "  - %s was not sent: a browser stops at a failed preflight\n", printable(method))
		} else {
			// An earlier hop was sent and redirected here: only this hop's request was not.
			fmt.Fprintf(w, "  - %s was not sent to %s: a browser stops at a failed preflight (only the requests above were sent)\n", printable(method), printable(last.URL))
		}
	}
	if !tr.Blocked {
		final := tr.Exchanges[len(tr.Exchanges)-1]
		var hidden []string
		for k := range final.ResponseHeader {
			if l := strings.ToLower(k); !slices.Contains(tr.Readable, l) {
				hidden = append(hidden, l)
			}
		}
		slices.Sort(hidden)
		fmt.Fprintf(w, "  - the page can read these response headers: %s\n", printable(listOrNone(tr.Readable)))
		if len(hidden) > 0 {
			fmt.Fprintf(w, "    and not these (expose them with ExposedHeaders): %s\n", printable(strings.Join(hidden, ", ")))
		}
	}
	if len(rep.Warnings) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Warnings:")
		for _, wn := range rep.Warnings {
			fmt.Fprintf(w, "  - %s\n", printable(wn.Message))
		}
	}
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

func printHeaders(w io.Writer, h http.Header) {
	var keys []string
	for k := range h {
		if shownHeader(k) {
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
