package fetch

import "strings"

// normalizedMethods are the methods the Request constructor byte-uppercases (Fetch §2.2.1 "normalize"):
// every other method is sent exactly as the script wrote it.
var normalizedMethods = [...]string{"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"}

// NormalizeMethod returns the method a browser sends for the one a script gives fetch(): DELETE, GET,
// HEAD, OPTIONS, POST and PUT are upper-cased whatever their case, every other method stays as written,
// so fetch(u, {method: "patch"}) sends "patch" (Fetch §2.2.1). An empty method is GET.
func NormalizeMethod(m string) string {
	if m == "" {
		return "GET"
	}
	for _, n := range normalizedMethods {
		if asciiEqualFold(m, n) {
			return n
		}
	}
	return m
}

// IsSafelistedMethod reports whether m is a CORS-safelisted method: GET, HEAD or POST, byte for byte
// (Fetch §2.2.1).
func IsSafelistedMethod(m string) bool {
	return m == "GET" || m == "HEAD" || m == "POST"
}

// IsForbiddenMethod reports whether fetch() refuses m: CONNECT, TRACE and TRACK in any case
// (Fetch §2.2.1 "forbidden method").
func IsForbiddenMethod(m string) bool {
	return asciiEqualFold(m, "CONNECT") || asciiEqualFold(m, "TRACE") || asciiEqualFold(m, "TRACK")
}

// IsToken reports whether s is a non-empty RFC 9110 token, the syntax of methods and header names.
func IsToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTChar(s[i]) {
			return false
		}
	}
	return true
}

func isTChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}
