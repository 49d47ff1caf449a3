package origin

// A reference origin matcher, written straight from the grammar and meant to be obviously correct rather
// than fast: it parses everything into (scheme, host, port) and compares field by field. The differential
// fuzz target in oracle_test.go checks the library against it.
//
// Origin (https://fetch.spec.whatwg.org/#origin-header, with the URL standard's serializers):
//
//	serialized-origin = scheme "://" host [ ":" port ]
//	scheme            = lower-case ALPHA *( lower-case ALPHA / DIGIT / "+" / "-" / "." )
//	host              = domain / IPv4 / "[" IPv6 "]"
//	domain            = label *( "." label )   ; lower-case ASCII letters, digits, "-", "_"
//	port              = decimal 1–65535, no leading zero, never the scheme's default port
//
// plus the bounds the library documents: a label is at most 63 bytes, a domain at most 253, a scheme at
// most 64. A domain whose last label is a number (decimal digits, or "0x" and hex digits: the URL
// standard's "ends in a number") is an IPv4 address, and a serialised IPv4 address is a dotted quad of
// decimal bytes without leading zeros. An IPv6 address is serialised as eight lower-case hex pieces
// without leading zeros, the first longest run of two or more zero pieces written "::".
//
// Pattern (one AllowedOrigins entry):
//
//	"*"                              any valid origin
//	scheme "://" host [":" port]     that origin (scheme and host case-insensitive, default port dropped)
//	scheme "://*." domain [":" port] an origin on that scheme and port whose host is one or more labels
//	                                 followed by "." domain — never domain itself
//	scheme "://" host ":*"           that scheme and host on any port, including the default one
//	scheme "://*." domain ":*"       both

import (
	"net/netip"
	"strconv"
	"strings"
)

const (
	refMaxScheme = 64
	refMaxDomain = 253
	refMaxLabel  = 63
)

// refOrigin is a parsed origin; port 0 means the scheme's default port.
type refOrigin struct {
	scheme string
	host   string
	port   int
}

// refDefaultPort is the URL standard's default port for a special scheme, or 0.
func refDefaultPort(scheme string) int {
	switch scheme {
	case "http", "ws":
		return 80
	case "https", "wss":
		return 443
	case "ftp":
		return 21
	}
	return 0
}

func refIsLowerAlpha(c byte) bool { return c >= 'a' && c <= 'z' }
func refIsDigit(c byte) bool      { return c >= '0' && c <= '9' }
func refIsHex(c byte) bool        { return refIsDigit(c) || c >= 'a' && c <= 'f' }

func refAll(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func refValidScheme(s string) bool {
	if len(s) == 0 || len(s) > refMaxScheme || !refIsLowerAlpha(s[0]) {
		return false
	}
	return refAll(s[1:], func(c byte) bool {
		return refIsLowerAlpha(c) || refIsDigit(c) || c == '+' || c == '-' || c == '.'
	})
}

// refEndsInNumber is the URL standard's "ends in a number checker" for lower-case input.
func refEndsInNumber(domain string) bool {
	labels := strings.Split(domain, ".")
	last := labels[len(labels)-1]
	if last == "" {
		return false
	}
	if refAll(last, refIsDigit) {
		return true
	}
	return strings.HasPrefix(last, "0x") && refAll(last[2:], refIsHex)
}

// refValidIPv4 accepts only the serialised form: four decimal bytes without leading zeros.
func refValidIPv4(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if p == "" || len(p) > 3 || !refAll(p, refIsDigit) || (len(p) > 1 && p[0] == '0') {
			return false
		}
		if n, _ := strconv.Atoi(p); n > 255 {
			return false
		}
	}
	return true
}

// refValidDomain checks the label grammar and the DNS bounds; it refuses IPv4-looking names.
func refValidDomain(s string) bool {
	if len(s) == 0 || len(s) > refMaxDomain || refEndsInNumber(s) {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if len(label) == 0 || len(label) > refMaxLabel {
			return false
		}
		if !refAll(label, func(c byte) bool { return refIsLowerAlpha(c) || refIsDigit(c) || c == '-' || c == '_' }) {
			return false
		}
	}
	return true
}

// refSerializeIPv6 is the URL standard's IPv6 serializer, with brackets.
func refSerializeIPv6(a netip.Addr) string {
	b := a.As16()
	var pieces [8]int
	for i := range pieces {
		pieces[i] = int(b[2*i])<<8 | int(b[2*i+1])
	}
	// The first longest run of at least two zero pieces is compressed.
	bestStart, bestLen := -1, 1
	for i := 0; i < 8; i++ {
		n := 0
		for i+n < 8 && pieces[i+n] == 0 {
			n++
		}
		if n > bestLen {
			bestStart, bestLen = i, n
		}
	}
	out := "["
	for i := 0; i < 8; i++ {
		if i == bestStart {
			out += "::"
			i += bestLen - 1
			continue
		}
		if i > 0 && !strings.HasSuffix(out, ":") {
			out += ":"
		}
		out += strconv.FormatInt(int64(pieces[i]), 16)
	}
	return out + "]"
}

