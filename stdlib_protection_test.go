//go:build go1.25

package cors

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The pitfall CrossOriginProtection removes. net/http.CrossOriginProtection (Go 1.25) trusts exact
// origins only, so a team that stacks it with a CORS policy adds the policy's exact origins to it and
// must leave the wildcards out: the wildcard origin's PUT, which the CORS policy allows and its
// preflight approved, is then refused. With this package's option the one allowlist guards both.
func TestStackingNetHTTPCrossOriginProtectionRefusesWhatThePolicyAllows(t *testing.T) {
	policy := Options{
		AllowedOrigins:   []string{"https://app.example.com", "https://*.example.org"},
		AllowedMethods:   []string{"PUT"},
		AllowCredentials: true,
	}
	reached := false
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached = true })
	put := func(origin string) *http.Request {
		r := httptest.NewRequest(http.MethodPut, "https://api.example.com/items/1", nil)
		r.Header.Set("Origin", origin)
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		return r
	}

	stdlib := http.NewCrossOriginProtection()
	require.NoError(t, stdlib.AddTrustedOrigin("https://app.example.com")) // "https://*.example.org" cannot be said
	stacked := stdlib.Handler(MustNew(policy).Handler(handler))
	for _, tt := range []struct {
		origin string
		want   bool
	}{{"https://app.example.com", true}, {"https://tenant.example.org", false}} {
		reached = false
		rec := httptest.NewRecorder()
		stacked.ServeHTTP(rec, put(tt.origin))
		assert.Equal(t, tt.want, reached, "stacked with net/http, %s", tt.origin)
	}

	policy.CrossOriginProtection = true
	ours := MustNew(policy).Handler(handler)
	for _, origin := range []string{"https://app.example.com", "https://tenant.example.org"} {
		reached = false
		rec := httptest.NewRecorder()
		ours.ServeHTTP(rec, put(origin))
		assert.True(t, reached, "with CrossOriginProtection, %s", origin)
		assert.Equal(t, origin, rec.Header().Get("Access-Control-Allow-Origin"))
	}
	reached = false
	ours.ServeHTTP(httptest.NewRecorder(), put("https://evil.example"))
	assert.False(t, reached, "and a refused origin's PUT is still refused")
}
