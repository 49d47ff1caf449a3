package cors

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzPreflightMethod holds that any Access-Control-Request-Method is answered without panic, is allowed
// exactly when it is a token of at most 64 bytes that the policy lists (byte for byte), that "*" allows, or
// that is safelisted, and that a credentialed "*" echoes it. (TestAllocations holds such preflights, refused
// methods included, to no allocation.)
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

func TestPreflights(t *testing.T) {
	allowedApp := func(origin string) http.Header {
		return http.Header{
			"Access-Control-Allow-Origin":      {origin},
			"Access-Control-Allow-Credentials": {"true"},
			"Access-Control-Allow-Methods":     {"GET, POST, PUT, DELETE, PATCH"},
			"Access-Control-Max-Age":           {"7200"},
		}
	}
	withHeaders := func(h http.Header, acah ...string) http.Header {
		h["Access-Control-Allow-Headers"] = acah
		return h
	}
	tests := []struct {
		name string
		opts Options
		req  req
		want http.Header // nil: refused
	}{
		{"allowed method without request headers omits Allow-Headers", app, preflight("http://localhost:3000", "PUT"), allowedApp("http://localhost:3000")},
		{"allowed headers are answered with the configured list", app, preflight("https://app.example.com", "PUT", "content-type", "x-request-id"),
			withHeaders(allowedApp("https://app.example.com"), "content-type, x-request-id, authorization")},
		{"header names are case-insensitive", app, preflight("https://app.example.com", "PUT", "Content-Type", "X-REQUEST-ID"),
			withHeaders(allowedApp("https://app.example.com"), "content-type, x-request-id, authorization")},
		{"header list tolerates whitespace, empty elements and several lines", app, req{method: http.MethodOptions, origin: []string{"http://localhost:3000"}, acrm: "PUT", acrh: []string{" ,content-type ,, ", "\tx-request-id"}},
			withHeaders(allowedApp("http://localhost:3000"), "content-type, x-request-id, authorization")},
		{"refused origin", app, preflight("https://evil.example", "PUT"), nil},
		{"refused method", app, preflight("http://localhost:3000", "OPTIONS"), nil},
		{"methods are case-sensitive: patch is not PATCH", app, preflight("http://localhost:3000", "patch"), nil},
		{"a header not listed is refused", app, preflight("http://localhost:3000", "PUT", "content-type", "x-other"), nil},
		{"a malformed header list is refused", app, preflight("http://localhost:3000", "PUT", "content type"), nil},
		{"a malformed method is refused", app, preflight("http://localhost:3000", "P UT"), nil},
		{"two Access-Control-Request-Method lines are refused", app, req{method: http.MethodOptions, origin: []string{"http://localhost:3000"}, header: http.Header{"Access-Control-Request-Method": {"PUT", "GET"}}}, nil},
		{"star methods without credentials answers star", Options{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"*"}}, preflight("https://a.example", "CHICKEN"),
			http.Header{"Access-Control-Allow-Origin": {"*"}, "Access-Control-Allow-Methods": {"*"}}},
		{"star methods with credentials answers the requested method", Options{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"*"}, AllowCredentials: true}, preflight("https://a.example", "patch"),
			http.Header{"Access-Control-Allow-Origin": {"https://a.example"}, "Access-Control-Allow-Credentials": {"true"}, "Access-Control-Allow-Methods": {"patch"}}},
		{"star headers without credentials answers star", Options{AllowedOrigins: []string{"*"}, AllowedHeaders: []string{"*"}}, preflight("https://a.example", "GET", "x-a", "x-b"),
			http.Header{"Access-Control-Allow-Origin": {"*"}, "Access-Control-Allow-Methods": {"GET, HEAD, POST"}, "Access-Control-Allow-Headers": {"*"}}},
		{"star answers a preflight from null: no credentials, nothing reflected", public, preflight("null", "GET"),
			http.Header{"Access-Control-Allow-Origin": {"*"}, "Access-Control-Allow-Methods": {"GET, HEAD, POST"}}},
		{"star answers a preflight from a malformed origin", public, preflight("https://A.example/", "GET"),
			http.Header{"Access-Control-Allow-Origin": {"*"}, "Access-Control-Allow-Methods": {"GET, HEAD, POST"}}},
		{"star still refuses a method it does not allow", public, preflight("https://a.example", "PUT"), nil},
		{"star headers never cover Authorization", Options{AllowedOrigins: []string{"*"}, AllowedHeaders: []string{"*"}}, preflight("https://a.example", "GET", "authorization", "x-a"), nil},
		{"star headers never cover Authorization with credentials either", Options{AllowedOrigins: []string{"https://a.example"}, AllowedHeaders: []string{"*"}, AllowCredentials: true}, preflight("https://a.example", "GET", "Authorization"), nil},
		{"Authorization listed by name passes beside star", Options{AllowedOrigins: []string{"*"}, AllowedHeaders: []string{"*", "Authorization"}}, preflight("https://a.example", "GET", "authorization", "x-a"),
			http.Header{"Access-Control-Allow-Origin": {"*"}, "Access-Control-Allow-Methods": {"GET, HEAD, POST"}, "Access-Control-Allow-Headers": {"*, authorization"}}},
		{"star headers with credentials answers the requested names", Options{AllowedOrigins: []string{"https://a.example"}, AllowedHeaders: []string{"*"}, AllowCredentials: true}, preflight("https://a.example", "GET", "x-a", "x-b"),
			http.Header{"Access-Control-Allow-Origin": {"https://a.example"}, "Access-Control-Allow-Credentials": {"true"}, "Access-Control-Allow-Methods": {"GET, HEAD, POST"}, "Access-Control-Allow-Headers": {"x-a", "x-b"}}},
		{"star headers with credentials and no requested header omits Allow-Headers", Options{AllowedOrigins: []string{"https://a.example"}, AllowedHeaders: []string{"*"}, AllowCredentials: true}, preflight("https://a.example", "GET"),
			http.Header{"Access-Control-Allow-Origin": {"https://a.example"}, "Access-Control-Allow-Credentials": {"true"}, "Access-Control-Allow-Methods": {"GET, HEAD, POST"}}},
		{"a method of 63 bytes passes star", Options{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"*"}}, preflight("https://a.example", strings.Repeat("M", 63)),
			http.Header{"Access-Control-Allow-Origin": {"*"}, "Access-Control-Allow-Methods": {"*"}}},
		{"a method of 64 bytes, the longest supported, passes star", Options{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"*"}}, preflight("https://a.example", strings.Repeat("M", 64)),
			http.Header{"Access-Control-Allow-Origin": {"*"}, "Access-Control-Allow-Methods": {"*"}}},
		{"a method of 65 bytes is refused, even by star", Options{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"*"}}, preflight("https://a.example", strings.Repeat("M", 65)), nil},
		{"star headers with credentials answers only the validated names", Options{AllowedOrigins: []string{"https://a.example"}, AllowedHeaders: []string{"*"}, AllowCredentials: true}, req{method: http.MethodOptions, origin: []string{"https://a.example"}, acrm: "GET", acrh: []string{" X-A ,,\tx-b", ""}},
			http.Header{"Access-Control-Allow-Origin": {"https://a.example"}, "Access-Control-Allow-Credentials": {"true"}, "Access-Control-Allow-Methods": {"GET, HEAD, POST"}, "Access-Control-Allow-Headers": {"X-A", "x-b"}}},
		{"safelisted methods pass even when not listed, as Fetch lets them", Options{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"PUT"}, AllowedHeaders: []string{"X-Token"}}, preflight("https://a.example", "GET", "x-token"),
			http.Header{"Access-Control-Allow-Origin": {"https://a.example"}, "Access-Control-Allow-Methods": {"PUT"}, "Access-Control-Allow-Headers": {"x-token"}}},
		{"private network grant for a safelisted method that is not listed", Options{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"PUT"}, AllowPrivateNetwork: true}, req{method: http.MethodOptions, origin: []string{"https://a.example"}, acrm: "GET", header: http.Header{"Access-Control-Request-Private-Network": {"true"}}},
			http.Header{"Access-Control-Allow-Origin": {"https://a.example"}, "Access-Control-Allow-Methods": {"PUT"}, "Access-Control-Allow-Private-Network": {"true"}}},
		{"a lower-case safelisted method is not safelisted", Options{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"PUT"}}, preflight("https://a.example", "get"), nil},
		{"negative MaxAge sends zero", Options{AllowedOrigins: []string{"https://a.example"}, MaxAge: -time.Second}, preflight("https://a.example", "GET"),
			http.Header{"Access-Control-Allow-Origin": {"https://a.example"}, "Access-Control-Allow-Methods": {"GET, HEAD, POST"}, "Access-Control-Max-Age": {"0"}}},
		{"any negative MaxAge sends zero, -1 included", Options{AllowedOrigins: []string{"https://a.example"}, MaxAge: -1}, preflight("https://a.example", "GET"),
			http.Header{"Access-Control-Allow-Origin": {"https://a.example"}, "Access-Control-Allow-Methods": {"GET, HEAD, POST"}, "Access-Control-Max-Age": {"0"}}},
		{"private network grant answers a request for it", Options{AllowedOrigins: []string{"https://a.example"}, AllowPrivateNetwork: true}, req{method: http.MethodOptions, origin: []string{"https://a.example"}, acrm: "GET", header: http.Header{"Access-Control-Request-Private-Network": {"true"}}},
			http.Header{"Access-Control-Allow-Origin": {"https://a.example"}, "Access-Control-Allow-Methods": {"GET, HEAD, POST"}, "Access-Control-Allow-Private-Network": {"true"}}},
		{"private network grant is not sent unasked", Options{AllowedOrigins: []string{"https://a.example"}, AllowPrivateNetwork: true}, preflight("https://a.example", "GET"),
			http.Header{"Access-Control-Allow-Origin": {"https://a.example"}, "Access-Control-Allow-Methods": {"GET, HEAD, POST"}}},
		{"private network grant is not sent unless configured", Options{AllowedOrigins: []string{"https://a.example"}}, req{method: http.MethodOptions, origin: []string{"https://a.example"}, acrm: "GET", header: http.Header{"Access-Control-Request-Private-Network": {"true"}}},
			http.Header{"Access-Control-Allow-Origin": {"https://a.example"}, "Access-Control-Allow-Methods": {"GET, HEAD, POST"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := serve(t, tt.opts, tt.req)
			assert.False(t, res.reached, "a preflight never reaches the handler")
			if tt.want == nil {
				assert.Equal(t, http.StatusForbidden, res.code)
				assert.Empty(t, corsHeaders(res.header), "a refused preflight carries no CORS header")
				assert.Empty(t, res.header.Values("Vary"))
				return
			}
			assert.Equal(t, http.StatusNoContent, res.code)
			assert.Equal(t, tt.want, corsHeaders(res.header))
			wantVary := "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
			if slices.Equal(tt.opts.AllowedOrigins, []string{"*"}) {
				wantVary = "Access-Control-Request-Method, Access-Control-Request-Headers" // the same answer for every origin
			}
			if tt.opts.AllowPrivateNetwork {
				wantVary += ", Access-Control-Request-Private-Network"
			}
			assert.Equal(t, []string{wantVary}, res.header.Values("Vary"))
		})
	}
}

