package origin

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseAcceptsOnlyWhatBrowsersSerialize(t *testing.T) {
	long63 := strings.Repeat("a", 63)
	host253 := strings.Repeat(long63+".", 3) + strings.Repeat("b", 61) // 3*64 + 61 = 253
	scheme64 := strings.Repeat("s", 64)
	longest := scheme64 + "://" + host253 + ":65535" // MaxLen bytes
	tests := []struct {
		in   string
		want *Origin
	}{
		{"https://example.com", &Origin{Scheme: "https", Host: "example.com"}},
		{"http://localhost:3000", &Origin{Scheme: "http", Host: "localhost", Port: "3000"}},
		{"http://127.0.0.1:8080", &Origin{Scheme: "http", Host: "127.0.0.1", Port: "8080"}},
		{"http://[::1]:8080", &Origin{Scheme: "http", Host: "[::1]", Port: "8080"}},
		{"http://[2001:db8::ff00:42:8329]", &Origin{Scheme: "http", Host: "[2001:db8::ff00:42:8329]"}},
		{"capacitor://localhost", &Origin{Scheme: "capacitor", Host: "localhost"}},
		{"chrome-extension://abcdefghijklmnop", &Origin{Scheme: "chrome-extension", Host: "abcdefghijklmnop"}},
		{"https://xn--bcher-kva.example", &Origin{Scheme: "https", Host: "xn--bcher-kva.example"}},
		{"https://my_app.example.com", &Origin{Scheme: "https", Host: "my_app.example.com"}},
		{"https://" + host253, &Origin{Scheme: "https", Host: host253}},
		{"https://example.com:65535", &Origin{Scheme: "https", Host: "example.com", Port: "65535"}},
		{"https://example.com:80", &Origin{Scheme: "https", Host: "example.com", Port: "80"}},
		{"foo://example.com:443", &Origin{Scheme: "foo", Host: "example.com", Port: "443"}},
		{longest, &Origin{Scheme: scheme64, Host: host253, Port: "65535"}},
		{"a09+-.z://example.com", &Origin{Scheme: "a09+-.z", Host: "example.com"}},   // the first and last byte of each class a scheme holds
		{"https://a0-9_z.example", &Origin{Scheme: "https", Host: "a0-9_z.example"}}, // and a host
		{"https://example.com:1", &Origin{Scheme: "https", Host: "example.com", Port: "1"}},
		{"foo://example.com:1", &Origin{Scheme: "foo", Host: "example.com", Port: "1"}}, // a scheme without a default port has no port to omit
		{"https://a.0y", &Origin{Scheme: "https", Host: "a.0y"}},                        // "0" then not "x": not a number
		{"http://9.9.9.9", &Origin{Scheme: "http", Host: "9.9.9.9"}},
		{"http://0.0.0.0", &Origin{Scheme: "http", Host: "0.0.0.0"}},

		{"null", nil},
		{"", nil},
		{"https://", nil},
		{"example.com", nil},
		{"//example.com", nil},
		{"HTTPS://example.com", nil},
		{"https://Example.com", nil},
		{"https://example.com/", nil},
		{"https://example.com/path", nil},
		{"https://example.com?q", nil},
		{"https://example.com#f", nil},
		{"https://user@example.com", nil},
		{"https://example.com.", nil},
		{"https://.example.com", nil},
		{"https://a..example.com", nil},
		{"https://example.com:443", nil},
		{"http://example.com:80", nil},
		{"ws://example.com:80", nil},
		{"wss://example.com:443", nil},
		{"ftp://example.com:21", nil},
		{"https://example.com:", nil},
		{"https://example.com:0", nil},
		{"https://example.com:08080", nil},
		{"https://example.com:65536", nil},
		{"https://example.com:123456", nil},
		{"https://example.com:+80", nil},
		{" https://example.com", nil},
		{"https://example.com ", nil},
		{"https://exa mple.com", nil},
		{"https://example.com\r\n", nil},
		{"https://example.com%60.evil.com", nil},
		{"https://example.com`.evil.com", nil},
		{"https://b\u00fccher.example", nil},
		{"https://" + long63 + "a.example.com", nil},
		{"https://" + host253 + "b", nil},
		{"https://" + strings.Repeat("a", 1<<20), nil},
		{"http://[::1", nil},
		{"http://[::1]x", nil},
		{"http://[0:0:0:0:0:0:0:1]", nil},
		{"http://[::FFFF:1]", nil},
		{"http://[::ffff:127.0.0.1]", nil},
		{"http://[fe80::1%25eth0]", nil},
		{"http://[127.0.0.1]", nil},
		{"http://::1", nil},
		{"http://127.1", nil},
		{"http://0x7f.0.0.1", nil},
		{"http://127.000.000.001", nil},
		{"http://1.2.3.256", nil},
		{"https://a.0x1", nil},
		{"https://a.0X1f", nil},
		{"https://a.0xg", &Origin{Scheme: "https", Host: "a.0xg"}},
		{"1http://example.com", nil},
		{longest + "0", nil},
		{strings.Repeat("s", 65) + "://example.com", nil},
		{"a`://example.com", nil}, // the bytes on either side of each class
		{"a{://example.com", nil},
		{"a/://example.com", nil},
		{"https://a`.example", nil},
		{"https://a{.example", nil},
		{"https://a/.example", nil},
		{"https://a,.example", nil},
		{"https://a.0", nil}, // a last label that is a number makes an IPv4 address, which this is not
		{"https://a.9", nil},
		{"https://a.0x", nil}, // "0x" alone is the hexadecimal number 0
		{"https://:443", nil},
		{"https://:", nil},
		{"ht_tp://example.com", nil},
	}
	for _, tt := range tests {
		got, ok := Parse(tt.in)
		if tt.want == nil {
			assert.False(t, ok, "%q must be refused, got %+v", tt.in, got)
			continue
		}
		if assert.True(t, ok, "%q must parse", tt.in) {
			assert.Equal(t, *tt.want, got, tt.in)
			assert.Equal(t, tt.in, got.String(), "an origin serializes back to what it was parsed from")
		}
	}
}

