package fetch

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/crossorigin/cors/internal/header"
	"github.com/crossorigin/cors/internal/method"
)

// The checks a Failure can name. They are stable: corscheck's JSON output carries them.
const (
	CheckStatus           = "status"            // the preflight's status is not an ok status (2xx)
	CheckAllowOrigin      = "allow-origin"      // Access-Control-Allow-Origin does not grant the origin
	CheckAllowCredentials = "allow-credentials" // Access-Control-Allow-Credentials is not "true" for a credentialed request
	CheckAllowMethods     = "allow-methods"     // Access-Control-Allow-Methods does not cover the method
	CheckAllowHeaders     = "allow-headers"     // Access-Control-Allow-Headers does not cover a request header
	CheckRedirect         = "redirect"          // a redirect Fetch refuses to follow
)

// Reasons, finer than checks.
const (
	ReasonMissing                 = "missing"                   // the header is absent
	ReasonMultiple                = "multiple"                  // several values (or Location lines) where one is allowed
	ReasonWildcardWithCredentials = "wildcard-with-credentials" // "*" answered a credentialed request
	ReasonMismatch                = "mismatch"                  // a value other than the one required
	ReasonMalformed               = "malformed"                 // the value does not parse
	ReasonNotOK                   = "not-ok"                    // a status outside 200–299
	ReasonRedirected              = "redirected"                // a preflight answered with a redirect
	ReasonNotAllowed              = "not-allowed"               // the method or header is not listed
	ReasonAuthorizationWildcard   = "authorization-wildcard"    // Authorization against "*" only
	ReasonTooManyRedirects        = "too-many-redirects"        // more than 20 redirects
	ReasonRedirectCredentials     = "redirect-credentials"      // a Location with user:password@
	ReasonRedirectScheme          = "redirect-scheme"           // a Location that is not http(s) or does not parse
)

// Failure is why a browser refuses a response: which check failed, why, and the values involved. A
// browser reports every one of them to the page as the same opaque network error; the console says more.
type Failure struct {
	Check     string // one of the Check constants
	Reason    string // one of the Reason constants
	Got       string // the offending value as received ("" when absent)
	Want      string // the value that would have passed, when there is one
	Name      string // the method or request-header name concerned, for methods and headers
	Status    int    // the response status
	Preflight bool   // the response answered a preflight
}

