package origin

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzParse holds that Parse agrees with the reference parser of slow_test.go on every input, and that
// what it accepts serializes back to the input byte for byte: it accepts only canonical serialized
// origins, and never panics.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"https://example.com", "http://localhost:3000", "http://[::1]:8080", "http://127.0.0.1", "null", "",
		"https://a.b.example.com:8443", "capacitor://localhost", "https://example.com:443", "https://Example.com",
		"https://example.com.", "https://a.0x1", "http://[::ffff:7f00:1]", "https://xn--bcher-kva.example",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, ok := Parse(s)
		ref, refOK := refParseOrigin(s)
		require.Equal(t, refOK, ok, "Parse(%q) disagrees with the reference", s)
		if !ok {
			return
		}
		require.Equal(t, ref.scheme, o.Scheme)
		require.Equal(t, ref.host, o.Host)
		require.Equal(t, ref.port, portNumber(o.Port))
		require.Equal(t, s, o.String(), "parse, then serialize, gives the input back")
		require.LessOrEqual(t, len(s), MaxLen)
		if o.Port != "" {
			require.NotEqual(t, refDefaultPort(o.Scheme), portNumber(o.Port), "a default port is never part of a canonical origin")
		}
	})
}

func portNumber(s string) int {
	if s == "" {
		return 0
	}
	n, _ := strconv.Atoi(s)
	return n
}

// FuzzParsePattern holds that parsing a configured entry never panics and round-trips: its String parses
// to the same pattern (normalizing is idempotent), an exact pattern's String is an origin Parse accepts
// and a set of it allows, and the String is printable ASCII without path, query, fragment or userinfo.
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
		trust := Trust{Credentials: credentials}
		p, err := ParsePattern(s, trust)
		if err != nil {
			var pe *PatternError
			require.ErrorAs(t, err, &pe)
			require.Equal(t, s, pe.Entry)
			require.NotEmpty(t, pe.Reason)
			return
		}
		again, err := ParsePattern(p.String(), trust)
		require.NoError(t, err, "the String %q of %q must be valid", p, s)
		require.Equal(t, p, again, "parse, String, parse gives the same pattern")
		if p.IsExact() {
			o, ok := Parse(p.String())
			require.True(t, ok, "the String %q of %q must be a request origin", p, s)
			require.Equal(t, Origin{Scheme: p.Scheme, Host: p.Host, Port: p.Port}, o)
			set, err := NewSet([]string{p.String()}, nil)
			require.NoError(t, err)
			require.True(t, set.Allows(p.String()))
		}
		if !p.Any {
			rest := p.String()[strings.Index(p.String(), "://")+3:]
			for i := 0; i < len(rest); i++ {
				require.True(t, rest[i] > ' ' && rest[i] < 0x7f && !strings.ContainsRune("/?#@", rune(rest[i])), "the String %q is printable ASCII without path, query, fragment or userinfo", p)
			}
		}
	})
}

// maxFuzzPatterns bounds the pattern set a fuzz input can describe, so that inputs stay cheap.
const maxFuzzPatterns = 8

// indexPadding is nine wildcards: beside them, a policy's wildcards are indexed rather than listed.
var indexPadding = []string{
	"https://*.pad1.example", "https://*.pad2.example", "https://*.a.pad3.example", "https://*.pad4.example:8080",
	"https://*.pad5.example:*", "https://pad6.example:*", "https://[::1]:*", "https://127.0.0.1:*",
	"https://*.example.pad9.example",
}

// referenceSeeds are (origin, newline-separated patterns, credentials) triples that reach every branch
// of the reference grammar. The fuzzer mutates them; the committed corpus in
// testdata/fuzz/FuzzSetMatchesReference adds more.
var referenceSeeds = []struct {
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
	// A wildcard compares text before the origin is parsed: the text must never let in more.
	{"http://[::1]", "http://[::1]:*", true},
	{"http://[::1]:", "http://[::1]:*", true},
	{"http://localhost:", "http://localhost:*", true},
	{"http://localhost:080", "http://localhost:*", true},
	{"https://x.example.com:18443", "https://*.example.com:8443", false},
	{"https://a..example.com", "https://*.example.com", false},
	{"https://A.example.com", "https://*.example.com", false},
}

// newSetOf builds the set of entries as the middleware does: "*" aside, an exact pattern's String among
// the exact origins, wildcards as they are.
func newSetOf(t *testing.T, patterns []Pattern) *Set {
	t.Helper()
	var exact []string
	var wildcards []Pattern
	for _, p := range patterns {
		switch {
		case p.Any:
		case p.IsExact():
			exact = append(exact, p.String())
		default:
			wildcards = append(wildcards, p)
		}
	}
	s, err := NewSet(exact, wildcards)
	require.NoError(t, err)
	return s
}

// FuzzSetMatchesReference feeds random origins and pattern sets to ParsePattern and Set, and to the
// reference matcher of slow_test.go, and fails on any disagreement, with few wildcards (compared one by
// one) and beside enough others to be indexed.
func FuzzSetMatchesReference(f *testing.F) {
	for _, s := range referenceSeeds {
		f.Add(s.origin, s.patterns, s.credentials)
	}
	f.Fuzz(func(t *testing.T, origin, patternList string, credentials bool) {
		entries := strings.Split(patternList, "\n")
		if len(entries) > maxFuzzPatterns {
			entries = entries[:maxFuzzPatterns]
		}
		var patterns []Pattern
		var ref []refPattern
		for _, e := range entries {
			p, err := ParsePattern(e, Trust{Credentials: credentials})
			if err != nil {
				return // not a valid pattern set: nothing to compare
			}
			r, ok, ascii := refParsePattern(e)
			if !ascii {
				return // IDNA input: normalization is the idna package's business, not the matcher's
			}
			require.True(t, ok, "ParsePattern accepted %q, which the origin-pattern grammar refuses", e)
			again, ok, _ := refParsePattern(p.String())
			require.True(t, ok, "the String %q of %q is not a pattern", p, e)
			require.Equal(t, r, again, "the String %q of %q changed its meaning", p, e)
			patterns, ref = append(patterns, p), append(ref, r)
		}
		if slices.ContainsFunc(patterns, func(p Pattern) bool { return p.Any }) {
			return // "*" is the middleware's business: the set holds origins and wildcards
		}
		require.Equal(t, refAllowed(ref, origin), newSetOf(t, patterns).Allows(origin), "Allows(%q) with patterns %q", origin, entries)

		// Up to eight wildcards are compared one by one, more are indexed: the same entries beside enough
		// other wildcards to be indexed must answer as the reference does too.
		for _, e := range indexPadding {
			p, err := ParsePattern(e, Trust{})
			require.NoError(t, err)
			r, _, _ := refParsePattern(e)
			patterns, ref = append(patterns, p), append(ref, r)
		}
		require.Equal(t, refAllowed(ref, origin), newSetOf(t, patterns).Allows(origin), "Allows(%q) with patterns %q and the padding", origin, entries)
	})
}

// TestReferenceMatcherAgreesWithTheSpecExamples pins the reference itself, so that a wrong oracle cannot
// silently agree with a wrong Set.
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
