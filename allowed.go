package cors

import "github.com/crossorigin/cors/internal/origin"

// originAllowed returns "" if the policy allows the serialized origin s, else the reason it does not.
func (cfg *config) originAllowed(s string) (reason string) {
	if cfg.origins.Allows(s) {
		return ""
	}
	if !cfg.anyOrigin && cfg.originFunc == nil {
		return reasonOriginRefused // logRefusal tells a malformed origin from a refused one when it logs
	}
	// Whatever else may allow it, an origin must be canonical: "null" and malformed values are refused,
	// and the function never sees them. Under "*" this is what OriginAllowed answers (a WebSocket
	// handshake carries cookies); CORS responses under "*" do not ask, since they reflect nothing.
	if !origin.IsCanonical(s) {
		return reasonMalformedOrigin
	}
	if cfg.anyOrigin || cfg.originFunc(s) {
		return ""
	}
	return reasonOriginRefused
}

// checkOrigin decides on the Origin header lines of a request.
func (cfg *config) checkOrigin(lines []string) (reason string) {
	switch len(lines) {
	case 0:
		return reasonMalformedOrigin
	case 1:
		return cfg.originAllowed(lines[0])
	}
	// Two Origin lines are never sent by a browser; picking one would be a guess.
	return reasonManyOrigins
}