// Error is the failure in the words of a browser console (Chromium's, where the engines differ).
func (f *Failure) Error() string {
	what := "the response"
	if f.Preflight {
		what = "the response to the preflight request"
	}
	switch f.Check {
	case CheckStatus:
		if f.Reason == ReasonRedirected {
			return fmt.Sprintf("%s is a redirect (%d): redirects are not allowed for a preflight request", what, f.Status)
		}
		return fmt.Sprintf("%s does not have an HTTP ok status (got %d)", what, f.Status)
	case CheckAllowOrigin:
		switch f.Reason {
		case ReasonMissing:
			return fmt.Sprintf("no 'Access-Control-Allow-Origin' header is present on %s to origin '%s'", what, f.Want)
		case ReasonMultiple:
			return fmt.Sprintf("the 'Access-Control-Allow-Origin' header of %s contains multiple values '%s', but only one is allowed", what, f.Got)
		case ReasonWildcardWithCredentials:
			return fmt.Sprintf("the value of the 'Access-Control-Allow-Origin' header in %s must not be the wildcard '*' when the request's credentials mode is 'include'", what)
		}
		return fmt.Sprintf("the 'Access-Control-Allow-Origin' header of %s has a value '%s' that is not equal to the supplied origin '%s'", what, f.Got, f.Want)
	case CheckAllowCredentials:
		if f.Reason == ReasonMissing {
			return fmt.Sprintf("the 'Access-Control-Allow-Credentials' header of %s is absent, and it must be 'true' when the request's credentials mode is 'include'", what)
		}
		return fmt.Sprintf("the value of the 'Access-Control-Allow-Credentials' header of %s is '%s', which must be 'true' when the request's credentials mode is 'include'", what, f.Got)
	case CheckAllowMethods:
		if f.Reason == ReasonMalformed {
			return fmt.Sprintf("cannot parse the 'Access-Control-Allow-Methods' header of %s: '%s'", what, f.Got)
		}
		return fmt.Sprintf("method %s is not allowed by Access-Control-Allow-Methods in %s (got '%s')", f.Name, what, f.Got)
	case CheckAllowHeaders:
		switch f.Reason {
		case ReasonMalformed:
			return fmt.Sprintf("cannot parse the 'Access-Control-Allow-Headers' header of %s: '%s'", what, f.Got)
		case ReasonAuthorizationWildcard:
			return fmt.Sprintf("request header field authorization is not allowed by Access-Control-Allow-Headers in %s: the wildcard '*' never covers Authorization (got '%s')", what, f.Got)
		}
		return fmt.Sprintf("request header field %s is not allowed by Access-Control-Allow-Headers in %s (got '%s')", f.Name, what, f.Got)
	case CheckRedirect:
		switch f.Reason {
		case ReasonTooManyRedirects:
			return "more than 20 redirects"
		case ReasonRedirectCredentials:
			return fmt.Sprintf("the redirect to '%s' has credentials in its URL, which a CORS request never follows", f.Got)
		case ReasonMultiple:
			return fmt.Sprintf("the redirect has several Location headers ('%s'), and a browser follows none of them", f.Got)
		}
		return fmt.Sprintf("the redirect location '%s' is not an http(s) URL", f.Got)
	}
	return f.Check + ": " + f.Reason
}

// get is https://fetch.spec.whatwg.org/#concept-header-list-get of a header list: every line of name, joined with ", ", and whether there was any.
func get(h http.Header, name string) (string, bool) {
	vs := h.Values(name)
	if len(vs) == 0 {
		return "", false
	}
	return strings.Join(vs, ", "), true
}

// CORSCheck is https://fetch.spec.whatwg.org/#cors-check: whether the response headers h let a page on origin (its
// serialization, "null" for an opaque or redirect-tainted origin) read the response, credentialed or
// not. It returns nil on success.
func CORSCheck(h http.Header, origin string, credentials bool) *Failure {
	acao, ok := get(h, header.AccessControlAllowOrigin)
	if !ok {
		return &Failure{Check: CheckAllowOrigin, Reason: ReasonMissing, Want: origin}
	}
	// Two lines, even identical ones, are joined by "get" into a value no origin equals.
	if len(h.Values(header.AccessControlAllowOrigin)) > 1 || strings.Contains(acao, ",") {
		return &Failure{Check: CheckAllowOrigin, Reason: ReasonMultiple, Got: acao, Want: origin}
	}
	if acao == "*" {
		if !credentials {
			return nil
		}
		return &Failure{Check: CheckAllowOrigin, Reason: ReasonWildcardWithCredentials, Got: acao, Want: origin}
	}
	if acao != origin {
		return &Failure{Check: CheckAllowOrigin, Reason: ReasonMismatch, Got: acao, Want: origin}
	}
	if !credentials {
		return nil
	}
	acac, ok := get(h, header.AccessControlAllowCredentials)
	switch {
	case !ok:
		return &Failure{Check: CheckAllowCredentials, Reason: ReasonMissing, Want: "true"}
	case acac != "true": // case-sensitive: "True" fails
		return &Failure{Check: CheckAllowCredentials, Reason: ReasonMismatch, Got: acac, Want: "true"}
	}
	return nil
}

// IsOKStatus reports whether s is an ok status, 200 to 299 (https://fetch.spec.whatwg.org/#ok-status).
func IsOKStatus(s int) bool { return 200 <= s && s <= 299 }

// IsRedirectStatus reports whether s is a redirect status: 301, 302, 303, 307 or 308 (https://fetch.spec.whatwg.org/#redirect-status).
func IsRedirectStatus(s int) bool {
	return s == 301 || s == 302 || s == 303 || s == 307 || s == 308
}

