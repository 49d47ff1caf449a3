package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Defaults of a Client.
const (
	DefaultBodyLimit      = 1 << 20
	DefaultMaxHeaderBytes = 256 << 10 // Chromium's own limit on response headers
	DefaultUserAgent      = "corscheck (github.com/crossorigin/cors)"
)

// Client runs fetches the way a browser does. The zero value is not usable: set Transport.
type Client struct {
	// Transport sends each request; redirects are followed by the Client, not by the transport. Use
	// [NewTransport] for a live server (it bounds response headers) or [HandlerTransport] in-process.
	Transport http.RoundTripper
	// Timeout bounds each exchange, from sending the request to reading the end of the body (at most
	// BodyLimit bytes of it). Zero means no bound but the context's. A fetch makes up to 2×21
	// exchanges (a preflight and a request per hop of up to 20 redirects): bound the whole of it with
	// the context given to Do, whose cause ([context.WithTimeoutCause]) the error then carries.
	Timeout time.Duration
	// BodyLimit is how much of a body is read before the connection is closed. Zero means DefaultBodyLimit.
	BodyLimit int64
	// Jar holds the page's cookies: a fetch sends them when credentialed and stores the ones set by its
	// responses. Nil sends and keeps none.
	Jar http.CookieJar
	// UserAgent is sent with every request. Empty means DefaultUserAgent.
	UserAgent string
	// AuthorizationCoveredByWildcard judges as the browsers that let "Access-Control-Allow-Headers: *"
	// cover Authorization (WebKit; Chromium and Firefox by default). False follows the standard.
	AuthorizationCoveredByWildcard bool
}

// NewTransport returns a transport for live servers: connections from the environment's proxy settings,
// response headers bounded to maxHeaderBytes (DefaultMaxHeaderBytes if 0), no transparent decompression
// (the Client sends Accept-Encoding itself and never decodes), and no connection reuse across fetches
// that could hide a misbehaving server.
func NewTransport(maxHeaderBytes int64) *http.Transport {
	if maxHeaderBytes <= 0 {
		maxHeaderBytes = DefaultMaxHeaderBytes
	}
	return &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		MaxResponseHeaderBytes: maxHeaderBytes,
		DisableCompression:     true,
		DisableKeepAlives:      true,
		TLSHandshakeTimeout:    10 * time.Second,
		ForceAttemptHTTP2:      true,
	}
}

// ErrUsage marks an error in the Request itself (what fetch() would throw a TypeError for), as
// opposed to a network error.
var ErrUsage = errors.New("invalid fetch")

// requestBodyHeaders are removed when a redirect turns a request into a GET (Fetch §2.2.2
// "request-body-header name").
var requestBodyHeaders = []string{"content-encoding", "content-language", "content-location", "content-type"}

