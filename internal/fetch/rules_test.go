package fetch

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestForbiddenRequestHeadersAreTheOnesFetchLists(t *testing.T) {
	forbidden := []Field{
		{"Origin", "https://evil.example"}, {"cookie", "a=b"}, {"Host", "x"}, {"Referer", "x"},
		{"Access-Control-Request-Method", "PUT"}, {"Content-Length", "1"}, {"Sec-Fetch-Mode", "no-cors"},
		{"Proxy-Authorization", "x"}, {"X-HTTP-Method-Override", "TRACE"}, {"X-Method-Override", "get, connect"},
		{"x-http-method", " track "},
	}
	for _, f := range forbidden {
		assert.True(t, IsForbiddenRequestHeader(f.Name, f.Value), "%+v", f)
	}
	allowed := []Field{
		{"Authorization", "Bearer x"}, {"X-HTTP-Method-Override", "PATCH"}, {"Content-Type", "application/json"},
		{"X-Secret", "1"}, {"Security", "x"}, {"Proxyish", "x"},
	}
	for _, f := range allowed {
		assert.False(t, IsForbiddenRequestHeader(f.Name, f.Value), "%+v", f)
	}
}

func TestSafelistedRequestHeaderValueRules(t *testing.T) {
	long := strings.Repeat("a", 129)
	tests := []struct {
		name, value string
		want        bool
		rule        string
	}{
		{"Accept", "application/json", true, "any value without unsafe bytes"},
		{"accept", `text/"html"`, false, "a double quote is a CORS-unsafe request-header byte"},
		{"Accept", "a\x01b", false, "a control byte other than HT is unsafe"},
		{"Accept", "a\tb", true, "HT is not unsafe"},
		{"Accept", strings.Repeat("a", 128), true, "128 bytes is the longest safelisted value"},
		{"Accept", long, false, "129 bytes is too long"},
		{"Accept-Language", "en-US,en;q=0.9", true, "language values"},
		{"Content-Language", "de-DE *", true, "space and * are allowed"},
		{"Content-Language", "en_US", false, "underscore is not allowed"},
		{"Accept-Language", "en/US", false, "slash is not allowed"},
		{"Accept-Language", "09azAZ", true, "the first and last of digits and of each case of letters"},
		{"Accept-Language", "en:US", false, "the byte after 9 is not allowed"},
		{"Accept-Language", "en`US", false, "the byte before a is not allowed"},
		{"Accept-Language", "en{US", false, "the byte after z is not allowed"},
		{"Accept-Language", "en@US", false, "the byte before A is not allowed"},
		{"Accept-Language", "en[US", false, "the byte after Z is not allowed"},
		{"Content-Type", "text/plain", true, "text/plain"},
		{"Content-Type", "text/plain;charset=UTF-8", true, "parameters do not matter"},
		{"Content-Type", "TEXT/PLAIN ; garbage", true, "the essence is compared in lower case; a bad parameter is skipped"},
		{"Content-Type", "application/x-www-form-urlencoded", true, "form"},
		{"Content-Type", "multipart/form-data; boundary=x", true, "multipart"},
		{"Content-Type", "application/json", false, "JSON needs a preflight"},
		{"Content-Type", "text/html", false, "only three essences"},
		{"Content-Type", "text/plain,", false, "a trailing comma makes the subtype invalid"},
		{"Content-Type", "application/json, text/plain", false, "two types are not one MIME type"},
		{"Content-Type", "text/plain; charset=\"utf-8\"", false, "a double quote is an unsafe byte"},
		{"Content-Type", "text", false, "no slash"},
		{"Range", "bytes=0-499", true, "a single byte range"},
		{"Range", "bytes=200-", true, "an open-ended range"},
		{"Range", "bytes=-500", false, "a suffix range is not safelisted"},
		{"Range", "bytes=0-1,3-4", false, "several ranges"},
		{"Range", "bytes = 0-1", false, "no whitespace"},
		{"Range", "bytes=5-1", false, "start after end"},
		{"X-Requested-With", "XMLHttpRequest", false, "any other name"},
		{"Authorization", "Bearer x", false, "Authorization is never safelisted"},
		{"Last-Event-ID", "1", false, "no longer in the standard"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			assert.Equal(t, tt.want, IsSafelistedRequestHeader(tt.name, tt.value), "%s: %q", tt.name, tt.value)
		})
	}
}

