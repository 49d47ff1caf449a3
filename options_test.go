package cors

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// configErrors returns the *ConfigErrors that err joins.
func configErrors(t *testing.T, err error) []*ConfigError {
	t.Helper()
	require.Error(t, err)
	joined, ok := err.(interface{ Unwrap() []error })
	require.True(t, ok, "New joins its errors")
	var out []*ConfigError
	for _, e := range joined.Unwrap() {
		var ce *ConfigError
		require.True(t, errors.As(e, &ce), "every joined error is a *ConfigError: %v", e)
		out = append(out, ce)
	}
	return out
}

func TestNewRefusesUnsafeOrMeaninglessOptions(t *testing.T) {
	origins := func(o ...string) Options { return Options{AllowedOrigins: o} }
	creds := func(o ...string) Options { return Options{AllowedOrigins: o, AllowCredentials: true} }
	tests := []struct {
		name  string
		opts  Options
		field string
		value string
		says  []string // words the message must contain: what is wrong and the fix
	}{
		{"star with credentials", creds("*"), "AllowedOrigins", "*", []string{"AllowCredentials", "list the origins"}},
		{"a trailing slash is a path", origins("http://localhost:3000/"), "AllowedOrigins", "http://localhost:3000/", []string{"an origin has no path", "write http://localhost:3000"}},
		{"a path", origins("https://example.com/api"), "AllowedOrigins", "https://example.com/api", []string{"no path", "write https://example.com"}},
		{"a query", origins("https://example.com?x=1"), "AllowedOrigins", "https://example.com?x=1", []string{"no query", "write https://example.com"}},
		{"a fragment", origins("https://example.com#top"), "AllowedOrigins", "https://example.com#top", []string{"no fragment", "write https://example.com"}},
		{"userinfo", origins("https://user:pw@example.com"), "AllowedOrigins", "https://user:pw@example.com", []string{"no user information", "write https://example.com"}},
		{"null", origins("null"), "AllowedOrigins", "null", []string{"sandboxed", "remove it"}},
		{"empty entry", origins(""), "AllowedOrigins", "", []string{"empty", "https://app.example.com"}},
		{"no scheme", origins("example.com"), "AllowedOrigins", "example.com", []string{"scheme://host", "write https://example.com"}},
		{"bad scheme", origins("1http://example.com"), "AllowedOrigins", "1http://example.com", []string{"scheme", "letter"}},
		{"port zero", origins("http://localhost:0"), "AllowedOrigins", "http://localhost:0", []string{"1–65535"}},
		{"port too high", origins("http://localhost:65536"), "AllowedOrigins", "http://localhost:65536", []string{"1–65535"}},
		{"port not a number", origins("http://localhost:http"), "AllowedOrigins", "http://localhost:http", []string{"not a number"}},
		{"empty port", origins("http://localhost:"), "AllowedOrigins", "http://localhost:", []string{"port is empty"}},
		{"wildcard inside a label", origins("https://api-*.example.com"), "AllowedOrigins", "https://api-*.example.com", []string{"https://*.example.com", "http://localhost:*"}},
		{"wildcard in the middle", origins("https://api.*.example.com"), "AllowedOrigins", "https://api.*.example.com", []string{"whole leading labels"}},
		{"wildcard top-level domain", origins("https://example.*"), "AllowedOrigins", "https://example.*", []string{"whole leading labels"}},
		{"wildcard host", origins("https://*"), "AllowedOrigins", "https://*", []string{`"*" alone`}},
		{"wildcard scheme", origins("*://example.com"), "AllowedOrigins", "*://example.com", []string{"scheme"}},
		{"wildcard over an IP address", origins("http://*.127.0.0.1"), "AllowedOrigins", "http://*.127.0.0.1", []string{"domain name, not an IP"}},
		{"wildcard over a public suffix with credentials", creds("https://*.com"), "AllowedOrigins", "https://*.com", []string{"public suffix", "https://*.example.com"}},
		{"wildcard over a two-label public suffix", creds("https://*.co.uk"), "AllowedOrigins", "https://*.co.uk", []string{"public suffix"}},
		{"wildcard over a private public suffix", creds("https://*.github.io"), "AllowedOrigins", "https://*.github.io", []string{"public suffix"}},
		{"wildcard over a wildcard rule of the suffix list", creds("https://*.compute.amazonaws.com"), "AllowedOrigins", "https://*.compute.amazonaws.com", []string{"public suffix"}},
		{"wildcard over an ICANN wildcard rule", creds("https://*.kawasaki.jp"), "AllowedOrigins", "https://*.kawasaki.jp", []string{"public suffix"}},
		{"insecure origin with credentials", creds("http://app.example.com"), "AllowedOrigins", "http://app.example.com", []string{"https://app.example.com", "DangerouslyAllowInsecureOrigins"}},
		{"insecure wildcard with credentials", creds("http://*.example.com"), "AllowedOrigins", "http://*.example.com", []string{"DangerouslyAllowInsecureOrigins"}},
		{"invalid host", origins("https://exa mple.com"), "AllowedOrigins", "https://exa mple.com", []string{"not a valid host"}},
		{"surrounding whitespace", origins(" https://example.com"), "AllowedOrigins", " https://example.com", []string{"whitespace", "write https://example.com"}},
		{"star beside other origins", origins("*", "https://example.com"), "AllowedOrigins", "*", []string{"other entries"}},
		{"star and a func", Options{AllowedOrigins: []string{"*"}, AllowOriginFunc: func(string) bool { return true }}, "AllowOriginFunc", "", []string{"never be asked"}},
		{"nothing allowed", Options{}, "AllowedOrigins", "", []string{"no origin is allowed", "AllowOriginFunc"}},
		{"forbidden method", Options{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"connect"}}, "AllowedMethods", "connect", []string{"CONNECT, TRACE or TRACK"}},
		{"method with a comma", Options{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET,POST"}}, "AllowedMethods", "GET,POST", []string{"own entry"}},
		{"forbidden request header", Options{AllowedOrigins: []string{"*"}, AllowedHeaders: []string{"Cookie"}}, "AllowedHeaders", "Cookie", []string{"forbidden request-header"}},
		{"sec- request header", Options{AllowedOrigins: []string{"*"}, AllowedHeaders: []string{"Sec-Fetch-Mode"}}, "AllowedHeaders", "Sec-Fetch-Mode", []string{"forbidden request-header"}},
		{"proxy- request header", Options{AllowedOrigins: []string{"*"}, AllowedHeaders: []string{"Proxy-Authorization"}}, "AllowedHeaders", "Proxy-Authorization", []string{"forbidden request-header"}},
		{"header list in one entry", Options{AllowedOrigins: []string{"*"}, AllowedHeaders: []string{"X-A, X-B"}}, "AllowedHeaders", "X-A, X-B", []string{"own entry"}},
		{"exposing star with credentials", Options{AllowedOrigins: []string{"https://a.example"}, AllowCredentials: true, ExposedHeaders: []string{"*"}}, "ExposedHeaders", "*", []string{"by name"}},
		{"exposing Set-Cookie", Options{AllowedOrigins: []string{"*"}, ExposedHeaders: []string{"Set-Cookie"}}, "ExposedHeaders", "Set-Cookie", []string{"never expose"}},
		{"max age over a day", Options{AllowedOrigins: []string{"*"}, MaxAge: 25 * time.Hour}, "MaxAge", "25h0m0s", []string{"at most 24h"}},
		{"max age in fractions of a second", Options{AllowedOrigins: []string{"*"}, MaxAge: 1500 * time.Millisecond}, "MaxAge", "1.5s", []string{"whole seconds"}},
		{"preflight status not ok", Options{AllowedOrigins: []string{"*"}, PreflightStatus: 301}, "PreflightStatus", "301", []string{"200–299"}},
		{"preflight status nonsense", Options{AllowedOrigins: []string{"*"}, PreflightStatus: -1}, "PreflightStatus", "-1", []string{"200–299"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.opts)
			assert.Nil(t, c)
			errs := configErrors(t, err)
			require.Len(t, errs, 1, "%v", err)
			assert.Equal(t, tt.field, errs[0].Field)
			assert.Equal(t, tt.value, errs[0].Value)
			for _, w := range tt.says {
				assert.Contains(t, errs[0].Error(), w)
			}
		})
	}
}

