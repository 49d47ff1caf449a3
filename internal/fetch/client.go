package fetch

import (
	"context"
	"net/http"
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

// Do runs the fetch r and reports what happened. A CORS failure is not an error: it is in the Trace
// (Blocked, BlockedAt, Failure). The error is for a request fetch() would refuse (a *[RequestError]) and
// for network failures (no connection, a timeout, headers past the transport's bound), which a browser
// also reports as a network error but which say nothing about CORS.
func (c *Client) Do(ctx context.Context, r Request) (*Trace, error) {
	f, err := start(r)
	if err != nil {
		return nil, err
	}
	for redirects := 0; ; redirects++ {
		ex, err := c.hop(ctx, f)
		if err != nil || f.trace.Blocked {
			return f.trace, err
		}
		if done := f.follow(ex, redirects); done {
			return f.trace, nil
		}
	}
}