func TestSerializeIPv6FollowsTheURLStandard(t *testing.T) {
	for in, want := range map[string]string{
		"::1":                      "[::1]",
		"::":                       "[::]",
		"2001:db8:0:0:1:0:0:1":     "[2001:db8::1:0:0:1]", // the first of two equally long runs
		"2001:db8:0:1:1:1:1:1":     "[2001:db8:0:1:1:1:1:1]",
		"1:0:0:2:0:0:0:3":          "[1:0:0:2::3]", // the longest run
		"::ffff:127.0.0.1":         "[::ffff:7f00:1]",
		"FE80:0000:0000:0:0:0:0:1": "[fe80::1]",
		"1:2:3:4:5:6:7:0":          "[1:2:3:4:5:6:7:0]", // a single zero piece is not compressed
	} {
		assert.Equal(t, want, SerializeIPv6(netip.MustParseAddr(in)), in)
	}
}

func TestPatternsNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HTTPS://Bücher.Example:443", "https://xn--bcher-kva.example"},
		{"https://☕.example", "https://xn--53h.example"},
		{"http://localhost:80", "http://localhost"},
		{"http://localhost:03000", "http://localhost:3000"},
		{"https://*.Example.com", "https://*.example.com"},
		{"http://localhost:*", "http://localhost:*"},
		{"https://*.example.com:*", "https://*.example.com:*"},
		{"http://[0:0::1]:8080", "http://[::1]:8080"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"capacitor://localhost", "capacitor://localhost"},
		{"https://ＥＸＡＭＰＬＥ.com", "https://example.com"},
		{"http://localhost:1", "http://localhost:1"},
		{"http://localhost:65535", "http://localhost:65535"},
		{"A09+-.Zaz://example.com", "a09+-.zaz://example.com"}, // the first and last byte of each class a scheme holds
		{strings.Repeat("S", 64) + "://example.com", strings.Repeat("s", 64) + "://example.com"},
		{"http://*.localhost:*", "http://*.localhost:*"},
	}
	for _, tt := range tests {
		p, err := ParsePattern(tt.in, Trust{})
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, p.String(), tt.in)
		again, err := ParsePattern(p.String(), Trust{})
		require.NoError(t, err)
		assert.Equal(t, p, again, "normalizing is idempotent")
	}
}

func TestPatternErrorsSayWhatToWrite(t *testing.T) {
	tests := []struct {
		entry string
		says  string
	}{
		{"http://localhost:0", "out of range: ports are 1–65535"},
		{"http://localhost:65536", "out of range: ports are 1–65535"},
		{strings.Repeat("s", 65) + "://example.com", "is not valid: a scheme is a letter"},
		{"1http://example.com", `the scheme "1http" is not valid`},
		{"ht_tp://example.com", `the scheme "ht_tp" is not valid`},
		{"a@b://example.com", `the scheme "a@b" is not valid`}, // the bytes on either side of each class
		{"a[b://example.com", `the scheme "a[b" is not valid`},
		{"a`b://example.com", "the scheme \"a`b\" is not valid"},
		{"a{b://example.com", `the scheme "a{b" is not valid`},
		{"a/b://example.com", `the scheme "a/b" is not valid`},
		{"a:b://example.com", `the scheme "a:b" is not valid`},
		{"://example.com", `the scheme "" is not valid`},
		{"https://@example.com", "everything before '@' is user information: the host here is example.com"},
		{"https://user@evil.com", "the host here is evil.com; if that is the site you mean, write https://evil.com"},
		{"https://example.com/a@b", "an origin has no path (not even a trailing slash): write https://example.com"},
		{"https:///x", "an origin has no path"},
		{"https://?q", "an origin has no query"},
		{"https://:8080", "the host is missing"},
		{"https://*.127.0.0.1", "a subdomain wildcard needs a domain name, not an IP address"},
	}
	for _, tt := range tests {
		_, err := ParsePattern(tt.entry, Trust{})
		var pe *PatternError
		if assert.ErrorAs(t, err, &pe, tt.entry) {
			assert.Contains(t, pe.Reason, tt.says, tt.entry)
		}
	}
}

