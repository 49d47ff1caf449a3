package cors

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// guarded trusts an exact origin, a subdomain wildcard, a port wildcard and a function, and refuses
// cross-origin writes from everything else. Its API is at https://api.example.com (req.build's Host).
var guarded = Options{
	AllowedOrigins:        []string{"http://localhost:3000", "https://*.example.org", "http://127.0.0.1:*"},
	AllowOriginFunc:       func(o string) bool { return o == "https://partner.example" },
	AllowedMethods:        []string{"GET", "POST", "PUT", "DELETE", "PATCH"},
	AllowCredentials:      true,
	CrossOriginProtection: true,
}

// write is a request of method with Sec-Fetch-Site site ("" for none) and the given Origin lines.
func write(method, site string, origin ...string) req {
	q := req{method: method, origin: origin, header: http.Header{}}
	if site != "" {
		q.header.Set("Sec-Fetch-Site", site)
	}
	return q
}

func TestCrossOriginProtection(t *testing.T) {
	tests := []struct {
		rule string
		opts Options
		req  req
		pass bool
	}{
		{"GET is never refused, whatever its origin", guarded, write(http.MethodGet, "cross-site", "https://evil.example"), true},
		{"HEAD is never refused", guarded, write(http.MethodHead, "cross-site", "https://evil.example"), true},
		{"an OPTIONS that is not a preflight is never refused", guarded, write(http.MethodOptions, "cross-site", "https://evil.example"), true},
		{"same-origin passes, as the browser vouches for it", guarded, write(http.MethodPost, "same-origin", "https://api.example.com"), true},
		{"none passes: the user typed the URL or followed a bookmark", guarded, write(http.MethodPost, "none"), true},
		{"a cross-site POST from a refused origin is refused", guarded, write(http.MethodPost, "cross-site", "https://evil.example"), false},
		{"a cross-site PUT from a refused origin is refused", guarded, write(http.MethodPut, "cross-site", "https://evil.example"), false},
		{"a same-site write is cross-origin too: refused unless allowed", guarded, write(http.MethodPost, "same-site", "https://other.example.com"), false},
		{"an unknown Sec-Fetch-Site is treated as cross-site", guarded, write(http.MethodPost, "bogus", "https://evil.example"), false},
		{"a cross-site write from an exact origin passes", guarded, write(http.MethodPost, "cross-site", "http://localhost:3000"), true},
		{"a cross-site write from a subdomain wildcard passes", guarded, write(http.MethodPut, "cross-site", "https://app.eu.example.org"), true},
		{"a cross-site write from a port wildcard passes", guarded, write(http.MethodDelete, "same-site", "http://127.0.0.1:5173"), true},
		{"a cross-site write allowed by AllowOriginFunc passes", guarded, write(http.MethodPatch, "cross-site", "https://partner.example"), true},
		{"a cross-site write without Origin is refused", guarded, write(http.MethodPost, "cross-site"), false},
		{"a cross-site write from null is refused", guarded, write(http.MethodPost, "cross-site", "null"), false},
		{"a cross-site write with two Origin lines is refused", guarded, write(http.MethodPost, "cross-site", "http://localhost:3000", "http://localhost:3000"), false},
		{"a wildcard still never matches the apex domain", guarded, write(http.MethodPost, "cross-site", "https://example.org"), false},
		{"a wildcard still never matches a lookalike", guarded, write(http.MethodPost, "cross-site", "https://evil-example.org"), false},
		{"without Sec-Fetch-Site or Origin it is no browser's cross-origin request: passes", guarded, write(http.MethodPost, ""), true},
		{"without Sec-Fetch-Site, an Origin on the request's host and port passes", guarded, write(http.MethodPost, "", "https://api.example.com"), true},
		{"without Sec-Fetch-Site, the host compares without the scheme, as net/http does", guarded, write(http.MethodPost, "", "http://api.example.com"), true},
		{"without Sec-Fetch-Site, a scheme of 63 bytes is read past to the host", guarded, write(http.MethodPost, "", strings.Repeat("s", 63)+"://api.example.com"), true},
		{"without Sec-Fetch-Site, a scheme of 64 bytes, the longest an origin has, is read past to the host", guarded, write(http.MethodPost, "", strings.Repeat("s", 64)+"://api.example.com"), true},
		{"without Sec-Fetch-Site, a scheme of 65 bytes makes no origin: refused", guarded, write(http.MethodPost, "", strings.Repeat("s", 65)+"://api.example.com"), false},
		{"without Sec-Fetch-Site, another port is another origin: refused", guarded, write(http.MethodPost, "", "https://api.example.com:8443"), false},
		{"without Sec-Fetch-Site, a host that merely starts like ours is refused", guarded, write(http.MethodPost, "", "https://api.example.com.evil.net"), false},
		{"without Sec-Fetch-Site, a refused origin is refused", guarded, write(http.MethodPost, "", "https://evil.example"), false},
		{"without Sec-Fetch-Site, an allowed origin passes", guarded, write(http.MethodPost, "", "https://a.example.org"), true},
		{"without Sec-Fetch-Site, null is refused", guarded, write(http.MethodPost, "", "null"), false},
		{"without the option, CORS alone lets the refused origin's POST through", app, write(http.MethodPost, "cross-site", "https://evil.example"), true},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			res := serve(t, tt.opts, tt.req)
			assert.Equal(t, tt.pass, res.reached, "whether the handler ran")
			if tt.pass {
				assert.Equal(t, http.StatusOK, res.code)
				return
			}
			assert.Equal(t, http.StatusForbidden, res.code)
			assert.Empty(t, corsHeaders(res.header), "a refused write carries no CORS header")
			assert.Empty(t, res.header.Values("Vary"))
		})
	}
}

