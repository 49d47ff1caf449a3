package cors_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
)

// origins is shorthand for a minimal valid-looking option set around the entries under test.
func origins(entries ...string) cors.Options { return cors.Options{AllowedOrigins: entries} }

func withCredentials(o cors.Options) cors.Options {
	o.AllowCredentials = true
	return o
}

// valid is an option set New accepts, for tables that change one other field.
func valid() cors.Options { return origins("https://app.example.com") }

// configErrorCases: each invalid configuration, the Options field the error must name, the value it must
// quote, and the key words of a message that tells the user how to fix it.
var configErrorCases = []struct {
	name  string
	opts  cors.Options
	field string
	value string
	words []string
}{
	// Origins that are URLs rather than origins.
	{"trailing slash", origins("http://localhost:3000/"), "AllowedOrigins", "http://localhost:3000/", []string{"no path", "write http://localhost:3000"}},
	{"path", origins("https://example.com/api"), "AllowedOrigins", "https://example.com/api", []string{"no path", "write https://example.com"}},
	{"query", origins("https://example.com?x=1"), "AllowedOrigins", "https://example.com?x=1", []string{"no query", "write https://example.com"}},
	{"fragment", origins("https://example.com#top"), "AllowedOrigins", "https://example.com#top", []string{"no fragment", "write https://example.com"}},
	{"userinfo", origins("https://user@example.com"), "AllowedOrigins", "https://user@example.com", []string{"no user information", "write https://example.com"}},
	{"userinfo with password", origins("https://user:pw@example.com:8443"), "AllowedOrigins", "https://user:pw@example.com:8443", []string{"no user information", "write https://example.com:8443"}},
	{"userinfo lookalike", origins("https://example.com@evil.com"), "AllowedOrigins", "https://example.com@evil.com", []string{"no user information", "the host here is evil.com"}},
	{"no scheme", origins("example.com"), "AllowedOrigins", "example.com", []string{"scheme://host", "write https://example.com"}},
	{"host and port without scheme", origins("localhost:3000"), "AllowedOrigins", "localhost:3000", []string{"scheme://host", "https://localhost:3000"}},
	{"invalid scheme", origins("1http://example.com"), "AllowedOrigins", "1http://example.com", []string{"scheme", "not valid", "letter"}},
	{"empty entry", origins(""), "AllowedOrigins", "", []string{"empty", "remove it"}},
	{"surrounding whitespace", origins(" https://example.com "), "AllowedOrigins", " https://example.com ", []string{"whitespace", "write https://example.com"}},
	{"null", origins("null"), "AllowedOrigins", "null", []string{`"null"`, "sandboxed", "remove it"}},
	{"null in capitals", origins("NULL"), "AllowedOrigins", "NULL", []string{`"null"`, "remove it"}},
	{"missing host", origins("https://"), "AllowedOrigins", "https://", []string{"host is missing", "https://app.example.com"}},
	{"missing host with port", origins("https://:8443"), "AllowedOrigins", "https://:8443", []string{"host is missing"}},
	{"space in host", origins("https://exa mple.com"), "AllowedOrigins", "https://exa mple.com", []string{"not a valid host name"}},
	{"trailing dot", origins("https://example.com."), "AllowedOrigins", "https://example.com.", []string{"not a valid host name"}},
	{"truncated IPv4", origins("http://127.1:8080"), "AllowedOrigins", "http://127.1:8080", []string{"dotted-quad", "127.0.0.1"}},
	{"unclosed IPv6", origins("http://[::1:8080"), "AllowedOrigins", "http://[::1:8080", []string{"closing bracket", "http://[::1]:8080"}},
	{"invalid IPv6", origins("http://[::g]:8080"), "AllowedOrigins", "http://[::g]:8080", []string{"not a valid IPv6 address", "http://[::1]:8080"}},
	{"junk after IPv6", origins("http://[::1]8080"), "AllowedOrigins", "http://[::1]8080", []string{"after the IPv6 address", "[:port]"}},

	// Ports.
	{"port zero", origins("https://example.com:0"), "AllowedOrigins", "https://example.com:0", []string{"out of range", "1–65535"}},
	{"port too large", origins("https://example.com:65536"), "AllowedOrigins", "https://example.com:65536", []string{"out of range", "1–65535"}},
	{"port not a number", origins("https://example.com:https"), "AllowedOrigins", "https://example.com:https", []string{"not a number", "1–65535", "* for any port"}},
	{"empty port", origins("https://example.com:"), "AllowedOrigins", "https://example.com:", []string{"port is empty", "remove the ':'"}},

	// Wildcards in the wrong place.
	{"wildcard host", origins("https://*"), "AllowedOrigins", "https://*", []string{"every site", `write "*" alone`, "https://*.example.com"}},
	{"wildcard glued to domain", origins("https://*example.com"), "AllowedOrigins", "https://*example.com", []string{"whole leading labels", "https://*.example.com"}},
	{"wildcard TLD", origins("https://example.*"), "AllowedOrigins", "https://example.*", []string{"whole leading labels", "https://*.example.com"}},
	{"wildcard in the middle", origins("https://api.*.example.com"), "AllowedOrigins", "https://api.*.example.com", []string{"whole leading labels"}},
	{"wildcard inside a label", origins("https://ex*ample.com"), "AllowedOrigins", "https://ex*ample.com", []string{"whole leading labels", "http://localhost:*"}},
	{"wildcard scheme", origins("*://example.com"), "AllowedOrigins", "*://example.com", []string{"scheme", "not valid"}},
	{"wildcard over an IP address", origins("http://*.127.0.0.1"), "AllowedOrigins", "http://*.127.0.0.1", []string{"domain name, not an IP address"}},

	// Credentials.
	{"any origin with credentials", withCredentials(origins("*")), "AllowedOrigins", "*", []string{"AllowCredentials", "list the origins you trust"}},
	{"wildcard over .com with credentials", withCredentials(origins("https://*.com")), "AllowedOrigins", "https://*.com", []string{"public suffix", "name your own domain"}},
	{"wildcard over .co.uk with credentials", withCredentials(origins("https://*.co.uk")), "AllowedOrigins", "https://*.co.uk", []string{"co.uk is a public suffix", "name your own domain"}},
	{"wildcard over github.io with credentials", withCredentials(origins("https://*.github.io")), "AllowedOrigins", "https://*.github.io", []string{"github.io is a public suffix", "name your own domain"}},
	{"wildcard over an unlisted TLD with credentials", withCredentials(origins("https://*.internal")), "AllowedOrigins", "https://*.internal", []string{"public suffix"}},
	{"wildcard over a wildcard rule of the suffix list with credentials", withCredentials(origins("https://*.kawasaki.jp")), "AllowedOrigins", "https://*.kawasaki.jp", []string{"public suffix", "as in https://*.example.example.kawasaki.jp"}},
	{"wildcard with a port over a public suffix with credentials", withCredentials(origins("https://*.com:8443")), "AllowedOrigins", "https://*.com:8443", []string{"public suffix", "as in https://*.example.com:8443"}},
	{"plain http with credentials", withCredentials(origins("http://app.example.com")), "AllowedOrigins", "http://app.example.com", []string{"plain-http", "use https://app.example.com", "DangerouslyAllowInsecureOrigins"}},
	{"plain http wildcard with credentials", withCredentials(origins("http://*.example.com")), "AllowedOrigins", "http://*.example.com", []string{"plain-http", "use https://*.example.com", "DangerouslyAllowInsecureOrigins"}},
	{"plain http with a port and credentials", withCredentials(origins("http://app.example.com:8080")), "AllowedOrigins", "http://app.example.com:8080", []string{"plain-http", "use https://app.example.com", "DangerouslyAllowInsecureOrigins"}},
	{"plain http on a LAN address with credentials", withCredentials(origins("http://192.168.1.10:8080")), "AllowedOrigins", "http://192.168.1.10:8080", []string{"plain-http", "DangerouslyAllowInsecureOrigins"}},
	{"expose any header with credentials", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowCredentials: true, ExposedHeaders: []string{"*"}}, "ExposedHeaders", "*", []string{"AllowCredentials", "by name"}},

	// Nothing allowed, or contradictions.
	{"no origins at all", cors.Options{}, "AllowedOrigins", "", []string{"no origin is allowed", "http://localhost:3000", "AllowOriginFunc", "set CrossOriginProtection alone"}},
	{"empty origin list", cors.Options{AllowedOrigins: []string{}}, "AllowedOrigins", "", []string{"no origin is allowed", "AllowOriginFunc"}},
	{"any origin beside a list", origins("*", "https://app.example.com"), "AllowedOrigins", "*", []string{"already allows every origin", `either "*" or the list`}},
	{"any origin beside a function", cors.Options{AllowedOrigins: []string{"*"}, AllowOriginFunc: func(string) bool { return true }}, "AllowOriginFunc", "", []string{"never be asked", "remove one"}},

	// Methods.
	{"CONNECT", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{"CONNECT"}}, "AllowedMethods", "CONNECT", []string{"never send", "remove it"}},
	{"TRACE in lower case", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{"trace"}}, "AllowedMethods", "trace", []string{"never send", "remove it"}},
	{"TRACK", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{"TRACK"}}, "AllowedMethods", "TRACK", []string{"never send", "remove it"}},
	{"comma-joined methods", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{"GET,POST"}}, "AllowedMethods", "GET,POST", []string{"token", "each method as its own entry"}},
	{"space-joined methods", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{"GET POST"}}, "AllowedMethods", "GET POST", []string{"token", "each method as its own entry"}},
	{"empty method", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{""}}, "AllowedMethods", "", []string{"token"}},
	{"a method past 64 bytes", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{strings.Repeat("M", 65)}}, "AllowedMethods", strings.Repeat("M", 65), []string{"longer than 64 bytes"}},

	// Request headers.
	{"Cookie", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowedHeaders: []string{"Cookie"}}, "AllowedHeaders", "Cookie", []string{"forbidden request-header", "remove it"}},
	{"Host", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowedHeaders: []string{"host"}}, "AllowedHeaders", "host", []string{"forbidden request-header", "remove it"}},
	{"Origin", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowedHeaders: []string{"Origin"}}, "AllowedHeaders", "Origin", []string{"forbidden request-header"}},
	{"Sec- prefix", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowedHeaders: []string{"Sec-Fetch-Mode"}}, "AllowedHeaders", "Sec-Fetch-Mode", []string{"forbidden request-header"}},
	{"Proxy- prefix", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowedHeaders: []string{"Proxy-Authorization"}}, "AllowedHeaders", "Proxy-Authorization", []string{"forbidden request-header"}},
	{"Access-Control-Request-Method", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowedHeaders: []string{"Access-Control-Request-Method"}}, "AllowedHeaders", "Access-Control-Request-Method", []string{"forbidden request-header"}},
	{"comma-joined headers", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowedHeaders: []string{"Content-Type, X-Token"}}, "AllowedHeaders", "Content-Type, X-Token", []string{"token", "each header as its own entry"}},
	{"header with colon", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowedHeaders: []string{"X-Token:"}}, "AllowedHeaders", "X-Token:", []string{"token"}},

	// Exposed headers.
	{"expose Set-Cookie", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, ExposedHeaders: []string{"Set-Cookie"}}, "ExposedHeaders", "Set-Cookie", []string{"never expose Set-Cookie", "remove it"}},
	{"expose a list in one entry", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, ExposedHeaders: []string{"X-A X-B"}}, "ExposedHeaders", "X-A X-B", []string{"token", "each header as its own entry"}},

	// Cross-origin protection.
	{"cross-origin protection under star", cors.Options{AllowedOrigins: []string{"*"}, CrossOriginProtection: true}, "CrossOriginProtection", "", []string{"would refuse nothing", "list the origins you trust", "net/http.CrossOriginProtection"}},

	// Max age and preflight status.
	{"max age over 24h", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, MaxAge: 25 * time.Hour}, "MaxAge", "25h0m0s", []string{"at most 24h", "2h"}},
	{"max age in fractions of a second", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, MaxAge: 1500 * time.Millisecond}, "MaxAge", "1.5s", []string{"whole seconds"}},
	{"redirect as preflight status", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, PreflightStatus: 302}, "PreflightStatus", "302", []string{"200–299", "204"}},
	{"error as preflight status", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, PreflightStatus: 500}, "PreflightStatus", "500", []string{"200–299"}},
	{"informational preflight status", cors.Options{AllowedOrigins: []string{"https://app.example.com"}, PreflightStatus: 100}, "PreflightStatus", "100", []string{"200–299"}},
}

