package origin

import (
	"fmt"
	"strings"
)

// Set is the immutable index of a policy's origins: exact origins and wildcard patterns. It answers
// whether a request's Origin is allowed in time that does not grow with the number of entries: exact
// origins are hashed whole; a wildcard is found by hashing the request's host (any-port patterns) or its
// parent domains, only at the depths some pattern names (subdomain wildcards), and then comparing the
// scheme and port of the few patterns on that host. Up to eight exact origins, and up to eight wildcard
// patterns, are compared one by one instead, which costs less than one hash.
//
// A wildcard compares the text of the request's origin, part by part, scheme, host and port, as a
// canonical origin is split: the scheme and the port compare equal; the host compares equal, or, under a
// subdomain wildcard, must end in "." followed by the parent domain. That suffix always falls on a label
// boundary, so "https://*.example.com" can never match "https://evil-example.com" or
// "https://example.com.evil.com". What a wildcard lets through is then parsed: only a canonical origin is
// allowed. Comparing first is cheaper: an origin that no entry allows is refused without being parsed.
type Set struct {
	// The exact origins: a list when there are few, since comparing a handful of strings costs less
	// than hashing one; a map otherwise.
	few   []string
	exact map[string]struct{}
	// exactLens has bit n set when some exact origin in the map is n bytes long: an origin of another
	// length is refused without being hashed.
	exactLens lengths

	// fewWildcards holds the wildcard patterns when there are few, for the same reason as few: a handful
	// of suffix comparisons costs less than hashing a parent domain. anyPort, parents and depths are
	// then empty.
	fewWildcards []wildcard
	// anyPort holds the patterns with an exact host and ":*", by host.
	anyPort map[string][]wildcard
	// parents holds the subdomain wildcards, by parent domain with its leading dot (".example.com").
	parents map[string][]wildcard
	// depths has bit d set when some subdomain wildcard's parent domain has d labels (1 to 127: a host
	// has at most 253 bytes). A request host is looked up only at those depths.
	depths [2]uint64
	// parentLens has bit n set when some key of parents is n bytes long; like exactLens, it spares
	// hashing a parent domain that cannot be there.
	parentLens lengths
	// hasWildcards: some wildcard is listed or indexed.
	hasWildcards bool
}

// wildcard is a Pattern with a wildcard, as the index compares it.
type wildcard struct {
	scheme string
	// host is the exact host under anyPort, or, under subdomains, the parent domain with a leading dot
	// (".example.com"), so that a suffix match always falls on a label boundary.
	host       string
	subdomains bool
	port       string
	anyPort    bool
}

// lengths is a set of string lengths up to MaxLen, the longest origin a Set compares.
type lengths [MaxLen/64 + 1]uint64

func (l *lengths) add(n int) { l[n/64] |= 1 << (n % 64) }

func (l *lengths) has(n int) bool { return l[n/64]&(1<<(n%64)) != 0 }

// fewExact is the most exact origins kept as a list; fewWildcards the most wildcard patterns.
const (
	fewExact     = 8
	fewWildcards = 8
)

// NewSet returns the set of the exact serialized origins, each an exact [Pattern]'s String, and of the
// wildcard patterns. It keeps its own copies. An exact origin that is not canonical is an error, since
// finding a request's origin among them is what proves it valid; so is a pattern without a wildcard (or
// "*") among the wildcards: an exact origin is compared as a string, and only as one.
func NewSet(exact []string, wildcards []Pattern) (*Set, error) {
	s := new(Set)
	for _, e := range exact {
		if !IsCanonical(e) {
			return nil, fmt.Errorf("origin: %q is not a canonical serialized origin", e)
		}
	}
	if len(exact) <= fewExact {
		s.few = append([]string(nil), exact...)
	} else {
		s.exact = make(map[string]struct{}, len(exact))
		for _, e := range exact {
			s.exact[e] = struct{}{}
			s.exactLens.add(len(e))
		}
	}
	ws := make([]wildcard, 0, len(wildcards))
	for _, p := range wildcards {
		if p.Any || !p.Subdomains && !p.AnyPort {
			return nil, fmt.Errorf("origin: %s is not a wildcard pattern: pass it among the exact origins", p)
		}
		w := wildcard{scheme: p.Scheme, host: p.Host, subdomains: p.Subdomains, port: p.Port, anyPort: p.AnyPort}
		if p.Subdomains {
			w.host = "." + p.Host
		}
		ws = append(ws, w)
	}
	s.hasWildcards = len(ws) > 0
	switch {
	case len(ws) == 0:
		// No wildcard: Allows answers without splitting the origin.
	case len(ws) <= fewWildcards:
		s.fewWildcards = ws
	default:
		s.index(ws)
	}
	return s, nil
}