// refParseIPv6Literal parses "[...]" (any valid spelling) and returns its serialisation.
func refParseIPv6Literal(s string) (string, bool) {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return "", false
	}
	a, err := netip.ParseAddr(s[1 : len(s)-1])
	if err != nil || !a.Is6() || a.Zone() != "" {
		return "", false
	}
	return refSerializeIPv6(a), true
}

// refSplitHostPort splits host[:port], where host may be a bracketed IPv6 literal.
func refSplitHostPort(s string) (host, port string, hasPort bool) {
	if strings.HasPrefix(s, "[") {
		end := strings.Index(s, "]")
		if end < 0 {
			return s, "", false
		}
		host, rest := s[:end+1], s[end+1:]
		if rest == "" {
			return host, "", false
		}
		if rest[0] != ':' {
			return s, "", false // junk after the literal: the caller's host check fails
		}
		return host, rest[1:], true
	}
	if i := strings.Index(s, ":"); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

// refParsePort parses 1–65535 written without sign; strict refuses leading zeros.
func refParsePort(s string, strict bool) (int, bool) {
	if s == "" || len(s) > 5 || !refAll(s, refIsDigit) || (strict && s[0] == '0') {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, n >= 1 && n <= 65535
}

// refParseOrigin parses a request's Origin value; only a serialised origin is valid.
func refParseOrigin(s string) (refOrigin, bool) {
	i := strings.Index(s, "://")
	if i < 0 || !refValidScheme(s[:i]) {
		return refOrigin{}, false
	}
	o := refOrigin{scheme: s[:i]}
	host, port, hasPort := refSplitHostPort(s[i+3:])
	switch {
	case strings.HasPrefix(host, "["):
		canon, ok := refParseIPv6Literal(host)
		if !ok || canon != host {
			return refOrigin{}, false
		}
	case refEndsInNumber(host):
		if !refValidIPv4(host) {
			return refOrigin{}, false
		}
	case !refValidDomain(host):
		return refOrigin{}, false
	}
	o.host = host
	if hasPort {
		n, ok := refParsePort(port, true)
		if !ok || n == refDefaultPort(o.scheme) {
			return refOrigin{}, false
		}
		o.port = n
	}
	return o, true
}

// refPattern is a parsed AllowedOrigins entry.
type refPattern struct {
	any        bool
	scheme     string
	host       string // for subdomains: the domain the subdomains are under
	subdomains bool
	anyPort    bool
	port       int // 0: the default port
}

// refParsePattern parses an AllowedOrigins entry written in ASCII. It reports ok=false for an entry that
// is not a pattern; entries with non-ASCII bytes (IDNA input) are outside this reference's scope and are
// reported with ascii=false.
func refParsePattern(s string) (p refPattern, ok, ascii bool) {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return refPattern{}, false, false
		}
	}
	if s == "*" {
		return refPattern{any: true}, true, true
	}
	i := strings.Index(s, "://")
	if i < 0 {
		return refPattern{}, false, true
	}
	p.scheme = strings.ToLower(s[:i])
	if !refValidScheme(p.scheme) {
		return refPattern{}, false, true
	}
	host, port, hasPort := refSplitHostPort(strings.ToLower(s[i+3:]))
	if hasPort {
		if port == "*" {
			p.anyPort = true
		} else {
			n, ok := refParsePort(port, false)
			if !ok {
				return refPattern{}, false, true
			}
			if n != refDefaultPort(p.scheme) {
				p.port = n
			}
		}
	}
	if strings.HasPrefix(host, "*.") {
		p.subdomains, host = true, host[2:]
		if !refValidDomain(host) {
			return refPattern{}, false, true
		}
	} else if strings.HasPrefix(host, "[") {
		canon, ok := refParseIPv6Literal(host)
		if !ok {
			return refPattern{}, false, true
		}
		host = canon
	} else if refEndsInNumber(host) {
		if !refValidIPv4(host) {
			return refPattern{}, false, true
		}
	} else if !refValidDomain(host) {
		return refPattern{}, false, true
	}
	p.host = host
	return p, true, true
}

// matches reports whether the parsed origin o is allowed by p.
func (p refPattern) matches(o refOrigin) bool {
	if p.any {
		return true
	}
	if o.scheme != p.scheme {
		return false
	}
	if !p.anyPort && o.port != p.port {
		return false
	}
	if !p.subdomains {
		return o.host == p.host
	}
	// One or more whole labels in front of ".domain"; never the domain itself.
	labels := strings.Split(o.host, ".")
	domain := strings.Split(p.host, ".")
	if len(labels) <= len(domain) {
		return false
	}
	tail := labels[len(labels)-len(domain):]
	for i := range domain {
		if tail[i] != domain[i] {
			return false
		}
	}
	return !strings.HasPrefix(o.host, "[") && !refValidIPv4(o.host)
}

// refAllowed reports whether origin is allowed by any of the patterns.
func refAllowed(patterns []refPattern, origin string) bool {
	o, ok := refParseOrigin(origin)
	if !ok {
		return false
	}
	for _, p := range patterns {
		if p.matches(o) {
			return true
		}
	}
	return false
}
