package cors

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

func TestEmptyHeaderSlicesSetByGoCodeDoNotPanic(t *testing.T) {
	o := app
	o.Logger = slog.New(slog.NewTextHandler(&bytes.Buffer{}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	for name, h := range map[string]http.Header{
		"empty Origin":                        {"Origin": {}},
		"empty Origin on OPTIONS":             {"Origin": {}, "Access-Control-Request-Method": {"PUT"}},
		"empty Access-Control-Request-Method": {"Origin": {"http://localhost:3000"}, "Access-Control-Request-Method": {}},
	} {
		res := serve(t, o, req{method: http.MethodOptions, header: h})
		assert.Empty(t, corsHeaders(res.header), name)
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

func TestVaryIsAppendedNeverOverwritten(t *testing.T) {
	c := MustNew(app)
	tests := []struct {
		name     string
		req      req
		existing []string
		want     []string
	}{
		{"actual request keeps an earlier Vary, on one line", get("http://localhost:3000"), []string{"Accept-Encoding"}, []string{"Accept-Encoding, Origin"}},
		{"refused request keeps an earlier Vary", get("https://evil.example"), []string{"Accept-Encoding"}, []string{"Accept-Encoding, Origin"}},
		{"several earlier Vary lines become one", req{}, []string{"Accept-Encoding", "Accept-Language"}, []string{"Accept-Encoding, Accept-Language, Origin"}},
		{"Origin is not repeated when already varied on", req{}, []string{"Accept-Encoding, origin"}, []string{"Accept-Encoding, origin"}},
		{"nothing is added under Vary: *", req{}, []string{"*"}, []string{"*"}},
		{"preflight keeps an earlier Vary", preflight("http://localhost:3000", "PUT"), []string{"Accept-Encoding"},
			[]string{"Accept-Encoding, Origin, Access-Control-Request-Method, Access-Control-Request-Headers"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			earlier := append([]string(nil), tt.existing...)
			rec.Header()["Vary"] = earlier
			c.Apply(rec, tt.req.build())
			assert.Equal(t, tt.want, rec.Header()["Vary"])
			assert.Equal(t, tt.existing, earlier, "the earlier slice itself is not written to")
		})
	}
	t.Run("a handler's own Vary survives", func(t *testing.T) {
		h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Add("Vary", "Accept-Language")
		}))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, get("http://localhost:3000").build())
		assert.Equal(t, []string{"Origin", "Accept-Language"}, rec.Header()["Vary"])
	})
}

func TestApplyReportsWhetherTheResponseIsDone(t *testing.T) {
	c := MustNew(app)
	rec := httptest.NewRecorder()
	assert.True(t, c.Apply(rec, preflight("http://localhost:3000", "PUT").build()), "an allowed preflight is answered")
	assert.Equal(t, http.StatusNoContent, rec.Code)
	rec = httptest.NewRecorder()
	assert.True(t, c.Apply(rec, preflight("https://evil.example", "PUT").build()), "a refused preflight is answered too")
	assert.Equal(t, http.StatusForbidden, rec.Code)
	rec = httptest.NewRecorder()
	assert.False(t, c.Apply(rec, get("http://localhost:3000").build()), "an actual request goes on to the handler")
	assert.Equal(t, "http://localhost:3000", rec.Header().Get("Access-Control-Allow-Origin"))
	assert.False(t, rec.Flushed)
}

func TestHeaderValuesAreNeverSharedBetweenRequests(t *testing.T) {
	c := MustNew(app)
	mutate := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, v := range w.Header() {
			for i := range v {
				v[i] = "mutated"
			}
		}
		w.Header()["Vary"] = append(w.Header()["Vary"], "X-Appended")
	}))
	for range 3 {
		mutate.ServeHTTP(httptest.NewRecorder(), get("http://localhost:3000").build())
		mutate.ServeHTTP(httptest.NewRecorder(), req{}.build())
		rec := httptest.NewRecorder()
		c.Apply(rec, preflight("http://localhost:3000", "PUT").build())
		for _, v := range rec.Header() {
			v[0] = "mutated"
		}
	}
	res := serveWith(c, get("http://localhost:3000"))
	assert.Equal(t, http.Header{"Access-Control-Allow-Origin": {"http://localhost:3000"}, "Access-Control-Allow-Credentials": {"true"}, "Access-Control-Expose-Headers": {"x-total-count"}}, corsHeaders(res.header))
	assert.Equal(t, []string{"Origin"}, res.header["Vary"])
	res = serveWith(c, preflight("http://localhost:3000", "PUT", "content-type"))
	assert.Equal(t, []string{"content-type, x-request-id, authorization"}, res.header["Access-Control-Allow-Headers"])
}

func TestAppendingToAWrittenHeaderDoesNotClobberTheNext(t *testing.T) {
	c := MustNew(app)
	rec := httptest.NewRecorder()
	c.Apply(rec, get("http://localhost:3000").build())
	h := rec.Header()
	h["Vary"] = append(h["Vary"], "X-One")
	h["Access-Control-Allow-Origin"] = append(h["Access-Control-Allow-Origin"], "X-Two")
	assert.Equal(t, []string{"true"}, h["Access-Control-Allow-Credentials"])
	assert.Equal(t, []string{"x-total-count"}, h["Access-Control-Expose-Headers"])
}

func TestOriginAllowed(t *testing.T) {
	c := MustNew(app)
	for origin, want := range map[string]bool{
		"http://localhost:3000":     true,
		"https://app.example.com":   true,
		"https://a.b.example.org":   true,
		"https://example.org":       false,
		"http://localhost:3000/":    false,
		"HTTP://localhost:3000":     false,
		"https://app.example.com.":  false,
		"null":                      false,
		"":                          false,
		"https://app.example.com:0": false,
	} {
		assert.Equal(t, want, c.OriginAllowed(origin), origin)
	}
}

