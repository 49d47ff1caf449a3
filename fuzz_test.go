package cors

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzParsePattern holds that parsing a configured entry never panics, that its canonical form parses to
// the same pattern (normalising is idempotent), and that an exact entry's canonical form is an origin the
// request parser accepts, so that a browser's Origin can match it.
func FuzzParsePattern(f *testing.F) {
	for _, s := range []string{
		"*", "null", "", "https://*.example.com", "http://localhost:*", "https://*.example.com:*", "HTTPS://Bücher.Example:443",
		"http://[0:0::1]:8080", "https://*.com", "http://localhost:3000/", "https://user@example.com", "https://a*.example.com",
		"http://127.0.0.1:80", "https://☕.example", "https://example.com:0",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, credentials bool) {
		p, err := parsePattern(s, credentials, false)
		if err != nil {
			require.Equal(t, "AllowedOrigins", err.Field)
			require.Equal(t, s, err.Value)
			require.NotEmpty(t, err.Reason)
			return
		}
		again, err := parsePattern(p.canonical, credentials, false)
		require.Nil(t, err, "canonical form %q of %q must be valid", p.canonical, s)
		require.Equal(t, p, again)
		if p.exact() {
			_, ok := parseOrigin(p.canonical)
			require.True(t, ok, "canonical form %q of %q must be a request origin", p.canonical, s)
			require.True(t, p.match.Match(p.canonical))
		}
		if !p.any {
			rest := p.canonical[strings.Index(p.canonical, "://")+3:]
			for i := 0; i < len(rest); i++ {
				require.True(t, rest[i] > ' ' && rest[i] < 0x7f && !strings.ContainsRune("/?#@", rune(rest[i])), "canonical form %q is printable ASCII without path, query, fragment or userinfo", p.canonical)
			}
		}
	})
}

// FuzzPreflightMethod holds that any Access-Control-Request-Method is answered without panic or
// allocation, is allowed exactly when it is a token of at most 64 bytes that the policy lists (byte for
// byte), that "*" allows, or that is safelisted, and that a credentialed "*" echoes it.
func FuzzPreflightMethod(f *testing.F) {
	for _, m := range []string{"PUT", "put", "PATCH", "patch", "GET", "get", "CHICKEN", "", "P UT", "PUT\r\n", strings.Repeat("A", 65), "TRACE"} {
		f.Add(m, false)
		f.Add(m, true)
	}
	listed := MustNew(Options{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"put", "PATCH", "DELETE"}})
	star := MustNew(Options{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"*"}, AllowCredentials: true})
	f.Fuzz(func(t *testing.T, method string, any bool) {
		c := listed
		if any {
			c = star
		}
		r := preflight("https://a.example", "PUT").build()
		r.Header["Access-Control-Request-Method"] = []string{method}
		w := newSink()
		require.True(t, c.Apply(w, r))
		valid := len(method) <= 64 && method != "" && !strings.ContainsFunc(method, func(c rune) bool {
			return c > 0x7e || c <= ' ' || strings.ContainsRune("\"(),/:;<=>?@[\\]{}", c)
		})
		want := valid && (any || method == "PUT" || method == "PATCH" || method == "DELETE" || method == "GET" || method == "HEAD" || method == "POST")
		require.Equal(t, want, w.code == 204, "method %q", method)
		if want && any {
			require.Equal(t, []string{method}, w.h["Access-Control-Allow-Methods"])
		}
		if !want {
			require.Empty(t, w.h)
		}
	})
}