func TestWithCredentialsAPatternTrustsNoOneItCannotName(t *testing.T) {
	tests := []struct {
		entry string
		says  string // "" when accepted
	}{
		{"https://example.com", ""},
		{"https://*.example.com", ""},
		{"http://localhost:3000", ""},
		{"http://*.localhost:*", ""}, // localhost is a single label, yet it only ever names this machine
		{"http://127.0.0.1:8080", ""},
		{"http://[::1]:8080", ""},
		{"http://example.com", "a plain-http origin lets anyone on the network"},
		{"http://*.example.com", "a plain-http origin lets anyone on the network"},
		{"https://*.com", "com is a public suffix"},
		{"https://*.co.uk", "co.uk is a public suffix"},
		{"https://*.github.io", "github.io is a public suffix"},
		{"https://*.internal", "internal is a public suffix"},                            // a single label not on the list
		{"https://*.kawasaki.jp", "kawasaki.jp is a public suffix"},                      // its children are, by a wildcard rule
		{"https://*.com:8443", "name your own domain, as in https://*.example.com:8443"}, // the fix keeps the port
		{"https://*.co.uk:*", "name your own domain, as in https://*.example.co.uk:*"},
	}
	for _, tt := range tests {
		_, err := ParsePattern(tt.entry, Trust{Credentials: true})
		if tt.says == "" {
			assert.NoError(t, err, tt.entry)
			continue
		}
		assert.ErrorContains(t, err, tt.says, tt.entry)
		_, err = ParsePattern(tt.entry, Trust{})
		assert.NoError(t, err, "%s: without credentials the pattern is valid", tt.entry)
	}
	_, err := ParsePattern("http://example.com", Trust{Credentials: true, Insecure: true})
	assert.NoError(t, err, "Insecure accepts plain http with credentials")
}

func TestWildcardsMatchWholeLabelsAndPorts(t *testing.T) {
	tests := []struct {
		pattern string
		origin  string
		want    bool
	}{
		{"https://*.example.com", "https://a.example.com", true},
		{"https://*.example.com", "https://a.b.example.com", true},
		{"https://*.example.com", "https://example.com", false},
		{"https://*.example.com", "https://evil-example.com", false},
		{"https://*.example.com", "https://aexample.com", false},
		{"https://*.example.com", "https://example.com.evil.com", false},
		{"https://*.example.com", "http://a.example.com", false},
		{"https://*.example.com", "https://a.example.com:8443", false},
		{"https://*.example.com:*", "https://a.example.com:8443", true},
		{"https://*.example.com:*", "https://a.example.com", true},
		{"http://localhost:*", "http://localhost:3000", true},
		{"http://localhost:*", "http://localhost", true},
		{"http://localhost:*", "http://localhost.evil.com:3000", false},
		{"http://localhost:*", "http://a.localhost:3000", false},
		{"http://localhost:*", "https://localhost:3000", false},
		{"https://*.example.com:8443", "https://a.example.com:8443", true},
		{"https://*.example.com:8443", "https://a.example.com:8444", false},
		// A pattern is compared with the origin's text first; what that lets through must still parse.
		{"https://*.example.com", "https://a..example.com", false},
		{"https://*.example.com", "https://A.example.com", false},
		{"http://localhost:*", "http://localhost:080", false},
		{"http://localhost:*", "http://localhost:", false},
		{"http://[::1]:*", "http://[::1]:3000", true},
		{"http://[::1]:*", "http://[::1]", true},
		{"http://[::1]:*", "http://[0::1]:3000", false},
	}
	for _, tt := range tests {
		p, err := ParsePattern(tt.pattern, Trust{})
		require.NoError(t, err)
		s, err := NewSet(nil, []Pattern{p})
		require.NoError(t, err)
		assert.Equal(t, tt.want, s.Allows(tt.origin), "%s vs %s", tt.pattern, tt.origin)
	}
}

func TestPlainLDH(t *testing.T) {
	for host, want := range map[string]bool{
		"example.com": true, "my_app.example.com": true, "a": true,
		"example.com.": false, ".example.com": false, "a..b": false, "-a.com": false, "a-.com": false,
		"xn--bcher-kva.example": false, "ab--c.com": false, "b\u00fccher.example": false, "Example.com": false,
	} {
		assert.Equal(t, want, plainLDH(host), host)
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "app.localhost": true, "127.0.0.1": true, "127.255.0.9": true, "[::1]": true,
		"localhost.example.com": false, "128.0.0.1": false, "[::2]": false, "example.com": false, "notlocalhost": false,
		"[::ffff:7f00:1]": false, // IPv4-mapped 127.0.0.1: browsers do not count it as loopback
	} {
		assert.Equal(t, want, IsLoopback(host), host)
	}
}