func TestConfigErrorsSayHowToFixThem(t *testing.T) {
	require.GreaterOrEqual(t, len(configErrorCases), 40, "the issue asks for at least 40 invalid configurations")
	for _, tt := range configErrorCases {
		t.Run(tt.name, func(t *testing.T) {
			c, err := cors.New(tt.opts)
			require.Error(t, err)
			assert.Nil(t, c)

			leaves := configErrorLeaves(err)
			require.Len(t, leaves, 1, "exactly one problem: %v", err)
			var ce *cors.ConfigError
			require.True(t, errors.As(err, &ce), "%T is not a *ConfigError", err)
			assert.Equal(t, tt.field, ce.Field)
			assert.Equal(t, tt.value, ce.Value)
			for _, w := range tt.words {
				assert.Contains(t, ce.Error(), w)
			}

			// Reconfigure refuses it the same way and keeps the policy in force.
			good := cors.MustNew(valid())
			require.Error(t, good.Reconfigure(tt.opts))
			assert.Equal(t, []string{"https://app.example.com"}, good.Options().AllowedOrigins)
			assert.True(t, good.OriginAllowed("https://app.example.com"))

			assert.Panics(t, func() { cors.MustNew(tt.opts) })
		})
	}
}

// TestConfigErrorsAreReportedAllAtOnce: a configuration with one problem in every field gets one
// *ConfigError per problem, in a single error, so a user fixes them in one pass.
func TestConfigErrorsAreReportedAllAtOnce(t *testing.T) {
	_, err := cors.New(cors.Options{
		AllowedOrigins:   []string{"http://localhost:3000/", "*", "null", "https://*.com", "https://example.com:0"},
		AllowCredentials: true,
		AllowedMethods:   []string{"GET", "TRACE"},
		AllowedHeaders:   []string{"Content-Type", "Cookie"},
		ExposedHeaders:   []string{"*", "Set-Cookie"},
		MaxAge:           48 * time.Hour,
		PreflightStatus:  404,
	})
	require.Error(t, err)

	type problem struct{ field, value string }
	var got []problem
	for _, leaf := range configErrorLeaves(err) {
		var ce *cors.ConfigError
		require.True(t, errors.As(leaf, &ce), "%T is not a *ConfigError", leaf)
		got = append(got, problem{ce.Field, ce.Value})
		assert.Contains(t, err.Error(), ce.Reason, "the joined message includes every reason")
	}
	assert.ElementsMatch(t, []problem{
		{"AllowedOrigins", "http://localhost:3000/"},
		{"AllowedOrigins", "*"},
		{"AllowedOrigins", "null"},
		{"AllowedOrigins", "https://*.com"},
		{"AllowedOrigins", "https://example.com:0"},
		{"AllowedMethods", "TRACE"},
		{"AllowedHeaders", "Cookie"},
		{"ExposedHeaders", "*"},
		{"ExposedHeaders", "Set-Cookie"},
		{"MaxAge", "48h0m0s"},
		{"PreflightStatus", "404"},
	}, got)
	assert.Equal(t, len(got), strings.Count(err.Error(), "cors: "), "one line per problem: %s", err)
}