func TestUnsafeRequestHeaderNamesAreSortedLowercaseAndCountTheTotal(t *testing.T) {
	got := UnsafeRequestHeaderNames([]Field{
		{"X-Custom-V", "1"}, {"X-Custom-S", "1"}, {"X-CUSTOM-U", "1"}, {"x-custom-ua", "1"}, {"X-Custom-Test", "1"},
		{"Accept", "x"}, {"x-custom-s", "2"},
	})
	assert.Equal(t, []string{"x-custom-s", "x-custom-test", "x-custom-u", "x-custom-ua", "x-custom-v"}, got)

	// The safelisted values may add up to 1,024 bytes; past that every one of them needs the preflight.
	v := strings.Repeat("a", 128)
	eight := []Field{}
	for range 8 {
		eight = append(eight, Field{"Accept", v})
	}
	assert.Empty(t, UnsafeRequestHeaderNames(eight), "8 × 128 = 1024 bytes is within the total")
	nine := append(eight, Field{"Accept-Language", "en"})
	assert.Equal(t, []string{"accept", "accept-language"}, UnsafeRequestHeaderNames(nine), "1026 bytes is past the total")
}

func TestNeedsPreflight(t *testing.T) {
	tests := []struct {
		name    string
		method  string
		headers []Field
		want    bool
	}{
		{"a plain GET", "GET", nil, false},
		{"a form POST", "POST", []Field{{"Content-Type", "application/x-www-form-urlencoded"}}, false},
		{"a JSON POST", "POST", []Field{{"Content-Type", "application/json"}}, true},
		{"PUT", "PUT", nil, true},
		{"lower-case patch", "patch", nil, true},
		{"a custom header on GET", "GET", []Field{{"X-Token", "1"}}, true},
		{"Authorization on GET", "GET", []Field{{"Authorization", "Bearer x"}}, true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, NeedsPreflight(tt.method, tt.headers), tt.name)
	}
}

func TestPreflightRequestHeadersJoinNamesWithoutSpaces(t *testing.T) {
	h := PreflightRequestHeaders("https://app.example", "PUT", []Field{{"X-B", "1"}, {"Content-Type", "application/json"}, {"X-A", "1"}})
	assert.Equal(t, "content-type,x-a,x-b", h.Get("Access-Control-Request-Headers"))
	assert.Equal(t, "PUT", h.Get("Access-Control-Request-Method"))
	assert.Equal(t, "*/*", h.Get("Accept"))
	assert.Equal(t, "https://app.example", h.Get("Origin"))
	h = PreflightRequestHeaders("https://app.example", "DELETE", nil)
	assert.NotContains(t, h, "Access-Control-Request-Headers", "no unsafe names, no header")
}

func TestParseMIMEEssence(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"text/plain", "text/plain", true},
		{" Text/Plain ;charset=utf-8", "text/plain", true},
		{"text/plain ; ", "text/plain", true},
		{"text/plain\t", "text/plain", true},
		{"text /plain", "", false},
		{"text/", "", false},
		{"/plain", "", false},
		{"text/pl ain", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := ParseMIMEEssence(tt.in)
		assert.Equal(t, tt.ok, ok, "%q", tt.in)
		assert.Equal(t, tt.want, got, "%q", tt.in)
	}
}

