package cors

import (
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestActualRequests(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		req  req
		want http.Header // the Access-Control-* headers, exactly
	}{
		{"allowed origin gets its own origin, credentials and exposed headers", app, get("http://localhost:3000"),
			http.Header{"Access-Control-Allow-Origin": {"http://localhost:3000"}, "Access-Control-Allow-Credentials": {"true"}, "Access-Control-Expose-Headers": {"x-total-count"}}},
		{"subdomain wildcard allows a subdomain", app, get("https://api.eu.example.org"),
			http.Header{"Access-Control-Allow-Origin": {"https://api.eu.example.org"}, "Access-Control-Allow-Credentials": {"true"}, "Access-Control-Expose-Headers": {"x-total-count"}}},
		{"refused origin gets no CORS header", app, get("https://evil.example"), http.Header{}},
		{"wildcard never matches the apex domain", app, get("https://example.org"), http.Header{}},
		{"wildcard never matches a lookalike domain", app, get("https://evil-example.org"), http.Header{}},
		{"other port is another origin", app, get("http://localhost:3001"), http.Header{}},
		{"other scheme is another origin", app, get("https://localhost:3000"), http.Header{}},
		{"no Origin is not a CORS request", app, req{}, http.Header{}},
		{"null origin is never allowed", app, get("null"), http.Header{}},
		{"two Origin lines are refused", app, req{origin: []string{"http://localhost:3000", "http://localhost:3000"}}, http.Header{}},
		{"an OPTIONS without Access-Control-Request-Method is an actual request", app, req{method: http.MethodOptions, origin: []string{"http://localhost:3000"}},
			http.Header{"Access-Control-Allow-Origin": {"http://localhost:3000"}, "Access-Control-Allow-Credentials": {"true"}, "Access-Control-Expose-Headers": {"x-total-count"}}},
		{"star without credentials answers star", public, get("https://anyone.example"), http.Header{"Access-Control-Allow-Origin": {"*"}}},
		{"star answers star without Origin: the resource is public", public, req{}, http.Header{"Access-Control-Allow-Origin": {"*"}}},
		{"star answers star to a malformed origin: nothing is reflected", public, get("https://Anyone.example"), http.Header{"Access-Control-Allow-Origin": {"*"}}},
		{"star answers star to null: nothing is reflected", public, get("null"), http.Header{"Access-Control-Allow-Origin": {"*"}}},
		{"star answers star to two Origin lines: nothing is reflected", public, req{origin: []string{"https://a.example", "https://b.example"}}, http.Header{"Access-Control-Allow-Origin": {"*"}}},
		{"star exposes every header without credentials", Options{AllowedOrigins: []string{"*"}, ExposedHeaders: []string{"*", "x-a"}}, get("https://a.example"),
			http.Header{"Access-Control-Allow-Origin": {"*"}, "Access-Control-Expose-Headers": {"*"}}},
		{"AllowOriginFunc is asked when no entry matches", Options{AllowedOrigins: []string{"https://a.example"}, AllowOriginFunc: func(o string) bool { return o == "https://b.example" }}, get("https://b.example"),
			http.Header{"Access-Control-Allow-Origin": {"https://b.example"}}},
		{"AllowOriginFunc is never asked about a malformed origin", Options{AllowOriginFunc: func(string) bool { return true }}, get("https://b.example/"), http.Header{}},
		{"AllowOriginFunc may refuse", Options{AllowOriginFunc: func(string) bool { return false }}, get("https://b.example"), http.Header{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := serve(t, tt.opts, tt.req)
			assert.True(t, res.reached, "an actual request always reaches the handler")
			assert.Equal(t, http.StatusOK, res.code)
			assert.Equal(t, tt.want, corsHeaders(res.header))
			if slices.Equal(tt.opts.AllowedOrigins, []string{"*"}) {
				// Fetch, appendix "CORS protocol and HTTP caches": a "*" answer is the same for every
				// origin, so a shared cache may keep one copy for all.
				assert.Empty(t, res.header.Values("Vary"), "a \"*\" policy's answer does not vary on Origin")
			} else {
				assert.Equal(t, []string{"Origin"}, res.header.Values("Vary"), "every actual response varies on Origin")
			}
		})
	}
}
