package origin

import (
	"strconv"
	"strings"
)

// Pattern is one parsed entry of a policy's AllowedOrigins, in canonical form.
type Pattern struct {
	Any        bool   // "*": every origin; no other field is set
	Scheme     string // lower case
	Host       string // a canonical host (see [Origin]); under Subdomains, the parent domain
	Subdomains bool   // "*." before the host: one or more labels, never the parent domain itself
	Port       string // decimal without leading zeros, "" for the default port; "" under AnyPort
	AnyPort    bool   // ":*" after the host: any port, the default one included
}

// IsExact reports whether p allows exactly one origin, the one its String names.
func (p Pattern) IsExact() bool { return !p.Any && !p.Subdomains && !p.AnyPort }

// String is p's canonical form, the one way an entry is written: "*", "https://app.example.com",
// "https://*.example.com:8443", "http://localhost:*". For an exact pattern it is the serialized origin
// a browser sends.
func (p Pattern) String() string {
	if p.Any {
		return "*"
	}
	var sb strings.Builder
	sb.Grow(len(p.Scheme) + len("://*.") + len(p.Host) + len(":65535"))
	sb.WriteString(p.Scheme)
	sb.WriteString("://")
	if p.Subdomains {
		sb.WriteString("*.")
	}
	sb.WriteString(p.Host)
	switch {
	case p.AnyPort:
		sb.WriteString(":*")
	case p.Port != "":
		sb.WriteString(":" + p.Port)
	}
	return sb.String()
}

// portString is the port part of p as written: "", ":*" or ":8443".
func (p Pattern) portString() string {
	switch {
	case p.AnyPort:
		return ":*"
	case p.Port != "":
		return ":" + p.Port
	}
	return ""
}

// Trust is what the policy grants the origins its patterns allow, which bounds what a pattern may be.
type Trust struct {
	// Credentials: pages on these origins read responses with the user's cookies. Then "*" is refused,
	// so is a wildcard over a public suffix, and so is a plain-http origin that is not loopback, unless
	// Insecure.
	Credentials bool
	// Insecure accepts plain-http origins with credentials anyway (DangerouslyAllowInsecureOrigins).
	Insecure bool
}

// A PatternError is an AllowedOrigins entry that is not a valid pattern; its reason says what to write
// instead.
type PatternError struct {
	Entry  string
	Reason string
}

func (e *PatternError) Error() string { return strconv.Quote(e.Entry) + ": " + e.Reason }

// ParsePattern parses and normalizes one AllowedOrigins entry under the policy's trust. Its error says
// what to write instead, as an entry that is itself accepted.
func ParsePattern(entry string, trust Trust) (Pattern, error) {
	bad := func(reason string) (Pattern, error) {
		return Pattern{}, &PatternError{Entry: entry, Reason: reason}
	}
	if p, reason, done := parseSpecial(entry, trust); done {
		if reason != "" {
			return bad(reason)
		}
		return p, nil
	}
	scheme, hostport, reason := splitScheme(entry)
	if reason != "" {
		return bad(reason)
	}
	host, port, hasPort, reason := splitHostPort(scheme, hostport)
	if reason != "" {
		return bad(reason)
	}
	p := Pattern{Scheme: scheme}
	if hasPort {
		if reason := p.setPort(port, host); reason != "" {
			return bad(reason)
		}
	}
	if reason := p.setHost(host, trust); reason != "" {
		return bad(reason)
	}
	if trust.Credentials && !trust.Insecure && scheme == "http" && !IsLoopback(p.Host) {
		secure := Pattern{Scheme: "https", Host: p.Host, Subdomains: p.Subdomains}
		return bad("with AllowCredentials, a plain-http origin lets anyone on the network between the user and that site read your users' data: use " + secure.String() + ", or set DangerouslyAllowInsecureOrigins if you accept that risk")
	}
	return p, nil
}

// parseSpecial parses the entries that are not scheme://host[:port]: "*", and the mistakes recognized
// before any parsing. done reports that the entry was one of them: p is the pattern, or reason why not.
func parseSpecial(entry string, trust Trust) (p Pattern, reason string, done bool) {
	switch {
	case entry == "*":
		if trust.Credentials {
			return p, `"*" cannot be combined with AllowCredentials (browsers reject "Access-Control-Allow-Origin: *" on credentialed requests, and reflecting any origin with credentials lets every site read your users' data): list the origins you trust, e.g. https://app.example.com or https://*.example.com`, true
		}
		return Pattern{Any: true}, "", true
	case entry == "":
		return p, "an empty entry allows nothing: remove it, or write an origin such as https://app.example.com", true
	case strings.EqualFold(entry, "null"):
		return p, `the "null" origin is shared by sandboxed iframes, file: pages and redirected requests, and any site can produce it on demand, so allowing it allows everyone: remove it`, true
	case strings.TrimSpace(entry) != entry:
		return p, "remove the surrounding whitespace: write " + strings.TrimSpace(entry), true
	}
	return p, "", false
}

