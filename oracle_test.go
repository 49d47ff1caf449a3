package cors_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
)

// maxFuzzPatterns bounds the pattern set a fuzz input can describe, so that inputs stay cheap.
const maxFuzzPatterns = 8

// indexPadding is nine wildcards: beside them, a policy's wildcards are indexed rather than listed.
var indexPadding = []string{
	"https://*.pad1.example", "https://*.pad2.example", "https://*.a.pad3.example", "https://*.pad4.example:8080",
	"https://*.pad5.example:*", "https://pad6.example:*", "https://[::1]:*", "https://127.0.0.1:*",
	"https://*.example.pad9.example",
}

// oracleSeeds are (origin, newline-separated patterns, credentials) triples that reach every branch of
// the reference grammar. The fuzzer mutates them; the committed corpus in
// testdata/fuzz/FuzzOriginMatchesReference adds more.
var oracleSeeds = []struct {
	origin      string
	patterns    string
	credentials bool
}{
	{"https://example.com", "https://example.com", true},
	{"https://x.pad1.example", "https://*.example.com", true}, // a padding wildcard of indexPadding matches
	{"https://[::1]:8443", "https://*.example.com", true},
	{"https://evil-example.com", "https://example.com", false},
	{"https://example.com.evil.com", "https://example.com", false},
	{"https://a.example.com", "https://*.example.com", true},
	{"https://a.b.example.com", "https://*.example.com", true},
	{"https://example.com", "https://*.example.com", false},
	{"https://evilexample.com", "https://*.example.com", false},
	{"http://localhost", "http://localhost:*", true},
	{"http://localhost:3000", "http://localhost:*", true},
	{"http://localhost:80", "http://localhost:*", true},
	{"https://a.example.com:8443", "https://*.example.com:*", false},
	{"https://example.com", "HTTPS://EXAMPLE.COM:443", false},
	{"https://EXAMPLE.com", "https://example.com", false},
	{"https://barfoo.com", "https://foo.com\nhttps://bar.com", true},
	{"https://anything.test", "*", false},
	{"null", "*", false},
	{"http://127.0.0.1:8080", "http://127.0.0.1:8080", true},
	{"http://[::1]:8080", "http://[0:0::1]:8080", true},
	{"http://[::ffff:7f00:1]", "http://[::ffff:127.0.0.1]", false},
	{"http://0x7f.0.0.1", "*", false},
	{"https://a.0x1", "*", false},                          // found by fuzzing: "0x1" makes the host an (invalid) IPv4 address
	{"https://00000000a", "https://xn--00000000a-", false}, // found by fuzzing: an ASCII-only punycode label is invalid (UTS #46)
	{"https://xn--bcher-kva.example", "https://xn--bcher-kva.example", false},
	{"capacitor://localhost", "capacitor://localhost", true},
	{"https://a_b.example.com", "https://*.example.com", false},
	{"https://example.com:0443", "https://example.com:443", false},
	{"https://a.example.com", "https://*.example.com\nhttps://*.a.example.com\nhttp://localhost:*", false},
	// Patterns are compared as text before the origin is parsed: the text must never let in more.
	{"http://[::1]", "http://[::1]:*", true},
	{"http://[::1]:", "http://[::1]:*", true},
	{"http://localhost:", "http://localhost:*", true},
	{"http://localhost:080", "http://localhost:*", true},
	{"https://x.example.com:18443", "https://*.example.com:8443", false},
	{"https://a..example.com", "https://*.example.com", false},
	{"https://A.example.com", "https://*.example.com", false},
}

