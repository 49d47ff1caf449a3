// Package browser drives real browsers for the browser tests of
// github.com/crossorigin/cors, in three engines: Chromium (Debian's chromium,
// over the DevTools protocol with chromedp), Firefox (Debian's firefox-esr,
// over its built-in WebDriver BiDi) and WebKit (Debian's WebKitGTK, through
// WebKitWebDriver under a virtual X display). No driver is downloaded: every
// piece comes from Debian's packages.
//
// Each engine starts its browser and implements Driver: show a page, run a
// script, say its version, close (chromium.go, firefox.go, webkit.go).
// Everything else (which origin a page is shown from, fetch(), WebSocket, a
// form submission, resource timing) is written once, in JavaScript run by
// Browser, so that a case means the same thing in every engine: browser.go
// holds Browser and its page navigation, script.go the scripts' plumbing
// (Eval, Run), and fetch.go, websocket.go and form.go what a page does.
//
// Pages may have any origin (https://app.example.com, http://localhost:3000,
// ...) while every connection stays on the loopback interface: Config.Routes
// maps host:port pairs to loopback listeners, through --host-resolver-rules
// in Chromium and through an in-process forward proxy (Proxy) in Firefox and
// WebKit, which have no such switch. The proxy refuses every destination
// outside the loopback interface, so a test browser reaches nothing else.
//
// A test runs its cases in every selected engine with ForEach: every engine
// by default, only those named in CORS_BROWSERS (a comma-separated list, such
// as "firefox" or "chromium,webkit") when it is set. A missing engine fails
// the test with its install command, unless CORS_SKIP_BROWSER=1.
package browser