// index files many wildcards by host and by parent domain.
func (s *Set) index(ws []wildcard) {
	for _, w := range ws {
		if !w.subdomains {
			if s.anyPort == nil {
				s.anyPort = make(map[string][]wildcard)
			}
			s.anyPort[w.host] = append(s.anyPort[w.host], w)
			continue
		}
		if s.parents == nil {
			s.parents = make(map[string][]wildcard)
		}
		s.parents[w.host] = append(s.parents[w.host], w)
		s.parentLens.add(len(w.host))
		d := strings.Count(w.host, ".") // w.host starts with the dot
		s.depths[d/64&1] |= 1 << (d % 64)
	}
}

// Allows reports whether the set allows the request origin serialized as s: s is one of the exact
// origins byte for byte, or a wildcard matches it and it is a canonical origin ([Parse]).
func (s *Set) Allows(serialized string) bool {
	// The length first, so that a hostile value is never even compared. An exact origin is canonical, so
	// finding serialized among them proves it valid.
	if len(serialized) > MaxLen {
		return false
	}
	if s.hasExact(serialized) {
		return true
	}
	return s.hasWildcards && s.matchWildcard(serialized)
}

// hasExact reports whether serialized is one of the exact origins.
func (s *Set) hasExact(serialized string) bool {
	if s.exact == nil {
		for _, e := range s.few {
			if e == serialized {
				return true
			}
		}
		return false
	}
	if !s.exactLens.has(len(serialized)) {
		return false
	}
	_, ok := s.exact[serialized]
	return ok
}

// matchWildcard reports whether some wildcard matches the text serialized, split as a canonical origin
// is, and serialized is a canonical origin. Comparing first is cheaper: an origin that no wildcard matches
// is refused without being parsed. It is one function, its loops inline, because it runs on every
// request whose origin is not an exact one.
func (s *Set) matchWildcard(serialized string) bool {
	scheme, host, port, hasPort, ok := split(serialized)
	if !ok {
		return false
	}
	if s.fewWildcards != nil {
		for i := range s.fewWildcards {
			w := &s.fewWildcards[i]
			if w.hasSchemeAndPort(scheme, port, hasPort) && w.hasHost(host) {
				return IsCanonical(serialized)
			}
		}
		return false
	}
	if s.anyPort != nil {
		if ws, ok := s.anyPort[host]; ok && matchAny(ws, scheme, port, hasPort) {
			return IsCanonical(serialized)
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
		if ws, ok := s.parents[host[j:]]; ok && matchAny(ws, scheme, port, hasPort) {
			return IsCanonical(serialized)
		}
	}
	return false
}

// split splits serialized as a canonical origin is split: scheme "://" host [":" port], where the port
// is the digits after the host (a bracketed IPv6 address ends in "]", a domain or an IPv4 address never
// in ":" and digits). On any other text the split may be wrong, and so may a true answer of
// matchWildcard, which Parse then refuses; a false answer holds, since a canonical origin that a
// wildcard allows is split right.
func split(serialized string) (scheme, host, port string, hasPort, ok bool) {
	i := strings.IndexByte(serialized, ':')
	if i < 0 || !strings.HasPrefix(serialized[i:], "://") {
		return "", "", "", false, false
	}
	scheme, host = serialized[:i], serialized[i+3:]
	j := len(host)
	for j > 0 && '0' <= host[j-1] && host[j-1] <= '9' {
		j--
	}
	if j > 0 && j < len(host) && host[j-1] == ':' {
		host, port, hasPort = host[:j-1], host[j:], true
	}
	return scheme, host, port, hasPort, true
}

// hasHost reports whether w allows host, split from a request origin.
func (w *wildcard) hasHost(host string) bool {
	if !w.subdomains {
		return host == w.host
	}
	// w.host starts with "." and a canonical host has no empty label, so a strictly longer host with
	// this suffix has at least one whole label in front of the parent domain.
	return len(host) > len(w.host) && strings.HasSuffix(host, w.host)
}

// hasSchemeAndPort reports whether w allows the scheme and port split from a request origin.
func (w *wildcard) hasSchemeAndPort(scheme, port string, hasPort bool) bool {
	return w.scheme == scheme && (w.anyPort || hasPort && w.port == port || !hasPort && w.port == "")
}

// matchAny reports whether one of ws, which all have the request's host, has its scheme and port.
func matchAny(ws []wildcard, scheme, port string, hasPort bool) bool {
	for i := range ws {
		if ws[i].hasSchemeAndPort(scheme, port, hasPort) {
			return true
		}
	}
	return false
}