func TestParseSingleRange(t *testing.T) {
	tests := []struct {
		in         string
		ws         bool
		start, end int64
		ok         bool
	}{
		{"bytes=0-1", false, 0, 1, true},
		{"BYTES=5-", false, 5, -1, true},
		{"bytes=-7", false, -1, 7, true},
		{"bytes=-", false, 0, 0, false},
		{"bytes=2-1", false, 0, 0, false},
		{"bytes= 1-2", false, 0, 0, false},
		{"bytes = 1 - 2", true, 1, 2, true},
		{"bits=1-2", false, 0, 0, false},
		{"bytes=1-2 ", false, 0, 0, false},
		{"bytes=99999999999999999999-", false, 0, 0, false},
		{"bytes", false, 0, 0, false}, // the input ends before "="
		{"bytes=", false, 0, 0, false},
		{"bytes=5", false, 0, 0, false},
		{"bytes=0-", false, 0, -1, true}, // a start of 0 is a start
		{"bytes=-0", false, -1, 0, true}, // an end of 0 is an end
		{"bytes=0-0", false, 0, 0, true},
		{"bytes=1-1", false, 1, 1, true}, // start may equal end
		{"bytes=1-0", false, 0, 0, false},
	}
	for _, tt := range tests {
		s, e, ok := ParseSingleRange(tt.in, tt.ws)
		require.Equal(t, tt.ok, ok, "%q", tt.in)
		if ok {
			assert.Equal(t, [2]int64{tt.start, tt.end}, [2]int64{s, e}, "%q", tt.in)
		}
	}
}

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

const app = "https://app.example.com"

func TestCORSCheckFollowsFetch(t *testing.T) {
	tests := []struct {
		name        string
		h           http.Header
		origin      string
		credentials bool
		check       string // "" = passes
		reason      string
	}{
		{"* without credentials", hdr("Access-Control-Allow-Origin", "*"), app, false, "", ""},
		{"* with ACAC true, without credentials", hdr("Access-Control-Allow-Origin", "*", "Access-Control-Allow-Credentials", "true"), app, false, "", ""},
		{"* with credentials", hdr("Access-Control-Allow-Origin", "*", "Access-Control-Allow-Credentials", "true"), app, true, CheckAllowOrigin, ReasonWildcardWithCredentials},
		{"the exact origin", hdr("Access-Control-Allow-Origin", app), app, false, "", ""},
		{"no header", hdr(), app, false, CheckAllowOrigin, ReasonMissing},
		{"a trailing slash", hdr("Access-Control-Allow-Origin", app+"/"), app, false, CheckAllowOrigin, ReasonMismatch},
		{"another case", hdr("Access-Control-Allow-Origin", "https://App.example.com"), app, false, CheckAllowOrigin, ReasonMismatch},
		{"the default port written out", hdr("Access-Control-Allow-Origin", app+":443"), app, false, CheckAllowOrigin, ReasonMismatch},
		{"two identical lines", hdr("Access-Control-Allow-Origin", app, "Access-Control-Allow-Origin", app), app, false, CheckAllowOrigin, ReasonMultiple},
		{"one line with two values", hdr("Access-Control-Allow-Origin", app+", *"), app, false, CheckAllowOrigin, ReasonMultiple},
		{"null for a null origin", hdr("Access-Control-Allow-Origin", "null"), "null", false, "", ""},
		{"null for a real origin", hdr("Access-Control-Allow-Origin", "null"), app, false, CheckAllowOrigin, ReasonMismatch},
		{"credentialed with true", hdr("Access-Control-Allow-Origin", app, "Access-Control-Allow-Credentials", "true"), app, true, "", ""},
		{"credentialed without ACAC", hdr("Access-Control-Allow-Origin", app), app, true, CheckAllowCredentials, ReasonMissing},
		{"credentialed with True", hdr("Access-Control-Allow-Origin", app, "Access-Control-Allow-Credentials", "True"), app, true, CheckAllowCredentials, ReasonMismatch},
		{"credentialed with two true lines", hdr("Access-Control-Allow-Origin", app, "Access-Control-Allow-Credentials", "true", "Access-Control-Allow-Credentials", "true"), app, true, CheckAllowCredentials, ReasonMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := CORSCheck(tt.h, tt.origin, tt.credentials)
			if tt.check == "" {
				assert.Nil(t, f)
				return
			}
			require.NotNil(t, f)
			assert.Equal(t, tt.check, f.Check)
			assert.Equal(t, tt.reason, f.Reason)
			assert.NotEmpty(t, f.Error())
		})
	}
}