// Do runs the fetch r and reports what happened. A CORS failure is not an error: it is in the Trace
// (Blocked, BlockedAt, Failure). The error is for a request fetch() would refuse (wrapping ErrUsage)
// and for network failures (no connection, a timeout, headers past the transport's bound), which a
// browser also reports as a network error but which say nothing about CORS.
func (c *Client) Do(ctx context.Context, r Request) (*Trace, error) {
	method := NormalizeMethod(r.Method)
	switch {
	case !IsToken(method):
		return nil, fmt.Errorf("%w: %q is not a method name", ErrUsage, method)
	case IsForbiddenMethod(method):
		return nil, fmt.Errorf("%w: fetch() refuses the method %s (a forbidden method)", ErrUsage, method)
	}
	u, err := url.Parse(r.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: %q is not an absolute http or https URL", ErrUsage, r.URL)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%w: fetch() refuses a URL with credentials (user:password@) in it", ErrUsage)
	}
	u.Fragment, u.RawFragment = "", ""
	origin, err := ParseOrigin(r.Origin)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUsage, err)
	}
	creds := r.Credentials
	switch creds {
	case "":
		creds = CredentialsSameOrigin
	case CredentialsOmit, CredentialsSameOrigin, CredentialsInclude:
	default:
		return nil, fmt.Errorf("%w: credentials mode %q is not omit, same-origin or include", ErrUsage, creds)
	}
	t := &Trace{Method: method}
	for _, h := range r.Header {
		if !IsToken(h.Name) {
			return nil, fmt.Errorf("%w: %q is not a header name", ErrUsage, h.Name)
		}
		v := NormalizeHeaderValue(h.Value)
		if !IsValidHeaderValue(v) {
			return nil, fmt.Errorf("%w: the value of %s has a NUL, CR or LF byte", ErrUsage, h.Name)
		}
		f := Field{Name: h.Name, Value: v}
		if IsForbiddenRequestHeader(h.Name, v) {
			t.Dropped = append(t.Dropped, f)
			continue
		}
		t.Header = append(t.Header, f)
	}
	t.UnsafeNames = UnsafeRequestHeaderNames(t.Header)

	page := originURL(origin) // nil for "null"
	headers := slices.Clone(t.Header)
	corsTainting := false // Fetch's response tainting: "basic" until the first cross-origin request
	tainted := false      // redirect-taint: the Origin is serialized as "null"
	cur := u
	for redirects := 0; ; redirects++ {
		// Fetch §4.1 "main fetch": a same-origin request with basic tainting needs no CORS.
		cors := corsTainting || page == nil || !SameOrigin(page, cur)
		corsTainting = cors
		serialized := origin
		if tainted {
			serialized = "null"
		}
		credentialed := creds == CredentialsInclude
		sendCookies := credentialed || (creds == CredentialsSameOrigin && !cors)
		if cors && NeedsPreflight(method, headers) {
			ex, err := c.preflight(ctx, cur, serialized, method, headers)
			if err != nil {
				return t, err
			}
			ex.CORS = true
			ex.Failure = PreflightCheck(ex.Status, ex.ResponseHeader, serialized, method,
				UnsafeRequestHeaderNames(headers), credentialed, c.AuthorizationCoveredByWildcard)
			t.Exchanges = append(t.Exchanges, ex)
			if ex.Failure != nil {
				t.Blocked, t.BlockedAt, t.Failure = true, KindPreflight, ex.Failure
				return t, nil
			}
		}
		ex, err := c.send(ctx, cur, serialized, method, headers, cors, sendCookies)
		if err != nil {
			return t, err
		}
		ex.CORS = cors
		// Fetch §4.3 "HTTP fetch": the CORS check applies to every response, redirects included. Its
		// note exempts 304 and 407 only because it runs after HTTP-network-or-cache fetch (§4.5) has
		// dealt with them: a 304 is merged into the cached response it revalidates, and that merged
		// response is checked; a 407 is never returned (exchange reports it). This Client has no
		// cache and sends no conditional request, so a 304 is the response itself: checked like any.
		if cors {
			if ex.Failure = CORSCheck(ex.ResponseHeader, serialized, credentialed); ex.Failure != nil {
				ex.Failure.Status = ex.Status
			}
		}
		t.Exchanges = append(t.Exchanges, ex)
		if ex.Failure != nil {
			t.Blocked, t.BlockedAt, t.Failure = true, KindRequest, ex.Failure
			return t, nil
		}
		locations := ex.ResponseHeader.Values("Location")
		if !IsRedirectStatus(ex.Status) || len(locations) == 0 || (len(locations) == 1 && locations[0] == "") {
			t.Readable = ReadableHeaders(ex.ResponseHeader, cors, credentialed)
			return t, nil
		}
		// Fetch §4.4 "HTTP-redirect fetch".
		fail := func(reason, got string) (*Trace, error) {
			f := &Failure{Check: CheckRedirect, Reason: reason, Got: got, Status: ex.Status}
			t.Exchanges[len(t.Exchanges)-1].Failure = f
			t.Blocked, t.BlockedAt, t.Failure = true, KindRequest, f
			return t, nil
		}
		// Fetch §2.2.6 "location URL" extracts the header list values of Location, whose ABNF allows a
		// single header, so several Location lines are failure (§2.2 "extract header list values",
		// step 2), and HTTP-redirect fetch returns a network error for it (Chromium:
		// ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION). Following the first line would guess.
		if len(locations) > 1 {
			return fail(ReasonMultiple, strings.Join(locations, ", "))
		}
		location := locations[0]
		next, err := cur.Parse(location)
		if err != nil || (next.Scheme != "http" && next.Scheme != "https") {
			return fail(ReasonRedirectScheme, location)
		}
		if redirects == MaxRedirects {
			return fail(ReasonTooManyRedirects, location)
		}
		if next.User != nil && (cors || page == nil || !SameOrigin(page, next)) {
			return fail(ReasonRedirectCredentials, location)
		}
		next.Fragment, next.RawFragment = "", ""
		hop := Redirect{Status: ex.Status, From: cur.String(), To: next.String()}
		if (ex.Status == 303 && method != "GET" && method != "HEAD") || ((ex.Status == 301 || ex.Status == 302) && method == "POST") {
			method = "GET"
			headers = slices.DeleteFunc(headers, func(f Field) bool {
				return slices.Contains(requestBodyHeaders, asciiLower(f.Name))
			})
			hop.MethodChanged = true
		}
		if !SameOrigin(cur, next) {
			n := len(headers)
			headers = slices.DeleteFunc(headers, func(f Field) bool { return asciiEqualFold(f.Name, "authorization") })
			hop.AuthorizationDropped = len(headers) < n
			if page == nil || !SameOrigin(page, cur) {
				tainted = true
			}
		}
		hop.Tainted = tainted
		t.Redirects = append(t.Redirects, hop)
		cur = next
	}
}

