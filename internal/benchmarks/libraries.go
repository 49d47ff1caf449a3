package benchmarks

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/crossorigin/cors"
	chi "github.com/go-chi/cors"
	"github.com/gorilla/handlers"
	jub0bs "github.com/jub0bs/cors"
	rs "github.com/rs/cors"
)

// Library wraps a handler in one middleware configured from a Config.
type Library struct {
	Name string
	// Peer is true for the other libraries we compare ourselves with.
	Peer bool
	// Wrap returns the wrapped handler, or a *NotExpressible error when
	// the library's API cannot state the configuration.
	Wrap func(c Config, next http.Handler) (http.Handler, error)
}

// NotExpressible says why a library cannot state a configuration; its
// cells are reported as n/a rather than measured on another configuration.
type NotExpressible struct{ Reason string }

// Error is the reason.
func (e *NotExpressible) Error() string { return e.Reason }

// Library names, in report order.
const (
	Ours    = "crossorigin"
	RS      = "rs"
	Chi     = "chi"
	Gorilla = "gorilla"
	Jub0bs  = "jub0bs"
	Bare    = "bare"
)

// Libraries lists this library, the peers, and the bare floor.
func Libraries() []*Library {
	return []*Library{
		{Name: Ours, Wrap: wrapOurs},
		{Name: RS, Peer: true, Wrap: wrapRS},
		{Name: Chi, Peer: true, Wrap: wrapChi},
		{Name: Gorilla, Peer: true, Wrap: wrapGorilla},
		{Name: Jub0bs, Peer: true, Wrap: wrapJub0bs},
		{Name: Bare, Wrap: func(_ Config, next http.Handler) (http.Handler, error) { return next, nil }},
	}
}

// OurOptions is the configuration in this library's terms.
func OurOptions(c Config) cors.Options {
	return cors.Options{
		AllowedOrigins:   c.Origins,
		AllowedMethods:   Methods,
		AllowedHeaders:   Headers,
		AllowCredentials: c.Credentials,
	}
}

// wrapOurs is this library, configured with OurOptions.
func wrapOurs(c Config, next http.Handler) (http.Handler, error) {
	m, err := cors.New(OurOptions(c))
	if err != nil {
		return nil, err
	}
	return m.Handler(next), nil
}

// rs/cors and go-chi/cors read "https://*.example.com" as a prefix and a
// suffix around one "*", which is the closest they come to a subdomain
// wildcard; exact origins and "*" mean what they mean here.
func wrapRS(c Config, next http.Handler) (http.Handler, error) {
	return rs.New(rs.Options{
		AllowedOrigins:   c.Origins,
		AllowedMethods:   Methods,
		AllowedHeaders:   Headers,
		AllowCredentials: c.Credentials,
	}).Handler(next), nil
}

// wrapChi is go-chi/cors, which reads patterns as rs/cors does.
func wrapChi(c Config, next http.Handler) (http.Handler, error) {
	return chi.New(chi.Options{
		AllowedOrigins:   c.Origins,
		AllowedMethods:   Methods,
		AllowedHeaders:   Headers,
		AllowCredentials: c.Credentials,
	}).Handler(next), nil
}

// gorilla/handlers compares origins as whole strings: it has no pattern,
// so a configuration with a subdomain wildcard is not expressible (an
// AllowedOriginValidator would be our code, not gorilla's).
func wrapGorilla(c Config, next http.Handler) (http.Handler, error) {
	for _, o := range c.Origins {
		if o != "*" && strings.Contains(o, "*") {
			return nil, &NotExpressible{Reason: "no subdomain wildcard"}
		}
	}
	opts := []handlers.CORSOption{
		handlers.AllowedOrigins(c.Origins),
		handlers.AllowedMethods(Methods),
		handlers.AllowedHeaders(Headers),
	}
	if c.Credentials {
		opts = append(opts, handlers.AllowCredentials())
	}
	return handlers.CORS(opts...)(next), nil
}

// wrapJub0bs is jub0bs/cors, which states a subdomain wildcard as written.
func wrapJub0bs(c Config, next http.Handler) (http.Handler, error) {
	m, err := jub0bs.NewMiddleware(jub0bs.Config{
		Origins:        c.Origins,
		Credentialed:   c.Credentials,
		Methods:        Methods,
		RequestHeaders: Headers,
	})
	if err != nil {
		return nil, err
	}
	return m.Wrap(next), nil
}

// build wraps next in lib's middleware configured with c, turning a panic
// while building into an error.
func build(lib *Library, c Config, next http.Handler) (h http.Handler, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("building: %v", p)
		}
	}()
	return lib.Wrap(c, next)
}
