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
			return bad(canonHost + " is a public suffix (or everything under it is), so *." + canonHost + " would trust sites that anyone can register, with credentials: name your own domain, as in " + scheme + "://*." + ownDomainUnder(canonHost) + portPattern(p.match))
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

// ownDomainUnder returns a domain under suffix that someone can register, and so that a subdomain
// wildcard over it is accepted: "example." in front of suffix, once more where the list has a wildcard
// rule ("*.kawasaki.jp" makes every child of kawasaki.jp a public suffix too), so that the example in
// an error message is itself a fix.
func ownDomainUnder(suffix string) string {
	d := "example." + suffix
	for range 4 { // the list's rules are at most a few labels deep
		if !isPublicSuffix(d) {
			return d
		}
		d = "example." + d
	}
	return d
}

// portPattern is the port part of a pattern as written: "", ":*" or ":8443".
func portPattern(p match.Pattern) string {
	switch {
	case p.AnyPort:
		return ":*"
	case p.Port != "":
		return ":" + p.Port
	}
	return ""
}

func indexAny(s, chars string) int {
	if i := strings.IndexAny(s, chars); i >= 0 {
		return i
	}
	return len(s)
}

func cut(s, chars string) string { return s[:indexAny(s, chars)] }

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

// parsePort parses a decimal port in 1–65535.
func parsePort(s string) (int, bool) {
	if !isDigits(s) || len(s) > 5 {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, n >= 1 && n <= 65535
}
