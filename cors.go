package cors

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/crossorigin/cors/internal/headerlist"
)

// Header names, in the canonical form net/http keys its header maps by, so that the request path reads
// and writes the maps directly.
const (
	hOrigin = "Origin"
	hVary   = "Vary"

	hACRM  = "Access-Control-Request-Method"
	hACRH  = "Access-Control-Request-Headers"
	hACRPN = "Access-Control-Request-Private-Network"

	hACAO  = "Access-Control-Allow-Origin"
	hACAC  = "Access-Control-Allow-Credentials"
	hACAM  = "Access-Control-Allow-Methods"
	hACAH  = "Access-Control-Allow-Headers"
	hACEH  = "Access-Control-Expose-Headers"
	hACMA  = "Access-Control-Max-Age"
	hACAPN = "Access-Control-Allow-Private-Network"

	// Resource Timing §4.5 and Fetch's "TAO check": the origins whose pages may read a response's
	// timing details.
	hTAO = "Timing-Allow-Origin"
)

// Cors is a CORS policy ready to serve requests. It is safe for concurrent use, including Reconfigure
// while requests are in flight.
type Cors struct {
	cfg atomic.Pointer[config]
}

// New validates o and returns the middleware for it. If o has problems, New returns a nil *Cors and an
// error joining one *ConfigError per problem.
func New(o Options) (*Cors, error) {
	cfg, err := newConfig(o)
	if err != nil {
		return nil, err
	}
	c := new(Cors)
	c.cfg.Store(cfg)
	return c, nil
}

// MustNew is like New but panics with New's error. Use it where the options are constants.
func MustNew(o Options) *Cors {
	c, err := New(o)
	if err != nil {
		panic(err)
	}
	return c
}

