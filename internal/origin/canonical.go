package origin

import (
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// idnaProfile turns configured domains into the ASCII form browsers send, with UTS #46 processing as the
// URL standard's https://url.spec.whatwg.org/#concept-domain-to-ascii does (non-transitional, no STD3
// restriction so that '_' stays valid).
var idnaProfile = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.Transitional(false),
	idna.StrictDomainName(false),
	idna.VerifyDNSLength(true),
)

// canonicalHost returns a configured host in the form browsers serialize it, or why it is invalid.
func canonicalHost(host string) (string, error) {
	if strings.HasPrefix(host, "[") {
		ip, ok := ParseIPv6(host)
		if !ok {
			return "", errors.New(strconv.Quote(host) + " is not a valid IPv6 address: write it as in http://[::1]:8080")
		}
		return SerializeIPv6(ip), nil
	}
	if !utf8.ValidString(host) {
		return "", errors.New(strconv.Quote(host) + " is not valid UTF-8")
	}
	ascii := strings.ToLower(host)
	if !plainLDH(ascii) {
		var err error
		if ascii, err = toASCII(host); err != nil {
			return "", err
		}
	}
	if endsInNumber(ascii) {
		ip, err := netip.ParseAddr(ascii)
		if err != nil || !ip.Is4() {
			return "", errors.New(strconv.Quote(host) + " is neither a domain name nor a dotted-quad IPv4 address such as 127.0.0.1")
		}
		return ip.String(), nil
	}
	if !isCanonicalHost(ascii) {
		return "", errors.New(strconv.Quote(host) + " is not a valid host name: use letters, digits, '-' and '_' in dot-separated labels of at most 63 bytes, no trailing dot")
	}
	return ascii, nil
}

// toASCII is UTS #46 processing of a host that is not plain letters, digits and hyphens.
func toASCII(host string) (string, error) {
	ascii, err := idnaProfile.ToASCII(host)
	if err != nil {
		return "", errors.New(strconv.Quote(host) + " is not a valid host name (" + err.Error() + ")")
	}
	ascii = strings.ToLower(ascii)
	// A punycode label must be the canonical encoding of a non-ASCII label (UTS #46 §4.1, since
	// Unicode 15.1, which this IDNA package predates): "xn--abc-" decodes to plain "abc", a label
	// browsers refuse, so it is refused here rather than silently rewritten to another host.
	in, out := strings.Split(strings.ToLower(host), "."), strings.Split(ascii, ".")
	for i := range in {
		if strings.HasPrefix(in[i], "xn--") && (len(in) != len(out) || in[i] != out[i]) {
			return "", errors.New(strconv.Quote(host) + " is not a valid host name: " + strconv.Quote(in[i]) + " is not the punycode of an international label")
		}
	}
	return ascii, nil
}

// plainLDH reports whether s is made of lower-case letters, digits, '_' and '-' in dot-separated labels
// that neither start nor end with '-' nor have "--" in their third and fourth places (as "xn--" has). UTS
// #46 maps such a host to itself, so it needs no IDNA processing, which is by far the costliest step of
// parsing a pattern.
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

// isPublicSuffix reports whether domain is, or has as children, suffixes under which anyone may register
// names (the Public Suffix List, ICANN and private sections, e.g. "com", "co.uk", "github.io",
// "*.compute.amazonaws.com"), or is a single label not on the list, which the list's default rule treats
// the same way. "localhost" is the exception: it only ever names this machine.
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