// splitScheme splits scheme://hostport, lower-casing the scheme, and refuses user information, a path,
// a query and a fragment.
func splitScheme(entry string) (scheme, hostport, reason string) {
	i := strings.Index(entry, "://")
	if i < 0 {
		return "", "", "an origin is scheme://host[:port]: write https://" + entry + " (or the scheme the page really uses)"
	}
	if !isScheme(entry[:i]) {
		return "", "", "the scheme " + strconv.Quote(entry[:i]) + " is not valid: a scheme is a letter followed by letters, digits, '+', '-' or '.'"
	}
	scheme, hostport = strings.ToLower(entry[:i]), entry[i+3:]
	if at := strings.IndexByte(hostport, '@'); at >= 0 && at < indexAny(hostport, "/?#") {
		// Name the real host: in "https://example.com@evil.com" it is evil.com, which may not be what
		// the author meant.
		host := hostport[at+1:]
		host = host[:indexAny(host, "/?#")]
		return "", "", "an origin has no user information, and everything before '@' is user information: the host here is " + host + "; if that is the site you mean, write " + scheme + "://" + host
	}
	if j := indexAny(hostport, "/?#"); j < len(hostport) {
		what := map[byte]string{'/': "path (not even a trailing slash)", '?': "query", '#': "fragment"}[hostport[j]]
		return "", "", "an origin has no " + what + ": write " + scheme + "://" + hostport[:j]
	}
	return scheme, hostport, ""
}

// splitHostPort splits host[:port], where the host may be a bracketed IPv6 address.
func splitHostPort(scheme, hostport string) (host, port string, hasPort bool, reason string) {
	if !strings.HasPrefix(hostport, "[") {
		if j := strings.LastIndexByte(hostport, ':'); j >= 0 {
			return hostport[:j], hostport[j+1:], true, ""
		}
		return hostport, "", false, ""
	}
	end := strings.IndexByte(hostport, ']')
	if end < 0 {
		return "", "", false, "an IPv6 address needs its closing bracket, as in http://[::1]:8080"
	}
	host, rest := hostport[:end+1], hostport[end+1:]
	if rest == "" {
		return host, "", false, ""
	}
	if rest[0] != ':' {
		return "", "", false, "unexpected " + strconv.Quote(rest) + " after the IPv6 address: write " + scheme + "://" + host + "[:port]"
	}
	return host, rest[1:], true, ""
}

// setPort sets p's port from the text after the host's colon: "*", or a port in 1–65535, dropped when it
// is the scheme's default.
func (p *Pattern) setPort(port, host string) (reason string) {
	switch n, ok := parsePort(port); {
	case port == "*":
		p.AnyPort = true
	case port == "":
		return "the port is empty: remove the ':' or write a port such as " + p.Scheme + "://" + host + ":8080"
	case !isDigits(port):
		return "the port " + strconv.Quote(port) + " is not a number: write a port in 1–65535, or * for any port"
	case !ok:
		return "the port " + port + " is out of range: ports are 1–65535"
	case n != DefaultPort(p.Scheme):
		p.Port = strconv.Itoa(n)
	}
	return ""
}

// setHost sets p's host, and Subdomains for "*." in front of it, in canonical form.
func (p *Pattern) setHost(host string, trust Trust) (reason string) {
	if strings.HasPrefix(host, "*.") {
		p.Subdomains = true
		host = host[2:]
	}
	switch {
	case host == "*":
		return `a wildcard host would allow every site: to allow any origin write "*" alone (without credentials); otherwise name the domain, as in https://*.example.com`
	case strings.Contains(host, "*"):
		return `"*" may stand only for whole leading labels (https://*.example.com) or for the port (http://localhost:*); write one of those forms`
	case host == "":
		return "the host is missing: write " + p.Scheme + "://host[:port], as in https://app.example.com"
	}
	canonical, err := canonicalHost(host)
	if err != nil {
		return err.Error()
	}
	p.Host = canonical
	if !p.Subdomains {
		return ""
	}
	if strings.HasPrefix(canonical, "[") || isIPv4(canonical) {
		return "a subdomain wildcard needs a domain name, not an IP address: write the address itself"
	}
	if trust.Credentials && isPublicSuffix(canonical) {
		return canonical + " is a public suffix (or everything under it is), so *." + canonical + " would trust sites that anyone can register, with credentials: name your own domain, as in " + p.Scheme + "://*." + ownDomainUnder(canonical) + p.portString()
	}
	return ""
}

func indexAny(s, chars string) int {
	if i := strings.IndexAny(s, chars); i >= 0 {
		return i
	}
	return len(s)
}

// isScheme reports whether s, a configured scheme in any case, is a URL scheme:
// ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (https://www.rfc-editor.org/rfc/rfc3986#section-3.1).
func isScheme(s string) bool {
	if s == "" || len(s) > MaxSchemeLen {
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
