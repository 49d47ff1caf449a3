package cors

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

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
