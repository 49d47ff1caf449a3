package cors

import (
	"net/http"

	"github.com/crossorigin/cors/internal/header"
)

// actual adds the CORS headers for a request that is not a preflight
// (https://fetch.spec.whatwg.org/#http-responses).
func (cfg *config) actual(h http.Header, r *http.Request, origin []string) {
	if cfg.anyOrigin {
		cfg.public(h)
		return
	}
	allowed := false
	if origin != nil {
		if reason := cfg.checkOrigin(origin); reason != "" {
			cfg.logRefusal(r, reason, firstOrEmpty(origin))
		} else {
			allowed = true
		}
	}
	// https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches: the headers depend on Origin (allowed
	// or not, present or not), so every actual response varies on it, lest a shared cache serve one
	// origin's answer to another.
	vary := lookup(h, header.Vary)
	addVary := !header.Varies(vary, header.Origin)
	n := boolInt(addVary)
	if allowed {
		n += cfg.allowSlots
	}
	if n == 0 {
		return
	}
	w := headerWriter{h: h, vals: cfg.slots.take(n)}
	if addVary {
		w.appendVary(vary, header.Origin)
	}
	if allowed {
		cfg.grant(&w, origin[0])
	}
}

// grant writes the headers that let a page read an actual response, in cfg.allowSlots slots:
// Access-Control-Allow-Origin with value (the origin, or "*"), Access-Control-Allow-Credentials with
// credentials, Access-Control-Expose-Headers when configured, and Timing-Allow-Origin, with the same value,
// when configured.
func (cfg *config) grant(w *headerWriter, value string) {
	w.set(header.AccessControlAllowOrigin, value)
	if cfg.credentials {
		w.set(header.AccessControlAllowCredentials, "true")
	}
	if cfg.aceh != "" {
		w.set(header.AccessControlExposeHeaders, cfg.aceh)
	}
	if cfg.timingAllow {
		w.set(header.TimingAllowOrigin, value)
	}
}

// public adds the headers of a "*" policy to an actual response. Such a policy is never credentialed
// (https://fetch.spec.whatwg.org/#cors-check: "*" fails the CORS check of a credentialed request), so its
// answer is the same for every caller: "Access-Control-Allow-Origin: *" on every response, with or without
// Origin, and no Vary. This is what the Fetch standard advises for a public resource
// (https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches): a shared cache keeps one copy and serves
// it to every origin. Nothing of the request is reflected, so a "null" or malformed Origin changes nothing.
func (cfg *config) public(h http.Header) {
	w := headerWriter{h: h, vals: cfg.slots.take(cfg.allowSlots)}
	cfg.grant(&w, "*") // never credentialed: New refuses "*" with AllowCredentials
}
