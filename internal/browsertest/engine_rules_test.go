package browsertest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/internal/browsertest/browser"
)

// The engines' own CORS rules, seen without the library: a hand-written
// server answers the preflight, so what the page can do is the engine's
// decision alone. These cases show why the library cannot leave a rule to
// the browser, and name where an engine departs from the Fetch standard.
func testEngineRules(t *testing.T) {
	// wildcardHeaders answers every preflight from any origin with
	// "Access-Control-Allow-Headers: *", and every other request with the
	// origin allowed, exactly as a naive server would.
	wildcardHeaders := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			h.Set("Cache-Control", "no-store")
			if r.Method == http.MethodOptions {
				h.Set("Access-Control-Allow-Headers", "*")
				w.WriteHeader(http.StatusNoContent)
				return
			}
			apiHandler(w, r)
		})
	}
	for _, tc := range []struct {
		name    string
		headers map[string]string
		// readable, by engine: whether the page reads the response.
		readable  map[string]bool
		deviation map[string]string
	}{
		{
			name:     "Access-Control-Allow-Headers: * covers a custom header",
			headers:  map[string]string{"X-Client": "web"},
			readable: map[string]bool{browser.Chromium: true, browser.Firefox: true, browser.WebKit: true},
		},
		{
			// Authorization is a "CORS non-wildcard request-header name"
			// (https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name),
			// which "*" never covers in a CORS-preflight fetch
			// (https://fetch.spec.whatwg.org/#cors-preflight-fetch).
			// Chromium follows it with CorsNonWildcardRequestHeadersSupport,
			// Firefox with network.cors_preflight.authorization_covered_by_wildcard
			// set to false, both set by the harness; WebKit has no such switch
			// and lets "*" cover Authorization. The library therefore refuses
			// such a preflight itself (testRequestHeaders), in every engine.
			name:     "Access-Control-Allow-Headers: * alone does not cover Authorization",
			headers:  map[string]string{"Authorization": "Bearer t"},
			readable: map[string]bool{browser.Chromium: false, browser.Firefox: false, browser.WebKit: true},
			deviation: map[string]string{browser.WebKit: "Access-Control-Allow-Headers: * covers Authorization, " +
				"against Fetch's CORS non-wildcard request-header name rule; no switch turns it off"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			record(t, variant{deviation: tc.deviation[env.engine]})
			want, known := tc.readable[env.engine]
			require.True(t, known, "no expectation for %s", env.engine)
			if d := tc.deviation[env.engine]; d != "" {
				t.Logf("%s deviates: %s", env.engine, d)
			}
			b := newBackend(t, cors.Options{AllowedOrigins: []string{pageApp}}, nil, wildcardHeaders, false)
			from := b.count()
			got := probe(t, pageApp, b.base+"x", request{headers: tc.headers})
			exs := b.exchanges(from)
			ctx := "the page saw " + got.Error + "\nthe API received:\n" + describe(exs)
			require.NotEmpty(t, exs, ctx)
			assert.True(t, exs[0].Preflight(), "the first request is the preflight\n%s", ctx)
			assert.Equal(t, want, got.OK, "the page reads the response\n%s", ctx)
			if want {
				assert.Len(t, exs, 2, "the actual request follows the preflight\n%s", ctx)
			} else {
				assert.Len(t, exs, 1, "the preflight fails, the actual request is never sent\n%s", ctx)
				assert.Contains(t, got.Error, env.browser.Engine().NetworkError)
			}
		})
	}
}
