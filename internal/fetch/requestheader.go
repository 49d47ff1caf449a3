package fetch

import (
	"slices"
	"strconv"
	"strings"

	"github.com/crossorigin/cors/internal/header"
	"github.com/crossorigin/cors/internal/method"
)

// Field is one request header as a script sets it: fetch(u, {headers: [[Name, Value]]}).
type Field struct {
	Name  string
	Value string
}

// IsForbiddenRequestHeader reports whether a script's attempt to set the header (name, value) is ignored
// by the browser (https://fetch.spec.whatwg.org/#forbidden-request-header): the browser controls these itself.
func IsForbiddenRequestHeader(name, value string) bool {
	if header.IsForbiddenRequestName(name) {
		return true
	}
	if slices.Contains(header.MethodOverride, header.Lower(name)) {
		// "the result of getting, decoding, and splitting value" contains a forbidden method.
		for m := range strings.SplitSeq(value, ",") {
			if method.IsForbidden(strings.Trim(m, " \t")) {
				return true
			}
		}
	}
	return false
}

// IsValidHeaderValue reports whether fetch() accepts v as a header value once normalized (leading and
// trailing HTTP whitespace removed): no NUL, CR or LF (https://fetch.spec.whatwg.org/#header-value). fetch() throws a
// TypeError for any other value.
func IsValidHeaderValue(v string) bool {
	return !strings.ContainsAny(v, "\x00\r\n")
}

// NormalizeHeaderValue removes leading and trailing HTTP whitespace bytes (HT, LF, CR, SP), as the
// Headers class does with every value it is given (https://fetch.spec.whatwg.org/#concept-header-value-normalize).
func NormalizeHeaderValue(v string) string {
	return strings.Trim(v, "\t\n\r ")
}

// isUnsafeRequestHeaderByte is https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte.
func isUnsafeRequestHeaderByte(c byte) bool {
	return (c < 0x20 && c != '\t') || c == 0x7f || strings.IndexByte(`"():<>?@[\]{}`, c) >= 0
}

func hasUnsafeRequestHeaderByte(v string) bool {
	for i := 0; i < len(v); i++ {
		if isUnsafeRequestHeaderByte(v[i]) {
			return true
		}
	}
	return false
}

// maxSafelistedValue is the longest value a CORS-safelisted request-header may have, and
// maxSafelistedTotal the most bytes the safelisted values of one request may add up to (https://fetch.spec.whatwg.org/#cors-safelisted-request-header).
const (
	maxSafelistedValue = 128
	maxSafelistedTotal = 1024
)

// IsSafelistedRequestHeader reports whether (name, value) is a CORS-safelisted request-header (Fetch
// https://fetch.spec.whatwg.org/#cors-safelisted-request-header): a header a page may send cross-origin without a preflight.
func IsSafelistedRequestHeader(name, value string) bool {
	if len(value) > maxSafelistedValue {
		return false
	}
	switch header.Lower(name) {
	case "accept":
		return !hasUnsafeRequestHeaderByte(value)
	case "accept-language", "content-language":
		for i := 0; i < len(value); i++ {
			c := value[i]
			ok := '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || strings.IndexByte(" *,-.;=", c) >= 0
			if !ok {
				return false
			}
		}
		return true
	case "content-type":
		if hasUnsafeRequestHeaderByte(value) {
			return false
		}
		// "parse a MIME type", not "extract a MIME type": the value must be one MIME type.
		essence, ok := ParseMIMEEssence(value)
		if !ok {
			return false
		}
		return essence == "application/x-www-form-urlencoded" || essence == "multipart/form-data" || essence == "text/plain"
	case "range":
		// A suffix range (bytes=-500) is a valid range but not a safelisted one: rangeValue[0] must not be null.
		start, _, ok := ParseSingleRange(value, false)
		return ok && start >= 0
	}
	return false
}

