// Command corscheck explains a cross-origin call as a browser judges it, and scans an API for CORS
// answers that trust origins they should not.
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
// Exit status: explain 0 when the call is allowed, 1 when blocked; scan 0 when no finding is high or
// critical, 1 otherwise; 2 for a usage or network error, with the reason on stderr.
//
// -timeout (default 10s) bounds each request; -deadline (default 60s) bounds the whole run, redirects
// and every request of a scan included.
//
// The JSON output is documented in docs/corscheck.md.
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
