// Package browsertest holds the browser-verified conformance suite of
// github.com/crossorigin/cors. It has no non-test code: TestBrowsers starts
// each browser engine in turn (Chromium, Firefox, WebKit), loads a page on
// one origin, calls an API on another origin that the middleware wraps, and
// asserts what the page could and could not do and what the API received,
// and that the browser's verdict matches the library's own.
//
// The harness that drives the browsers is the importable package
// github.com/crossorigin/cors/internal/browsertest/browser, which the
// examples module's browser tests use too: one Driver interface, one
// implementation per engine (chromium.go over the DevTools protocol,
// firefox.go over WebDriver BiDi (bidi.go, with the profile of
// firefoxprofile.go), webkit.go over W3C WebDriver with Xvfb), and what a
// page does (fetch, WebSocket, a form) written once.
//
// TestCorscheckInBrowsers runs the same engines on 87 server behaviours and
// proves that three judges give each call the browser's verdict: the
// corscheck command, corstest.CheckURL over the network, and corstest.Check
// in-process on the 84 behaviours that stay on the API's host.
// TestPreflightCost measures, in each engine, what a preflight costs a page
// that makes 50 calls.
//
// The suite needs Debian's chromium, firefox-esr and webkit2gtk-driver (with
// xvfb and xauth): apt-get update && apt-get install -y
// --no-install-recommends chromium firefox-esr webkit2gtk-driver xvfb xauth.
// CORS_BROWSERS=firefox (or chromium,webkit, ...) runs only the engines named;
// CORS_SKIP_BROWSER=1 skips the suite on a machine without them. CI runs every
// engine and never skips.
//
// Where an engine departs from the Fetch standard, the case asserts what the
// engine does and names the deviation (browserCase.in); a case that cannot
// run in an engine skips with the reason. At the end of each engine the
// suite logs one line
//
//	browser-summary engine=<name> version="<version>" cases=N passed=N deviation=N skipped=N failed=N wall=<duration>
//
// and one "browser-deviation engine=<name> <what>" line per deviation found,
// from which docs/conformance.md's table is built.
//
// Last measured (Debian 12, 2 cores shared with other work, load average
// about 3; wall is the cases' time, start-up overlaps the previous engine):
//
//	engine    version                  cases  passed  deviation  skipped  failed  wall
//	chromium  Chrome/156.0.8078.129    132    132     0          0        0       18 s
//	firefox   firefox 153.8.0          132    126     4          2        0       13 s
//	webkit    WebKitGTK 2.50.6         132    123     7          2        0       14 s
//
// The engines' differences found, each asserted by a case of this suite
// unless said otherwise:
//
//   - Access-Control-Allow-Headers: * covering Authorization: WebKit lets it
//     (no switch), against Fetch's CORS non-wildcard request-header name
//     rule; Chromium and Firefox follow the rule with the feature flag and
//     the preference the harness sets. The library refuses such a preflight
//     itself, so every engine agrees on the library's behaviour.
//   - Private Network Access and Local Network Access are Chromium's alone:
//     Firefox and WebKit send no PNA preflight and gate nothing; their calls
//     are ordinary CORS requests.
//   - Mixed content: WebKit blocks an https page's request to
//     http://localhost (and http://127.0.0.1) before it leaves the browser;
//     Chromium and Firefox treat loopback as potentially trustworthy
//     (https://w3c.github.io/webappsec-secure-contexts/#is-origin-trustworthy)
//     and send it. Asserted by the examples module's browser tests.
//   - The message of a blocked fetch: "TypeError: Failed to fetch"
//     (Chromium), "TypeError: NetworkError when attempting to fetch
//     resource." (Firefox), "TypeError: Load failed" (WebKit).
//   - Resource timing: WebKitGTK 2.50 reports no sizes and no serverTiming
//     of a cross-origin fetch, even with Timing-Allow-Origin (also "*").
//     Server Timing exposes serverTiming to secure contexts only: Firefox
//     follows it, Chromium 156 shows it to an http page too. No case asserts
//     this: the cases read timing from https pages.
//   - Cookies: every same-site credentials case (app.example.com to
//     api.example.com here, localhost:3000 to localhost:8080 in the examples
//     module's browser tests) behaves the same in the three engines, including a cookie stored from a response the page
//     may not read. Cross-site, a SameSite=None cookie set under another
//     top-level site is withheld by Chromium 156 (third-party cookies
//     blocked) and Firefox (Total Cookie Protection) and sent by WebKitGTK.
//   - Preflight cache: in the three engines a preflight is cached within
//     max-age, for Fetch's 5 s without the header, per URL and per origin.
//     Firefox's early drop on IP-literal hosts does not show here, even with
//     page and API on IP literals: Firefox reaches every host, loopback ones
//     included, through the harness's proxy.
package browsertest
