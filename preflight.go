package cors

import (
	"net/http"

	"github.com/crossorigin/cors/internal/header"
	"github.com/crossorigin/cors/internal/headerlist"
	"github.com/crossorigin/cors/internal/method"
)

// preflight answers a CORS-preflight request (https://fetch.spec.whatwg.org/#cors-preflight-fetch). The
// wrapped handler never sees it. A refused preflight gets 403 and no header at all: the browser then
// fails the preflight and never sends the actual request, and an OPTIONS response is not cacheable
// (https://httpwg.org/specs/rfc9110.html#OPTIONS), so it needs no Vary either. Nothing here allocates
// until the preflight is known to succeed.
func (cfg *config) preflight(rw http.ResponseWriter, r *http.Request, origin, acrm []string) {
	reason, value := cfg.checkPreflightOriginAndMethod(origin, acrm)
	if reason == "" {
		// Only now is the list of requested names read: a preflight refused for its origin or its method
		// does not even pay for zeroing the array the names are read into.
		var names [headerlist.MaxElements]string
		var n int
		if n, reason, value = cfg.checkRequestedHeaders(r, &names); reason == "" {
			cfg.grantPreflight(rw, r, origin, acrm[0], names[:n])
			rw.WriteHeader(cfg.status)
			return
		}
	}
	cfg.logRefusal(r, reason, value)
	rw.WriteHeader(http.StatusForbidden)
}

// checkPreflightOriginAndMethod decides on a preflight's origin and the method it asks for. It returns
// "" when both are allowed, else the reason for a refusal and the value to log.
func (cfg *config) checkPreflightOriginAndMethod(origin, acrm []string) (reason, value string) {
	// Under "*" any Origin passes, "null" included: a preflight never carries credentials, and the CORS
	// check (https://fetch.spec.whatwg.org/#cors-check) passes "Access-Control-Allow-Origin: *" whatever
	// the request's origin.
	if !cfg.anyOrigin {
		if reason := cfg.checkOrigin(origin); reason != "" {
			return reason, firstOrEmpty(origin)
		}
	}
	if len(acrm) != 1 || len(acrm[0]) > maxMethodLen || !header.IsToken(acrm[0]) {
		return reasonMalformedMethod, firstOrEmpty(acrm)
	}
	// Methods compare case-sensitively (https://fetch.spec.whatwg.org/#cors-preflight-fetch): browsers
	// upper-case only the six methods they normalize, so "patch" stays "patch" and must not match a
	// configured "PATCH". The same algorithm passes the CORS-safelisted methods GET, HEAD and POST
	// whatever Access-Control-Allow-Methods says, so they are always allowed here: refusing them would
	// only break a GET that carries a custom header.
	m := acrm[0]
	if _, ok := cfg.methods[m]; !ok && !cfg.anyMethod && !method.IsSafelisted(m) {
		return reasonMethod, m
	}
	return "", ""
}

// checkRequestedHeaders reads the header names a preflight asks for into names and decides on each. It
// returns how many there are, or the reason for a refusal and the value to log.
func (cfg *config) checkRequestedHeaders(r *http.Request, names *[headerlist.MaxElements]string) (n int, reason, value string) {
	acrh := r.Header[header.AccessControlRequestHeaders]
	n, ok := headerlist.Split(acrh, names)
	if !ok {
		return 0, reasonHeaderList, firstOrEmpty(acrh)
	}
	for _, name := range names[:n] {
		// https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name: "*" never covers
		// Authorization.
		if header.EqualFold(name, header.Authorization) {
			if !cfg.authorization {
				return 0, reasonHeader, name
			}
			continue
		}
		if !cfg.anyHeader && !cfg.headers.Contains(name) {
			return 0, reasonHeader, name
		}
	}
	return n, "", ""
}

// grantPreflight writes the headers of an allowed preflight for the requested method and header names.
func (cfg *config) grantPreflight(rw http.ResponseWriter, r *http.Request, origin []string, requested string, names []string) {
	// Private Network Access: answer only a preflight that asks, and only when configured. A preflight
	// that asks without the option configured is still answered, without the grant, because browsers in
	// PNA's warning-only mode go on with the request anyway.
	pna := cfg.privateNetwork && isTrue(r.Header[header.AccessControlRequestPrivateNetwork])
	h := rw.Header()
	vary := lookup(h, header.Vary)
	size := cfg.preflightSlots + boolInt(pna)
	// Access-Control-Allow-Headers answers only a preflight that lists headers. With credentials, "*"
	// is read literally by browsers (https://fetch.spec.whatwg.org/#http-responses), so the requested
	// names themselves are sent back, one per line: each has just been checked to be a token, so sending
	// it cannot inject anything.
	reflectHeaders := len(names) > 0 && cfg.anyHeader && cfg.credentials
	switch {
	case reflectHeaders:
		size += len(names)
	case len(names) > 0:
		size++
	}
	w := headerWriter{h: h, vals: cfg.slots.take(size)}
	if cfg.anyOrigin {
		w.set(header.AccessControlAllowOrigin, "*")
	} else {
		w.set(header.AccessControlAllowOrigin, origin[0])
	}
	if cfg.credentials {
		w.set(header.AccessControlAllowCredentials, "true")
	}
	// With credentials, "*" is read literally too, so the requested method is sent back (validated).
	if cfg.anyMethod && cfg.credentials {
		w.set(header.AccessControlAllowMethods, requested)
	} else {
		w.set(header.AccessControlAllowMethods, cfg.acam)
	}
	switch {
	case reflectHeaders:
		w.setAll(header.AccessControlAllowHeaders, names)
	case len(names) > 0:
		w.set(header.AccessControlAllowHeaders, cfg.acah)
	}
	if cfg.maxAge != "" {
		w.set(header.AccessControlMaxAge, cfg.maxAge)
	}
	if pna {
		w.set(header.AccessControlAllowPrivateNetwork, "true")
	}
	w.appendVary(vary, cfg.preflightVary)
}

// isTrue reports whether a request header has exactly one line, "true".
func isTrue(lines []string) bool {
	return len(lines) == 1 && lines[0] == "true"
}
