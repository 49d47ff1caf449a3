package header

import "strings"

// forbiddenRequest are the https://fetch.spec.whatwg.org/#forbidden-request-header names, lower case: a
// page can never set them (the browser controls them), so a script's attempt is ignored, and allowing one
// in a CORS policy has no effect. Names starting with "proxy-" or "sec-" are forbidden too.
var forbiddenRequest = []string{
	"accept-charset", "accept-encoding", "access-control-request-headers", "access-control-request-method",
	"connection", "content-length", "cookie", "cookie2", "date", "dnt", "expect", "host", "keep-alive",
	"origin", "referer", "set-cookie", "te", "trailer", "transfer-encoding", "upgrade", "via",
}

// MethodOverride are the names that https://fetch.spec.whatwg.org/#forbidden-request-header forbids only
// when their value names a forbidden method, lower case.
var MethodOverride = []string{"x-http-method", "x-http-method-override", "x-method-override"}

// IsForbiddenRequestName reports whether a page can never set a request header named name, whatever its
// value: one of the forbidden request-header names, or a name starting with "proxy-" or "sec-", in any
// case. (A method-override name is forbidden only with some values: see [MethodOverride].)
func IsForbiddenRequestName(name string) bool {
	n := Lower(name)
	for _, f := range forbiddenRequest {
		if n == f {
			return true
		}
	}
	return strings.HasPrefix(n, "proxy-") || strings.HasPrefix(n, "sec-")
}

// safelistedResponse are the https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name names,
// lower case: a page can always read them from a response that passed the CORS check.
var safelistedResponse = []string{
	"cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma",
}

// IsSafelistedResponseName reports whether a page can read a response header named name (lower case)
// without Access-Control-Expose-Headers listing it.
func IsSafelistedResponseName(lower string) bool {
	for _, s := range safelistedResponse {
		if lower == s {
			return true
		}
	}
	return false
}

// IsForbiddenResponseName reports whether a page can never read a response header named name (lower
// case), even from its own origin: https://fetch.spec.whatwg.org/#forbidden-response-header-name.
func IsForbiddenResponseName(lower string) bool {
	return lower == "set-cookie" || lower == "set-cookie2"
}

// ListContains reports whether the comma-separated list in line has an element equal to name, in any
// ASCII case, optional whitespace aside (https://httpwg.org/specs/rfc9110.html#abnf.extension). It reads
// server-side values, such as a Vary line set by a handler, so it has no bound of its own.
func ListContains(line, name string) bool {
	for line != "" {
		elem := line
		if i := strings.IndexByte(line, ','); i >= 0 {
			elem, line = line[:i], line[i+1:]
		} else {
			line = ""
		}
		if EqualFold(TrimOWS(elem), name) {
			return true
		}
	}
	return false
}

// Varies reports whether the Vary lines given name the header name, or "*": whether a cache must key the
// response on it (https://httpwg.org/specs/rfc9110.html#field.vary).
func Varies(vary []string, name string) bool {
	for _, v := range vary {
		if ListContains(v, name) || ListContains(v, "*") {
			return true
		}
	}
	return false
}

// TrimOWS removes the optional whitespace (SP and HTAB) around a list element.
func TrimOWS(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// IsDecisive reports whether a response header named name is one that CORS decisions rest on: the
// Access-Control-* headers, Vary (what a cache keys the answer on) and Location (where a redirect goes).
// These are what an explanation shows of a response, and a scan's evidence.
func IsDecisive(name string) bool {
	n := Lower(name)
	return strings.HasPrefix(n, "access-control-") || n == "vary" || n == "location"
}
