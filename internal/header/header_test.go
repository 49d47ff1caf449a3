package header

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tokenRE is RFC 9110's token = 1*tchar, as a regular expression: the reference IsToken is held to.
var tokenRE = regexp.MustCompile("^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+$")

func TestIsTokenAcceptsExactlyTheTokenCharacters(t *testing.T) {
	for s, want := range map[string]bool{
		"GET": true, "x-custom_header.v2": true, "!#$%&'*+-.^_`|~": true,
		// The first and last byte of each class, and the bytes just outside.
		"0": true, "9": true, "a": true, "z": true, "A": true, "Z": true,
		"/": false, ":": false, "@": false, "[": false, "`": true, "{": false, "|": true, "~": true, "\x7f": false,
		"": false, "a b": false, "a,b": false, "a:b": false, "é": false, "(a)": false, "\"": false,
	} {
		assert.Equal(t, want, IsToken(s), "%q", s)
	}
	for c := 0; c < 256; c++ {
		s := string([]byte{byte(c)})
		require.Equal(t, tokenRE.MatchString(s), IsToken(s), "byte %#x", c)
	}
}

func TestEqualFoldFoldsASCIIOnly(t *testing.T) {
	assert.True(t, EqualFold("Authorization", "authorization"))
	assert.True(t, EqualFold("", ""))
	assert.False(t, EqualFold("Authorization", "authorizatio"))
	assert.False(t, EqualFold("a", "b"))
	assert.False(t, EqualFold("TRAC\u212a", "track"), "the Kelvin sign is not K")
	assert.False(t, EqualFold("@", "`"), "the bytes around the letters do not fold")
	assert.False(t, EqualFold("[", "{"))
}

func TestLowerLowerCasesASCIILettersOnly(t *testing.T) {
	for in, want := range map[string]string{
		"Content-Type": "content-type", "already": "already", "AZ@[`{": "az@[`{", "É": "É", "": "",
		"A": "a", "Z": "z", "@[`{": "@[`{", // the first and last upper-case letter, and the bytes around the letters
	} {
		assert.Equal(t, want, Lower(in), in)
		assert.Equal(t, in == want, IsLower(in), in)
	}
}

func TestForbiddenRequestNames(t *testing.T) {
	for name, want := range map[string]bool{
		"Cookie": true, "cookie": true, "Origin": true, "Host": true, "Access-Control-Request-Method": true,
		"Sec-Fetch-Site": true, "sec-anything": true, "Proxy-Authorization": true, "proxy-": true,
		"Authorization": false, "Content-Type": false, "X-HTTP-Method-Override": false, "secret": false, "proxy": false,
	} {
		assert.Equal(t, want, IsForbiddenRequestName(name), name)
	}
	assert.Len(t, forbiddenRequest, 21, "https://fetch.spec.whatwg.org/#forbidden-request-header lists 21 names")
}

func TestResponseNamesAPageReads(t *testing.T) {
	for _, n := range []string{"cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma"} {
		assert.True(t, IsSafelistedResponseName(n), n)
	}
	for _, n := range []string{"vary", "x-total-count", "Content-Type", "set-cookie"} {
		assert.False(t, IsSafelistedResponseName(n), n)
	}
	assert.True(t, IsForbiddenResponseName("set-cookie"))
	assert.True(t, IsForbiddenResponseName("set-cookie2"))
	assert.False(t, IsForbiddenResponseName("cookie"))
}

func TestListContains(t *testing.T) {
	for _, tt := range []struct {
		line, name string
		want       bool
	}{
		{"Origin", "origin", true},
		{"Accept-Encoding, ORIGIN", "origin", true},
		{" ,origin ,", "Origin", true},
		{",origin", "origin", true},
		{"origin,", "origin", true},
		{"\torigin\t", "Origin", true},
		{"Origins", "origin", false},
		{"", "origin", false},
		{"accept, *", "*", true},
	} {
		assert.Equal(t, tt.want, ListContains(tt.line, tt.name), "%q in %q", tt.name, tt.line)
	}
}

func TestVariesOnANameOrStar(t *testing.T) {
	assert.True(t, Varies([]string{"Accept-Encoding", "origin"}, "Origin"), "any line")
	assert.True(t, Varies([]string{"*"}, "Origin"), `"*" varies on everything`)
	assert.False(t, Varies([]string{"Accept-Encoding, Origins"}, "Origin"))
	assert.False(t, Varies(nil, "Origin"))
}

func TestTrimOWS(t *testing.T) {
	for in, want := range map[string]string{" a ": "a", "\ta\t": "a", "a": "a", "  ": "", " a b ": "a b", "\na": "\na"} {
		assert.Equal(t, want, TrimOWS(in), "%q", in)
	}
	assert.Equal(t, strings.Repeat("a", 3), TrimOWS(" aaa\t"))
}

func TestDecisiveHeadersAreTheCORSOnesVaryAndLocation(t *testing.T) {
	for name, want := range map[string]bool{
		"Access-Control-Allow-Origin": true, "access-control-max-age": true, "Vary": true, "location": true,
		"Content-Type": false, "Access-Control": false, "Varying": false, "X-Access-Control-Allow-Origin": false,
	} {
		assert.Equal(t, want, IsDecisive(name), name)
	}
}
