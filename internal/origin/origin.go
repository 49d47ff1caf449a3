// Package origin is the middleware's origin grammar, end to end: the serialized origin a browser sends in
// an Origin header ([Parse]), the entries of a policy's AllowedOrigins ([ParsePattern]) in their one
// canonical form ([Pattern.String]), the length limits of both, and the index that answers, in time that
// does not grow with the number of entries, whether a policy's entries allow a request's origin
// ([Set.Allows]). Its answers are final: an origin it allows is one a browser sends, byte for byte.
//
// The URL standard's facts both sides of Fetch need (default ports, IPv6 serialization) are here too:
// the client side (internal/fetch) serializes origins from URLs with its own algorithm, the URL
// standard's, and reads these facts from this package.
package origin

import (
	"net/netip"
	"strings"
)

// Bounds of a serialized origin. DNS limits a host to 253 bytes and a label to 63
// (https://www.rfc-editor.org/rfc/rfc1035#section-2.3.4); schemes are short. A longer Origin value is
// refused before it is compared with anything, so that a hostile megabyte-long Origin costs nothing.
const (
	MaxSchemeLen = 64
	MaxHostLen   = 253
	MaxLabelLen  = 63
	MaxLen       = MaxSchemeLen + len("://") + MaxHostLen + len(":65535") // 326; an IPv6 literal is at most 41
)

// Origin is a request origin that parsed as canonical: its serialization, [Origin.String], is exactly
// the Origin header it was parsed from.
type Origin struct {
	Scheme string // lower case
	Host   string // a lower-case ASCII domain, a dotted-quad IPv4 address, or a bracketed IPv6 address
	Port   string // decimal without leading zeros; "" for the scheme's default port
}

// String is the origin's serialization: Scheme "://" Host, then ":" Port if Port is not empty
// (https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin).
func (o Origin) String() string {
	if o.Port == "" {
		return o.Scheme + "://" + o.Host
	}
	return o.Scheme + "://" + o.Host + ":" + o.Port
}

// IsCanonical reports whether s is a serialized origin exactly as a browser sends it: [Parse] accepts it.
func IsCanonical(s string) bool {
	_, ok := Parse(s)
	return ok
}

// Parse parses the value of a request's Origin header. It accepts only what a browser sends: the
// serialization of a tuple origin (https://fetch.spec.whatwg.org/#origin-header), that is scheme "://"
// host [":" port] with a lower-case scheme and host, a punycode (ASCII) domain, canonical IP literals and
// no default port. Anything else — "null", upper case, a default port, a path, userinfo, whitespace, an
// over-long host — is not an origin any browser would send.
//
// It makes one pass, left to right, in one function: it runs on every request under "*" or
// AllowOriginFunc that no exact origin answers, and on every origin whose text a wildcard matches.
func Parse(s string) (Origin, bool) {
	var o Origin
	if len(s) > MaxLen {
		return o, false
	}
	i := 0
	for i < len(s) && s[i] != ':' {
		if c := s[i]; !('a' <= c && c <= 'z' || i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return o, false
		}
		i++
	}
	if i == 0 || i > MaxSchemeLen || !strings.HasPrefix(s[i:], "://") {
		return o, false
	}
	o.Scheme = s[:i]
	h := i + 3
	j := h
	if j < len(s) && s[j] == '[' {
		end := strings.IndexByte(s[j:], ']')
		if end < 0 {
			return o, false
		}
		j += end + 1
		if ip, ok := ParseIPv6(s[h:j]); !ok || SerializeIPv6(ip) != s[h:j] {
			return o, false
		}
	} else {
		j = len(s)
		if k := strings.IndexByte(s[h:], ':'); k >= 0 {
			j = h + k
		}
		if !isCanonicalHost(s[h:j]) {
			return o, false
		}
	}
	o.Host = s[h:j]
	if j == len(s) {
		return o, true
	}
	if s[j] != ':' {
		return o, false
	}
	o.Port = s[j+1:]
	return o, isCanonicalPort(o.Port, o.Scheme)
}

// isCanonicalPort reports whether port is a port as a browser serializes it for scheme: 1–5 digits, no
// leading zero, at most 65535, and not the scheme's default port, which a serialization omits.
func isCanonicalPort(port, scheme string) bool {
	if port == "" || len(port) > 5 || port[0] == '0' {
		return false
	}
	n := 0
	for k := 0; k < len(port); k++ {
		c := port[k]
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + int(c-'0')
	}
	return n <= 65535 && n != DefaultPort(scheme)
}

// isCanonicalHost reports whether s is a host as a browser serializes it: a dotted-quad IPv4 address in
// canonical form, or an ASCII domain of non-empty labels of lower-case letters, digits, '-' and '_'
// (browsers accept '_' in hosts), within DNS length limits. A trailing dot makes an empty label, and so
// is refused.
func isCanonicalHost(s string) bool {
	if s == "" || len(s) > MaxHostLen {
		return false
	}
	label, lastLabel := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case hostByte[c]:
			label++
			if label > MaxLabelLen {
				return false
			}
		case c == '.' && label > 0:
			label, lastLabel = 0, i+1
		default:
			return false
		}
	}
	if label == 0 {
		return false
	}
	// The URL standard reads a host whose last label is a number as an IPv4 address, which it serializes
	// as a dotted quad; so such a host must be exactly that. Only a label starting with a digit can be.
	if c := s[lastLabel]; '0' <= c && c <= '9' && endsInNumber(s) {
		ip, err := netip.ParseAddr(s)
		return err == nil && ip.Is4() && ip.String() == s
	}
	return true
}

// hostByte marks the bytes a label of a canonical host may hold: lower-case letters, digits, '-' and '_'.
var hostByte = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['-'], t['_'] = true, true
	return t
}()

// endsInNumber is the URL standard's https://url.spec.whatwg.org/#ends-in-a-number-checker: the last
// label (ignoring one trailing dot) is decimal digits, or "0x" followed by hex digits.
func endsInNumber(host string) bool {
	host = strings.TrimSuffix(host, ".")
	last := host[strings.LastIndexByte(host, '.')+1:]
	if isDigits(last) {
		return true
	}
	if len(last) < 2 || last[0] != '0' || last[1] != 'x' && last[1] != 'X' {
		return false
	}
	for i := 2; i < len(last); i++ {
		if !strings.ContainsRune("0123456789abcdefABCDEF", rune(last[i])) {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
