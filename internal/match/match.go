// Package match decides whether a parsed request origin is one that the configuration allows.
//
// Origins are compared as tuples (scheme, host, port) in their canonical serialised form, never as
// strings with prefix or suffix tricks: a subdomain wildcard matches whole DNS labels only, so
// "https://*.example.com" can never match "https://evil-example.com" or "https://example.com.evil.com".
package match

import "strings"

// Origin is a request origin that parsed as a canonical serialised origin (Fetch §3.1 "`Origin` header"):
// lower-case scheme, lower-case ASCII host, and Port empty for the scheme's default port.
type Origin struct {
	Scheme string
	Host   string // a domain, a dotted-quad IPv4 address, or a bracketed IPv6 address
	Port   string // decimal without leading zeros; "" for the default port
}

// Pattern is one configured origin pattern.
type Pattern struct {
	Scheme string
	// Host is the exact host, or, when Subdomains is set, the parent domain with a leading dot
	// (".example.com"), so that a suffix match always falls on a label boundary.
	Host       string
	Subdomains bool   // "*." in front of the host: one or more labels, never the parent domain itself
	Port       string // as in Origin; ignored when AnyPort is set
	AnyPort    bool   // ":*" after the host: any port, the default one included
}

// Match reports whether o is allowed by p.
func (p *Pattern) Match(o Origin) bool {
	if o.Scheme != p.Scheme || (!p.AnyPort && o.Port != p.Port) {
		return false
	}
	if !p.Subdomains {
		return o.Host == p.Host
	}
	// p.Host starts with "." and the parser guarantees that every label of o.Host is non-empty, so a
	// strictly longer host with this suffix has at least one whole label in front of the parent domain.
	return len(o.Host) > len(p.Host) && strings.HasSuffix(o.Host, p.Host)
}

// Set is the immutable set of configured origins.
type Set struct {
	exact    map[string]struct{}
	patterns []Pattern
}

// NewSet returns a set of exact serialised origins and patterns. It keeps its own copies.
func NewSet(exact []string, patterns []Pattern) *Set {
	s := &Set{exact: make(map[string]struct{}, len(exact)), patterns: append([]Pattern(nil), patterns...)}
	for _, e := range exact {
		s.exact[e] = struct{}{}
	}
	return s
}

// HasExact reports whether serialised is one of the exact origins. The comparison is byte for byte:
// exact origins are stored in canonical form, which is the only form a browser sends.
func (s *Set) HasExact(serialised string) bool {
	_, ok := s.exact[serialised]
	return ok
}

// HasPatterns reports whether the set holds any pattern.
func (s *Set) HasPatterns() bool { return len(s.patterns) > 0 }

// MatchPattern reports whether some pattern matches o.
func (s *Set) MatchPattern(o Origin) bool {
	for i := range s.patterns {
		if s.patterns[i].Match(o) {
			return true
		}
	}
	return false
}