// Handler wraps next: it answers CORS preflights itself and adds the CORS headers to every other response
// before calling next.
func (c *Cors) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c.Apply(w, r) {
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Apply is Handler's work, for routers whose middleware is not an http.Handler wrapper. It sets the CORS
// response headers on w for r. If r is a CORS preflight, Apply also writes the whole response (headers
// and status, no body) and returns true: the caller must then stop, and not call the next handler. So it
// does for a request that CrossOriginProtection refuses (403).
func (c *Cors) Apply(w http.ResponseWriter, r *http.Request) (done bool) {
	cfg := c.cfg.Load()
	origin, hasOrigin := r.Header[hOrigin]
	// Fetch §3.2.2: a CORS-preflight request is an OPTIONS request with an Origin and an
	// Access-Control-Request-Method header. Any other OPTIONS request is an ordinary request.
	if r.Method == http.MethodOptions && hasOrigin {
		if acrm, ok := r.Header[hACRM]; ok {
			cfg.preflight(w, r, origin, acrm)
			return true
		}
	}
	if cfg.protectWrites {
		if reason, value := cfg.checkWrite(r, origin); reason != "" {
			// No CORS header: the page may not read the refusal, and the handler never runs.
			cfg.logRefusal(r, reason, value)
			w.WriteHeader(http.StatusForbidden)
			return true
		}
	}
	cfg.actual(w.Header(), r, origin)
	return false
}

// OriginAllowed reports whether the policy allows origin, a serialised origin such as
// "https://app.example.com". Use it where a browser sends an Origin that CORS does not govern, such as a
// WebSocket handshake: a gorilla/websocket Upgrader's CheckOrigin can be
//
//	func(r *http.Request) bool { return c.OriginAllowed(r.Header.Get("Origin")) }
func (c *Cors) OriginAllowed(origin string) bool {
	return c.cfg.Load().originAllowed(origin) == ""
}

// Reconfigure validates o and, if it has no problem, makes it the policy for every request that starts
// from now on; requests in flight finish under the policy they started with. On error the policy in force
// stays as it was.
func (c *Cors) Reconfigure(o Options) error {
	cfg, err := newConfig(o)
	if err != nil {
		return err
	}
	c.cfg.Store(cfg)
	return nil
}

// Options returns the normalised options in force: origins in canonical form, defaults filled in, names
// lower-cased, duplicates removed. The slices are copies.
func (c *Cors) Options() Options {
	return c.cfg.Load().options.clone()
}

// Reasons for a refusal, as logged.
const (
	reasonMalformedOrigin = "malformed origin"
	reasonOriginRefused   = "origin not allowed"
	reasonManyOrigins     = "more than one Origin header"
	reasonMethod          = "method not allowed"
	reasonMalformedMethod = "malformed Access-Control-Request-Method"
	reasonHeaderList      = "malformed or over-long Access-Control-Request-Headers"
	reasonHeader          = "header not allowed"
)

// originAllowed returns "" if the policy allows the serialised origin s, else the reason it does not.
func (cfg *config) originAllowed(s string) (reason string) {
	// A configured exact origin is canonical, so finding s among them proves it valid. The length
	// check comes first so that a hostile value is never even compared.
	if len(s) <= maxOriginLen && cfg.origins.HasExact(s) {
		return ""
	}
	// A pattern compares text, so an origin that no pattern matches is refused unparsed, unless "*" or
	// the function may still allow it. (logRefusal tells a malformed origin from a refused one when it
	// matters.)
	matched := len(s) <= maxOriginLen && cfg.origins.MatchPattern(s)
	if !matched && !cfg.anyOrigin && cfg.originFunc == nil {
		return reasonOriginRefused
	}
	// Whatever allows it, an origin must be canonical: "null" and malformed values are refused, and
	// the function never sees them. Under "*" this is what OriginAllowed answers (a WebSocket handshake
	// carries cookies); CORS responses under "*" do not ask, since they reflect nothing (see public).
	if _, ok := parseOrigin(s); !ok {
		return reasonMalformedOrigin
	}
	if matched || cfg.anyOrigin || cfg.originFunc(s) {
		return ""
	}
	return reasonOriginRefused
}

// checkOrigin decides on the Origin header lines of a request.
func (cfg *config) checkOrigin(origin []string) (reason string) {
	switch len(origin) {
	case 0:
		return reasonMalformedOrigin
	case 1:
	default:
		// Two Origin lines are never sent by a browser; picking one would be a guess.
		return reasonManyOrigins
	}
	return cfg.originAllowed(origin[0])
}

// actual adds the CORS headers for a request that is not a preflight (Fetch §3.2.3 "HTTP responses").
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
	// Fetch, appendix "CORS protocol and HTTP caches": the headers depend on Origin (allowed or not, present or
	// not), so every actual response varies on it, lest a shared cache serve one origin's answer to another.
	vary := lookup(h, hVary)
	addVary := !varyCovers(vary, hOrigin)
	n := boolInt(addVary)
	if allowed {
		n += cfg.allowSlots
	}
	if n == 0 {
		return
	}
	w := headerWriter{h: h, vals: cfg.slots.take(n)}
	if addVary {
		w.appendVary(vary, hOrigin)
	}
	if allowed {
		cfg.allow(&w, origin[0])
	}
}

// allow writes the headers that let a page read an actual response, in cfg.allowSlots slots:
// Access-Control-Allow-Origin with value (the origin, or "*"), Access-Control-Allow-Credentials with
// credentials, Access-Control-Expose-Headers when configured, and Timing-Allow-Origin, with the same value,
// when configured.
func (cfg *config) allow(w *headerWriter, value string) {
	w.set(hACAO, value)
	if cfg.credentials {
		w.set(hACAC, "true")
	}
	if cfg.aceh != "" {
		w.set(hACEH, cfg.aceh)
	}
	if cfg.timingAllow {
		w.set(hTAO, value)
	}
}

