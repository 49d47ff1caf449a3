package origin

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mustSet builds a set of exact origins and wildcard entries, as written in a policy.
func mustSet(t testing.TB, exact []string, wildcards ...string) *Set {
	t.Helper()
	var ps []Pattern
	for _, w := range wildcards {
		p, err := ParsePattern(w, Trust{})
		require.NoError(t, err, w)
		ps = append(ps, p)
	}
	s, err := NewSet(exact, ps)
	require.NoError(t, err)
	return s
}

func TestAWildcardMatchesWholeLabelsAndItsPortOnly(t *testing.T) {
	tests := []struct {
		rule    string
		pattern string
		origin  string
		want    bool
	}{
		{"a subdomain wildcard matches one label", "https://*.example.com", "https://x.example.com", true},
		{"a subdomain wildcard matches several labels", "https://*.example.com", "https://x.y.example.com", true},
		{"a subdomain wildcard never matches the apex domain", "https://*.example.com", "https://example.com", false},
		{"a subdomain wildcard never matches an empty label", "https://*.example.com", "https://.example.com", false},
		{"a subdomain wildcard matches whole labels only", "https://*.example.com", "https://xexample.com", false},
		{"a subdomain wildcard never matches a longer registrable domain", "https://*.example.com", "https://x.example.com.evil.net", false},
		{"the scheme must be equal", "https://*.example.com", "http://x.example.com", false},
		{"a scheme prefix is not the scheme", "https://*.example.com", "httpss://x.example.com", false},
		{"the separator must follow the scheme", "https://*.example.com", "https:/x.example.com", false},
		{"a default-port pattern refuses any explicit port", "https://*.example.com", "https://x.example.com:8443", false},
		{"an explicit port must be equal", "https://*.example.com:8443", "https://x.example.com:8443", true},
		{"an explicit port refuses the default port", "https://*.example.com:8443", "https://x.example.com", false},
		{"an explicit port refuses another port", "https://*.example.com:8443", "https://x.example.com:444", false},
		{"an explicit port needs its colon", "https://*.example.com:8443", "https://x.example.com8443", false},
		{"an explicit port is not a suffix of a longer one", "https://*.example.com:8443", "https://x.example.com:18443", false},
		{"an explicit port never matches a bare host", "https://*.example.com:8443", "https://8443", false},
		{"any port matches a port", "http://localhost:*", "http://localhost:5173", true},
		{"any port matches the default port", "http://localhost:*", "http://localhost", true},
		{"any port keeps the host exact", "http://localhost:*", "http://localhost.evil.net:5173", false},
		{"any port keeps the host exact, without a port either", "http://localhost:*", "http://xlocalhost", false},
		{"any port on IPv6 matches a port", "http://[::1]:*", "http://[::1]:8080", true},
		{"any port on IPv6 does not read the address as a port", "http://[::1]:*", "http://[::1]", true},
		{"any port on IPv6 keeps the address exact", "http://[::1]:*", "http://[::2]:8080", false},
		{"subdomains with any port", "http://*.localhost:*", "http://app.localhost:3000", true},
		{"subdomains with any port never match the parent", "http://*.localhost:*", "http://localhost:3000", false},
		// What a wildcard's text comparison lets through must still be an origin a browser sends.
		{"an empty label is no host", "https://*.example.com", "https://a..example.com", false},
		{"an upper-case host is not canonical", "https://*.example.com", "https://A.example.com", false},
		{"a byte no host holds", "https://*.example.com", "https://a b.example.com", false},
		{"a port with a leading zero", "http://localhost:*", "http://localhost:080", false},
		{"an empty port", "http://localhost:*", "http://localhost:", false},
		{"a port that is not a number", "http://localhost:*", "http://localhost:x", false},
		{"the default port written out", "http://localhost:*", "http://localhost:80", false},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			assert.Equal(t, tt.want, mustSet(t, nil, tt.pattern).Allows(tt.origin), "%s on %q", tt.pattern, tt.origin)
		})
	}
}

func TestSetAllowsItsExactOriginsByteForByte(t *testing.T) {
	s := mustSet(t, []string{"https://a.example", "http://localhost:3000"}, "https://*.example.com", "http://127.0.0.1:*")
	assert.True(t, s.Allows("https://a.example"))
	assert.True(t, s.Allows("http://localhost:3000"))
	assert.False(t, s.Allows("https://A.example"), "exact origins compare byte for byte")
	assert.False(t, s.Allows("https://a.example/"))
	assert.True(t, s.Allows("https://x.example.com"))
	assert.True(t, s.Allows("http://127.0.0.1:5173"), "the second wildcard is tried too")
	assert.False(t, s.Allows("http://127.0.0.2:5173"))
	assert.False(t, mustSet(t, nil).Allows("https://x.example.com"), "an empty set allows nothing")
	assert.False(t, s.Allows("https://x.example.com"+strings.Repeat("a", MaxLen)), "past MaxLen nothing is compared")
}

