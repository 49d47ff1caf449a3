// Package fetch is the client half of the CORS protocol as the WHATWG Fetch standard defines it: what a
// browser sends for a fetch() from a page, and how it judges the answers. It is written once, for the
// corstest package and the corscheck command, so that both ask "would a browser accept this response?"
// of one implementation instead of checking header strings by hand.
//
// The package has two layers.
//
// The rules are pure functions over header values, each named after the Fetch algorithm it implements
// and citing it by anchor: [IsForbiddenRequestHeader], [IsSafelistedRequestHeader],
// [UnsafeRequestHeaderNames], [NeedsPreflight], [PreflightRequestHeaders], [CORSCheck],
// [Preflight.Check] (and [Preflight.Failures], every failing check), [MaxAge], [ReadableHeaders],
// [ExtractHeaderListValues], [ParseMIMEEssence], [ParseSingleRange], [SerializeOrigin] and [ParseOrigin].
// A check that fails returns a *[Failure] that says which check failed and why, in the words a browser
// console uses. The facts they share with the middleware (header names, tokens, methods, forbidden and
// safelisted names, default ports, IPv6 serialization) are read from internal/header, internal/method
// and internal/origin; the origin parsing is this package's own, the URL standard's through net/url, so
// that it stays an oracle of the middleware's (FuzzClientAndServerReadOriginsAlike holds the two
// together).
//
// [Client] runs a whole fetch against a server over an http.RoundTripper: it decides on the preflight,
// sends it as browsers form it, applies the checks, sends the actual request, follows redirects the way
// Fetch does for CORS requests (at most 20, the CORS check on each hop, several Location lines a
// failure, Origin "null" after a cross-origin hop, Authorization dropped) and reports every exchange in
// a [Trace]. Reading is bounded: response headers by the transport's MaxResponseHeaderBytes (see
// [NewTransport]), bodies by [Client.BodyLimit], each exchange's time by [Client.Timeout] and the whole
// fetch's by the context given to [Client.Do]. [HandlerTransport] serves requests with an http.Handler
// in-process, so a test or an offline check needs no listener.
//
// What it does not model: the HTTP cache (requests are unconditional, so a 304 is CORS-checked like
// any response) and proxy authentication (a 407 is an error: a browser would prompt and retry), the
// preflight cache (every fetch is judged as if the cache were empty), the
// service-worker and CSP layers, mixed content, and Private Network Access. Browsers deviate from the
// standard in one place that matters here: Chromium (unless the CorsNonWildcardRequestHeadersSupport
// feature is on), Firefox (unless network.cors_preflight.authorization_covered_by_wildcard is false) and
// WebKit let "Access-Control-Allow-Headers: *" cover Authorization. This package follows the standard;
// [Client.AuthorizationCoveredByWildcard] models the deviation when a test needs to.
package fetch