// public adds the headers of a "*" policy to an actual response. Such a policy is never credentialed
// (Fetch §3.2.5: "*" fails the CORS check of a credentialed request), so its answer is the same for every
// caller: "Access-Control-Allow-Origin: *" on every response, with or without Origin, and no Vary. This is
// what the Fetch standard advises for a public resource (appendix "CORS protocol and HTTP caches"): a
// shared cache keeps one copy and serves it to every origin. Nothing of the request is reflected, so a
// "null" or malformed Origin changes nothing.
func (cfg *config) public(h http.Header) {
	w := headerWriter{h: h, vals: cfg.slots.take(cfg.allowSlots)}
	cfg.allow(&w, "*") // never credentialed: New refuses "*" with AllowCredentials
}

// headerWriter writes header values into slices cut from vals, which no other response ever sees (see
// slotPool), so that a handler that edits a value in place (h[k][0] = v) cannot change what any other
// request sees. Each slice is capped at its length, so appending to it copies instead of overwriting the
// next header's values.
type headerWriter struct {
	h    http.Header
	vals []string
}

// set sets key to the single value v.
func (w *headerWriter) set(key, v string) {
	w.vals[0] = v
	w.h[key] = w.vals[:1:1]
	w.vals = w.vals[1:]
}

// setAll sets key to the values vs.
func (w *headerWriter) setAll(key string, vs []string) {
	n := copy(w.vals, vs)
	w.h[key] = w.vals[:n:n]
	w.vals = w.vals[n:]
}

// appendVary adds v to the Vary field whose lines are old: appended, never overwritten (RFC 9110
// §12.5.5). An existing field is rewritten as one line ending in v, with the same members: caches such
// as nginx up to 1.22 read only the last Vary line, and would otherwise lose either the earlier members
// or v. That costs one string, only when an earlier layer has set Vary.
func (w *headerWriter) appendVary(old []string, v string) {
	if len(old) > 0 {
		v = strings.Join(old, ", ") + ", " + v
	}
	w.set(hVary, v)
}

// varyCovers reports whether the Vary values already name header (or "*").
func varyCovers(vary []string, header string) bool {
	for _, v := range vary {
		if headerlist.ListContains(v, header) || headerlist.ListContains(v, "*") {
			return true
		}
	}
	return false
}

// lookup returns h[key] without a map lookup when h is empty, as it is when this middleware is the
// first to write a header.
func lookup(h http.Header, key string) []string {
	if len(h) == 0 {
		return nil
	}
	return h[key]
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// clip prepares a client-sent value for a log record: cut to maxLoggedValue bytes, and with control and
// non-ASCII bytes written as Go escapes, so that whatever the log handler, a hostile value can neither
// flood the log nor forge a line or smuggle terminal controls.
func clip(s string) (_ string, truncated bool) {
	if len(s) > maxLoggedValue {
		s, truncated = s[:maxLoggedValue], true
	}
	q := strconv.QuoteToASCII(s)
	return q[1 : len(q)-1], truncated
}

// maxLoggedValue bounds how much of an offending value a log record carries.
const maxLoggedValue = 128

// logRefusal records a refusal at debug level, the offending value escaped (so control bytes cannot forge
// log lines) and truncated (so a hostile value cannot flood the log).
func (cfg *config) logRefusal(r *http.Request, reason, value string) {
	if cfg.logger == nil {
		return
	}
	ctx := r.Context()
	if !cfg.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	if reason == reasonOriginRefused {
		if _, ok := parseOrigin(value); !ok {
			reason = reasonMalformedOrigin // told apart only here: see originAllowed
		}
	}
	value, truncated := clip(value)
	path, _ := clip(r.URL.Path)
	method, _ := clip(r.Method)
	cfg.logger.LogAttrs(ctx, slog.LevelDebug, "cors: request refused",
		slog.String("reason", reason),
		slog.String("value", value),
		slog.Bool("truncated", truncated),
		slog.String("method", method),
		slog.String("path", path),
	)
}