// UnsafeRequestHeaderNames returns the CORS-unsafe request-header names of headers (https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names): the
// names of the headers that are not safelisted, and every safelisted one too when the safelisted
// values add up to more than 1,024 bytes; byte-lowercased, without duplicates, sorted.
func UnsafeRequestHeaderNames(headers []Field) []string {
	var unsafe, safe []string
	total := 0
	for _, h := range headers {
		if IsSafelistedRequestHeader(h.Name, h.Value) {
			safe = append(safe, h.Name)
			total += len(h.Value)
		} else {
			unsafe = append(unsafe, h.Name)
		}
	}
	if total > maxSafelistedTotal {
		unsafe = append(unsafe, safe...)
	}
	return SortedLowercaseSet(unsafe)
}

// SortedLowercaseSet is https://fetch.spec.whatwg.org/#convert-header-names-to-a-sorted-lowercase-set: byte-lowercased,
// duplicates removed, sorted bytewise.
func SortedLowercaseSet(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		out = append(out, header.Lower(n))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// NeedsPreflight reports whether fetch() sends a CORS preflight before a cross-origin request with verb
// (as sent, see method.Normalize) and these script-set headers (forbidden ones already removed): when
// the method is not CORS-safelisted or some header name is CORS-unsafe (https://fetch.spec.whatwg.org/#main-fetch,
// "request's use-CORS-preflight flag is set, or request's unsafe-request flag is set and ...").
func NeedsPreflight(verb string, headers []Field) bool {
	return !method.IsSafelisted(verb) || len(UnsafeRequestHeaderNames(headers)) > 0
}

// ParseMIMEEssence parses s as a MIME type (https://mimesniff.spec.whatwg.org/#parse-a-mime-type) and returns
// its essence, "type/subtype" lower-cased. Parameters never make parsing fail, so they are skipped.
func ParseMIMEEssence(s string) (essence string, ok bool) {
	s = strings.Trim(s, "\t\n\r ")
	slash := strings.IndexByte(s, '/')
	if slash < 0 {
		return "", false
	}
	typ := s[:slash]
	rest := s[slash+1:]
	if semi := strings.IndexByte(rest, ';'); semi >= 0 {
		rest = rest[:semi]
	}
	subtype := strings.TrimRight(rest, "\t\n\r ")
	if !header.IsToken(typ) || !header.IsToken(subtype) {
		return "", false
	}
	return header.Lower(typ) + "/" + header.Lower(subtype), true
}

// ParseSingleRange is https://fetch.spec.whatwg.org/#simple-range-header-value, "parse a single range header value": "bytes=START-END" with the
// unit in any case and either number (not both) omitted, and, if allowWhitespace, tabs and spaces
// between the parts. An omitted number is returned as -1.
func ParseSingleRange(s string, allowWhitespace bool) (start, end int64, ok bool) {
	p := 0
	skip := func() {
		if allowWhitespace {
			for p < len(s) && (s[p] == ' ' || s[p] == '\t') {
				p++
			}
		}
	}
	digits := func() (int64, bool) {
		begin := p
		for p < len(s) && '0' <= s[p] && s[p] <= '9' {
			p++
		}
		if p == begin {
			return -1, true
		}
		n, err := strconv.ParseInt(s[begin:p], 10, 64)
		if err != nil {
			return 0, false // past int64: no real resource is that large
		}
		return n, true
	}
	unitEnd := p
	for unitEnd < len(s) && s[unitEnd] != ' ' && s[unitEnd] != '\t' && s[unitEnd] != '=' {
		unitEnd++
	}
	if !header.EqualFold(s[:unitEnd], "bytes") {
		return 0, 0, false
	}
	p = unitEnd
	skip()
	if p >= len(s) || s[p] != '=' {
		return 0, 0, false
	}
	p++
	skip()
	start, ok = digits()
	if !ok {
		return 0, 0, false
	}
	skip()
	if p >= len(s) || s[p] != '-' {
		return 0, 0, false
	}
	p++
	skip()
	end, ok = digits()
	if !ok || p != len(s) {
		return 0, 0, false
	}
	if start < 0 && end < 0 {
		return 0, 0, false
	}
	if start >= 0 && end >= 0 && start > end {
		return 0, 0, false
	}
	return start, end, true
}
