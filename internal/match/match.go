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

// Set is the immutable set of configured origins. Every lookup costs the same whatever the number of
// origins configured: exact origins are hashed whole; a pattern is found by hashing the request's host
// (any-port patterns) or its parent domains, only at the depths some pattern names (subdomain
// wildcards), and then comparing the scheme and port of the few patterns on that host. Up to eight
// exact origins, and up to eight wildcard patterns, are compared one by one instead, which costs less
// than one hash.
type Set struct {
	// The exact origins: a list when there are few, since comparing a handful of strings costs less
	// than hashing one; a map otherwise.
	few   []string
	exact map[string]struct{}
	// exactLens has bit n set when some exact origin in the map is n bytes long: an origin of another
	// length is refused without being hashed.
	exactLens lengths

	// fewPatterns holds the wildcard patterns when there are few, for the same reason as few: a handful
	// of suffix comparisons costs less than hashing a parent domain. anyPort, parents and depths are
	// then empty.
	fewPatterns []Pattern
	// anyPort holds the patterns with an exact host and ":*", by host.
	anyPort map[string][]Pattern
	// parents holds the subdomain wildcards, by parent domain with its leading dot (".example.com").
	parents map[string][]Pattern
	// depths has bit d set when some subdomain wildcard's parent domain has d labels (1 to 127: a host
	// has at most 253 bytes). A request host is looked up only at those depths.
	depths [2]uint64
	// parentLens has bit n set when some key of parents is n bytes long; like exactLens, it spares
	// hashing a parent domain that cannot be there.
	parentLens lengths
}

// lengths is a set of string lengths up to maxLen; longer ones are all in it, so that a set that
// answers false is always right.
type lengths [maxLen/64 + 1]uint64

// maxLen covers every serialised origin the caller compares (it refuses longer ones first).
const maxLen = 383

func (l *lengths) add(n int) {
	n = min(n, maxLen)
	l[n/64] |= 1 << (n % 64)
}

func (l *lengths) has(n int) bool {
	n = min(n, maxLen)
	return l[n/64]&(1<<(n%64)) != 0
}

// fewExact is the most exact origins kept as a list; fewWildcards the most wildcard patterns.
const (
	fewExact     = 8
	fewWildcards = 8
)

// NewSet returns a set of exact serialised origins and patterns. It keeps its own copies.
func NewSet(exact []string, patterns []Pattern) *Set {
	s := new(Set)
	if len(exact) <= fewExact {
		s.few = append([]string(nil), exact...)
	} else {
		s.exact = make(map[string]struct{}, len(exact))
		for _, e := range exact {
			s.exact[e] = struct{}{}
			s.exactLens.add(len(e))
		}
	}
	var wildcards []Pattern
	for _, p := range patterns {
		if p.Subdomains || p.AnyPort {
			wildcards = append(wildcards, p)
		} else {
			// An exact origin given as a pattern: what Match of it accepts is exactly its serialisation.
			// NewSet's callers pass such origins in exact; this keeps the set correct if one does not.
			s.addExact(p.Scheme + "://" + p.Host + portSuffix(p.Port))
		}
	}
	if len(wildcards) <= fewWildcards {
		s.fewPatterns = wildcards
		return s
	}
	for _, p := range wildcards {
		switch {
		case p.Subdomains:
			if s.parents == nil {
				s.parents = make(map[string][]Pattern)
			}
			s.parents[p.Host] = append(s.parents[p.Host], p)
			s.parentLens.add(len(p.Host))
			d := strings.Count(p.Host, ".") // p.Host starts with the dot
			s.depths[d/64&1] |= 1 << (d % 64)
		default:
			if s.anyPort == nil {
				s.anyPort = make(map[string][]Pattern)
			}
			s.anyPort[p.Host] = append(s.anyPort[p.Host], p)
		}
	}
	return s
}

