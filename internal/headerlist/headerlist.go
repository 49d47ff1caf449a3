// Package headerlist reads the comma-separated lists that CORS request headers carry, within fixed bounds.
//
// Access-Control-Request-Headers is a "1#field-name" list (https://fetch.spec.whatwg.org/#http-requests,
// https://httpwg.org/specs/rfc9110.html#abnf.extension). A browser sends it as one line of lower-case names
// joined by "," with no spaces (https://fetch.spec.whatwg.org/#cors-preflight-fetch),
// but the list syntax also allows optional whitespace, empty elements and several header lines, and
// intermediaries and non-browser clients use them. Everything here is bounded: no input costs more than
// [MaxBytes] bytes of scanning and no call allocates.
package headerlist

import (
	"slices"
	"strings"

	"github.com/crossorigin/cors/internal/header"
)

// Bounds on an Access-Control-Request-Headers value. A browser lists every non-safelisted header name of
// the request once, so real preflights stay far below both; anything past them is refused without being
// read further.
const (
	// MaxBytes is the largest total length, over all header lines, that is read.
	MaxBytes = 4096
	// MaxElements is the largest number of list elements, empty ones included, that is read.
	MaxElements = 64
)

// Split reads the list carried by lines (the values of every line of one header field) into dst and
// returns how many names it holds. Elements are trimmed of optional whitespace (SP and HTAB); empty
// elements are skipped but counted. ok is false, and dst must be ignored, when an element is not a token
// or the input exceeds [MaxBytes] or [MaxElements]; the scan stops at the first such problem, so the cost
// is bounded whatever the input's size.
func Split(lines []string, dst *[MaxElements]string) (n int, ok bool) {
	if len(lines) > MaxElements {
		return 0, false
	}
	// First the bounds, with a vectorised count of the separators, so that a list past them is refused
	// before a single element is tokenised.
	total, elems := 0, 0
	for _, line := range lines {
		total += len(line)
		if total > MaxBytes {
			return 0, false
		}
		elems += strings.Count(line, ",") + 1
		if elems > MaxElements {
			return 0, false
		}
	}
	for _, line := range lines {
		for start := 0; ; {
			end := start
			for end < len(line) && line[end] != ',' {
				end++
			}
			if elem := header.TrimOWS(line[start:end]); elem != "" {
				if !header.IsToken(elem) {
					return 0, false
				}
				dst[n] = elem
				n++
			}
			if end == len(line) {
				break
			}
			start = end + 1
		}
	}
	return n, true
}

// Set is a set of header names compared case-insensitively (RFC 9110 §5.1). Build it with [NewSet].
type Set struct {
	// few holds the names when there are at most fewNames: comparing a handful, length first, costs less
	// than lower-casing and hashing one. names holds them otherwise.
	few    []string
	names  map[string]struct{}
	maxLen int // the longest name: a longer one cannot be in the set
}

const fewNames = 8

// NewSet returns a Set holding names, which must be lower case.
func NewSet(names []string) Set {
	var s Set
	for _, n := range names {
		s.maxLen = max(s.maxLen, len(n))
	}
	if len(names) <= fewNames {
		s.few = slices.Clone(names)
		return s
	}
	s.names = make(map[string]struct{}, len(names))
	for _, n := range names {
		s.names[n] = struct{}{}
	}
	return s
}

// foldBuf is the size of the stack buffer Contains lower-cases into: longer names than this, which no
// real header has, are compared one by one instead.
const foldBuf = 128

// Contains reports whether the set holds name, in any case, without allocating.
func (s Set) Contains(name string) bool {
	if len(name) > s.maxLen {
		return false
	}
	if s.names == nil {
		for _, n := range s.few {
			if header.EqualFold(n, name) {
				return true
			}
		}
		return false
	}
	if header.IsLower(name) {
		_, ok := s.names[name]
		return ok
	}
	if len(name) > foldBuf {
		for n := range s.names {
			if header.EqualFold(n, name) {
				return true
			}
		}
		return false
	}
	var buf [foldBuf]byte
	for i := 0; i < len(name); i++ {
		buf[i] = header.LowerByte(name[i])
	}
	_, ok := s.names[string(buf[:len(name)])]
	return ok
}
