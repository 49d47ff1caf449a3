package cors

import (
	"net/http"
	"sync/atomic"

	"github.com/crossorigin/cors/internal/header"
)

// Cors is a CORS policy ready to serve requests. It is safe for concurrent use, including Reconfigure
// while requests are in flight.
type Cors struct {
	_   [0]func() // a *Cors is what is shared and compared; Cors values are not comparable
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
	origin, hasOrigin := r.Header[header.Origin]
	// https://fetch.spec.whatwg.org/#cors-preflight-request: an OPTIONS request with an Origin and an
	// Access-Control-Request-Method header. Any other OPTIONS request is an ordinary request.
	if r.Method == http.MethodOptions && hasOrigin {
		if acrm, ok := r.Header[header.AccessControlRequestMethod]; ok {
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

// OriginAllowed reports whether the policy allows origin, a serialized origin such as
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
