// Package header holds, once, what the Fetch standard and HTTP say about header names: the names of the
// CORS protocol's headers, the token syntax of a name, byte-case-insensitive comparison, which request
// headers a page can never set and which response headers it can always read, and how to tell whether a
// response varies on a header. The middleware, the client side of Fetch (internal/fetch), corstest and
// corscheck all read these facts here.
package header

// Names in the canonical form net/http keys its header maps by, so that the request path reads and
// writes the maps directly.
const (
	// https://fetch.spec.whatwg.org/#http-requests
	Origin                             = "Origin"
	AccessControlRequestMethod         = "Access-Control-Request-Method"
	AccessControlRequestHeaders        = "Access-Control-Request-Headers"
	AccessControlRequestPrivateNetwork = "Access-Control-Request-Private-Network" // Private Network Access

	// https://fetch.spec.whatwg.org/#http-responses
	AccessControlAllowOrigin         = "Access-Control-Allow-Origin"
	AccessControlAllowCredentials    = "Access-Control-Allow-Credentials"
	AccessControlAllowMethods        = "Access-Control-Allow-Methods"
	AccessControlAllowHeaders        = "Access-Control-Allow-Headers"
	AccessControlMaxAge              = "Access-Control-Max-Age"
	AccessControlExposeHeaders       = "Access-Control-Expose-Headers"
	AccessControlAllowPrivateNetwork = "Access-Control-Allow-Private-Network" // Private Network Access

	// https://httpwg.org/specs/rfc9110.html#field.vary: what a response's content depends on.
	Vary = "Vary"
	// https://w3c.github.io/resource-timing/#sec-timing-allow-origin: the origins whose pages may read a
	// response's timing details (Fetch's "TAO check").
	TimingAllowOrigin = "Timing-Allow-Origin"
	// https://w3c.github.io/webappsec-fetch-metadata/#sec-fetch-site-header: how the request's initiator
	// relates to its target.
	SecFetchSite = "Sec-Fetch-Site"
	// https://fetch.spec.whatwg.org/#concept-response-location-url: where a redirect goes.
	Location = "Location"
	// https://fetch.spec.whatwg.org/#authorization: never covered by a "*" in Access-Control-Allow-Headers.
	Authorization = "Authorization"
)

// tchar is https://httpwg.org/specs/rfc9110.html#tokens's token character set.
var tchar = [256]bool{
	'!': true, '#': true, '$': true, '%': true, '&': true, '\'': true, '*': true, '+': true,
	'-': true, '.': true, '^': true, '_': true, '`': true, '|': true, '~': true,
	'0': true, '1': true, '2': true, '3': true, '4': true, '5': true, '6': true, '7': true, '8': true, '9': true,
	'a': true, 'b': true, 'c': true, 'd': true, 'e': true, 'f': true, 'g': true, 'h': true, 'i': true,
	'j': true, 'k': true, 'l': true, 'm': true, 'n': true, 'o': true, 'p': true, 'q': true, 'r': true,
	's': true, 't': true, 'u': true, 'v': true, 'w': true, 'x': true, 'y': true, 'z': true,
	'A': true, 'B': true, 'C': true, 'D': true, 'E': true, 'F': true, 'G': true, 'H': true, 'I': true,
	'J': true, 'K': true, 'L': true, 'M': true, 'N': true, 'O': true, 'P': true, 'Q': true, 'R': true,
	'S': true, 'T': true, 'U': true, 'V': true, 'W': true, 'X': true, 'Y': true, 'Z': true,
}

// IsToken reports whether s is a non-empty RFC 9110 token, the syntax of both methods and header names
// (https://fetch.spec.whatwg.org/#concept-method, #header-name).
func IsToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tchar[s[i]] {
			return false
		}
	}
	return true
}
