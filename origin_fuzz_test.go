package cors_test

import (
	"strconv"
	"testing"

	"github.com/crossorigin/cors"
	"github.com/stretchr/testify/require"
)

// FuzzParseOrigin holds that the parser agrees with the reference parser of slow_test.go on every input,
// and that what it accepts serialises back to the input byte for byte: it accepts only canonical
// serialised origins, and never panics.
func FuzzParseOrigin(f *testing.F) {
	for _, s := range []string{
		"https://example.com", "http://localhost:3000", "http://[::1]:8080", "http://127.0.0.1", "null", "",
		"https://a.b.example.com:8443", "capacitor://localhost", "https://example.com:443", "https://Example.com",
		"https://example.com.", "https://a.0x1", "http://[::ffff:7f00:1]", "https://xn--bcher-kva.example",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, ok := cors.ParseOrigin(s)
		ref, refOK := refParseOrigin(s)
		require.Equal(t, refOK, ok, "parseOrigin(%q) disagrees with the reference", s)
		if !ok {
			return
		}
		require.Equal(t, ref.scheme, o.Scheme)
		require.Equal(t, ref.host, o.Host)
		require.Equal(t, ref.port, portNumber(o.Port))
		serialised := o.Scheme + "://" + o.Host
		if o.Port != "" {
			serialised += ":" + o.Port
		}
		require.Equal(t, s, serialised)
		require.LessOrEqual(t, len(s), cors.MaxOriginLen)
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
