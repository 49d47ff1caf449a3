package cors

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// req describes a request in the tables of this package's tests.
type req struct {
	method string
	origin []string // Origin lines; nil for none
	acrm   string   // Access-Control-Request-Method, "" for none
	acrh   []string // Access-Control-Request-Headers lines
	header http.Header
}

func (q req) build() *http.Request {
	method := q.method
	if method == "" {
		method = http.MethodGet
	}
	r := httptest.NewRequest(method, "http://api.example.com/items/1", nil)
	if q.origin != nil {
		r.Header["Origin"] = q.origin
	}
	if q.acrm != "" {
		r.Header.Set("Access-Control-Request-Method", q.acrm)
	}
	if q.acrh != nil {
		r.Header["Access-Control-Request-Headers"] = q.acrh
	}
	for k, v := range q.header {
		r.Header[k] = v
	}
	return r
}

// get and preflight build the two common shapes of request.
func get(origin string) req { return req{method: http.MethodGet, origin: []string{origin}} }

func preflight(origin, method string, headers ...string) req {
	q := req{method: http.MethodOptions, origin: []string{origin}, acrm: method}
	if len(headers) > 0 {
		q.acrh = []string{strings.Join(headers, ",")}
	}
	return q
}

// result is what the wrapped handler saw and what the client received.
type result struct {
	reached bool
	code    int
	header  http.Header
}

// serve runs q through a middleware built from o around a handler that records that it ran and answers 200.
func serve(t *testing.T, o Options, q req) result {
	t.Helper()
	c, err := New(o)
	require.NoError(t, err)
	return serveWith(c, q)
}

func serveWith(c *Cors, q req) result {
	var res result
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		res.reached = true
		w.WriteHeader(http.StatusOK)
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, q.build())
	res.code = rec.Code
	res.header = rec.Result().Header
	return res
}

// corsHeaders returns the Access-Control-* headers of h.
func corsHeaders(h http.Header) http.Header {
	out := http.Header{}
	for k, v := range h {
		if strings.HasPrefix(k, "Access-Control-") {
			out[k] = v
		}
	}
	return out
}

// app is the everyday configuration: a frontend on localhost:3000 calling an API with cookies, plus a
// production domain and its subdomains.
var app = Options{
	AllowedOrigins:   []string{"http://localhost:3000", "https://app.example.com", "https://*.example.org"},
	AllowedMethods:   []string{"GET", "POST", "PUT", "DELETE", "PATCH"},
	AllowedHeaders:   []string{"Content-Type", "X-Request-Id", "Authorization"},
	ExposedHeaders:   []string{"X-Total-Count"},
	AllowCredentials: true,
	MaxAge:           2 * time.Hour,
}

var public = Options{AllowedOrigins: []string{"*"}}