func TestNewReportsEveryProblemAtOnce(t *testing.T) {
	_, err := New(Options{
		AllowedOrigins:   []string{"*", "http://localhost:3000/", "https://*.com", "https://ok.example"},
		AllowCredentials: true,
		AllowedMethods:   []string{"TRACE"},
		AllowedHeaders:   []string{"Host"},
		ExposedHeaders:   []string{"*"},
		MaxAge:           48 * time.Hour,
		PreflightStatus:  500,
	})
	var fields []string
	for _, e := range configErrors(t, err) {
		fields = append(fields, e.Field+" "+e.Value)
	}
	assert.Equal(t, []string{
		"AllowedOrigins *", "AllowedOrigins http://localhost:3000/", "AllowedOrigins https://*.com",
		"AllowedMethods TRACE", "AllowedHeaders Host", "ExposedHeaders *", "MaxAge 48h0m0s", "PreflightStatus 500",
	}, fields)
}

func TestNewAcceptsWhatIsSafe(t *testing.T) {
	for name, o := range map[string]Options{
		"loopback http with credentials":          {AllowedOrigins: []string{"http://localhost:3000", "http://127.0.0.1:*", "http://[::1]:8080", "http://*.localhost"}, AllowCredentials: true},
		"insecure origin when told":               {AllowedOrigins: []string{"http://intranet.example"}, AllowCredentials: true, DangerouslyAllowInsecureOrigins: true},
		"wildcard over a public suffix, no creds": {AllowedOrigins: []string{"https://*.github.io"}},
		"any scheme":                          {AllowedOrigins: []string{"capacitor://localhost", "tauri://localhost"}, AllowCredentials: true},
		"only a func":                         {AllowOriginFunc: func(string) bool { return false }},
		"star methods and headers with creds": {AllowedOrigins: []string{"https://a.example"}, AllowCredentials: true, AllowedMethods: []string{"*"}, AllowedHeaders: []string{"*"}},
		"exactly a day":                       {AllowedOrigins: []string{"*"}, MaxAge: 24 * time.Hour},
	} {
		_, err := New(o)
		assert.NoError(t, err, name)
	}
}