func TestNewSetRefusesWhatItWouldCompareWrongly(t *testing.T) {
	exact, err := ParsePattern("https://app.example.com", Trust{})
	require.NoError(t, err)
	for name, wildcards := range map[string][]Pattern{
		"an exact pattern among the wildcards": {exact},
		`"*" among the wildcards`:              {{Any: true}},
	} {
		_, err := NewSet(nil, wildcards)
		assert.Error(t, err, name)
	}
	for _, e := range []string{"https://App.example.com", "https://app.example.com/", "null", ""} {
		_, err := NewSet([]string{e}, nil)
		assert.Error(t, err, "a non-canonical exact origin %q", e)
	}
}

func TestSetAllowsItsExactOriginsAtEverySize(t *testing.T) {
	// Few exact origins are kept in a list, more in a map; both must give the same answers.
	for _, n := range []int{0, 1, fewExact, fewExact + 1, 100} {
		origins := make([]string, n)
		for i := range origins {
			origins[i] = "https://site" + strconv.Itoa(i) + ".example"
		}
		s := mustSet(t, origins)
		for _, o := range origins {
			assert.True(t, s.Allows(o), "%d origins: %s", n, o)
		}
		assert.False(t, s.Allows("https://site"+strconv.Itoa(n)+".example"), "%d origins", n)
		assert.False(t, s.Allows("https://site0.exampl"), "%d origins: a length no origin has", n)
		assert.False(t, s.Allows(""), "%d origins", n)
	}
}

func TestSetAllowsAnExactOriginOfTheMostBytes(t *testing.T) {
	long63 := strings.Repeat("a", 63)
	host := strings.Repeat(long63+".", 3) + strings.Repeat("b", 61)
	longest := strings.Repeat("s", 64) + "://" + host + ":65535"
	require.Len(t, longest, MaxLen)
	for _, n := range []int{1, fewExact + 1} { // as a list, and in a map
		origins := []string{longest}
		for i := 1; i < n; i++ {
			origins = append(origins, "https://site"+strconv.Itoa(i)+".example")
		}
		assert.True(t, mustSet(t, origins).Allows(longest), "%d origins", n)
	}
}

// manyWildcards is a set of more wildcards than fewWildcards, so that they are indexed, and extra.
func manyWildcards(t *testing.T, extra ...string) *Set {
	var ws []string
	for i := range fewWildcards + 1 {
		ws = append(ws, "https://*.site"+strconv.Itoa(i)+".example")
	}
	return mustSet(t, nil, append(ws, extra...)...)
}

func TestIndexedWildcardsMatchAtEveryDepth(t *testing.T) {
	t.Run("any-port patterns alone", func(t *testing.T) {
		var ws []string
		for i := range fewWildcards + 1 {
			ws = append(ws, "http://host"+strconv.Itoa(i)+".example:*")
		}
		s := mustSet(t, nil, ws...)
		assert.True(t, s.Allows("http://host0.example:8080"))
		assert.True(t, s.Allows("http://host8.example"))
		assert.False(t, s.Allows("http://host9.example:8080"))
	})
	for _, labels := range []int{62, 63, 64, 65, 126} { // a parent of 63 labels is the last at depth bit 63 of the first word
		parent := strings.TrimSuffix(strings.Repeat("p.", labels), ".")
		s := manyWildcards(t, "https://*."+parent)
		assert.True(t, s.Allows("https://x."+parent), "a parent of %d labels", labels)
		assert.False(t, s.Allows("https://"+parent), "a parent of %d labels, itself", labels)
	}
	t.Run("a host of more labels than any host has is refused, not walked past the depths", func(t *testing.T) {
		s := manyWildcards(t)
		for _, labels := range []int{127, 128, 129, 150} {
			host := strings.TrimSuffix(strings.Repeat("p.", labels), ".") + ".nowhere.example" // under no pattern: walked to the end
			assert.False(t, s.Allows("https://"+host), "%d labels", labels)
		}
	})
}

func TestNewSetKeepsItsOwnCopies(t *testing.T) {
	exact := []string{"https://a.example"}
	patterns := []Pattern{{Scheme: "https", Host: "example.com", Subdomains: true}}
	s, err := NewSet(exact, patterns)
	require.NoError(t, err)
	exact[0] = "https://b.example"
	patterns[0].Host = "evil.net"
	assert.True(t, s.Allows("https://a.example"))
	assert.False(t, s.Allows("https://b.example"))
	assert.True(t, s.Allows("https://x.example.com"))
	assert.False(t, s.Allows("https://x.evil.net"))
}

