package match

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPatternMatch(t *testing.T) {
	sub := Pattern{Scheme: "https", Host: ".example.com", Subdomains: true}
	subPort := Pattern{Scheme: "https", Host: ".example.com", Subdomains: true, Port: "8443"}
	anyPort := Pattern{Scheme: "http", Host: "localhost", AnyPort: true}
	ipv6AnyPort := Pattern{Scheme: "http", Host: "[::1]", AnyPort: true}
	subAnyPort := Pattern{Scheme: "http", Host: ".localhost", Subdomains: true, AnyPort: true}
	ipv6Port := Pattern{Scheme: "http", Host: "[2001:db8::1]", Port: "8443"}

	tests := []struct {
		rule    string
		pattern Pattern
		origin  string
		want    bool
	}{
		{"a subdomain wildcard matches one label", sub, "https://x.example.com", true},
		{"a subdomain wildcard matches several labels", sub, "https://x.y.example.com", true},
		{"a subdomain wildcard never matches the apex domain", sub, "https://example.com", false},
		{"a subdomain wildcard never matches an empty label", sub, "https://.example.com", false},
		{"a subdomain wildcard matches whole labels only", sub, "https://xexample.com", false},
		{"a subdomain wildcard never matches a longer registrable domain", sub, "https://x.example.com.evil.net", false},
		{"the scheme must be equal", sub, "http://x.example.com", false},
		{"a scheme prefix is not the scheme", sub, "httpss://x.example.com", false},
		{"the separator must follow the scheme", sub, "https:/x.example.com", false},
		{"a default-port pattern refuses any explicit port", sub, "https://x.example.com:8443", false},
		{"an explicit port must be equal", subPort, "https://x.example.com:8443", true},
		{"an explicit port refuses the default port", subPort, "https://x.example.com", false},
		{"an explicit port refuses another port", subPort, "https://x.example.com:443", false},
		{"an explicit port needs its colon", subPort, "https://x.example.com8443", false},
		{"an explicit port is not a suffix of a longer one", subPort, "https://x.example.com:18443", false},
		{"an explicit port never matches a bare host", subPort, "https://8443", false},
		{"any port matches a port", anyPort, "http://localhost:5173", true},
		{"any port matches the default port", anyPort, "http://localhost", true},
		{"any port keeps the host exact", anyPort, "http://localhost.evil.net:5173", false},
		{"any port keeps the host exact, without a port either", anyPort, "http://xlocalhost", false},
		{"any port on IPv6 matches a port", ipv6AnyPort, "http://[::1]:8080", true},
		{"any port on IPv6 does not read the address as a port", ipv6AnyPort, "http://[::1]", true},
		{"any port on IPv6 keeps the address exact", ipv6AnyPort, "http://[::2]:8080", false},
		{"subdomains with any port", subAnyPort, "http://app.localhost:3000", true},
		{"subdomains with any port never match the parent", subAnyPort, "http://localhost:3000", false},
		{"a fixed port on IPv6 must be equal", ipv6Port, "http://[2001:db8::1]:8443", true},
		{"a fixed port on IPv6 refuses the default port", ipv6Port, "http://[2001:db8::1]", false},
		{"a fixed port on IPv6 is not read inside the address", ipv6Port, "http://[2001:db8::1:8443]", false},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.pattern.Match(tt.origin), "%+v on %q", tt.pattern, tt.origin)
		})
	}
}

// Match compares text, and trusts the caller to parse whatever it lets through: on these strings, which no
// browser sends and the caller's parser refuses, a true answer is expected and means nothing alone.
func TestPatternMatchLeavesCanonicalFormToTheParser(t *testing.T) {
	sub := Pattern{Scheme: "https", Host: ".example.com", Subdomains: true}
	anyPort := Pattern{Scheme: "http", Host: "localhost", AnyPort: true}
	for _, tt := range []struct {
		pattern Pattern
		origin  string
	}{
		{sub, "https://a..example.com"},   // an empty label
		{sub, "https://A.example.com"},    // upper case
		{sub, "https://a b.example.com"},  // a byte no host holds
		{anyPort, "http://localhost:080"}, // a leading zero
		{anyPort, "http://localhost:"},    // an empty port
		{anyPort, "http://localhost:x"},   // not a port
	} {
		assert.True(t, tt.pattern.Match(tt.origin), "%+v on %q", tt.pattern, tt.origin)
	}
}

