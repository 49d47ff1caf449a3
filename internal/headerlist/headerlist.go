// Package headerlist reads the comma-separated lists that CORS request headers carry, within fixed bounds.
//
// Access-Control-Request-Headers is a "1#field-name" list (Fetch §3.2.2, RFC 9110 §5.6.1). A browser sends
// it as one line of lower-case names joined by "," with no spaces (Fetch §4.8 CORS-preflight fetch, step 3),
// but the list syntax also allows optional whitespace, empty elements and several header lines, and
// intermediaries and non-browser clients use them. Everything here is bounded: no input costs more than
// [MaxBytes] bytes of scanning and no call allocates.
package headerlist

import (
	"slices"
	"strings"
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

// tchar is RFC 9110 §5.6.2's token character set.
var tchar = [256]bool{
	'!': true, '#': true, '$': true, '%': true, '&': true, '\'': true, '*': true, '+': true,
	'-': true, '.': true, '^': true, '_': true, '`': true, '|': true, '~': true,
	'0': true, '1': true, '2': true, '3': true, '4': true, '5': true, '6': true, '7': true, '8': true, '9': true,
	'a': true, 'b': true, 'c': true, 'd': true, 'e': true, 'f': true, 'g': true, 'h': true, 'i': true,
	'j': true, 'k': true, 'l': true, 'm': true, 'n': true, 'o': true, 'p': true, 'q': true, 'r': true,
	's': true, 't': true, 'u': true, 'v': true, 'w': true, 'x': true, 'y': true, 'z': true,
	'A': true, 'B': true, 'C': true, 'D': true, 'E': true, 'F': true, 'G': true, 'H': true, 'I': true,
	'J': true, 'K': true, 'L': true, 'M': true, 'N': true, 'O': true, 'P': true, 'Q': true, 'R': true,
	'S': true, 'T': true, 'U': true, 'V': true, 'W': true, 'X': true, 'Y': true, 'Z': true,
}

// IsToken reports whether s is a non-empty RFC 9110 token, the syntax of both methods and header names.
func IsToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tchar[s[i]] {
			return false
		}
	}
	return true
}

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
			if elem := trimOWS(line[start:end]); elem != "" {
				if !IsToken(elem) {
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

// ListContains reports whether the comma-separated list in line has an element equal to name, in any
// case. It reads server-side values (such as a Vary header set by a handler), so it has no bound of its own.
func ListContains(line, name string) bool {
	for line != "" {
		elem := line
		if i := strings.IndexByte(line, ','); i >= 0 {
			elem, line = line[:i], line[i+1:]
		} else {
			line = ""
		}
		if EqualFold(trimOWS(elem), name) {
			return true
		}
	}
	return false
}

func trimOWS(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
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
			if EqualFold(n, name) {
				return true
			}
		}
		return false
	}
	if isLower(name) {
		_, ok := s.names[name]
		return ok
	}
	if len(name) > foldBuf {
		for n := range s.names {
			if EqualFold(n, name) {
				return true
			}
		}
		return false
	}
	var buf [foldBuf]byte
	for i := 0; i < len(name); i++ {
		buf[i] = lower(name[i])
	}
	_, ok := s.names[string(buf[:len(name)])]
	return ok
}

// EqualFold reports whether a and b are equal under ASCII case folding.
func EqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

func isLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
