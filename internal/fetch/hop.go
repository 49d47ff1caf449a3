package fetch

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/crossorigin/cors/internal/header"
)

// requestBodyHeaders are removed when a redirect turns a request into a GET
// (https://fetch.spec.whatwg.org/#request-body-header-name).
var requestBodyHeaders = []string{"content-encoding", "content-language", "content-location", "content-type"}

// hop makes one request of the fetch, to f.url: its preflight when one is needed, then the request
// itself, each judged as the browser judges it. It returns the request's exchange; the trace says
// whether the fetch is blocked.
func (c *Client) hop(ctx context.Context, f *fetching) (*Exchange, error) {
	t := f.trace
	// https://fetch.spec.whatwg.org/#main-fetch: a same-origin request with basic tainting needs no CORS.
	cors := f.corsTainting || f.page == nil || !SameOrigin(f.page, f.url)
	f.corsTainting = cors
	serialized := f.origin
	if f.tainted {
		serialized = "null"
	}
	credentialed := f.creds == CredentialsInclude
	if cors && NeedsPreflight(f.verb, f.fields) {
		ex, err := c.preflight(ctx, f.url, serialized, f.verb, f.fields)
		if err != nil {
			return nil, err
		}
		ex.CORS = true
		p := Preflight{Origin: serialized, Method: f.verb, HeaderNames: UnsafeRequestHeaderNames(f.fields),
			Credentials: credentialed, AuthorizationByWildcard: c.AuthorizationCoveredByWildcard}
		ex.Failure = p.Check(ex.Status, ex.ResponseHeader)
		t.Exchanges = append(t.Exchanges, ex)
		if ex.Failure != nil {
			t.Blocked, t.BlockedAt, t.Failure = true, KindPreflight, ex.Failure
			return nil, nil
		}
	}
	ex, err := c.send(ctx, outgoing{url: f.url, origin: serialized, verb: f.verb, fields: f.fields,
		cors: cors, cookies: credentialed || f.creds == CredentialsSameOrigin && !cors})
	if err != nil {
		return nil, err
	}
	ex.CORS = cors
	// https://fetch.spec.whatwg.org/#http-fetch: the CORS check applies to every response, redirects
	// included. Its note exempts 304 and 407 only because it runs after HTTP-network-or-cache fetch has
	// dealt with them: a 304 is merged into the cached response it revalidates, and that merged
	// response is checked; a 407 is never returned (exchange reports it). This Client has no cache and
	// sends no conditional request, so a 304 is the response itself: checked like any.
	if cors {
		if ex.Failure = CORSCheck(ex.ResponseHeader, serialized, credentialed); ex.Failure != nil {
			ex.Failure.Status = ex.Status
		}
	}
	t.Exchanges = append(t.Exchanges, ex)
	last := &t.Exchanges[len(t.Exchanges)-1]
	if ex.Failure != nil {
		t.Blocked, t.BlockedAt, t.Failure = true, KindRequest, ex.Failure
	}
	return last, nil
}

// follow decides where the response ex of the request leads: to the end of the fetch (done: the page
// gets it, or a redirect Fetch refuses to follow blocks it) or, for a redirect, to the next request.
func (f *fetching) follow(ex *Exchange, redirects int) (done bool) {
	t := f.trace
	locations := ex.ResponseHeader.Values(header.Location)
	if !IsRedirectStatus(ex.Status) || len(locations) == 0 || (len(locations) == 1 && locations[0] == "") {
		t.Readable = ReadableHeaders(ex.ResponseHeader, ex.CORS, f.creds == CredentialsInclude)
		return true
	}
	// https://fetch.spec.whatwg.org/#http-redirect-fetch.
	block := func(reason, got string) bool {
		fail := &Failure{Check: CheckRedirect, Reason: reason, Got: got, Status: ex.Status}
		ex.Failure = fail
		t.Blocked, t.BlockedAt, t.Failure = true, KindRequest, fail
		return true
	}
	// https://fetch.spec.whatwg.org/#concept-response-location-url extracts the header list values of
	// Location, whose ABNF allows a single header, so several Location lines are failure, and
	// HTTP-redirect fetch returns a network error for it (Chromium:
	// ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION). Following the first line would guess.
	if len(locations) > 1 {
		return block(ReasonMultiple, strings.Join(locations, ", "))
	}
	location := locations[0]
	next, err := f.url.Parse(location)
	if err != nil || (next.Scheme != "http" && next.Scheme != "https") || HostError(next) != nil {
		return block(ReasonRedirectScheme, location)
	}
	if redirects == MaxRedirects {
		return block(ReasonTooManyRedirects, location)
	}
	if next.User != nil && (f.corsTainting || f.page == nil || !SameOrigin(f.page, next)) {
		return block(ReasonRedirectCredentials, location)
	}
	next.Fragment, next.RawFragment = "", ""
	f.redirect(ex.Status, next)
	return false
}

// redirect goes on to next after a redirect with status: the method and headers change as Fetch says,
// and a hop to another origin taints the Origin and drops Authorization.
func (f *fetching) redirect(status int, next *url.URL) {
	hop := Redirect{Status: status, From: f.url.String(), To: next.String()}
	if (status == 303 && f.verb != "GET" && f.verb != "HEAD") || ((status == 301 || status == 302) && f.verb == "POST") {
		f.verb = "GET"
		f.fields = slices.DeleteFunc(f.fields, func(h Field) bool {
			return slices.Contains(requestBodyHeaders, header.Lower(h.Name))
		})
		hop.MethodChanged = true
	}
	if !SameOrigin(f.url, next) {
		n := len(f.fields)
		f.fields = slices.DeleteFunc(f.fields, func(h Field) bool { return header.EqualFold(h.Name, header.Authorization) })
		hop.AuthorizationDropped = len(f.fields) < n
		if f.page == nil || !SameOrigin(f.page, f.url) {
			f.tainted = true
		}
	}
	hop.Tainted = f.tainted
	f.trace.Redirects = append(f.trace.Redirects, hop)
	f.url = next
}
