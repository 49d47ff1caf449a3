package cors

import (
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/crossorigin/cors/internal/match"
	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
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

// isScheme reports whether s, a configured scheme in any case, is a URL scheme:
// ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986 §3.1).
func isScheme(s string) bool {
	if s == "" || len(s) > maxSchemeLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z':
		case 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
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

// parsePort parses a decimal port in 1–65535.
func parsePort(s string) (int, bool) {
	if !isDigits(s) || len(s) > 5 {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, n >= 1 && n <= 65535
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

// idnaProfile turns configured domains into the ASCII form browsers send, with UTS #46 processing as the
// URL standard does (non-transitional, no STD3 restriction so that '_' stays valid).
var idnaProfile = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.Transitional(false),
	idna.StrictDomainName(false),
	idna.VerifyDNSLength(true),
)

// pattern is one parsed entry of AllowedOrigins.
type pattern struct {
	any       bool   // "*"
	canonical string // the entry in canonical form, as Options() shows it
	match     match.Pattern
}

// exact reports whether the pattern is a single origin, compared as a string.
func (p *pattern) exact() bool { return !p.any && !p.match.Subdomains && !p.match.AnyPort }

// parsePattern parses and normalises one AllowedOrigins entry. Its error says what to write instead.
func parsePattern(entry string, credentials, insecureOK bool) (pattern, *ConfigError) {
	bad := func(reason string) (pattern, *ConfigError) {
		return pattern{}, &ConfigError{Field: "AllowedOrigins", Value: entry, Reason: reason}
	}
	switch {
	case entry == "*":
		if credentials {
			return bad(`"*" cannot be combined with AllowCredentials (browsers reject "Access-Control-Allow-Origin: *" on credentialed requests, and reflecting any origin with credentials lets every site read your users' data): list the origins you trust, e.g. https://app.example.com or https://*.example.com`)
		}
		return pattern{any: true, canonical: "*"}, nil
	case entry == "":
		return bad("an empty entry allows nothing: remove it, or write an origin such as https://app.example.com")
	case strings.EqualFold(entry, "null"):
		return bad(`the "null" origin is shared by sandboxed iframes, file: pages and redirected requests, and any site can produce it on demand, so allowing it allows everyone: remove it`)
	case strings.TrimSpace(entry) != entry:
		return bad("remove the surrounding whitespace: write " + strings.TrimSpace(entry))
	}
	i := strings.Index(entry, "://")
	if i < 0 {
		return bad("an origin is scheme://host[:port]: write https://" + entry + " (or the scheme the page really uses)")
	}
	if !isScheme(entry[:i]) {
		return bad("the scheme " + strconv.Quote(entry[:i]) + " is not valid: a scheme is a letter followed by letters, digits, '+', '-' or '.'")
	}
	scheme := strings.ToLower(entry[:i])
	hostport := entry[i+3:]
	if at := strings.IndexByte(hostport, '@'); at >= 0 && at < indexAny(hostport, "/?#") {
		// Name the real host: in "https://example.com@evil.com" it is evil.com, which may not be what
		// the author meant.
		host := cut(hostport[at+1:], "/?#")
		return bad("an origin has no user information, and everything before '@' is user information: the host here is " + host + "; if that is the site you mean, write " + scheme + "://" + host)
	}
	if j := indexAny(hostport, "/?#"); j < len(hostport) {
		what := map[byte]string{'/': "path (not even a trailing slash)", '?': "query", '#': "fragment"}[hostport[j]]
		return bad("an origin has no " + what + ": write " + scheme + "://" + hostport[:j])
	}
	// Split host and port.
	host, port, hasPort := hostport, "", false
	if strings.HasPrefix(hostport, "[") {
		end := strings.IndexByte(hostport, ']')
		if end < 0 {
			return bad("an IPv6 address needs its closing bracket, as in http://[::1]:8080")
		}
		host = hostport[:end+1]
		if rest := hostport[end+1:]; rest != "" {
			if rest[0] != ':' {
				return bad("unexpected " + strconv.Quote(rest) + " after the IPv6 address: write " + scheme + "://" + host + "[:port]")
			}
			port, hasPort = rest[1:], true
		}
	} else if j := strings.LastIndexByte(hostport, ':'); j >= 0 {
		host, port, hasPort = hostport[:j], hostport[j+1:], true
	}
	p := pattern{match: match.Pattern{Scheme: scheme}}
	// Port.
	if hasPort {
		switch n, ok := parsePort(port); {
		case port == "*":
			p.match.AnyPort = true
		case port == "":
			return bad("the port is empty: remove the ':' or write a port such as " + scheme + "://" + host + ":8080")
		case !isDigits(port):
			return bad("the port " + strconv.Quote(port) + " is not a number: write a port in 1–65535, or * for any port")
		case !ok:
			return bad("the port " + port + " is out of range: ports are 1–65535")
		case n != defaultPort(scheme):
			p.match.Port = strconv.Itoa(n)
		}
	}
	// Host.
	if strings.HasPrefix(host, "*.") {
		p.match.Subdomains = true
		host = host[2:]
	}
	switch {
	case host == "*":
		return bad(`a wildcard host would allow every site: to allow any origin write "*" alone (without credentials); otherwise name the domain, as in https://*.example.com`)
	case strings.Contains(host, "*"):
		return bad(`"*" may stand only for whole leading labels (https://*.example.com) or for the port (http://localhost:*); write one of those forms`)
	case host == "":
		return bad("the host is missing: write " + scheme + "://host[:port], as in https://app.example.com")
	}
	canonHost, reason := canonicalHost(host)
	if reason != "" {
		return bad(reason)
	}
	p.match.Host = canonHost
	if p.match.Subdomains {
		if strings.HasPrefix(canonHost, "[") || isIPv4(canonHost) {
			return bad("a subdomain wildcard needs a domain name, not an IP address: write the address itself")
		}
		if credentials && isPublicSuffix(canonHost) {
			return bad(canonHost + " is a public suffix (or everything under it is), so *." + canonHost + " would trust sites that anyone can register, with credentials: name your own domain, as in https://*.example." + canonHost)
		}
		p.match.Host = "." + canonHost
	}
	if credentials && !insecureOK && scheme == "http" && !isLoopback(canonHost) {
		secure := "https://" + canonHost
		if p.match.Subdomains {
			secure = "https://*." + canonHost
		}
		return bad("with AllowCredentials, a plain-http origin lets anyone on the network between the user and that site read your users' data: use " + secure + ", or set DangerouslyAllowInsecureOrigins if you accept that risk")
	}
	var sb strings.Builder
	sb.WriteString(scheme)
	sb.WriteString("://")
	if p.match.Subdomains {
		sb.WriteString("*.")
	}
	sb.WriteString(canonHost)
	if p.match.AnyPort {
		sb.WriteString(":*")
	} else if p.match.Port != "" {
		sb.WriteString(":" + p.match.Port)
	}
	p.canonical = sb.String()
	return p, nil
}

// canonicalHost returns a configured host in the form browsers serialise it, or the reason it is invalid.
func canonicalHost(host string) (string, string) {
	if strings.HasPrefix(host, "[") {
		ip, ok := parseIPv6(host)
		if !ok {
			return "", strconv.Quote(host) + " is not a valid IPv6 address: write it as in http://[::1]:8080"
		}
		return serialiseIPv6(ip), ""
	}
	if !utf8.ValidString(host) {
		return "", strconv.Quote(host) + " is not valid UTF-8"
	}
	ascii := strings.ToLower(host)
	if !plainLDH(ascii) {
		var err error
		if ascii, err = idnaProfile.ToASCII(host); err != nil {
			return "", strconv.Quote(host) + " is not a valid host name (" + err.Error() + ")"
		}
		ascii = strings.ToLower(ascii)
		// A punycode label must be the canonical encoding of a non-ASCII label (UTS #46 §4.1, since
		// Unicode 15.1, which this IDNA package predates): "xn--abc-" decodes to plain "abc", a label
		// browsers refuse, so it is refused here rather than silently rewritten to another host.
		in, out := strings.Split(strings.ToLower(host), "."), strings.Split(ascii, ".")
		for i := range in {
			if strings.HasPrefix(in[i], "xn--") && (len(in) != len(out) || in[i] != out[i]) {
				return "", strconv.Quote(host) + " is not a valid host name: " + strconv.Quote(in[i]) + " is not the punycode of an international label"
			}
		}
	}
	if endsInNumber(ascii) {
		ip, err := netip.ParseAddr(ascii)
		if err != nil || !ip.Is4() {
			return "", strconv.Quote(host) + " is neither a domain name nor a dotted-quad IPv4 address such as 127.0.0.1"
		}
		return ip.String(), ""
	}
	if !isCanonicalHost(ascii) {
		return "", strconv.Quote(host) + " is not a valid host name: use letters, digits, '-' and '_' in dot-separated labels of at most 63 bytes, no trailing dot"
	}
	return ascii, ""
}

// plainLDH reports whether s is made of lower-case letters, digits, '_' and '-' in dot-separated labels
// that neither start nor end with '-' nor have "--" in their third and fourth places (as "xn--" has). UTS #46
// maps such a host to itself, so it needs no IDNA processing, which is by far the costliest step of New.
func plainLDH(s string) bool {
	for s != "" {
		label, rest, dot := strings.Cut(s, ".")
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' || len(label) >= 4 && label[2:4] == "--" {
			return false
		}
		for i := 0; i < len(label); i++ {
			if !hostByte[label[i]] {
				return false
			}
		}
		if dot && rest == "" {
			return false // a trailing dot
		}
		s = rest
	}
	return true
}

func isIPv4(host string) bool {
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Is4()
}

// isPublicSuffix reports whether domain is, or has as children, suffixes under which anyone may register
// names (the Public Suffix List, ICANN and private sections, e.g. "com", "co.uk", "github.io",
// "*.compute.amazonaws.com"), or is a single label not on the list, which the list's default rule treats
// the same way. "localhost" is the exception: it only
// ever names this machine.
func isPublicSuffix(domain string) bool {
	if domain == "localhost" {
		return false
	}
	if suffix, _ := publicsuffix.PublicSuffix(domain); suffix == domain {
		return true
	}
	// A wildcard rule of the list ("*.kawasaki.jp", "*.compute.amazonaws.com") makes every child of
	// domain a public suffix, so *.domain would trust names anyone can register just the same.
	child := "cors-check." + domain
	suffix, _ := publicsuffix.PublicSuffix(child)
	return suffix == child
}

func indexAny(s, chars string) int {
	if i := strings.IndexAny(s, chars); i >= 0 {
		return i
	}
	return len(s)
}

func cut(s, chars string) string { return s[:indexAny(s, chars)] }