func TestReconfigure(t *testing.T) {
	c := MustNew(Options{AllowedOrigins: []string{"https://a.example"}})
	require.True(t, c.OriginAllowed("https://a.example"))

	require.NoError(t, c.Reconfigure(Options{AllowedOrigins: []string{"https://b.example"}}))
	assert.False(t, c.OriginAllowed("https://a.example"), "the new policy replaces the old")
	assert.True(t, c.OriginAllowed("https://b.example"))

	err := c.Reconfigure(Options{AllowedOrigins: []string{"*"}, AllowCredentials: true})
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	assert.True(t, c.OriginAllowed("https://b.example"), "a rejected policy leaves the old one in force")
	assert.Equal(t, []string{"https://b.example"}, c.Options().AllowedOrigins)
}

func TestOptionsShowsTheNormalizedPolicy(t *testing.T) {
	c := MustNew(Options{
		AllowedOrigins: []string{"HTTPS://Bücher.Example:443", "http://LOCALHOST:3000", "http://localhost:3000", "https://*.Example.COM:*", "http://[0:0:0:0:0:0:0:1]:80"},
		AllowedMethods: []string{"get", "patch", "PATCH", "Put"},
		AllowedHeaders: []string{"X-Custom", "x-custom", "Content-Type"},
		ExposedHeaders: []string{"X-Total-Count"},
	})
	got := c.Options()
	assert.Equal(t, []string{"https://xn--bcher-kva.example", "http://localhost:3000", "https://*.example.com:*", "http://[::1]"}, got.AllowedOrigins)
	assert.Equal(t, []string{"GET", "patch", "PATCH", "PUT"}, got.AllowedMethods, "only the six Fetch methods are upper-cased")
	assert.Equal(t, []string{"x-custom", "content-type"}, got.AllowedHeaders)
	assert.Equal(t, []string{"x-total-count"}, got.ExposedHeaders)
	assert.Equal(t, 204, got.PreflightStatus)

	got.AllowedOrigins[0] = "https://evil.example"
	assert.Equal(t, "https://xn--bcher-kva.example", c.Options().AllowedOrigins[0], "Options returns copies")
	assert.False(t, c.OriginAllowed("https://evil.example"))

	assert.Equal(t, []string{"GET", "HEAD", "POST"}, MustNew(Options{AllowedOrigins: []string{"*"}}).Options().AllowedMethods, "default methods")

	got.AllowedOrigins[0] = "https://xn--bcher-kva.example"
	again, err := New(got)
	require.NoError(t, err, "normalised options are valid options")
	assert.Equal(t, c.Options().AllowedOrigins, again.Options().AllowedOrigins)
}

func TestMustNewPanicsWithNewsError(t *testing.T) {
	_, err := New(Options{})
	require.Error(t, err)
	assert.PanicsWithError(t, err.Error(), func() { MustNew(Options{}) })
}

// originOfLen is a well-formed https origin of n bytes (n from 71 to 131), as "https://aaa…a.bbb…b".
func originOfLen(n int) string {
	return "https://" + strings.Repeat("a", 60) + "." + strings.Repeat("b", n-len("https://")-61)
}

func TestLoggerRecordsEveryRefusalWithItsReason(t *testing.T) {
	var buf bytes.Buffer
	o := app
	o.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := MustNew(o)
	tests := []struct {
		req        req
		reason     string
		value      string
		truncation bool
	}{
		{get("https://evil.example"), "origin not allowed", `value=https://evil.example `, false},
		{get("https://evil.example/\n"), "malformed origin", `value=https://evil.example/\n `, false},
		{req{origin: []string{"a", "b"}}, "more than one Origin header", `value=a `, false},
		{preflight("http://localhost:3000", "CHICKEN"), "method not allowed", `value=CHICKEN `, false},
		{preflight("http://localhost:3000", "PUT", "x-foo"), "header not allowed", `value=x-foo `, false},
		{preflight("http://localhost:3000", "PUT", strings.Repeat("x", 5000)), "malformed or over-long Access-Control-Request-Headers", "value=" + strings.Repeat("x", 128) + " ", true},
		// A value is logged whole up to 128 bytes, and cut to 128 beyond.
		{get(originOfLen(127)), "origin not allowed", "value=" + originOfLen(127) + " ", false},
		{get(originOfLen(128)), "origin not allowed", "value=" + originOfLen(128) + " ", false},
		{get(originOfLen(129)), "origin not allowed", "value=" + originOfLen(129)[:128] + " ", true},
	}
	for _, tt := range tests {
		buf.Reset()
		serveWith(c, tt.req)
		line := buf.String()
		assert.Contains(t, line, "level=DEBUG")
		assert.Contains(t, line, `reason="`+tt.reason+`"`)
		assert.Contains(t, line, tt.value)
		assert.Contains(t, line, "truncated="+map[bool]string{true: "true", false: "false"}[tt.truncation])
		assert.Equal(t, 1, strings.Count(line, "\n"), "one record, and no forged line")
	}
	buf.Reset()
	serveWith(c, get("http://localhost:3000"))
	assert.Empty(t, buf.String(), "allowed requests are not logged")
}

func TestLoggerAboveDebugRecordsNothing(t *testing.T) {
	var buf bytes.Buffer
	o := app
	o.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	serveWith(MustNew(o), get("https://evil.example"))
	assert.Empty(t, buf.String())
}
