package cors

import (
	"net/netip"
	"strconv"
	"strings"
)

// Bounds of a serialised origin. DNS limits a host to 253 bytes and a label to 63 (RFC 1035 §2.3.4);
// schemes are short. A longer Origin value is refused before it is compared with anything, so that a
// hostile megabyte-long Origin costs nothing.
const (
	maxSchemeLen = 64
	maxHostLen   = 253
	maxLabelLen  = 63
	maxOriginLen = maxSchemeLen + len("://") + maxHostLen + len(":65535") // 326; an IPv6 literal is at most 41
)

// tupleOrigin is a request origin that parsed as canonical: its serialisation is exactly
// Scheme "://" Host, then ":" Port if Port is not empty.
type tupleOrigin struct {
	Scheme string // lower case
	Host   string // a lower-case ASCII domain, a dotted-quad IPv4 address, or a bracketed IPv6 address
	Port   string // decimal without leading zeros; "" for the scheme's default port
}

// parseOrigin parses the value of a request's Origin header. It accepts only what a browser sends: the
// byte serialisation of a tuple origin (Fetch §3.1 "`Origin` header", HTML "serialization of an origin"), that is
// scheme "://" host [":" port] with a lower-case scheme and host, a punycode (ASCII) domain, canonical IP
// literals and no default port. Anything else — "null", upper case, a default port, a path, userinfo,
// whitespace, an over-long host — is not an origin any browser would send, and is refused by its caller.
func parseOrigin(s string) (tupleOrigin, bool) {
	var o tupleOrigin
	if len(s) > maxOriginLen {
		return o, false
	}
	// One pass, left to right: this runs on every request under "*" or AllowOriginFunc that is not an
	// exact-origin hit, and on every origin whose text a pattern matches.
	i := 0
	for i < len(s) && s[i] != ':' {
		if c := s[i]; !('a' <= c && c <= 'z' || i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return o, false
		}
		i++
	}
	if i == 0 || i > maxSchemeLen || !strings.HasPrefix(s[i:], "://") {
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
		if ip, ok := parseIPv6(s[h:j]); !ok || serialiseIPv6(ip) != s[h:j] {
			return o, false
		}
	} else {
		if k := strings.IndexByte(s[h:], ':'); k >= 0 {
			j = h + k
		} else {
			j = len(s)
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
	// A canonical port: 1–5 digits, no leading zero, at most 65535, not the scheme's default.
	o.Port = s[j+1:]
	if o.Port == "" || len(o.Port) > 5 || o.Port[0] == '0' {
		return o, false
	}
	n := 0
	for k := 0; k < len(o.Port); k++ {
		c := o.Port[k]
		if c < '0' || c > '9' {
			return o, false
		}
		n = n*10 + int(c-'0')
	}
	return o, n <= 65535 && n != defaultPort(o.Scheme)
}

// isCanonicalHost reports whether s is a host as a browser serialises it: a dotted-quad IPv4 address in
// canonical form, or an ASCII domain of non-empty labels of lower-case letters, digits, '-' and '_'
// (browsers accept '_' in hosts), within DNS length limits. A trailing dot makes an empty label, and so
// is refused.
func isCanonicalHost(s string) bool {
	if s == "" || len(s) > maxHostLen {
		return false
	}
	label, lastLabel := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case hostByte[c]:
			label++
			if label > maxLabelLen {
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
	// The URL standard reads a host whose last label is a number as an IPv4 address, which it serialises
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

// endsInNumber is the URL standard's "ends in a number checker" (URL §3.5): the last label (ignoring one
// trailing dot) is decimal digits, or "0x" followed by hex digits.
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

// defaultPort is the URL standard's default port for the special schemes that have one, else -1.
func defaultPort(scheme string) int {
	switch scheme {
	case "http", "ws":
		return 80
	case "https", "wss":
		return 443
	case "ftp":
		return 21
	}
	return -1
}

// parseIPv6 parses a bracketed IPv6 literal without zone.
func parseIPv6(bracketed string) (netip.Addr, bool) {
	if len(bracketed) < 2 || bracketed[0] != '[' || bracketed[len(bracketed)-1] != ']' {
		return netip.Addr{}, false
	}
	ip, err := netip.ParseAddr(bracketed[1 : len(bracketed)-1])
	return ip, err == nil && ip.Is6() && ip.Zone() == ""
}

// serialiseIPv6 writes ip as the URL standard's IPv6 serializer does (URL §3.5 "host serializing"):
// eight lower-case hex pieces without leading zeros, the first longest run of two or more zero pieces
// compressed to "::", in brackets. Unlike netip's String, it never writes an embedded dotted quad.
func serialiseIPv6(ip netip.Addr) string {
	b := ip.As16()
	var pieces [8]uint16
	for i := range pieces {
		pieces[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	runStart, runLen := -1, 1
	for i := 0; i < 8; {
		if pieces[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && pieces[j] == 0 {
			j++
		}
		if j-i > runLen {
			runStart, runLen = i, j-i
		}
		i = j
	}
	var sb strings.Builder
	sb.WriteByte('[')
	for i := 0; i < 8; i++ {
		if i == runStart {
			sb.WriteString("::")
			i += runLen - 1
			continue
		}
		if i > 0 && i != runStart+runLen {
			sb.WriteByte(':')
		}
		sb.WriteString(strconv.FormatUint(uint64(pieces[i]), 16))
	}
	sb.WriteByte(']')
	return sb.String()
}

// isLoopback reports whether a canonical host is a loopback host: "localhost" and its subdomains (RFC 6761
// §6.3; browsers resolve them to loopback themselves), 127.0.0.0/8 or [::1]. Plain http from such a host
// cannot be tampered with on the network.
func isLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	if ip, ok := parseIPv6(host); ok {
		return ip == netip.IPv6Loopback() // not ::ffff:127.0.0.1, which browsers do not treat as loopback
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Is4() && ip.IsLoopback()
}