// browserHeaders are what the browser adds to every request itself, unless the script set them.
func (c *Client) browserHeaders(h http.Header, origin string, u *url.URL) {
	ua := c.UserAgent
	if ua == "" {
		ua = DefaultUserAgent
	}
	h.Set("User-Agent", ua)
	h.Set("Accept-Encoding", "gzip, deflate")
	h.Set("Sec-Fetch-Mode", "cors")
	h.Set("Sec-Fetch-Site", secFetchSite(origin, u))
	h.Set("Sec-Fetch-Dest", "empty")
	if origin != "null" {
		// The default referrer policy, strict-origin-when-cross-origin, sends the page's origin.
		h.Set("Referer", origin+"/")
	}
}

// preflight sends the CORS-preflight request for method and headers (Fetch §4.8 steps 1–4): OPTIONS,
// Accept: */*, Access-Control-Request-Method, and Access-Control-Request-Headers with the unsafe names
// lower-cased, sorted and joined by "," without spaces; never cookies or the script's headers.
func (c *Client) preflight(ctx context.Context, u *url.URL, origin, method string, headers []Field) (Exchange, error) {
	h := http.Header{}
	for k, vs := range PreflightRequestHeaders(origin, method, headers) {
		h[k] = vs
	}
	c.browserHeaders(h, origin, u)
	h.Set("Accept-Language", "en-US,en;q=0.9")
	return c.exchange(ctx, KindPreflight, http.MethodOptions, u, h)
}

// PreflightRequestHeaders returns the CORS headers of the preflight for a request from origin with
// method and the script's headers (Fetch §4.8 steps 2–3): Origin, Accept: */*,
// Access-Control-Request-Method and, when there are CORS-unsafe names, Access-Control-Request-Headers
// ("intentionally does not use combine": joined by "," with no space).
func PreflightRequestHeaders(origin, method string, headers []Field) http.Header {
	h := http.Header{
		hOrigin:  {origin},
		"Accept": {"*/*"},
		hACRM:    {method},
	}
	if names := UnsafeRequestHeaderNames(headers); len(names) > 0 {
		h[hACRH] = []string{strings.Join(names, ",")}
	}
	return h
}