// A site whose pages call only their own origin sets CrossOriginProtection alone: it trusts no other origin,
// reads or writes, and its own pages' calls pass unchanged.
func TestCrossOriginProtectionAloneTrustsNoOtherOrigin(t *testing.T) {
	sameOriginOnly := Options{CrossOriginProtection: true}
	tests := []struct {
		rule    string
		req     req
		reached bool
		code    int
	}{
		{"the page's own write passes", write(http.MethodPut, "same-origin", "https://api.example.com"), true, http.StatusOK},
		{"the page's own write passes without Sec-Fetch-Site too", write(http.MethodPost, "", "https://api.example.com"), true, http.StatusOK},
		{"another site's write is refused before the handler", write(http.MethodPost, "cross-site", "https://evil.example"), false, http.StatusForbidden},
		{"another site's read reaches the handler but gets no CORS header", get("https://evil.example"), true, http.StatusOK},
		{"another site's preflight is refused", preflight("https://evil.example", http.MethodPut), false, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			res := serve(t, sameOriginOnly, tt.req)
			assert.Equal(t, tt.reached, res.reached)
			assert.Equal(t, tt.code, res.code)
			assert.Empty(t, res.header.Get("Access-Control-Allow-Origin"))
		})
	}
	assert.False(t, MustNew(sameOriginOnly).OriginAllowed("https://api.example.com"), "no origin is trusted, not even by name")
}

func TestCrossOriginProtectionAllowsWhatCORSAllows(t *testing.T) {
	// An allowed cross-origin write passes and gets its CORS headers as before: one allowlist for both.
	res := serve(t, guarded, write(http.MethodPut, "cross-site", "https://app.example.org"))
	require.True(t, res.reached)
	assert.Equal(t, http.Header{"Access-Control-Allow-Origin": {"https://app.example.org"}, "Access-Control-Allow-Credentials": {"true"}}, corsHeaders(res.header))

	// A preflight is answered as before, refused or not: the option guards the actual request.
	res = serve(t, guarded, preflight("https://app.example.org", "PUT"))
	assert.Equal(t, http.StatusNoContent, res.code)
	res = serve(t, guarded, preflight("https://evil.example", "PUT"))
	assert.Equal(t, http.StatusForbidden, res.code)
}

func TestApplyReportsARefusedWriteAsDone(t *testing.T) {
	c := MustNew(guarded)
	rec := httptest.NewRecorder()
	assert.True(t, c.Apply(rec, write(http.MethodPost, "cross-site", "https://evil.example").build()), "the caller must not run the handler")
	assert.Equal(t, http.StatusForbidden, rec.Code)
	rec = httptest.NewRecorder()
	assert.False(t, c.Apply(rec, write(http.MethodPost, "cross-site", "http://localhost:3000").build()))
}

func TestRefusedWriteIsLoggedWithItsReason(t *testing.T) {
	var buf bytes.Buffer
	o := guarded
	o.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	serve(t, o, write(http.MethodPost, "cross-site", "https://evil.example\n"))
	assert.Contains(t, buf.String(), `reason="cross-origin write from an origin not allowed"`)
	assert.Contains(t, buf.String(), `value=https://evil.example\n `, "escaped, so it cannot forge a log line")
	assert.Contains(t, buf.String(), "method=POST")
}

func TestTimingAllowOrigin(t *testing.T) {
	withTAO := func(o Options) Options { o.TimingAllowOrigin = true; return o }
	tests := []struct {
		rule string
		opts Options
		req  req
		want []string
	}{
		{"an allowed origin gets its own origin, as in Access-Control-Allow-Origin", withTAO(app), get("http://localhost:3000"), []string{"http://localhost:3000"}},
		{"an origin allowed by a wildcard gets itself", withTAO(app), get("https://a.example.org"), []string{"https://a.example.org"}},
		{"a refused origin gets nothing", withTAO(app), get("https://evil.example"), nil},
		{"no Origin gets nothing", withTAO(app), req{}, nil},
		{"a star policy answers star, to everyone", withTAO(public), req{}, []string{"*"}},
		{"without the option, nothing", app, get("http://localhost:3000"), nil},
		{"a preflight never gets it: it is not a resource the page times", withTAO(app), preflight("http://localhost:3000", "PUT"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			res := serve(t, tt.opts, tt.req)
			assert.Equal(t, tt.want, res.header.Values("Timing-Allow-Origin"))
		})
	}
}