// FuzzOriginMatchesReference feeds random origins and pattern sets to the library and to the reference
// matcher in slow_test.go, and fails on any disagreement, in OriginAllowed or through Handler.
func FuzzOriginMatchesReference(f *testing.F) {
	for _, s := range oracleSeeds {
		f.Add(s.origin, s.patterns, s.credentials)
	}
	patterns := strings.Join(attackOptions().AllowedOrigins, "\n")
	for _, hostile := range loadHostileOrigins(f) {
		if v := hostile.joined(); len(v) <= 1024 {
			f.Add(v, patterns, true)
		}
	}
	f.Fuzz(func(t *testing.T, origin, patternList string, credentials bool) {
		entries := strings.Split(patternList, "\n")
		if len(entries) > maxFuzzPatterns {
			entries = entries[:maxFuzzPatterns]
		}
		c, err := cors.New(cors.Options{AllowedOrigins: entries, AllowCredentials: credentials})
		if err != nil {
			var ce *cors.ConfigError
			require.True(t, errors.As(err, &ce), "New's error must be a *ConfigError, got %T: %v", err, err)
			return // not a valid pattern set: nothing to compare
		}

		var ref []refPattern
		for _, e := range entries {
			p, ok, ascii := refParsePattern(e)
			if !ascii {
				return // IDNA input: normalisation is the idna package's business, not the matcher's
			}
			require.True(t, ok, "New accepted %q, which the origin-pattern grammar refuses", e)
			ref = append(ref, p)
		}

		// Normalisation keeps the meaning of every entry.
		var normalised []refPattern
		for _, e := range c.Options().AllowedOrigins {
			p, ok, ascii := refParsePattern(e)
			require.True(t, ok && ascii, "Options() shows %q, which is not a canonical pattern", e)
			normalised = append(normalised, p)
		}
		assert.ElementsMatch(t, dedupe(ref), dedupe(normalised), "Options().AllowedOrigins changed the meaning of %q", entries)

		want := refAllowed(ref, origin)
		require.Equal(t, want, c.OriginAllowed(origin), "OriginAllowed(%q) with patterns %q", origin, entries)

		// Up to eight wildcards are compared one by one, more are indexed: the same entries beside enough
		// other wildcards to be indexed must answer as the reference does too.
		if !containsAny(ref) {
			padded := append(slices.Clip(entries), indexPadding...)
			withIndex, err := cors.New(cors.Options{AllowedOrigins: padded, AllowCredentials: credentials})
			require.NoError(t, err)
			refPadded := slices.Clip(ref)
			for _, e := range indexPadding {
				p, _, _ := refParsePattern(e)
				refPadded = append(refPadded, p)
			}
			require.Equal(t, refAllowed(refPadded, origin), withIndex.OriginAllowed(origin),
				"OriginAllowed(%q) with patterns %q", origin, padded)
		}

		// AllowOriginFunc is asked exactly when no pattern matches a valid origin, and only then.
		if !containsAny(ref) {
			var asked []string
			withFunc, err := cors.New(cors.Options{AllowedOrigins: entries, AllowCredentials: credentials,
				AllowOriginFunc: func(o string) bool { asked = append(asked, o); return true }})
			require.NoError(t, err)
			_, valid := refParseOrigin(origin)
			require.Equal(t, valid, withFunc.OriginAllowed(origin), "OriginAllowed(%q) with a func that allows everything", origin)
			if valid && !want {
				require.Equal(t, []string{origin}, asked)
			} else {
				require.Empty(t, asked, "AllowOriginFunc asked about %q (valid %v, matched %v)", origin, valid, want)
			}
		}

		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "http://api.test/", nil)
		req.Header["Origin"] = []string{origin}
		c.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})).ServeHTTP(rec, req)
		acao := rec.Header().Values("Access-Control-Allow-Origin")
		if containsAny(ref) && !credentials {
			// A "*" policy answers "*" to every request, whatever its Origin: nothing is reflected.
			require.Equal(t, []string{"*"}, acao)
			return
		}
		if !want {
			require.Empty(t, acao, "Handler allowed %q with patterns %q", origin, entries)
			return
		}
		require.Equal(t, []string{origin}, acao, "Handler refused %q with patterns %q", origin, entries)
	})
}

func containsAny(ps []refPattern) bool {
	for _, p := range ps {
		if p.any {
			return true
		}
	}
	return false
}

