// Package cors is a CORS middleware for net/http that follows the WHATWG Fetch standard exactly, refuses
// unsafe configuration when it is built, and costs next to nothing per request.
//
// # What CORS is for
//
// A browser lets a page read a response from another origin (scheme, host and port: a page on
// http://localhost:3000 calling an API on http://localhost:8080) only when the response says so with
// Access-Control-* headers. For requests a plain HTML form could not make — a PUT, a JSON body, a custom
// header — the browser first asks with a "preflight" OPTIONS request, and sends the real request only if
// the preflight's answer allows it. This package answers preflights itself and adds the headers to every
// other response, from a declared policy:
//
//	c, err := cors.New(cors.Options{
//		AllowedOrigins:   []string{"http://localhost:3000", "https://*.example.com"},
//		AllowedMethods:   []string{"GET", "POST", "PUT", "DELETE"},
//		AllowedHeaders:   []string{"Content-Type", "Authorization"},
//		AllowCredentials: true,
//		MaxAge:           2 * time.Hour,
//	})
//	if err != nil {
//		log.Fatal(err) // every problem of the policy, each with its fix
//	}
//	http.ListenAndServe(":8080", c.Handler(mux))
//
// CORS is not access control: it decides what a browser page may read, nothing more. A refused request
// still reaches your handler (only a refused preflight stops the browser from sending the real request),
// and any non-browser client ignores CORS entirely. Authenticate and authorise as you would without it.
//
// # Origins
//
// Each AllowedOrigins entry is an exact origin, a subdomain wildcard ("https://*.example.com": one or
// more labels in front of example.com, never example.com itself), a port wildcard ("http://localhost:*"),
// both, or "*" alone for any origin. Entries are normalised to the form browsers send (lower case,
// punycode, no default port), and a request's Origin must match byte for byte: browsers never send
// anything else, so "https://Example.com", "https://example.com:443" or "null" are refused, as are values
// that no browser could produce (a "*" policy, which reflects nothing, answers them "*" like everyone).
// AllowOriginFunc can decide about the origins no entry matches.
//
// # Safe by construction
//
// New validates the whole policy and returns one *ConfigError per problem, joined. It refuses what
// browsers reject and what attackers exploit: "*" together with AllowCredentials, the "null" origin,
// entries with a path or a trailing slash, wildcards anywhere but the leading labels or the port,
// subdomain wildcards over public suffixes (https://*.co.uk) with credentials, plain-http origins other
// than loopback with credentials, methods and headers that browsers never send, exposing Set-Cookie, a
// MaxAge over 24 hours and a preflight status outside 200–299.
//
// # Responses
//
// A preflight (an OPTIONS request with Origin and Access-Control-Request-Method) never reaches the wrapped
// handler. Allowed, it gets PreflightStatus (204) with Access-Control-Allow-Origin, -Credentials,
// -Methods, -Headers and -Max-Age; refused, a 403 with no CORS header. Every other request goes to the
// handler; if its origin is allowed, the response carries Access-Control-Allow-Origin, and
// Access-Control-Allow-Credentials and Access-Control-Expose-Headers as configured. Every such response
// carries Vary: Origin, appended to what is there, so that shared caches keep the answers for different
// origins apart.
//
// A "*" policy is the exception: it is never credentialed, so its answer is the same for everyone. Every
// actual response carries "Access-Control-Allow-Origin: *", with or without Origin, and no Vary: Origin,
// so that a CDN keeps one copy of a public resource for every calling site, as the Fetch standard advises.
//
// # Cross-origin writes
//
// CORS decides what a page may read, not what it may send: an HTML form or a no-cors fetch from any site
// reaches your handler with the user's cookies, and a refused CORS request is still delivered. With
// CrossOriginProtection, the policy's allowlist also guards writes: a state-changing request that a
// browser sends from an origin the policy does not allow is refused with 403 before the handler runs
// (the algorithm of net/http.CrossOriginProtection, with this policy's exact origins, wildcards and
// AllowOriginFunc as the trusted origins). TimingAllowOrigin lets the allowed pages read the
// Resource Timing details of their calls.
//
// # Cost
//
// The policy is compiled once, in New or Reconfigure; a request only reads it. No request allocates, but
// one whose Vary an outer layer already set (merging into one line costs a string): the header values are
// written into slots cut from per-policy chunks, each slot handed out once, so that no two responses share
// a slice a handler could modify. Origins are found in time that does not grow with how many are
// configured, and request headers are read within fixed bounds (see MaxHeaderListBytes), so no request
// can cost more than a constant amount of work.
//
// # Routers
//
// Handler wraps any http.Handler. For routers whose middleware has another shape (gin, echo, fiber), Apply
// does the same work on a ResponseWriter and a Request and reports whether the response is complete. The
// examples module of this repository shows both for the common routers, and OriginAllowed guards WebSocket
// handshakes with the same allowlist.
//
// # Testing
//
// Package github.com/crossorigin/cors/corstest tells, in a Go test, what a browser decides about a call:
// corstest.Allowed and corstest.Blocked fail a test with the browser's reasons and the fix, whatever serves
// the handler. The corscheck command (github.com/crossorigin/cors/cmd/corscheck) explains a call from the
// command line, scans an API for origins it wrongly trusts, and checks a contract of calls in CI.
package cors