// suggestedOrigin finds the origin or pattern an error message proposes ("write https://example.com",
// "use https://...", "as in https://*.example.com"), if it names a concrete one.
var suggestedOrigin = regexp.MustCompile(`(?:write|use|as in) ([a-z][a-z0-9+.-]*://[^\s,;()]+)`)

// TestSuggestedOriginsAreAccepted: where an error proposes an origin to write instead, that origin, put
// in place of the refused entry, is accepted — a fix that is refused again would send the user round in
// circles.
func TestSuggestedOriginsAreAccepted(t *testing.T) {
	checked := 0
	for _, tt := range configErrorCases {
		if tt.field != "AllowedOrigins" {
			continue
		}
		_, err := cors.New(tt.opts)
		var ce *cors.ConfigError
		require.True(t, errors.As(err, &ce), tt.name)
		m := suggestedOrigin.FindStringSubmatch(ce.Reason)
		if m == nil || strings.Contains(m[1], "[:port]") {
			continue // the message names no concrete origin
		}
		fix := strings.TrimRight(m[1], ".:")
		o := tt.opts
		o.AllowedOrigins = []string{fix}
		_, err = cors.New(o)
		assert.NoError(t, err, "%s: the suggested %q is refused too", tt.name, fix)
		checked++
	}
	assert.GreaterOrEqual(t, checked, 20, "most origin errors propose a concrete origin")
}

