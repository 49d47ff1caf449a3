// Package method holds, once, what the Fetch standard says about request methods: which ones a browser
// upper-cases, which ones it sends without a preflight, and which ones it never sends. The middleware's
// configuration, the client side of Fetch (internal/fetch), corstest and corscheck all read them here.
package method

import "github.com/crossorigin/cors/internal/header"

// normalized are the methods that https://fetch.spec.whatwg.org/#concept-method-normalize upper-cases:
// fetch() sends every other method exactly as the script wrote it.
var normalized = [...]string{"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"}

// Normalize returns the method a browser sends for m as written in a script: DELETE, GET, HEAD,
// OPTIONS, POST and PUT in any case are upper-cased, every other method stays as written, so that
// fetch(u, {method: "patch"}) sends "patch".
func Normalize(m string) string {
	for _, n := range normalized {
		if header.EqualFold(m, n) {
			return n
		}
	}
	return m
}

// IsSafelisted reports whether m is a https://fetch.spec.whatwg.org/#cors-safelisted-method: GET, HEAD or
// POST, byte for byte. A cross-origin request with such a method and only safelisted headers needs no
// preflight, and a preflight passes it whatever Access-Control-Allow-Methods says.
func IsSafelisted(m string) bool {
	return m == "GET" || m == "HEAD" || m == "POST"
}

// IsForbidden reports whether m is a https://fetch.spec.whatwg.org/#forbidden-method, in any case:
// CONNECT, TRACE and TRACK, which fetch() refuses and browsers never send.
func IsForbidden(m string) bool {
	return header.EqualFold(m, "CONNECT") || header.EqualFold(m, "TRACE") || header.EqualFold(m, "TRACK")
}
