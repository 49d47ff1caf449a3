// Package corstest tells, in a Go test, what a browser decides about a cross-origin call: whether a page
// on one origin can read the answer of fetch(URL, {method, headers, credentials}) from your handler.
//
// A test that sends an OPTIONS request and looks for an Access-Control-Allow-Origin header passes while
// browsers block the call in many ways: "*" with credentials, a method or header the preflight does not
// grant, a header the page reads but the response does not expose, a router that answers OPTIONS with 405
// before the middleware runs. corstest instead runs the browser's side of the Fetch standard's CORS
// protocol (https://fetch.spec.whatwg.org/#http-cors-protocol) against your handler: it decides whether a
// preflight is needed, forms it as browsers do, applies the CORS check and the preflight checks, follows
// redirects with the null-origin taint, and says which response headers the page can read. It does not
// matter what serves the handler: this module's middleware, another CORS library, hand-written code, a
// proxy.
//
// # Testing a policy
//
// [Allowed] and [Blocked] are the helpers most tests need:
//
//	func TestTheAppCanUpdateItemsAndALookalikeCannot(t *testing.T) {
//		api := newAPI() // your router, wrapped in its CORS middleware
//		corstest.Allowed(t, api, corstest.Call{
//			Origin:      "http://localhost:3000",
//			Method:      "PUT",
//			URL:         "/api/items/1",
//			Header:      http.Header{"Content-Type": {"application/json"}},
//			Credentials: "include",
//		})
//		corstest.Blocked(t, api, corstest.Call{
//			Origin:      "http://localhost.evil.example:3000",
//			URL:         "/api/items/1",
//			Credentials: "include",
//		})
//	}
//
// When the browser would block a call the test expects to work, Allowed fails the test with every check
// the failing response fails, in the words a browser console uses, and the fix on the server. When it
// would allow a call the test expects to be blocked, Blocked fails it with what let the call through.
//
// [Check] returns the whole [Result] instead: the verdict, the step that failed, the preflight and the
// response as the browser sent and got them, the headers the page can read ([Result.CanRead]), the
// problems and the warnings (what works but is fragile, such as an origin allowed without Vary: Origin).
// [CheckURL] makes the same call over the network, to test a deployed API or a server started with
// net/http/httptest. [Scan] and [ScanURL] look for origins an API wrongly trusts (lookalikes, null, any
// origin echoed back), with the same battery, finding ids and severities as the corscheck command's -scan.
//
// # The browser corstest models
//
// Each call is made by a fresh browser: its preflight cache is empty and its only cookies are the
// [Call]'s Cookies, which are sent where the credentials mode lets cookies go (Secure ones over https
// only). The verdict is the Fetch standard's, not one engine's; where engines deviate from it (WebKit,
// and Chromium and Firefox unless configured, let "Access-Control-Allow-Headers: *" cover Authorization),
// the result says so in a warning. The repository's browser suite checks these verdicts against
// Chromium, Firefox and WebKit: CheckURL on 87 server behaviours, and Check on the 84 of them that stay
// on one host (docs/corscheck.md, "Proven against real browsers"). Not modelled: SameSite and
// third-party-cookie blocking (where engines and their settings differ), the HTTP cache, service
// workers, CSP, mixed content, Private and Local Network Access, and request bodies (the Content-Type a
// script sets is judged; no body is sent).
//
// [Check] resolves a path such as "/api/items/1" against [APIOrigin], an origin that is cross-site to
// the page origins tests use, so the call is cross-origin and its Sec-Fetch-Site is cross-site; give an
// absolute URL for another API origin (same-site, plain http, a port). Check serves only that URL's host
// from the handler, so it follows redirects within the API; a redirect to another host is an error
// (CheckURL follows it, with servers on both hosts). The handler's responses get the headers net/http's
// server would add (Date, Content-Length or Transfer-Encoding, a sniffed Content-Type), since a page
// that may read every header reads those too.
package corstest
