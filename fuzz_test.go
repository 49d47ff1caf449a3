package cors

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzParseOrigin holds that any input either is refused or parses into parts that serialise back to the
// input byte for byte: the parser accepts only canonical serialised origins, and never panics.
func FuzzParseOrigin(f *testing.F) {
	for _, s := range []string{
		"https://example.com", "http://localhost:3000", "http://[::1]:8080", "http://127.0.0.1", "null", "",
		"https://a.b.example.com:8443", "capacitor://localhost", "https://example.com:443", "https://Example.com",
		"https://example.com.", "https://a.0x1", "http://[::ffff:7f00:1]", "https://xn--bcher-kva.example",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, ok := parseOrigin(s)
		if !ok {
			return
		}
		serialised := o.Scheme + "://" + o.Host
		if o.Port != "" {
			serialised += ":" + o.Port
		}
		require.Equal(t, s, serialised)
		require.LessOrEqual(t, len(s), maxOriginLen)
		require.NotEqual(t, defaultPort(o.Scheme), atoiOr(o.Port, -2), "a default port is never part of a canonical origin")
	})
}

// FuzzParsePattern holds that parsing a configured entry never panics, that its canonical form parses to
// the same pattern (normalising is idempotent), and that an exact entry's canonical form is an origin the
// request parser accepts, so that a browser's Origin can match it.
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
		p, err := parsePattern(s, credentials, false)
		if err != nil {
			require.Equal(t, "AllowedOrigins", err.Field)
			require.Equal(t, s, err.Value)
			require.NotEmpty(t, err.Reason)
			return
		}
		again, err := parsePattern(p.canonical, credentials, false)
		require.Nil(t, err, "canonical form %q of %q must be valid", p.canonical, s)
		require.Equal(t, p, again)
		if p.exact() {
			o, ok := parseOrigin(p.canonical)
			require.True(t, ok, "canonical form %q of %q must be a request origin", p.canonical, s)
			require.True(t, p.match.Match(o))
		}
		if !p.any {
			rest := p.canonical[strings.Index(p.canonical, "://")+3:]
			for i := 0; i < len(rest); i++ {
				require.True(t, rest[i] > ' ' && rest[i] < 0x7f && !strings.ContainsRune("/?#@", rune(rest[i])), "canonical form %q is printable ASCII without path, query, fragment or userinfo", p.canonical)
			}
		}
	})
}

func atoiOr(s string, def int) int {
	if n, ok := parsePort(s); ok {
		return n
	}
	return def
}