// TestConfigErrorTableIsNotVacuous: each bad value, replaced by its fix, is accepted — so every case
// above fails for the reason its name gives, not because of something else in the options.
func TestConfigErrorTableIsNotVacuous(t *testing.T) {
	fixes := []cors.Options{
		origins("http://localhost:3000"),
		origins("https://example.com"),
		origins("https://*.example.com"),
		origins("http://localhost:*"),
		origins("*"),
		withCredentials(origins("https://*.example.com")),
		withCredentials(origins("http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:8080", "http://app.localhost")),
		{AllowedOrigins: []string{"http://app.example.com"}, AllowCredentials: true, DangerouslyAllowInsecureOrigins: true},
		{AllowedOrigins: []string{"https://app.example.com"}, AllowCredentials: true, ExposedHeaders: []string{"X-Request-Id"}},
		{AllowOriginFunc: func(string) bool { return false }},
		{AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{"GET", "POST", "PATCH", "*", strings.Repeat("M", 64)}},
		{AllowedOrigins: []string{"https://app.example.com"}, AllowedHeaders: []string{"Content-Type", "X-Token", "Authorization", "*"}},
		{AllowedOrigins: []string{"https://app.example.com"}, ExposedHeaders: []string{"*"}},
		{AllowedOrigins: []string{"https://app.example.com"}, MaxAge: 24 * time.Hour, PreflightStatus: 200},
		{AllowedOrigins: []string{"https://app.example.com"}, MaxAge: -time.Second, PreflightStatus: 299},
		{AllowedOrigins: []string{"https://app.example.com", "https://*.example.com"}, CrossOriginProtection: true},
		{AllowOriginFunc: func(string) bool { return false }, CrossOriginProtection: true},
		{CrossOriginProtection: true}, // a site whose pages call only their own origin
	}
	for _, o := range fixes {
		_, err := cors.New(o)
		assert.NoError(t, err, "%+v", o)
	}
}