// A Preflight is what a CORS-preflight request asked, and for whom: the input of its checks
// (https://fetch.spec.whatwg.org/#cors-preflight-fetch).
type Preflight struct {
	Origin      string   // the serialized origin sent, "null" after a cross-origin redirect
	Method      string   // the method asked for, as sent
	HeaderNames []string // the CORS-unsafe request-header names asked for, lower case (see [UnsafeRequestHeaderNames])
	// Credentials: the actual request's credentials mode is "include".
	Credentials bool
	// AuthorizationByWildcard judges as the browsers that let "Access-Control-Allow-Headers: *" cover
	// Authorization (WebKit; Chromium and Firefox by default); the standard never does.
	AuthorizationByWildcard bool
}

// Check judges the response (status, headers h) to the preflight p. It returns nil when the browser
// goes on to send the actual request, else the first check that fails, in the standard's order.
func (p Preflight) Check(status int, h http.Header) *Failure {
	fs := p.Failures(status, h)
	if len(fs) == 0 {
		return nil
	}
	return fs[0]
}

// Failures is Check's list of every check the response fails, each judged on its own, in the standard's
// order (the first is the one a browser reports): one for the origin or status, one for the method, one
// per request header not covered. A malformed method or header list stops there, since nothing after it
// can be judged.
func (p Preflight) Failures(status int, h http.Header) []*Failure {
	var out []*Failure
	fail := func(check, reason, got, name string) {
		out = append(out, &Failure{Check: check, Reason: reason, Got: got, Name: name, Status: status, Preflight: true})
	}
	f := CORSCheck(h, p.Origin, p.Credentials)
	if f != nil && f.Reason == ReasonMissing && f.Check == CheckAllowOrigin && !IsOKStatus(status) {
		// Both fail; the status says more about why (a router or an auth layer answered).
		f = nil
	}
	if f != nil {
		f.Status, f.Preflight = status, true
		out = append(out, f)
	}
	if !IsOKStatus(status) {
		reason := ReasonNotOK
		if IsRedirectStatus(status) {
			reason = ReasonRedirected
		}
		fail(CheckStatus, reason, strconv.Itoa(status), "")
	}
	acam, _ := get(h, header.AccessControlAllowMethods)
	methods, _, ok := ExtractHeaderListValues(h, header.AccessControlAllowMethods, header.IsToken)
	if !ok {
		fail(CheckAllowMethods, ReasonMalformed, acam, p.Method)
		return out
	}
	acah, _ := get(h, header.AccessControlAllowHeaders)
	names, _, ok := ExtractHeaderListValues(h, header.AccessControlAllowHeaders, header.IsToken)
	if !ok {
		fail(CheckAllowHeaders, ReasonMalformed, acah, "")
		return out
	}
	// Methods compare byte for byte; "*" is a wildcard only without credentials.
	if !slices.Contains(methods, p.Method) && !method.IsSafelisted(p.Method) && (p.Credentials || !slices.Contains(methods, "*")) {
		fail(CheckAllowMethods, ReasonNotAllowed, acam, p.Method)
	}
	for _, f := range p.headerFailures(names) {
		fail(CheckAllowHeaders, f.reason, acah, f.name)
	}
	return out
}

// headerFailure is a request header the preflight's Access-Control-Allow-Headers does not cover.
type headerFailure struct{ reason, name string }

// headerFailures judges the requested header names against the allowed ones, names.
func (p Preflight) headerFailures(names []string) []headerFailure {
	var out []headerFailure
	star := !p.Credentials && slices.Contains(names, "*")
	listed := func(n string) bool {
		return slices.ContainsFunc(names, func(m string) bool { return header.EqualFold(m, n) })
	}
	// https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name: Authorization is checked
	// first, and "*" never covers it.
	for _, n := range p.HeaderNames {
		if header.EqualFold(n, header.Authorization) && !listed(n) && !(p.AuthorizationByWildcard && star) {
			reason := ReasonNotAllowed
			if star {
				reason = ReasonAuthorizationWildcard
			}
			out = append(out, headerFailure{reason, "authorization"})
		}
	}
	for _, n := range p.HeaderNames {
		if !header.EqualFold(n, header.Authorization) && !listed(n) && !star {
			out = append(out, headerFailure{ReasonNotAllowed, n})
		}
	}
	return out
}