func TestPreflightStatusIsConfigurable(t *testing.T) {
	res := serve(t, Options{AllowedOrigins: []string{"https://a.example"}, PreflightStatus: http.StatusOK}, preflight("https://a.example", "GET"))
	assert.Equal(t, http.StatusOK, res.code)
	assert.Equal(t, []string{"https://a.example"}, res.header.Values("Access-Control-Allow-Origin"))
}

func TestHeaderListBeyondTheBoundIsRefused(t *testing.T) {
	tests := []struct {
		name string
		acrh []string
	}{
		{"too many bytes", []string{strings.Repeat("a", 4097)}},
		{"too many elements", []string{strings.Repeat("a,", 64) + "a"}},
		{"too many empty elements", []string{strings.Repeat(",", 64)}},
		{"too many lines", strings.Split(strings.Repeat("a\n", 65), "\n")[:65]},
		{"a megabyte of commas", []string{strings.Repeat("a,", 1<<19)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := Options{AllowedOrigins: []string{"*"}, AllowedHeaders: []string{"*"}}
			res := serve(t, o, req{method: http.MethodOptions, origin: []string{"https://a.example"}, acrm: "GET", acrh: tt.acrh})
			assert.Equal(t, http.StatusForbidden, res.code)
			assert.Empty(t, corsHeaders(res.header))
		})
	}
	t.Run("just within the bounds is read", func(t *testing.T) {
		o := Options{AllowedOrigins: []string{"*"}, AllowedHeaders: []string{"*"}}
		res := serve(t, o, req{method: http.MethodOptions, origin: []string{"https://a.example"}, acrm: "GET", acrh: []string{strings.Repeat("a,", 63) + "a"}})
		assert.Equal(t, http.StatusNoContent, res.code)
	})
}
