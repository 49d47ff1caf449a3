// Package match decides whether a request origin is one that the configuration allows.
//
// An origin is compared part by part, scheme, host and port, on its canonical serialisation, which a
// browser always sends and which is exactly the three parts joined ("https://app.example.com:8443").
// The scheme and the port compare equal; the host compares equal, or, under a subdomain wildcard, must end
// in "." followed by the parent domain. That suffix always falls on a label boundary, so
// "https://*.example.com" can never match "https://evil-example.com" or "https://example.com.evil.com".
// Only an origin that parses as canonical is allowed: the caller parses whatever a pattern matches.
package match

import "strings"

// Pattern is one configured origin pattern.
type Pattern struct {
	Scheme string // lower case
	// Host is the exact host (a lower-case ASCII domain, a dotted-quad IPv4 address or a bracketed IPv6
	// address), or, when Subdomains is set, the parent domain with a leading dot
	// (".example.com"), so that a suffix match always falls on a label boundary.
	Host       string
	Subdomains bool   // "*." in front of the host: one or more labels, never the parent domain itself
	Port       string // decimal without leading zeros, "" for the default port; ignored when AnyPort is set
	AnyPort    bool   // ":*" after the host: any port, the default one included
}

// Match reports whether p allows the origin serialised as s: scheme "://" host, then ":" port unless
// the port is the scheme's default.
//
// It compares text, so it is exact only on a canonical serialised origin, which is exactly its three parts
// joined. A false answer always holds: no canonical origin that p allows serialises to s. A true answer
// holds once s has parsed as a canonical origin, which the caller checks afterwards. Comparing first is
// cheaper: an origin that no pattern allows is refused without being parsed.
func (p *Pattern) Match(s string) bool {
	rest, ok := strings.CutPrefix(s, p.Scheme)
	if !ok {
		return false
	}
	if rest, ok = strings.CutPrefix(rest, "://"); !ok {
		return false
	}
	host := rest
	switch {
	case p.AnyPort:
		// Drop the port, if any: a colon after the last "]" (an IPv6 host is bracketed and holds colons).
		if i := strings.LastIndexByte(rest, ':'); i > strings.LastIndexByte(rest, ']') {
			host = rest[:i]
		}
	case p.Port != "":
		n := len(rest) - len(p.Port) - 1
		if n < 0 || rest[n] != ':' || rest[n+1:] != p.Port {
			return false
		}
		host = rest[:n]
	}
	if !p.Subdomains {
		return host == p.Host
	}
	// p.Host starts with "." and a canonical host has no empty label, so a strictly longer host with
	// this suffix has at least one whole label in front of the parent domain.
	return len(host) > len(p.Host) && strings.HasSuffix(host, p.Host)
}

// Set is the immutable set of configured origins.
type Set struct {
	// The exact origins: a list when there are few, since comparing a handful of strings costs less
	// than hashing one; a map otherwise.
	few      []string
	exact    map[string]struct{}
	patterns []Pattern
}

// fewExact is the most exact origins kept as a list.
const fewExact = 8

// NewSet returns a set of exact serialised origins and patterns. It keeps its own copies.
func NewSet(exact []string, patterns []Pattern) *Set {
	s := &Set{patterns: append([]Pattern(nil), patterns...)}
	if len(exact) <= fewExact {
		s.few = append([]string(nil), exact...)
		return s
	}
	s.exact = make(map[string]struct{}, len(exact))
	for _, e := range exact {
		s.exact[e] = struct{}{}
	}
	return s
}

// HasExact reports whether serialised is one of the exact origins. The comparison is byte for byte:
// exact origins are stored in canonical form, which is the only form a browser sends.
func (s *Set) HasExact(serialised string) bool {
	if s.exact == nil {
		for _, e := range s.few {
			if e == serialised {
				return true
			}
		}
		return false
	}
	_, ok := s.exact[serialised]
	return ok
}

// MatchPattern reports whether some pattern matches the origin serialised as s, in the sense of
// [Pattern.Match]: a false answer always holds, a true one once s has parsed as a canonical origin.
func (s *Set) MatchPattern(serialised string) bool {
	for i := range s.patterns {
		if s.patterns[i].Match(serialised) {
			return true
		}
	}
	return false
}