// send sends the actual request (or one hop of it).
func (c *Client) send(ctx context.Context, u *url.URL, origin, method string, headers []Field, cors, cookies bool) (Exchange, error) {
	h := http.Header{}
	for _, f := range headers {
		// Browsers send a name set twice as one line, its values joined by ", ".
		k := textproto.CanonicalMIMEHeaderKey(f.Name)
		if old, ok := h[k]; ok {
			h[k] = []string{old[0] + ", " + f.Value}
		} else {
			h[k] = []string{f.Value}
		}
	}
	if h.Get("Accept") == "" {
		h.Set("Accept", "*/*")
	}
	if h.Get("Accept-Language") == "" {
		h.Set("Accept-Language", "en-US,en;q=0.9")
	}
	c.browserHeaders(h, origin, u)
	// Fetch §3.1 "append a request Origin header": always for CORS, and for any method but GET and HEAD.
	if cors || (method != "GET" && method != "HEAD") {
		h.Set(hOrigin, origin)
	}
	if !cors {
		h.Set("Sec-Fetch-Site", "same-origin")
	}
	if cookies && c.Jar != nil {
		var pairs []string
		for _, ck := range c.Jar.Cookies(u) {
			pairs = append(pairs, ck.Name+"="+ck.Value)
		}
		if len(pairs) > 0 {
			h.Set("Cookie", strings.Join(pairs, "; "))
		}
	}
	ex, err := c.exchange(ctx, KindRequest, method, u, h)
	if err == nil && cookies && c.Jar != nil {
		if set := (&http.Response{Header: ex.ResponseHeader}).Cookies(); len(set) > 0 {
			c.Jar.SetCookies(u, set)
		}
	}
	return ex, err
}

// exchange sends one request and reads its response within the Client's bounds.
func (c *Client) exchange(parent context.Context, kind, method string, u *url.URL, h http.Header) (Exchange, error) {
	ctx := parent
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(parent, c.Timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		return Exchange{}, fmt.Errorf("%s %s: %w", method, u, err)
	}
	req.Header = h
	ex := Exchange{Kind: kind, Method: method, URL: u.String(), RequestHeader: h.Clone()}
	res, err := c.Transport.RoundTrip(req)
	if err != nil {
		if parent.Err() != nil {
			// The caller's bound (a deadline for a whole run, an interrupt), not this exchange's: say
			// so with the cause the caller gave.
			return ex, fmt.Errorf("%s %s: %w", method, u, context.Cause(parent))
		}
		if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			return ex, fmt.Errorf("%s %s: no response within %s", method, u, c.Timeout)
		}
		return ex, fmt.Errorf("%s %s: %w", method, u, err)
	}
	defer res.Body.Close()
	limit := c.BodyLimit
	if limit <= 0 {
		limit = DefaultBodyLimit
	}
	// The verdict is made on the headers; the body is read (boundedly) only as a browser would, and a
	// body that stalls or errs changes nothing.
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, limit))
	ex.Status = res.StatusCode
	ex.ResponseHeader = res.Header.Clone()
	if ex.ResponseHeader == nil {
		ex.ResponseHeader = http.Header{}
	}
	if len(res.TransferEncoding) > 0 {
		// net/http moves Transfer-Encoding out of the header map; a page sees it like any other header.
		ex.ResponseHeader["Transfer-Encoding"] = slices.Clone(res.TransferEncoding)
	}
	if ex.Status == http.StatusProxyAuthRequired {
		// Fetch §4.5 "HTTP-network-or-cache fetch" step 15: on a 407 the browser asks the user for proxy
		// credentials and sends the request again (a network error without a window); no CORS check
		// ever sees the 407 itself (Chromium fails a 407 from a server reached directly with
		// ERR_UNEXPECTED_PROXY_AUTH). The Client cannot prompt, so it cannot judge such a call.
		return ex, fmt.Errorf("%s %s: 407 Proxy Authentication Required: a browser asks for proxy credentials and sends the request again, which this check cannot do", method, u)
	}
	return ex, nil
}