func dedupe(ps []refPattern) []refPattern {
	seen := map[refPattern]bool{}
	var out []refPattern
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// TestReferenceMatcherAgreesWithTheSpecExamples pins the reference itself, so that a wrong oracle cannot
// silently agree with a wrong library.
func TestReferenceMatcherAgreesWithTheSpecExamples(t *testing.T) {
	tests := []struct {
		pattern string
		origin  string
		want    bool
	}{
		{"https://example.com", "https://example.com", true},
		{"HTTPS://Example.COM:443", "https://example.com", true},
		{"https://example.com", "https://example.com:443", false},
		{"https://example.com", "https://evil-example.com", false},
		{"https://example.com", "https://example.com.evil.com", false},
		{"https://*.example.com", "https://a.example.com", true},
		{"https://*.example.com", "https://a.b.example.com", true},
		{"https://*.example.com", "https://example.com", false},
		{"https://*.example.com", "https://evilexample.com", false},
		{"https://*.example.com", "http://a.example.com", false},
		{"https://*.example.com", "https://a.example.com:8443", false},
		{"https://*.example.com:*", "https://a.example.com:8443", true},
		{"http://localhost:*", "http://localhost", true},
		{"http://localhost:*", "http://localhost:3000", true},
		{"http://localhost:*", "http://localhost:80", false},
		{"http://localhost:*", "http://localhost:03000", false},
		{"http://localhost:3000", "http://localhost:3000", true},
		{"http://[::1]:8080", "http://[::1]:8080", true},
		{"http://[0:0:0:0:0:0:0:1]:8080", "http://[::1]:8080", true},
		{"http://[::1]:8080", "http://[0:0:0:0:0:0:0:1]:8080", false},
		{"http://[::ffff:127.0.0.1]", "http://[::ffff:7f00:1]", true},
		{"http://[1:0:0:2:0:0:0:3]", "http://[1:0:0:2::3]", true},
		{"http://[1:0:0:2:0:0:3:4]", "http://[1::2:0:0:3:4]", true},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", true},
		{"*", "http://127.1", false},
		{"*", "http://0x7f.0.0.1", false},
		{"*", "https://a.0x1", false},
		{"*", "https://a.0xg", true},
		{"*", "null", false},
		{"*", "https://example.com/", false},
		{"*", "https://example.com.", false},
		{"*", "capacitor://localhost", true},
		{"*", "https://" + strings.Repeat("a", 64) + ".com", false},
		{"*", "https://" + strings.Repeat("a", 63) + ".com", true},
		{"*", "https://" + strings.Repeat("a.", 125) + "com", true}, // 253 bytes
		{"*", "https://" + strings.Repeat("a.", 126) + "co", false}, // 254 bytes
	}
	for _, tt := range tests {
		p, ok, _ := refParsePattern(tt.pattern)
		require.True(t, ok, tt.pattern)
		assert.Equal(t, tt.want, refAllowed([]refPattern{p}, tt.origin), "%s vs %s", tt.pattern, tt.origin)
	}
	for _, bad := range []string{"https://*", "https://*example.com", "https://example.*", "https://a.*.example.com",
		"https://example.com/", "example.com", "https://example.com:0", "https://example.com:65536",
		"https://[::1", "https://127.1", "https://*.127.0.0.1", "https://user@example.com", "null"} {
		_, ok, _ := refParsePattern(bad)
		assert.False(t, ok, "the reference must refuse the pattern %q", bad)
	}
}

// FuzzLoadOptions: LoadOptions never panics; options that load and that New accepts are already in
// normal form once New has normalised them (Options() round-trips through New unchanged); New's error is
// made only of *ConfigError values.
func FuzzLoadOptions(f *testing.F) {
	for _, seed := range []string{
		`{}`,
		`{"allowed_origins":["http://localhost:3000"]}`,
		`{"allowed_origins":["HTTPS://Bücher.Example:443","http://localhost:*"],"allow_credentials":true}`,
		`{"allowed_origins":["https://*.example.com:*"],"allowed_methods":["get","PATCH","*"],"allowed_headers":["X-Foo","*"],"exposed_headers":["X-Bar"],"max_age":"2h"}`,
		`{"allowed_origins":["*"],"allowed_headers":["*","Authorization"],"max_age":7200,"preflight_status":200}`,
		`{"allowed_origins":["http://app.example.com"],"allow_credentials":true,"dangerously_allow_insecure_origins":true}`,
		`{"allowed_origins":["https://example.com"],"allow_private_network":true,"max_age":-1}`,
		`{"allowed_origins":["*"],"allow_credentials":true}`,
		`{"allowed_origins":["null"],"max_age":"25h","preflight_status":302}`,
		`{"allowed_origins":["https://example.com"],"unknown":1}`,
		`{"allowed_origins":"https://example.com"}`,
		`{"max_age":"1.5h","allowed_origins":["http://[::1]:8080"]}`,
		`{"max_age":1e400}`,
		`[]`,
		`{"allowed_origins":["https://example.com"]}{"allowed_origins":["https://evil.com"]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var opts cors.Options
		var err error
		require.NotPanics(t, func() { opts, err = cors.LoadOptions(bytes.NewReader(data)) })
		if err != nil {
			return
		}
		c, err := cors.New(opts)
		if err != nil {
			requireOnlyConfigErrors(t, err)
			return
		}
		normalised := c.Options()
		again, err := cors.New(normalised)
		require.NoError(t, err, "New refused its own normalised options %+v", normalised)
		require.Equal(t, normalised, again.Options(), "normalisation is not idempotent for %s", data)

		// What Options() shows can be saved as JSON and loaded back to the same policy.
		saved, err := json.Marshal(normalised)
		require.NoError(t, err)
		loaded, err := cors.LoadOptions(bytes.NewReader(saved))
		require.NoError(t, err, "LoadOptions refused what MarshalJSON wrote: %s", saved)
		reloaded, err := cors.New(loaded)
		require.NoError(t, err, "New refused the saved options %s", saved)
		require.Equal(t, normalised, reloaded.Options(), "saving and loading %s changed the policy", saved)
	})
}

// requireOnlyConfigErrors checks that err is a *ConfigError or a join of them, each with a field and a
// reason.
func requireOnlyConfigErrors(t *testing.T, err error) {
	t.Helper()
	leaves := configErrorLeaves(err)
	require.NotEmpty(t, leaves)
	for _, leaf := range leaves {
		var ce *cors.ConfigError
		require.True(t, errors.As(leaf, &ce), "%T is not a *ConfigError: %v", leaf, leaf)
		require.NotEmpty(t, ce.Field, "%v", leaf)
		require.NotEmpty(t, ce.Reason, "%v", leaf)
	}
}

// configErrorLeaves flattens errors.Join trees.
func configErrorLeaves(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, configErrorLeaves(e)...)
		}
		return out
	}
	return []error{err}
}
