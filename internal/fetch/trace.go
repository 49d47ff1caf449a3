package fetch

import (
	"net/http"
	"strings"

	"github.com/crossorigin/cors/internal/header"
)

// Credentials is a fetch()'s credentials mode (https://fetch.spec.whatwg.org/#concept-request-credentials-mode).
type Credentials string

// The credentials modes.
const (
	// CredentialsOmit never sends cookies.
	CredentialsOmit Credentials = "omit"
	// CredentialsSameOrigin, fetch()'s default, sends cookies to the page's own origin only: a
	// cross-origin request goes without, and its response is judged as not credentialed.
	CredentialsSameOrigin Credentials = "same-origin"
	// CredentialsInclude sends cookies everywhere; the response must then name the origin exactly and
	// carry Access-Control-Allow-Credentials: true.
	CredentialsInclude Credentials = "include"
)

// Request is a fetch() as a page's script makes it.
type Request struct {
	URL         string      // the absolute http(s) URL passed to fetch()
	Origin      string      // the page's serialized origin, as [ParseOrigin] accepts it ("null" for an opaque one)
	Method      string      // as the script writes it; "" is GET
	Header      []Field     // as the script sets them, forbidden ones included (they are dropped, as browsers do)
	Credentials Credentials // "" is CredentialsSameOrigin
}

// Exchange kinds.
const (
	KindPreflight = "preflight"
	KindRequest   = "request"
)

// Exchange is one request the browser sent and the response it got.
type Exchange struct {
	Kind           string      // KindPreflight or KindRequest
	Method         string      // the method on the wire (OPTIONS for a preflight)
	URL            string      // the request's URL
	RequestHeader  http.Header // the headers sent
	Status         int         // the response status
	ResponseHeader http.Header // the response headers as received
	CORS           bool        // the response was subject to the CORS check (false for same-origin)
	Failure        *Failure    // the check this response failed, nil if none
}

// RequestedHeaders returns the header names a preflight asked for (its Access-Control-Request-Headers,
// as [Client] forms it: lower case, sorted, joined by ","), nil for none or for another exchange.
func (ex *Exchange) RequestedHeaders() []string {
	v := ex.RequestHeader.Get(header.AccessControlRequestHeaders)
	if ex.Kind != KindPreflight || v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

// Redirect is one redirect followed.
type Redirect struct {
	Status int    // 301, 302, 303, 307 or 308
	From   string // the URL redirected from
	To     string // the URL redirected to
	// Tainted: the hop went to another origin than the one redirecting, which was not the page's own,
	// so from here on the Origin header is "null" (https://fetch.spec.whatwg.org/#concept-request-tainted-origin).
	Tainted bool
	// AuthorizationDropped: the hop went to another origin and the request carried Authorization,
	// which Fetch removes (https://fetch.spec.whatwg.org/#http-redirect-fetch).
	AuthorizationDropped bool
	// MethodChanged: a 303, or a 301/302 of a POST, turned the request into a GET without body headers.
	MethodChanged bool
}

// Trace is everything a fetch did and what the browser concluded.
type Trace struct {
	Method      string     // the method as sent (NormalizeMethod)
	Header      []Field    // the script's headers that were sent, values normalized
	Dropped     []Field    // the script's headers the browser refused to send (forbidden request-headers)
	UnsafeNames []string   // the CORS-unsafe request-header names of the first request
	Exchanges   []Exchange // every request sent, in order
	Redirects   []Redirect // every redirect followed, in order

	Blocked   bool     // the page gets a network error instead of the response
	BlockedAt string   // KindPreflight or KindRequest when Blocked, else ""
	Failure   *Failure // why, when Blocked

	// Readable holds the sorted lower-case names of the final response's headers the page can read,
	// nil when Blocked.
	Readable []string
}

// LastOf returns the last exchange of the kind, or nil.
func (t *Trace) LastOf(kind string) *Exchange {
	for i := len(t.Exchanges) - 1; i >= 0; i-- {
		if t.Exchanges[i].Kind == kind {
			return &t.Exchanges[i]
		}
	}
	return nil
}

// MaxRedirects is how many redirects Fetch follows before failing (https://fetch.spec.whatwg.org/#http-redirect-fetch).
const MaxRedirects = 20
