package fetch

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"

	"github.com/crossorigin/cors/internal/header"
	"github.com/crossorigin/cors/internal/origin"
)

// SerializeOrigin returns the serialization of u's origin as a browser writes it in an Origin header
// (HTML "serialization of an origin"): scheme "://" host [":" port], lower case, the default port
// dropped, IPv6 in brackets. URLs without a tuple origin (file:, data:, ...) serialize to "null".
func SerializeOrigin(u *url.URL) string {
	scheme := header.Lower(u.Scheme)
	host := u.Hostname()
	if u.Opaque != "" || host == "" || scheme == "file" || scheme == "data" || scheme == "blob" {
		return "null"
	}
	host = header.Lower(host)
	if a, err := idna.Lookup.ToASCII(host); err == nil {
		host = a
	}
	if strings.Contains(host, ":") {
		if ip, err := netip.ParseAddr(host); err == nil && ip.Is6() && ip.Zone() == "" {
			host = origin.SerializeIPv6(ip) // the URL standard's serializer, brackets included
		} else {
			host = "[" + host + "]"
		}
	}
	port := u.Port()
	if port != "" {
		if n, err := strconv.Atoi(port); err == nil {
			port = strconv.Itoa(n)
		}
	}
	// The URL standard's default port of the scheme is omitted (https://url.spec.whatwg.org/#default-port).
	if port == "" || strconv.Itoa(origin.DefaultPort(scheme)) == port {
		return scheme + "://" + host
	}
	return scheme + "://" + host + ":" + port
}

// ParseOrigin checks that s is a serialized origin exactly as a browser sends it in an Origin header
// ("https://app.example.com", "http://localhost:3000", or "null" for an opaque origin) and returns
// it. A value that names an origin in another spelling is refused with the spelling to use, so that an
// explanation never rests on an Origin no browser sends.
func ParseOrigin(s string) (string, error) {
	if s == "null" {
		return s, nil
	}
	if s == "" {
		return "", errors.New("the origin is empty")
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%q is not an origin (scheme://host[:port]): %v", s, err)
	}
	if u.Scheme == "" || u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("%q is not an origin: write it as scheme://host[:port], e.g. https://app.example.com", s)
	}
	if u.User != nil {
		return "", fmt.Errorf("%q is not an origin: an origin has no user name or password", s)
	}
	if err := HostError(u); err != nil {
		return "", fmt.Errorf("%q is not an origin: %v", s, err)
	}
	canonical := SerializeOrigin(u)
	if u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery || strings.HasSuffix(s, "#") {
		return "", fmt.Errorf("%q is not an origin: an origin has no path, query or fragment (not even a trailing slash): use %s", s, canonical)
	}
	if canonical != s {
		return "", fmt.Errorf("a browser never sends the origin %q: it writes it %s", s, canonical)
	}
	return s, nil
}

// HostError says why fetch() throws on u although Go's url.Parse read it, nil when it does not: the URL
// standard's host parser (https://url.spec.whatwg.org/#host-parsing) refuses a host that is empty before
// a port ("http://:80"), holds a colon outside brackets ("http://::"), is bracketed but no IPv6 address
// or one with a zone, or holds a forbidden domain code point once percent-decoded ("<", ">", "^", "%", a
// control); and its port state refuses a port above 65535 (https://url.spec.whatwg.org/#port-state).
func HostError(u *url.URL) error {
	host := u.Hostname()
	switch {
	case host == "":
		return errors.New("its host is empty")
	case strings.HasPrefix(u.Host, "["):
		if ip, err := netip.ParseAddr(host); err != nil || !ip.Is6() || ip.Zone() != "" {
			return fmt.Errorf("its host [%s] is no IPv6 address a URL can hold", host)
		}
	case strings.ContainsFunc(host, forbiddenDomainCodePoint):
		return fmt.Errorf("its host %q holds a character no host can (a colon outside brackets, a space, < > ^ | %% or a control)", host)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n > 65535 {
			return fmt.Errorf("its port %s is above 65535", p)
		}
	}
	return nil
}

// forbiddenDomainCodePoint reports whether r may not appear in a domain
// (https://url.spec.whatwg.org/#forbidden-domain-code-point).
func forbiddenDomainCodePoint(r rune) bool {
	return r <= 0x20 || r == 0x7f || strings.ContainsRune("#%/:<>?@[\\]^|", r)
}

// SameOrigin reports whether the origins of a and b are the same tuple (scheme, host, port).
func SameOrigin(a, b *url.URL) bool {
	sa := SerializeOrigin(a)
	return sa != "null" && sa == SerializeOrigin(b)
}

// originURL parses a serialized origin back into a URL, nil for "null".
func originURL(serialized string) *url.URL {
	if serialized == "null" {
		return nil
	}
	u, err := url.Parse(serialized)
	if err != nil {
		return nil
	}
	return u
}

// RegistrableDomain returns the registrable domain of host ("example.co.uk" for "api.example.co.uk"),
// or host itself for an IP address, "localhost" or a public suffix.
func RegistrableDomain(host string) string {
	host = header.Lower(strings.TrimSuffix(host, "."))
	if net.ParseIP(strings.Trim(host, "[]")) != nil {
		return host
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return host
	}
	return d
}

// secFetchSite is the Sec-Fetch-Site value of a request from the serialized origin to u
// (https://w3c.github.io/webappsec-fetch-metadata/#sec-fetch-site-header):
// same-origin, same-site (same scheme and registrable domain) or cross-site.
func secFetchSite(serialized string, u *url.URL) string {
	o := originURL(serialized)
	switch {
	case o == nil:
		return "cross-site"
	case SameOrigin(o, u):
		return "same-origin"
	case header.EqualFold(o.Scheme, u.Scheme) && RegistrableDomain(o.Hostname()) == RegistrableDomain(u.Hostname()):
		return "same-site"
	}
	return "cross-site"
}
