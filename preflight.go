package cors

import (
	"net/http"

	"github.com/crossorigin/cors/internal/headerlist"
)

// preflight answers a CORS-preflight request (Fetch §4.8 "CORS-preflight fetch"). The wrapped handler never
// sees it. A refused preflight gets 403 and no header at all: the browser then fails the preflight and
// never sends the actual request, and an OPTIONS response is not cacheable (RFC 9110 §9.3.7), so it needs
// no Vary either. Nothing here allocates until the preflight is known to succeed.
func (cfg *config) preflight(rw http.ResponseWriter, r *http.Request, origin, acrm []string) {
	// Under "*" any Origin passes, "null" included: a preflight never carries credentials, and Fetch's
	// CORS check (§4.9) passes "Access-Control-Allow-Origin: *" whatever the request's origin.
	if !cfg.anyOrigin {
		if reason := cfg.checkOrigin(origin); reason != "" {
			cfg.refuse(rw, r, reason, firstOrEmpty(origin))
			return
		}
	}
	if len(acrm) != 1 || len(acrm[0]) > maxMethodLen || !headerlist.IsToken(acrm[0]) {
		cfg.refuse(rw, r, reasonMalformedMethod, firstOrEmpty(acrm))
		return
	}
	method := acrm[0]
	// Methods compare case-sensitively (Fetch §4.8 step 8): browsers upper-case only the six methods
	// they normalise, so "patch" stays "patch" and must not match a configured "PATCH". The same step
	// passes the CORS-safelisted methods GET, HEAD and POST whatever Access-Control-Allow-Methods says,
	// so they are always allowed here: refusing them would only break a GET that carries a custom header.
	if _, ok := cfg.methods[method]; !ok && !cfg.anyMethod && !isSafelistedMethod(method) {
		cfg.refuse(rw, r, reasonMethod, method)
		return
	}
	acrh := r.Header[hACRH]
	var names [headerlist.MaxElements]string
	n, ok := headerlist.Split(acrh, &names)
	if !ok {
		cfg.refuse(rw, r, reasonHeaderList, firstOrEmpty(acrh))
		return
	}
	for _, name := range names[:n] {
		// Fetch §2.2.2: Authorization is a "CORS non-wildcard request-header name"; "*" never covers it.
		if headerlist.EqualFold(name, "authorization") {
			if !cfg.authorization {
				cfg.refuse(rw, r, reasonHeader, name)
				return
			}
			continue
		}
		if !cfg.anyHeader && !cfg.headers.Contains(name) {
			cfg.refuse(rw, r, reasonHeader, name)
			return
		}
	}
	// Private Network Access: answer only a preflight that asks, and only when configured. A preflight
	// that asks without the option configured is still answered, without the grant, because browsers in
	// PNA's warning-only mode go on with the request anyway.
	pna := cfg.privateNetwork && hasValue(r.Header[hACRPN], "true")

	h := rw.Header()
	vary := lookup(h, hVary)
	size := cfg.preflightSlots + boolInt(pna)
	// Access-Control-Allow-Headers answers only a preflight that lists headers. With credentials, "*"
	// is read literally by browsers (Fetch §3.2.3), so the requested names themselves are sent back,
	// one per line: each has just been checked to be a token, so sending it cannot inject anything.
	reflectHeaders := n > 0 && cfg.anyHeader && cfg.credentials
	switch {
	case reflectHeaders:
		size += n
	case n > 0:
		size++
	}
	w := headerWriter{h: h, vals: cfg.slots.take(size)}
	if cfg.anyOrigin {
		w.set(hACAO, "*")
	} else {
		w.set(hACAO, origin[0])
	}
	if cfg.credentials {
		w.set(hACAC, "true")
	}
	// With credentials, "*" is read literally too, so the requested method is sent back (validated above).
	if cfg.anyMethod && cfg.credentials {
		w.set(hACAM, method)
	} else {
		w.set(hACAM, cfg.acam)
	}
	switch {
	case reflectHeaders:
		w.setAll(hACAH, names[:n])
	case n > 0:
		w.set(hACAH, cfg.acah)
	}
	if cfg.maxAge != "" {
		w.set(hACMA, cfg.maxAge)
	}
	if pna {
		w.set(hACAPN, "true")
	}
	w.appendVary(vary, cfg.preflightVary)
	rw.WriteHeader(cfg.status)
}

// refuse answers a refused preflight.
func (cfg *config) refuse(rw http.ResponseWriter, r *http.Request, reason, value string) {
	cfg.logRefusal(r, reason, value)
	rw.WriteHeader(http.StatusForbidden)
}

// isSafelistedMethod reports whether m is a CORS-safelisted method (Fetch §2.2.1).
func isSafelistedMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodPost
}

func firstOrEmpty(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

func hasValue(vs []string, v string) bool {
	return len(vs) == 1 && vs[0] == v
}