func TestConfigErrorMessage(t *testing.T) {
	assert.Equal(t, `cors: AllowedOrigins "x": why`, (&ConfigError{Field: "AllowedOrigins", Value: "x", Reason: "why"}).Error())
	assert.Equal(t, `cors: AllowedOrigins: why`, (&ConfigError{Field: "AllowedOrigins", Reason: "why"}).Error())
}

func TestLoadOptions(t *testing.T) {
	o, err := LoadOptions(strings.NewReader(`{
		"allowed_origins": ["http://localhost:3000", "https://*.example.com"],
		"allowed_methods": ["GET", "PUT"],
		"allowed_headers": ["Content-Type"],
		"exposed_headers": ["X-Total-Count"],
		"allow_credentials": true,
		"max_age": "2h",
		"allow_private_network": true,
		"preflight_status": 200,
		"dangerously_allow_insecure_origins": false
	}`))
	require.NoError(t, err)
	assert.Equal(t, Options{
		AllowedOrigins:      []string{"http://localhost:3000", "https://*.example.com"},
		AllowedMethods:      []string{"GET", "PUT"},
		AllowedHeaders:      []string{"Content-Type"},
		ExposedHeaders:      []string{"X-Total-Count"},
		AllowCredentials:    true,
		MaxAge:              2 * time.Hour,
		AllowPrivateNetwork: true,
		PreflightStatus:     200,
	}, o)
}

func TestLoadOptionsMaxAge(t *testing.T) {
	for in, want := range map[string]time.Duration{`"2h"`: 2 * time.Hour, `"90s"`: 90 * time.Second, `600`: 10 * time.Minute, `-1`: -time.Second, `0`: 0, `"0s"`: 0,
		// The most seconds a time.Duration holds, either sign; New then refuses more than 24h.
		`9223372035`: 9223372035 * time.Second, `9223372036`: 9223372036 * time.Second, `-9223372036`: -9223372036 * time.Second} {
		o, err := LoadOptions(strings.NewReader(`{"max_age": ` + in + `}`))
		require.NoError(t, err, in)
		assert.Equal(t, want, o.MaxAge, in)
	}
	for _, in := range []string{`"2 hours"`, `1.5`, `true`, `[]`, `1e300`, `9223372037`, `-9223372037`} {
		_, err := LoadOptions(strings.NewReader(`{"max_age": ` + in + `}`))
		var ce *ConfigError
		require.ErrorAs(t, err, &ce, in)
		assert.Equal(t, "max_age", ce.Field, in)
	}
}