// scanAllows is the reference the index is held to: parse the origin, then compare its fields with every
// pattern, one after the other.
func scanAllows(patterns []Pattern, s string) bool {
	o, ok := Parse(s)
	if !ok {
		return false
	}
	for _, p := range patterns {
		host := o.Host == p.Host || p.Subdomains && strings.HasSuffix(o.Host, "."+p.Host)
		if p.Subdomains && o.Host == p.Host {
			host = false // never the parent domain itself
		}
		if o.Scheme == p.Scheme && host && (p.AnyPort || o.Port == p.Port) {
			return true
		}
	}
	return false
}

// The index must answer as the obvious scan over every pattern does, on every origin, whatever the number
// and shape of the patterns. The set is built as the middleware builds it: a pattern with neither
// wildcard is an exact origin, its String.
func TestSetAgreesWithScanningEveryPattern(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	schemes := []string{"http", "https", "app"}
	labels := []string{"a", "b", "example", "com", "co", "uk", "localhost", "x-y"}
	ports := []string{"", "80", "443", "3000", "8443"}
	host := func() string {
		if rng.IntN(10) == 0 {
			return []string{"127.0.0.1", "[::1]", "[2001:db8::1]"}[rng.IntN(3)]
		}
		n := 1 + rng.IntN(4)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = labels[rng.IntN(len(labels))]
		}
		return strings.Join(parts, ".")
	}
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	matched, listed, indexed := 0, 0, 0
	for round := range 300 {
		var patterns, wildcards []Pattern
		var exact []string
		for range 1 + rng.IntN(40) {
			p := Pattern{Scheme: pick(schemes), Host: host(), Port: pick(ports)}
			if p.Port == strconv.Itoa(DefaultPort(p.Scheme)) {
				p.Port = "" // as ParsePattern writes a default port
			}
			switch rng.IntN(3) {
			case 0:
				if !strings.HasPrefix(p.Host, "[") && !strings.HasPrefix(p.Host, "127") {
					p.Subdomains = true
				}
			case 1:
				p.AnyPort, p.Port = true, ""
			}
			patterns = append(patterns, p)
			if p.IsExact() {
				exact = append(exact, p.String())
			} else {
				wildcards = append(wildcards, p)
			}
		}
		s, err := NewSet(exact, wildcards)
		require.NoError(t, err)
		if s.fewWildcards != nil {
			listed++
		} else if len(wildcards) > 0 {
			indexed++
		}
		for range 200 {
			scheme, h, port := pick(schemes), host(), pick(ports)
			if rng.IntN(2) == 0 {
				// Near one of the patterns: its scheme and host (under a wildcard, with a label in front),
				// and its port or another.
				p := patterns[rng.IntN(len(patterns))]
				scheme, h = p.Scheme, p.Host
				if p.Subdomains {
					h = pick(labels) + "." + h
				}
				if rng.IntN(2) == 0 {
					port = p.Port
				}
			}
			origin := scheme + "://" + h
			if port != "" {
				origin += ":" + port
			}
			want := scanAllows(patterns, origin)
			require.Equal(t, want, s.Allows(origin), "round %d, %q against %+v", round, origin, patterns)
			if want {
				matched++
			}
		}
	}
	// Not vacuous: the random origins hit the patterns often enough to compare both answers.
	assert.Greater(t, matched, 10000, "of 60,000 origins")
	// Both forms of the set are compared: few wildcards in a list, more in the index.
	assert.Greater(t, listed, 30, "sets with few wildcards")
	assert.Greater(t, indexed, 30, "sets with an index")
}

func TestSetFindsAWildcardAmongTenThousand(t *testing.T) {
	var exact []string
	var patterns []Pattern
	for i := range 5000 {
		exact = append(exact, "https://tenant-"+strconv.Itoa(i)+".example")
		patterns = append(patterns, Pattern{Scheme: "https", Host: "customer-" + strconv.Itoa(i) + ".com", Subdomains: true})
	}
	s, err := NewSet(exact, patterns)
	require.NoError(t, err)
	assert.True(t, s.Allows("https://tenant-4711.example"))
	assert.True(t, s.Allows("https://app.customer-4711.com"))
	assert.True(t, s.Allows("https://a.b.customer-4999.com"))
	assert.False(t, s.Allows("https://customer-4711.com"), "never the parent itself")
	assert.False(t, s.Allows("http://app.customer-4711.com"), "the scheme must be equal")
	assert.False(t, s.Allows("https://app.customer-5000.com"))
	assert.False(t, s.Allows("https://app.customer-4711.com:8443"), "the default port only")
}