func TestPreflightCheckFollowsFetch(t *testing.T) {
	ok := func(kv ...string) http.Header {
		return hdr(append([]string{"Access-Control-Allow-Origin", app}, kv...)...)
	}
	okc := func(kv ...string) http.Header {
		return hdr(append([]string{"Access-Control-Allow-Origin", app, "Access-Control-Allow-Credentials", "true"}, kv...)...)
	}
	tests := []struct {
		name        string
		status      int
		h           http.Header
		method      string
		names       []string
		credentials bool
		byWildcard  bool
		check       string
		reason      string
	}{
		{"PUT listed", 204, ok("Access-Control-Allow-Methods", "GET, PUT"), "PUT", nil, false, false, "", ""},
		{"PUT not listed", 204, ok("Access-Control-Allow-Methods", "GET"), "PUT", nil, false, false, CheckAllowMethods, ReasonNotAllowed},
		{"no ACAM at all", 204, ok(), "PUT", nil, false, false, CheckAllowMethods, ReasonNotAllowed},
		{"methods are case-sensitive", 204, ok("Access-Control-Allow-Methods", "put"), "PUT", nil, false, false, CheckAllowMethods, ReasonNotAllowed},
		{"patch is not PATCH", 204, ok("Access-Control-Allow-Methods", "PATCH"), "patch", nil, false, false, CheckAllowMethods, ReasonNotAllowed},
		{"* covers methods without credentials", 204, ok("Access-Control-Allow-Methods", "*"), "DELETE", nil, false, false, "", ""},
		{"* is literal with credentials", 204, okc("Access-Control-Allow-Methods", "*"), "DELETE", nil, true, false, CheckAllowMethods, ReasonNotAllowed},
		{"safelisted methods need no listing", 204, ok("Access-Control-Allow-Headers", "x-a"), "GET", []string{"x-a"}, false, false, "", ""},
		{"empty list elements are fine", 200, ok("Access-Control-Allow-Methods", ",,PUT,GET", "Access-Control-Allow-Headers", ",y-lol,x-print, ,,,y-print"), "PUT", []string{"x-print"}, false, false, "", ""},
		{"a malformed method list fails", 204, ok("Access-Control-Allow-Methods", "Bad method name"), "PUT", nil, false, false, CheckAllowMethods, ReasonMalformed},
		{"a malformed header list fails", 204, ok("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "header name with space"), "PUT", nil, false, false, CheckAllowHeaders, ReasonMalformed},
		{"headers are case-insensitive", 204, ok("Access-Control-Allow-Headers", "X-TEST"), "GET", []string{"x-test"}, false, false, "", ""},
		{"an unlisted header", 204, ok("Access-Control-Allow-Headers", "x-a"), "GET", []string{"x-a", "x-b"}, false, false, CheckAllowHeaders, ReasonNotAllowed},
		{"* covers headers without credentials", 204, ok("Access-Control-Allow-Headers", "*"), "GET", []string{"x-a"}, false, false, "", ""},
		{"* is literal with credentials", 204, okc("Access-Control-Allow-Headers", "*"), "GET", []string{"x-a"}, true, false, CheckAllowHeaders, ReasonNotAllowed},
		{"* never covers Authorization", 204, ok("Access-Control-Allow-Headers", "*"), "POST", []string{"authorization"}, false, false, CheckAllowHeaders, ReasonAuthorizationWildcard},
		{"* with Authorization listed", 204, ok("Access-Control-Allow-Headers", "*, Authorization"), "POST", []string{"authorization", "x-a"}, false, false, "", ""},
		{"browsers deviating let * cover Authorization", 204, ok("Access-Control-Allow-Headers", "*"), "POST", []string{"authorization"}, false, true, "", ""},
		{"Authorization not listed, no *", 204, ok("Access-Control-Allow-Headers", "x-a"), "GET", []string{"authorization"}, false, false, CheckAllowHeaders, ReasonNotAllowed},
		{"201 is an ok status", 201, ok("Access-Control-Allow-Methods", "PUT"), "PUT", nil, false, false, "", ""},
		{"a 404 with CORS headers", 404, ok("Access-Control-Allow-Methods", "PUT"), "PUT", nil, false, false, CheckStatus, ReasonNotOK},
		{"a 405 without CORS headers", 405, hdr("Allow", "GET"), "PUT", nil, false, false, CheckStatus, ReasonNotOK},
		{"a redirect", 302, hdr("Location", "/x"), "PUT", nil, false, false, CheckStatus, ReasonRedirected},
		{"a 2xx without ACAO", 204, hdr("Access-Control-Allow-Methods", "PUT"), "PUT", nil, false, false, CheckAllowOrigin, ReasonMissing},
		{"a credentialed preflight needs ACAC", 204, ok("Access-Control-Allow-Methods", "PUT"), "PUT", nil, true, false, CheckAllowCredentials, ReasonMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Preflight{Origin: app, Method: tt.method, HeaderNames: tt.names, Credentials: tt.credentials, AuthorizationByWildcard: tt.byWildcard}
			f := p.Check(tt.status, tt.h)
			if tt.check == "" {
				assert.Nil(t, f)
				return
			}
			require.NotNil(t, f)
			assert.Equal(t, tt.check, f.Check, f.Error())
			assert.Equal(t, tt.reason, f.Reason, f.Error())
			assert.True(t, f.Preflight)
			assert.Equal(t, tt.status, f.Status)
			assert.Contains(t, f.Error(), "preflight")
		})
	}
}

func TestMaxAge(t *testing.T) {
	tests := []struct {
		name           string
		h              http.Header
		secs           int64
		present, valid bool
	}{
		{"absent means 5 seconds", hdr(), 5, false, true},
		{"a number", hdr("Access-Control-Max-Age", "7200"), 7200, true, true},
		{"zero", hdr("Access-Control-Max-Age", "0"), 0, true, true},
		{"-1 is not delta-seconds", hdr("Access-Control-Max-Age", "-1"), 5, true, false},
		{"a fraction", hdr("Access-Control-Max-Age", "1.5"), 5, true, false},
		{"two lines", hdr("Access-Control-Max-Age", "1", "Access-Control-Max-Age", "2"), 5, true, false},
		{"huge", hdr("Access-Control-Max-Age", strings.Repeat("9", 40)), 1 << 40, true, true},
	}
	for _, tt := range tests {
		s, p, v := MaxAge(tt.h)
		assert.Equal(t, tt.present, p, tt.name)
		assert.Equal(t, tt.valid, v, tt.name)
		if tt.name == "huge" {
			assert.GreaterOrEqual(t, s, int64(FirefoxMaxAge), tt.name)
			continue
		}
		assert.Equal(t, tt.secs, s, tt.name)
	}
}

func TestReadableHeaders(t *testing.T) {
	h := hdr("Content-Type", "text/plain", "Content-Length", "2", "Date", "x", "X-Request-Id", "1", "X-Other", "2",
		"Set-Cookie", "a=b", "Cache-Control", "no-store", "Access-Control-Allow-Origin", app)
	assert.Equal(t, []string{"cache-control", "content-length", "content-type"}, ReadableHeaders(h, true, false),
		"only the safelisted names without Access-Control-Expose-Headers")

	h.Set("Access-Control-Expose-Headers", "X-REQUEST-ID, Set-Cookie")
	assert.Equal(t, []string{"cache-control", "content-length", "content-type", "x-request-id"}, ReadableHeaders(h, true, true),
		"listed names, case-insensitively; never Set-Cookie")

	h.Set("Access-Control-Expose-Headers", "*")
	all := []string{"access-control-allow-origin", "access-control-expose-headers", "cache-control", "content-length", "content-type", "date", "x-other", "x-request-id"}
	assert.Equal(t, all, ReadableHeaders(h, true, false), "* exposes every name but Set-Cookie without credentials")
	assert.Equal(t, []string{"cache-control", "content-length", "content-type"}, ReadableHeaders(h, true, true), "* is literal with credentials")

	h.Set("Access-Control-Expose-Headers", "x-other, bad name")
	assert.Equal(t, []string{"cache-control", "content-length", "content-type"}, ReadableHeaders(h, true, false), "a malformed list exposes nothing")

	assert.Equal(t, all, ReadableHeaders(h, false, true), "same-origin: everything but Set-Cookie")
}

func TestParseOriginAcceptsOnlyWhatBrowsersSend(t *testing.T) {
	for _, s := range []string{"https://app.example.com", "http://localhost:3000", "null", "http://[::1]:8080", "https://xn--caf-dma.example", "capacitor://localhost"} {
		got, err := ParseOrigin(s)
		require.NoError(t, err, s)
		assert.Equal(t, s, got)
	}
	refused := map[string]string{
		"https://app.example.com/":    "https://app.example.com",
		"https://App.example.com":     "https://app.example.com",
		"https://app.example.com:443": "https://app.example.com",
		"https://café.example":        "https://xn--caf-dma.example",
		"app.example.com":             "scheme://host",
		"":                            "empty",
		"https://u:p@app.example.com": "user name",
		"https://app.example.com?x":   "https://app.example.com",
		"Null":                        "scheme://host",
	}
	for s, hint := range refused {
		_, err := ParseOrigin(s)
		require.Error(t, err, s)
		assert.Contains(t, err.Error(), hint, s)
	}
}

// Go's url.Parse reads hosts the URL standard's host parser refuses, so fetch() throws on them and no
// page has such an origin; HostError names each.
func TestHostErrorRefusesWhatTheURLStandardRefuses(t *testing.T) {
	for _, raw := range []string{"https://api.example.com", "http://localhost:8080", "http://[::1]:65535", "http://127.0.0.1",
		"https://xn--caf-dma.example", "https://my_app.example", "https://caf%C3%A9.example", "http://a:0"} {
		u, err := url.Parse(raw)
		require.NoError(t, err, raw)
		assert.NoError(t, HostError(u), raw)
	}
	refused := map[string]string{
		"http://::":                                   "character no host can",
		"http://a:b:80":                               "character no host can",
		"http://:80":                                  "host is empty",
		"http://[fe80::1%25en0]":                      "no IPv6 address",
		"http://a<b.example":                          "character no host can",
		"http://a%25b.example":                        "character no host can",
		"http://api.example.com:65536":                "above 65535",
		"http://api.example.com:99999999999999999999": "above 65535",
	}
	for raw, says := range refused {
		u, err := url.Parse(raw)
		require.NoError(t, err, "%s: Go reads it", raw)
		err = HostError(u)
		require.Error(t, err, raw)
		assert.Contains(t, err.Error(), says, raw)
	}
	// Go's parser refuses these itself; the rule holds for any URL HostError is given.
	for _, host := range []string{"a b", "a\tb", "a\x7fb", "a\x00b"} {
		assert.ErrorContains(t, HostError(&url.URL{Scheme: "http", Host: host}), "character no host can", "%q", host)
	}
	_, err := ParseOrigin("http://[fe80::1%25en0]")
	assert.ErrorContains(t, err, "no IPv6 address", "no browser sends an origin with a zone, nor writes it otherwise")
}

func TestFailuresReadAsTheConsoleSaysThem(t *testing.T) {
	for _, tt := range []struct {
		f    Failure
		says string
	}{
		{Failure{Check: CheckAllowCredentials, Reason: ReasonMissing}, "the 'Access-Control-Allow-Credentials' header of the response is absent"},
		{Failure{Check: CheckAllowCredentials, Reason: ReasonMismatch, Got: "TRUE"}, "the value of the 'Access-Control-Allow-Credentials' header of the response is 'TRUE'"},
		{Failure{Check: CheckAllowMethods, Reason: ReasonMalformed, Got: "P UT", Preflight: true}, "cannot parse the 'Access-Control-Allow-Methods' header of the response to the preflight request: 'P UT'"},
		{Failure{Check: CheckAllowMethods, Reason: ReasonNotAllowed, Name: "PUT", Got: "GET", Preflight: true}, "method PUT is not allowed by Access-Control-Allow-Methods in the response to the preflight request (got 'GET')"},
	} {
		assert.True(t, strings.HasPrefix(tt.f.Error(), tt.says), "%q", tt.f.Error())
	}
}

func TestSerializeOriginWritesTheOriginAsBrowsersDo(t *testing.T) {
	for in, want := range map[string]string{
		"https://App.Example.com/path?q#f": "https://app.example.com",
		"http://example.com:80":            "http://example.com",
		"http://example.com:080":           "http://example.com", // the port is read as a number
		"http://example.com:0443":          "http://example.com:443",
		"http://example.com:08080":         "http://example.com:8080",
		"http://example.com:8080":          "http://example.com:8080",
		"http://[0:0:0:0:0:0:0:1]:8080":    "http://[::1]:8080",
		"http://[::FFFF:127.0.0.1]":        "http://[::ffff:7f00:1]",
		"http://[fe80::1%25eth0]":          "http://[fe80::1%eth0]", // a zone is kept, never silently dropped: no browser sends one
		"file:///etc/passwd":               "null",
		"data:text/plain,x":                "null",
	} {
		u, err := url.Parse(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, SerializeOrigin(u), in)
	}
}

func TestRegistrableDomain(t *testing.T) {
	for host, want := range map[string]string{
		"api.example.co.uk": "example.co.uk",
		"API.Example.com.":  "example.com",
		"example.com":       "example.com",
		"127.0.0.1":         "127.0.0.1",
		"[::1]":             "[::1]",
		"localhost":         "localhost",
		"co.uk":             "co.uk",
	} {
		assert.Equal(t, want, RegistrableDomain(host), host)
	}
}

func TestSecFetchSite(t *testing.T) {
	for _, tt := range []struct{ origin, url, want string }{
		{"https://app.example.com", "https://app.example.com/x", "same-origin"},
		{"https://app.example.com", "https://api.example.com/x", "same-site"},
		{"https://app.example.com", "http://api.example.com/x", "cross-site"}, // the scheme counts
		{"https://app.example.com", "https://api.example.net/x", "cross-site"},
		{"https://a.example.co.uk", "https://b.other.co.uk/x", "cross-site"}, // a public suffix is no site
		{"null", "https://api.example.com/x", "cross-site"},
	} {
		u, err := url.Parse(tt.url)
		require.NoError(t, err)
		assert.Equal(t, tt.want, secFetchSite(tt.origin, u), "%s to %s", tt.origin, tt.url)
	}
}

func TestPreflightFailuresListEveryFailingCheckInOrder(t *testing.T) {
	h := hdr("Access-Control-Allow-Origin", app, "Access-Control-Allow-Methods", "GET", "Access-Control-Allow-Headers", "x-a")
	p := Preflight{Origin: app, Method: "PUT", HeaderNames: []string{"authorization", "x-a", "x-b"}}
	fs := p.Failures(204, h)
	var got []string
	for _, f := range fs {
		got = append(got, f.Check+":"+f.Name)
	}
	assert.Equal(t, []string{"allow-methods:PUT", "allow-headers:authorization", "allow-headers:x-b"}, got)
	assert.Equal(t, fs[0], p.Check(204, h), "Check reports the first")
	assert.Empty(t, Preflight{Origin: app, Method: "GET", HeaderNames: []string{"x-a"}}.Failures(204, h))
}