func TestLoadOptionsIsStrict(t *testing.T) {
	tests := []struct {
		name, json string
		field      string
		says       string
	}{
		{"a misspelt key is named with its likely fix", `{"allowed_origin": ["https://a.example"]}`, "allowed_origin", `did you mean "allowed_origins"`},
		{"a Go field name is not a key", `{"AllowedOrigins": ["https://a.example"]}`, "AllowedOrigins", `did you mean "allowed_origins"`},
		{"an unknown key lists the keys", `{"colour": "blue"}`, "colour", "the options are allowed_origins"},
		{"a key three edits from an option is named with it", `{"max_ageXXX": 1}`, "max_ageXXX", `did you mean "max_age"`},
		{"a key four edits from every option gets the list, not a guess", `{"max_ageXXXX": 1}`, "max_ageXXXX", "the options are allowed_origins"},
		{"a misspelling at the key's last byte counts", `{"max_agX": 1}`, "max_agX", `did you mean "max_age"`},
		{"of two options equally near, the first in Options' order is named", `{"exlowed_headers": 1}`, "exlowed_headers", `did you mean "allowed_headers"`}, // two edits from exposed_headers too
		{"a wrong type names the key", `{"allowed_origins": "https://a.example"}`, "allowed_origins", "a list of strings"},
		{"a wrong boolean names the key", `{"allow_credentials": "yes"}`, "allow_credentials", "true or false"},
		{"a wrong number names the key", `{"preflight_status": "204"}`, "preflight_status", "a whole number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadOptions(strings.NewReader(tt.json))
			var ce *ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tt.field, ce.Field)
			assert.Contains(t, err.Error(), tt.says)
		})
	}
	t.Run("every unknown key is reported", func(t *testing.T) {
		_, err := LoadOptions(strings.NewReader(`{"a": 1, "b": 2, "allowed_origins": []}`))
		errs := configErrors(t, err)
		require.Len(t, errs, 2)
		assert.Equal(t, "a", errs[0].Field)
		assert.Equal(t, "b", errs[1].Field)
	})
	for _, in := range []string{``, `[]`, `{"allowed_origins": []} {}`, `{`, `null x`} {
		_, err := LoadOptions(strings.NewReader(in))
		assert.ErrorContains(t, err, "not a valid JSON object", in)
	}
	_, err := LoadOptions(strings.NewReader(`{"allowed_origins": ["` + strings.Repeat("a", 1<<20) + `"]}`))
	assert.ErrorContains(t, err, "larger than")
}

func TestLoadOptionsReadsAtMostOneMebibyte(t *testing.T) {
	padded := func(n int) string { return `{"max_age": 5}` + strings.Repeat(" ", n-len(`{"max_age": 5}`)) }
	for _, n := range []int{1<<20 - 1, 1 << 20} {
		o, err := LoadOptions(strings.NewReader(padded(n)))
		require.NoError(t, err, "%d bytes", n)
		assert.Equal(t, 5*time.Second, o.MaxAge, "%d bytes", n)
	}
	_, err := LoadOptions(strings.NewReader(padded(1<<20 + 1)))
	assert.ErrorContains(t, err, "larger than 1048576 bytes")
}

func TestOptionsJSONRoundTrip(t *testing.T) {
	in := Options{AllowedOrigins: []string{"https://a.example"}, MaxAge: 90 * time.Second, AllowCredentials: true, PreflightStatus: 200, CrossOriginProtection: true, TimingAllowOrigin: true}
	data, err := json.Marshal(in)
	require.NoError(t, err)
	assert.JSONEq(t, `{"allowed_origins":["https://a.example"],"allowed_methods":null,"allowed_headers":null,"exposed_headers":null,
		"allow_credentials":true,"max_age":"1m30s","allow_private_network":false,"preflight_status":200,"dangerously_allow_insecure_origins":false,
		"cross_origin_protection":true,"timing_allow_origin":true}`, string(data))
	fn := func(string) bool { return true }
	out := Options{AllowOriginFunc: fn}
	require.NoError(t, json.Unmarshal(data, &out))
	assert.NotNil(t, out.AllowOriginFunc, "fields JSON does not carry keep their values")
	out.AllowOriginFunc = nil
	assert.Equal(t, in, out)

	var lenient Options
	require.NoError(t, json.Unmarshal([]byte(`{"unknown": 1, "max_age": 5}`), &lenient), "plain json.Unmarshal ignores unknown keys like any struct")
	assert.Equal(t, 5*time.Second, lenient.MaxAge)
	assert.Error(t, json.Unmarshal([]byte(`{"max_age": "soon"}`), &lenient))
	assert.Error(t, json.Unmarshal([]byte(`{"allowed_origins": 1}`), &lenient))
}
