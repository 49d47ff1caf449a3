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

	"github.com/crossorigin/cors/internal/header"
)

// browserHeaders are what the browser adds to every request itself, unless the script set them.
func (c *Client) browserHeaders(h http.Header, origin string, u *url.URL) {
	ua := c.UserAgent
	if ua == "" {
		ua = DefaultUserAgent
	}
	h.Set("User-Agent", ua)
	h.Set("Accept-Encoding", "gzip, deflate")
	h.Set("Sec-Fetch-Mode", "cors")
	h.Set(header.SecFetchSite, secFetchSite(origin, u))
	h.Set("Sec-Fetch-Dest", "empty")
	if origin != "null" {
		// The default referrer policy, strict-origin-when-cross-origin, sends the page's origin.
		h.Set("Referer", origin+"/")
	}
}

// preflight sends the CORS-preflight request for verb and the script's headers
// (https://fetch.spec.whatwg.org/#cors-preflight-fetch): OPTIONS, Accept: */*,
// Access-Control-Request-Method, and Access-Control-Request-Headers with the unsafe names lower-cased,
// sorted and joined by "," without spaces; never cookies or the script's headers.
func (c *Client) preflight(ctx context.Context, u *url.URL, origin, verb string, headers []Field) (Exchange, error) {
	h := http.Header{}
	for k, vs := range PreflightRequestHeaders(origin, verb, headers) {
		h[k] = vs
	}
	c.browserHeaders(h, origin, u)
	h.Set("Accept-Language", "en-US,en;q=0.9")
	return c.exchange(ctx, KindPreflight, http.MethodOptions, u, h)
}

// PreflightRequestHeaders returns the CORS headers of the preflight for a request from origin with verb
// and the script's headers (https://fetch.spec.whatwg.org/#cors-preflight-fetch): Origin, Accept: */*,
// Access-Control-Request-Method and, when there are CORS-unsafe names, Access-Control-Request-Headers
// ("intentionally does not use combine": joined by "," with no space).
func PreflightRequestHeaders(origin, verb string, headers []Field) http.Header {
	h := http.Header{
		header.Origin:                     {origin},
		"Accept":                          {"*/*"},
		header.AccessControlRequestMethod: {verb},
	}
	if names := UnsafeRequestHeaderNames(headers); len(names) > 0 {
		h[header.AccessControlRequestHeaders] = []string{strings.Join(names, ",")}
	}
	return h
}

// outgoing is an actual request (or one hop of it) as the browser is about to send it.
type outgoing struct {
	url     *url.URL
	origin  string // the serialized origin, "null" once redirect-tainted
	verb    string
	fields  []Field // the script's headers
	cors    bool    // the request is cross-origin, or follows one: CORS applies
	cookies bool    // the credentials mode lets the browser's cookies go with it
}

// send sends the actual request (or one hop of it).
func (c *Client) send(ctx context.Context, out outgoing) (Exchange, error) {
	u, origin, verb := out.url, out.origin, out.verb
	h := http.Header{}
	for _, f := range out.fields {
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
	// https://fetch.spec.whatwg.org/#append-a-request-origin-header: always for CORS, and for any method
	// but GET and HEAD.
	if out.cors || (verb != "GET" && verb != "HEAD") {
		h.Set(header.Origin, origin)
	}
	if !out.cors {
		h.Set(header.SecFetchSite, "same-origin")
	}
	if out.cookies && c.Jar != nil {
		var pairs []string
		for _, ck := range c.Jar.Cookies(u) {
			pairs = append(pairs, ck.Name+"="+ck.Value)
		}
		if len(pairs) > 0 {
			h.Set("Cookie", strings.Join(pairs, "; "))
		}
	}
	ex, err := c.exchange(ctx, KindRequest, verb, u, h)
	if err == nil && out.cookies && c.Jar != nil {
		if set := (&http.Response{Header: ex.ResponseHeader}).Cookies(); len(set) > 0 {
			c.Jar.SetCookies(u, set)
		}
	}
	return ex, err
}

// exchange sends one request and reads its response within the Client's bounds.
func (c *Client) exchange(parent context.Context, kind, verb string, u *url.URL, h http.Header) (Exchange, error) {
	ctx := parent
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(parent, c.Timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, verb, u.String(), nil)
	if err != nil {
		return Exchange{}, fmt.Errorf("%s %s: %w", verb, u, err)
	}
	req.Header = h
	ex := Exchange{Kind: kind, Method: verb, URL: u.String(), RequestHeader: h.Clone()}
	res, err := c.Transport.RoundTrip(req)
	if err != nil {
		if parent.Err() != nil {
			// The caller's bound (a deadline for a whole run, an interrupt), not this exchange's: say
			// so with the cause the caller gave.
			return ex, fmt.Errorf("%s %s: %w", verb, u, context.Cause(parent))
		}
		if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			return ex, fmt.Errorf("%s %s: no response within %s", verb, u, c.Timeout)
		}
		return ex, fmt.Errorf("%s %s: %w", verb, u, err)
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
		// https://fetch.spec.whatwg.org/#http-network-or-cache-fetch: on a 407 the browser asks the user for proxy
		// credentials and sends the request again (a network error without a window); no CORS check
		// ever sees the 407 itself (Chromium fails a 407 from a server reached directly with
		// ERR_UNEXPECTED_PROXY_AUTH). The Client cannot prompt, so it cannot judge such a call.
		return ex, fmt.Errorf("%s %s: 407 Proxy Authentication Required: a browser asks for proxy credentials and sends the request again, which this check cannot do", verb, u)
	}
	return ex, nil
}
