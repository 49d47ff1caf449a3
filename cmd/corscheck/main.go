// Command corscheck explains a cross-origin call as a browser judges it, scans an API for CORS answers
// that trust origins they should not, and checks a contract of calls in CI.
//
// Explain one call, as fetch(URL, {method, headers, credentials}) from a page on ORIGIN would make it:
//
//	corscheck -origin ORIGIN [-method M] [-H 'Name: value']... [-credentials] [-cookie 'name=value']...
//	          [-timeout D] [-deadline D] [-json] [-config FILE] URL
//
// It decides whether the browser sends a preflight, sends it as browsers form it, applies the checks
// browsers apply, sends the actual request, follows redirects as Fetch does, and says which response
// headers the page can read, which step fails and how to fix it on the server. With -config FILE the
// same explanation runs offline against a policy file of github.com/crossorigin/cors (as LoadOptions
// reads it), served in-process; the URL is then optional.
//
// Scan an API for dangerous answers:
//
//	corscheck -scan [-origin TRUSTED] [-timeout D] [-deadline D] [-json] URL
//
// It sends requests and preflights from a battery of origins (unrelated, null, lookalikes of TRUSTED,
// its http variant, an arbitrary subdomain, "*") and reports each finding with an id, a severity, the
// evidence and the fix.
//
// Check a contract, the calls a team's frontends make and those that must never work:
//
//	corscheck -calls FILE [-timeout D] [-deadline D] [-json] (-config POLICY | BASE_URL)
//
// FILE is {"calls": [{"name", "origin", "method", "url", "headers", "credentials", "expect", "read",
// "cookies"}]}, read strictly. Each call is made by a fresh browser and judged as corstest judges it
// (both make it with internal/call): against the policy file served in-process (a path is called on the placeholder host; the application
// behind the policy answers with the headers it exposes and the call reads), or over the network against
// the live API at BASE_URL (a path is appended to it). Each call must be allowed or blocked as its
// "expect" says and, when allowed, let the page read its "read" headers; a mismatch is explained with
// its fix.
//
// Print the version, the module version Go stamped in the binary (with the VCS revision when known):
//
//	corscheck -version
//
// Exit status: explain 0 when the call is allowed, 1 when blocked; scan 0 when no finding is high or
// critical, 1 otherwise; calls 0 when every call is as expected, 1 otherwise; -version 0; 2 for a
// usage or network error or a bad policy or calls file, with the reason on stderr.
//
// -timeout (default 10s) bounds each request; -deadline (default 60s) bounds the whole run, redirects
// and every request of a scan or of a contract included.
//
// With -json each mode prints one JSON object, which carries "corscheck_version". Its fields, the flags,
// the exit statuses, the scan's finding ids and severities and the check names are a stable contract,
// held to api/cmd/corscheck.txt by TestCommandContract; docs/corscheck.md documents them.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
