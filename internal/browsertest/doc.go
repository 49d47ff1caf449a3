// Package browsertest holds the browser-verified conformance suite of
// github.com/crossorigin/cors. It has no non-test code: the tests start a real
// headless Chromium, load a page on one origin, call an API on another origin
// that the middleware wraps, and assert what the page could and could not do
// and what the API received.
//
// The harness that drives the browser is the importable package
// github.com/crossorigin/cors/internal/browsertest/chromium, which the
// examples module's browser tests use too.
//
// The suite needs Debian's chromium package (apt-get update && apt-get install
// -y chromium). Set CORS_SKIP_BROWSER=1 to skip it on a machine without one.
package browsertest