// ExtractHeaderListValues is https://fetch.spec.whatwg.org/#extract-header-list-values for a "#element" list header (such
// as Access-Control-Allow-Methods): the elements of every line of name, empty ones skipped, each trimmed
// of optional whitespace. present is false when h has no such header; ok is false when an element fails
// valid (the header is then a failure, not a list).
func ExtractHeaderListValues(h http.Header, name string, valid func(string) bool) (values []string, present, ok bool) {
	lines := h.Values(name)
	if len(lines) == 0 {
		return nil, false, true
	}
	for _, line := range lines {
		for elem := range strings.SplitSeq(line, ",") {
			elem = strings.Trim(elem, " \t")
			if elem == "" {
				continue
			}
			if !valid(elem) {
				return nil, true, false
			}
			values = append(values, elem)
		}
	}
	return values, true, true
}

// Preflight cache lifetimes, in seconds.
const (
	// DefaultMaxAge is what Fetch uses when Access-Control-Max-Age is absent or invalid.
	DefaultMaxAge = 5
	// ChromiumMaxAge is Chromium's cap (since version 76).
	ChromiumMaxAge = 7200
	// FirefoxMaxAge is Firefox's cap.
	FirefoxMaxAge = 86400
)

// MaxAge reads Access-Control-Max-Age (https://fetch.spec.whatwg.org/#cors-preflight-fetch, its max-age): the seconds a browser may cache the
// preflight's result before the browser's own cap, and whether the header was present and valid. An
// absent or invalid value (not delta-seconds: "-1", "1.5", two values) means DefaultMaxAge.
func MaxAge(h http.Header) (seconds int64, present, valid bool) {
	lines := h.Values(header.AccessControlMaxAge)
	if len(lines) == 0 {
		return DefaultMaxAge, false, true
	}
	if len(lines) > 1 || lines[0] == "" {
		return DefaultMaxAge, true, false
	}
	var n int64
	for i := 0; i < len(lines[0]); i++ {
		c := lines[0][i]
		if c < '0' || c > '9' {
			return DefaultMaxAge, true, false
		}
		if n < 1<<40 { // far past any cap: stop growing instead of overflowing
			n = n*10 + int64(c-'0')
		}
	}
	return n, true, true
}

// ReadableHeaders returns the sorted lower-case names of the response headers h that a page can read
// (through Headers iteration or get()) from a response that passed the CORS check: the CORS-safelisted
// response-header names plus the names listed in Access-Control-Expose-Headers, or every name for "*"
// without credentials; never Set-Cookie (https://fetch.spec.whatwg.org/#main-fetch and its "CORS
// filtered response", https://fetch.spec.whatwg.org/#concept-filtered-response-cors). With cors false
// (a same-origin response), every name but Set-Cookie.
func ReadableHeaders(h http.Header, cors, credentials bool) []string {
	exposed, _, ok := ExtractHeaderListValues(h, header.AccessControlExposeHeaders, header.IsToken)
	if !ok {
		exposed = nil
	}
	all := !cors || (!credentials && slices.Contains(exposed, "*"))
	var out []string
	for name := range h {
		lower := header.Lower(name)
		if header.IsForbiddenResponseName(lower) {
			continue
		}
		if all || header.IsSafelistedResponseName(lower) ||
			slices.ContainsFunc(exposed, func(e string) bool { return header.EqualFold(e, lower) }) {
			out = append(out, lower)
		}
	}
	return SortedLowercaseSet(out)
}