func (s *Set) addExact(origin string) {
	if s.exact == nil && len(s.few) < fewExact {
		s.few = append(s.few, origin)
		return
	}
	if s.exact == nil {
		s.exact = make(map[string]struct{}, fewExact+1)
		for _, e := range s.few {
			s.exact[e] = struct{}{}
			s.exactLens.add(len(e))
		}
		s.few = nil
	}
	s.exact[origin] = struct{}{}
	s.exactLens.add(len(origin))
}

func portSuffix(port string) string {
	if port == "" {
		return ""
	}
	return ":" + port
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
	if !s.exactLens.has(len(serialised)) {
		return false
	}
	_, ok := s.exact[serialised]
	return ok
}

// MatchPattern reports whether some pattern matches the origin serialised as s, in the sense of
// [Pattern.Match]: a false answer always holds, a true one once s has parsed as a canonical origin.
func (s *Set) MatchPattern(serialised string) bool {
	if s.fewPatterns == nil && s.anyPort == nil && s.parents == nil {
		return false
	}
	scheme, host, port, hasPort, ok := split(serialised)
	if !ok {
		return false
	}
	if s.fewPatterns != nil {
		for i := range s.fewPatterns {
			p := &s.fewPatterns[i]
			if p.hasSchemeAndPort(scheme, port, hasPort) && p.hasHost(host) {
				return true
			}
		}
		return false
	}
	if s.anyPort != nil {
		if ps, ok := s.anyPort[host]; ok && matchAny(ps, scheme, port, hasPort) {
			return true
		}
	}
	if s.parents == nil {
		return false
	}
	// Walk the host's parent domains from the shortest, one label at a time, looking up only the
	// depths some wildcard names. The parent must leave at least one label in front of it: the
	// loop stops before the host's first label.
	depth := 0
	for j := len(host) - 1; j > 0; j-- {
		if host[j] != '.' {
			continue
		}
		depth++
		if depth >= 128 {
			break
		}
		if s.depths[depth/64]&(1<<(depth%64)) == 0 || !s.parentLens.has(len(host)-j) {
			continue
		}
		if ps, ok := s.parents[host[j:]]; ok && matchAny(ps, scheme, port, hasPort) {
			return true
		}
	}
	return false
}

// split splits serialised as a canonical origin is split: scheme "://" host [":" port], where the port
// is the digits after the host (a bracketed IPv6 address ends in "]", a domain or an IPv4 address never
// in ":" and digits). On any other text the split may be wrong, and so may a true answer of MatchPattern,
// which the caller's parse then refuses; a false answer holds, as for Pattern.Match, since a canonical
// origin that a pattern allows is split right.
func split(serialised string) (scheme, host, port string, hasPort, ok bool) {
	i := strings.IndexByte(serialised, ':')
	if i < 0 || !strings.HasPrefix(serialised[i:], "://") {
		return "", "", "", false, false
	}
	scheme, host = serialised[:i], serialised[i+3:]
	j := len(host)
	for j > 0 && '0' <= host[j-1] && host[j-1] <= '9' {
		j--
	}
	if j > 0 && j < len(host) && host[j-1] == ':' {
		host, port, hasPort = host[:j-1], host[j:], true
	}
	return scheme, host, port, hasPort, true
}

// hasHost reports whether p allows host, split from a request origin.
func (p *Pattern) hasHost(host string) bool {
	if !p.Subdomains {
		return host == p.Host
	}
	// As in Match: at least one whole label in front of the parent domain.
	return len(host) > len(p.Host) && strings.HasSuffix(host, p.Host)
}

// hasSchemeAndPort reports whether p allows the scheme and port split from a request origin.
func (p *Pattern) hasSchemeAndPort(scheme, port string, hasPort bool) bool {
	return p.Scheme == scheme && (p.AnyPort || hasPort && p.Port == port && port != "" || !hasPort && p.Port == "")
}

// matchAny reports whether one of ps, which all have the request's host, has its scheme and port.
func matchAny(ps []Pattern, scheme, port string, hasPort bool) bool {
	for i := range ps {
		if ps[i].hasSchemeAndPort(scheme, port, hasPort) {
			return true
		}
	}
	return false
}