func TestSet(t *testing.T) {
	s := NewSet(
		[]string{"https://a.example", "http://localhost:3000"},
		[]Pattern{
			{Scheme: "https", Host: ".example.com", Subdomains: true},
			{Scheme: "http", Host: "127.0.0.1", AnyPort: true},
		},
	)
	assert.True(t, s.HasExact("https://a.example"))
	assert.True(t, s.HasExact("http://localhost:3000"))
	assert.False(t, s.HasExact("https://A.example"), "exact origins compare byte for byte")
	assert.False(t, s.HasExact("https://x.example.com"), "a pattern is not an exact origin")
	assert.True(t, s.MatchPattern("https://x.example.com"))
	assert.True(t, s.MatchPattern("http://127.0.0.1:5173"), "the second pattern is tried too")
	assert.False(t, s.MatchPattern("http://127.0.0.2:5173"))
	assert.False(t, s.MatchPattern("https://a.example"), "an exact origin is not a pattern")
	assert.False(t, NewSet(nil, nil).MatchPattern("https://x.example.com"), "no pattern matches nothing")
}

func TestSetHasExactAtEverySize(t *testing.T) {
	// Few exact origins are kept in a list, more in a map; both must give the same answers.
	for _, n := range []int{0, 1, fewExact, fewExact + 1, 100} {
		origins := make([]string, n)
		for i := range origins {
			origins[i] = "https://site" + strconv.Itoa(i) + ".example"
		}
		s := NewSet(origins, nil)
		for _, o := range origins {
			assert.True(t, s.HasExact(o), "%d origins: %s", n, o)
		}
		assert.False(t, s.HasExact("https://site"+strconv.Itoa(n)+".example"), "%d origins", n)
		assert.False(t, s.HasExact(""), "%d origins", n)
	}
}

func TestNewSetKeepsItsOwnCopies(t *testing.T) {
	exact := []string{"https://a.example"}
	patterns := []Pattern{{Scheme: "https", Host: ".example.com", Subdomains: true}}
	s := NewSet(exact, patterns)
	exact[0] = "https://b.example"
	patterns[0].Host = ".evil.net"
	assert.True(t, s.HasExact("https://a.example"))
	assert.False(t, s.HasExact("https://b.example"))
	assert.True(t, s.MatchPattern("https://x.example.com"))
	assert.False(t, s.MatchPattern("https://x.evil.net"))
}

// The index must answer as the obvious scan over every pattern does, on every canonical origin, whatever
// the number and shape of the patterns: the scan is the reference.
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
		var patterns []Pattern
		for range 1 + rng.IntN(40) {
			p := Pattern{Scheme: pick(schemes), Host: host(), Port: pick(ports)}
			switch rng.IntN(3) {
			case 0:
				if !strings.HasPrefix(p.Host, "[") && !strings.HasPrefix(p.Host, "127") {
					p.Subdomains, p.Host = true, "."+p.Host
				}
			case 1:
				p.AnyPort, p.Port = true, ""
			}
			patterns = append(patterns, p)
		}
		s := NewSet(nil, patterns)
		if s.fewPatterns != nil {
			listed++
		} else {
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
					h = pick(labels) + h
				}
				if rng.IntN(2) == 0 {
					port = p.Port
				}
			}
			origin := scheme + "://" + h
			if port != "" {
				origin += ":" + port
			}
			want := false
			for i := range patterns {
				want = want || patterns[i].Match(origin)
			}
			// A pattern with neither wildcard is kept as an exact origin.
			require.Equal(t, want, s.HasExact(origin) || s.MatchPattern(origin), "round %d, %q against %+v", round, origin, patterns)
			matched += boolInt(want)
		}
	}
	// Not vacuous: the random origins hit the patterns often enough to compare both answers.
	assert.Greater(t, matched, 10000, "of 60,000 origins")
	// Both forms of the set are compared: few wildcards in a list, more in the index.
	assert.Greater(t, listed, 30, "sets with few wildcards")
	assert.Greater(t, indexed, 30, "sets with an index")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestSetFindsAWildcardAmongTenThousand(t *testing.T) {
	var exact []string
	var patterns []Pattern
	for i := range 5000 {
		exact = append(exact, "https://tenant-"+strconv.Itoa(i)+".example")
		patterns = append(patterns, Pattern{Scheme: "https", Host: ".customer-" + strconv.Itoa(i) + ".com", Subdomains: true})
	}
	s := NewSet(exact, patterns)
	assert.True(t, s.HasExact("https://tenant-4711.example"))
	assert.True(t, s.MatchPattern("https://app.customer-4711.com"))
	assert.True(t, s.MatchPattern("https://a.b.customer-4999.com"))
	assert.False(t, s.MatchPattern("https://customer-4711.com"), "never the parent itself")
	assert.False(t, s.MatchPattern("http://app.customer-4711.com"), "the scheme must be equal")
	assert.False(t, s.MatchPattern("https://app.customer-5000.com"))
	assert.False(t, s.MatchPattern("https://app.customer-4711.com:8443"), "the default port only")
}
