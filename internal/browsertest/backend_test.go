package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/crossorigin/cors"
)

// exchange is one request that reached the API, and the response it got.
type exchange struct {
	Method  string
	Path    string
	Origins []string // every Origin header line
	ACRM    string   // Access-Control-Request-Method
	ACRH    string   // Access-Control-Request-Headers
	ACRPN   string   // Access-Control-Request-Private-Network
	Cookie  string
	// ReachedHandler is whether the middleware passed the request on to the
	// handler it wraps.
	ReachedHandler bool
	Status         int
	Header         http.Header // the response header as the client got it
}

// Preflight reports whether the exchange is a CORS preflight: OPTIONS with an
// Origin and an Access-Control-Request-Method.
func (e exchange) Preflight() bool {
	return e.Method == http.MethodOptions && len(e.Origins) > 0 && e.ACRM != ""
}

func (e exchange) String() string {
	return fmt.Sprintf("%s %s Origin=%q ACRM=%q ACRH=%q ACRPN=%q Cookie=%q -> %d handler=%v %v",
		e.Method, e.Path, e.Origins, e.ACRM, e.ACRH, e.ACRPN, e.Cookie, e.Status, e.ReachedHandler, e.Header)
}

// backend is one configuration of the middleware, mounted at
// https://api.example.com/c/<id>/. It records every request it receives.
type backend struct {
	id    string
	base  string
	cors  *cors.Cors
	serve http.Handler

	mu  sync.Mutex
	log []*exchange
}

type exchangeKey struct{}

// newBackend builds the middleware from opts around inner (apiHandler when
// nil), wraps it in outer when given, and mounts it. With viaApply the handler
// calls Cors.Apply itself instead of being wrapped by Cors.Handler.
func newBackend(t *testing.T, opts cors.Options, inner http.Handler, outer func(http.Handler) http.Handler, viaApply bool) *backend {
	t.Helper()
	c, err := cors.New(opts)
	if err != nil {
		t.Fatalf("cors.New(%+v): %v", opts, err)
	}
	if inner == nil {
		inner = http.HandlerFunc(apiHandler)
	}
	b := &backend{cors: c}
	marked := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		r.Context().Value(exchangeKey{}).(*exchange).ReachedHandler = true
		b.mu.Unlock()
		inner.ServeHTTP(w, r)
	})
	if viaApply {
		b.serve = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if c.Apply(w, r) {
				return
			}
			marked.ServeHTTP(w, r)
		})
	} else {
		b.serve = c.Handler(marked)
	}
	if outer != nil {
		b.serve = outer(b.serve)
	}

	env.backendsMu.Lock()
	env.nextID++
	b.id = fmt.Sprintf("%d-%s", env.nextID, slug(t.Name()))
	env.backends[b.id] = b
	env.backendsMu.Unlock()
	b.base = apiOrigin + "/c/" + b.id + "/"
	t.Cleanup(func() {
		env.backendsMu.Lock()
		delete(env.backends, b.id)
		env.backendsMu.Unlock()
	})
	return b
}

var notSlug = regexp.MustCompile(`[^a-zA-Z0-9]+`)

func slug(s string) string {
	s = strings.Trim(notSlug.ReplaceAllString(s, "-"), "-")
	if len(s) > 60 {
		s = s[len(s)-60:]
	}
	return s
}

// routeToBackend is the API server: /c/<id>/... goes to backend <id>.
func routeToBackend(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/c/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	id, _, _ := strings.Cut(rest, "/")
	env.backendsMu.Lock()
	b := env.backends[id]
	env.backendsMu.Unlock()
	if b == nil {
		http.NotFound(w, r)
		return
	}
	b.ServeHTTP(w, r)
}

func (b *backend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ex := &exchange{
		Method:  r.Method,
		Path:    strings.TrimPrefix(r.URL.Path, "/c/"+b.id),
		Origins: r.Header.Values("Origin"),
		ACRM:    r.Header.Get("Access-Control-Request-Method"),
		ACRH:    r.Header.Get("Access-Control-Request-Headers"),
		ACRPN:   r.Header.Get("Access-Control-Request-Private-Network"),
		Cookie:  r.Header.Get("Cookie"),
	}
	b.mu.Lock()
	b.log = append(b.log, ex)
	b.mu.Unlock()
	rec := &recorder{ResponseWriter: w, b: b, ex: ex}
	b.serve.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), exchangeKey{}, ex)))
	rec.WriteHeader(http.StatusOK) // no-op unless nothing was written
}

// exchanges returns a copy of what the backend received from index from on.
func (b *backend) exchanges(from int) []exchange {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []exchange
	for _, e := range b.log[from:] {
		c := *e
		c.Header = e.Header.Clone()
		out = append(out, c)
	}
	return out
}

func (b *backend) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.log)
}

// recorder notes the status and the header of the response when it is sent.
type recorder struct {
	http.ResponseWriter
	b       *backend
	ex      *exchange
	written bool
}

func (r *recorder) WriteHeader(status int) {
	if r.written {
		return
	}
	r.written = true
	r.b.mu.Lock()
	r.ex.Status = status
	r.ex.Header = r.Header().Clone()
	r.b.mu.Unlock()
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(p []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.ResponseWriter.Write(p)
}

// apiHandler is the API behind the middleware: a response with a body that
// names the method, and two headers that are not CORS-safelisted.
func apiHandler(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Request-Id", "req-7")
	h.Set("X-Secret", "s3cret")
	_, _ = fmt.Fprintf(w, "handled %s", r.Method)
}
