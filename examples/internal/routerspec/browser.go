package routerspec

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/internal/browsertest/browser"
)

// The browser specification runs an example the way it is deployed by default: the browser app on
// http://localhost:3000 calls the API on http://localhost:8080, in every browser engine the harness drives
// (Chromium, Firefox, WebKit; CORS_BROWSERS selects some). The harness maps those names to the test's loopback
// ports (Chromium's --host-resolver-rules, a forward proxy for the others), so the origins the example sees are
// the real ones and every connection stays on 127.0.0.1.
const (
	// APIOrigin is the origin of the example's API, as the pages call it.
	APIOrigin = "http://localhost:8080"
	// OtherPortOrigin is the allowed host on another port: the same site as the app, but another origin, which
	// no example allows.
	OtherPortOrigin = "http://localhost:3001"
	// SessionCookie is the cookie the browser app holds for localhost. Cookies ignore ports, so the browser
	// sends it to the API with a credentialed fetch (localhost:3000 and localhost:8080 are the same site).
	SessionCookie = "session=abc"
)

// BrowserAPI is an example's server as the browser specification reaches it.
type BrowserAPI struct {
	Addr string    // the host:port of its loopback listener
	Log  *Recorder // every request it received
}

// Request is the fetch() a page makes: method, headers, credentials mode and body.
type Request = browser.Request

// BrowserCase is one thing a page does with the example's API, and what must come of it on both sides.
type BrowserCase struct {
	Name string
	Page string // the origin the page is loaded from
	Path string // the API path called; each case adds its own query, so no preflight cache hides a preflight
	// Fetch is the fetch() the page makes, unless WebSocket is set: then the page opens a WebSocket to the path,
	// sends "ping" once it is open, and closes the socket when the echo comes back.
	Fetch     Request
	WebSocket bool

	// WantReadable: the fetch resolved and the page read the answer; for a WebSocket, it opened and echoed.
	// Otherwise the fetch rejects with a bare network error, or the socket never opens.
	WantReadable bool
	WantStatus   int    // the status the page reads; 0 means 200
	WantBody     string // a part of the body the page reads, proof the route's handler ran; "": not checked
	// WantHeaders are response headers (lower-case names) the page must be able to read, with their values:
	// the safelisted ones, or those the policy exposes.
	WantHeaders map[string]string
	// WantReceived is every request the API received for this case, in order, as Exchange.Summary writes
	// them: "OPTIONS /items/7: 204, CORS". A preflight that fails shows as the last line: the actual request
	// was never sent.
	WantReceived []string
}

// RunBrowserSpec starts the pages, and runs every case against api in every selected browser engine, one
// engine after the other with one browser each, as subtests named after the engine. An engine that is not
// installed fails with its install command, or skips when CORS_SKIP_BROWSER=1. Each engine's subtest ends with a
// machine-readable summary line (cases passed, passed by asserting a named deviation of the engine, skipped,
// failed) and a line per deviation.
func RunBrowserSpec(t *testing.T, api BrowserAPI, cases []BrowserCase) {
	t.Helper()
	quiet := log.New(io.Discard, "", 0) // TLS handshakes the browser abandons are noise
	plain, tls := httptest.NewUnstartedServer(browser.Page), httptest.NewUnstartedServer(browser.Page)
	plain.Config.ErrorLog, tls.Config.ErrorLog = quiet, quiet
	plain.Start()
	tls.StartTLS()
	t.Cleanup(plain.Close)
	t.Cleanup(tls.Close)

	cfg := browser.Config{Routes: []browser.Route{
		{From: hostPort(APIOrigin), To: api.Addr},
		{From: hostPort(AllowedOrigin), To: plain.Listener.Addr().String()},
		{From: hostPort(OtherPortOrigin), To: plain.Listener.Addr().String()},
		{From: hostPort(RefusedOrigin), To: tls.Listener.Addr().String()},
		{From: hostPort(plainPage(RefusedOrigin)), To: plain.Listener.Addr().String()},
	}}
	browser.ForEach(t, cfg, func(t *testing.T, b *browser.Browser) {
		start := time.Now()
		tally := &browser.Tally{Engine: b.Engine().Name, Version: b.Product()}
		// The app's session cookie, set by the app's own page for its host.
		cookies, err := browser.Eval[string](b, AllowedOrigin, fmt.Sprintf("(document.cookie = %q, document.cookie)", SessionCookie+"; path=/"))
		require.NoError(t, err)
		require.Equal(t, SessionCookie, cookies, "the app holds its session cookie")

		for i, c := range cases {
			t.Run(c.Name, func(t *testing.T) {
				deviation := mixedContentBlocked(b.Engine().Name, c.Page)
				tally.Record(t, func() string { return deviation })
				if deviation != "" {
					t.Logf("%s deviates: %s", b.Engine().Name, deviation)
					runBlockedCase(t, b, api, i, c)
					return
				}
				runBrowserCase(t, b, api, i, c)
			})
		}
		for _, d := range tally.Deviations() {
			t.Logf("browser-deviation engine=%s %s", b.Engine().Name, d)
		}
		tally.Wall = time.Since(start)
		t.Log(tally.Summary())
		if p := b.Proxy(); p != nil {
			assert.Empty(t, p.Refused(), "the browser tried to reach hosts outside the test network")
		}
	})
}

// hostPort is the host:port of an origin, with its scheme's default port made explicit.
func hostPort(origin string) string {
	scheme, host, _ := strings.Cut(origin, "://")
	if _, _, err := net.SplitHostPort(host); err == nil {
		return host
	}
	if scheme == "https" {
		return host + ":443"
	}
	return host + ":80"
}

// mixedContentBlocked says why engine never sends a request from page to the API, or "". WebKit blocks an
// https page's request to http://localhost as mixed content, before it leaves the browser; the Mixed Content
// standard (https://w3c.github.io/webappsec-mixed-content/#a-priori-authenticated-url) and Secure Contexts
// (https://w3c.github.io/webappsec-secure-contexts/#is-origin-trustworthy: localhost is potentially
// trustworthy) let it through, as Chromium and Firefox do. The API is on http://localhost:8080, so every case
// whose page is https (RefusedOrigin) is a WebKit mixed-content case.
func mixedContentBlocked(engine, page string) string {
	if engine == browser.WebKit && strings.HasPrefix(page, "https:") && strings.HasPrefix(APIOrigin, "http:") {
		return "blocks an https page's request to http://localhost as mixed content, though Mixed Content and " +
			"Secure Contexts treat localhost as potentially trustworthy: nothing reaches the API (the case is " +
			"then checked from the http origin of the same host)"
	}
	return ""
}

// plainPage is the http origin of the same host as page, from which an engine that blocks page's requests as
// mixed content still sends them, so that the case's CORS outcome is checked all the same.
func plainPage(page string) string { return "http://" + strings.TrimPrefix(page, "https://") }

// runBlockedCase asserts what a page sees of a request its engine blocks before sending it: a fetch rejects with
// the bare network error, a WebSocket never opens, and the API receives nothing. Then the case runs as written
// from the http origin of the page's host, which the engine does send, so that what the API and the page see of
// it is still checked in this engine.
func runBlockedCase(t *testing.T, b *browser.Browser, api BrowserAPI, i int, c BrowserCase) {
	url := fmt.Sprintf("%s%s?case=%d", APIOrigin, c.Path, i)
	from := api.Log.Len()
	var seen string
	if c.WebSocket {
		got, err := b.WebSocket(c.Page, "ws"+strings.TrimPrefix(url, "http"), "ping")
		require.NoError(t, err)
		seen = fmt.Sprintf("%+v", got)
		assert.False(t, got.Opened, "the socket must never open\nthe page saw %s", seen)
	} else {
		got, err := b.Fetch(c.Page, url, c.Fetch)
		require.NoError(t, err)
		seen = fmt.Sprintf("%+v", got)
		assert.True(t, b.Engine().Blocked(got), "the fetch rejects with a bare network error\nthe page saw %s", seen)
	}
	assert.Empty(t, api.Log.Since(from), "nothing reaches the API (the page saw %s)", seen)

	c.Page = plainPage(c.Page)
	runBrowserCase(t, b, api, i, c)
}

func runBrowserCase(t *testing.T, b *browser.Browser, api BrowserAPI, i int, c BrowserCase) {
	url := fmt.Sprintf("%s%s?case=%d", APIOrigin, c.Path, i)
	from := api.Log.Len()
	var seen string // what the page saw, for failure messages
	if c.WebSocket {
		url = "ws" + strings.TrimPrefix(url, "http")
		got, err := b.WebSocket(c.Page, url, "ping")
		require.NoError(t, err)
		seen = fmt.Sprintf("%+v", got)
		if c.WantReadable {
			assert.True(t, got.Opened, "the socket must open\nthe page saw %s", seen)
			assert.Equal(t, "ping", got.Echo, "the server's echo\nthe page saw %s", seen)
		} else {
			assert.False(t, got.Opened, "the socket must never open\nthe page saw %s", seen)
			assert.Equal(t, 1006, got.CloseCode, "a refused handshake closes abnormally\nthe page saw %s", seen)
		}
	} else {
		got, err := b.Fetch(c.Page, url, c.Fetch)
		require.NoError(t, err)
		seen = fmt.Sprintf("%+v", got)
		if c.WantReadable {
			status := c.WantStatus
			if status == 0 {
				status = http.StatusOK
			}
			assert.True(t, got.OK, "the page must read the response\nthe page saw %s", seen)
			assert.Equal(t, status, got.Status, "the status the page reads\nthe page saw %s", seen)
			if c.WantBody != "" {
				assert.Contains(t, got.Body, c.WantBody, "the body the page reads\nthe page saw %s", seen)
			}
			for name, value := range c.WantHeaders {
				assert.Equal(t, value, got.Headers[name], "response header %s as the page reads it\nthe page saw %s", name, seen)
			}
		} else {
			assert.False(t, got.OK, "the page must not read the response\nthe page saw %s", seen)
			assert.Contains(t, got.Error, b.Engine().NetworkError, "a CORS failure is a bare network error")
		}
	}

	exs := api.Log.Since(from)
	var received []string
	for _, e := range exs {
		received = append(received, e.Summary())
	}
	assert.Equal(t, c.WantReceived, received, "what the API received (the page saw %s)", seen)

	// What holds for every request of every case.
	credentialed := c.Fetch.Credentials == "include"
	for _, e := range exs {
		assert.Equal(t, []string{c.Page}, e.Origins, "%s: the Origin the browser sends", e.Summary())
		switch {
		case e.Preflight():
			assert.Empty(t, e.Cookie, "%s: a preflight never carries credentials", e.Summary())
			assert.Equal(t, strings.ToUpper(c.Fetch.Method), e.ACRM, "%s: the method asked for", e.Summary())
		case credentialed && c.Page == AllowedOrigin:
			assert.Equal(t, SessionCookie, e.Cookie, "%s: a credentialed fetch from the app sends its cookie", e.Summary())
		}
		if !e.Preflight() && e.Header != nil {
			AssertTokensOnce(t, e.Header, "Vary", "Origin")
		}
	}
}

// RouterBrowserCases is the browser specification of every router example (see the package comment for the
// API): the browser app's credentialed, preflighted PUT with a JSON body works; a refused origin's calls fail, a
// method or header the example does not allow fails at the preflight, and the router's own 404 and 405 are
// readable by the app.
func RouterBrowserCases() []BrowserCase {
	include := func(method string, headers map[string]string, body string) Request {
		return Request{Method: method, Headers: headers, Credentials: "include", Body: body}
	}
	jsonPUT := include(http.MethodPut, map[string]string{"Content-Type": "application/json"}, `{"name":"lamp"}`)
	return []BrowserCase{
		{
			Name: "the app's credentialed PUT with a JSON body passes its preflight, and the page reads the answer",
			Page: AllowedOrigin, Path: "/items/7", Fetch: jsonPUT,
			WantReadable: true, WantBody: `"updated":true`,
			WantReceived: []string{"OPTIONS /items/7: 204, CORS", "PUT /items/7: 200, CORS"},
		},
		{
			Name: "the app's credentialed GET is readable, without a preflight",
			Page: AllowedOrigin, Path: "/items/1", Fetch: include(http.MethodGet, nil, ""),
			WantReadable: true, WantBody: `"id":"1"`,
			WantReceived: []string{"GET /items/1: 200, CORS"},
		},
		{
			Name: "a DELETE, which the example does not allow, fails at the preflight and never reaches a handler",
			Page: AllowedOrigin, Path: "/items/1", Fetch: include(http.MethodDelete, nil, ""),
			WantReceived: []string{"OPTIONS /items/1: 403, no CORS"},
		},
		{
			Name: "a request header the example does not allow fails at the preflight",
			Page: AllowedOrigin, Path: "/items/7",
			Fetch:        include(http.MethodPut, map[string]string{"Content-Type": "application/json", "X-Requested-With": "fetch"}, "{}"),
			WantReceived: []string{"OPTIONS /items/7: 403, no CORS"},
		},
		{
			Name: "the router's 404 is readable by the app, so it can tell a missing route from a CORS failure",
			Page: AllowedOrigin, Path: "/missing", Fetch: include(http.MethodGet, nil, ""),
			WantReadable: true, WantStatus: http.StatusNotFound,
			WantReceived: []string{"GET /missing: 404, CORS"},
		},
		{
			Name: "the router's 405 for a POST is readable by the app",
			Page: AllowedOrigin, Path: "/items/1", Fetch: include(http.MethodPost, nil, ""),
			WantReadable: true, WantStatus: http.StatusMethodNotAllowed,
			WantReceived: []string{"POST /items/1: 405, CORS"},
		},
		{
			Name: "a refused origin's GET fails in the page, though the server answered it",
			Page: RefusedOrigin, Path: "/items/1", Fetch: Request{},
			WantReceived: []string{"GET /items/1: 200, no CORS"},
		},
		{
			Name: "a refused origin's credentialed PUT stops at the preflight",
			Page: RefusedOrigin, Path: "/items/7", Fetch: jsonPUT,
			WantReceived: []string{"OPTIONS /items/7: 403, no CORS"},
		},
		{
			Name: "the router's 404 is not readable by a refused origin",
			Page: RefusedOrigin, Path: "/missing", Fetch: Request{},
			WantReceived: []string{"GET /missing: 404, no CORS"},
		},
		{
			Name: "another port of the app's host is another origin: its PUT stops at the preflight",
			Page: OtherPortOrigin, Path: "/items/7", Fetch: jsonPUT,
			WantReceived: []string{"OPTIONS /items/7: 403, no CORS"},
		},
	}
}

// WebSocketBrowserCases is the browser specification of the websocket example, whose API is GET /messages and
// the WebSocket /ws, guarded by one allowlist with credentials and the default methods: a WebSocket from the app
// opens and one from a refused origin does not, exactly as fetch is readable or not.
func WebSocketBrowserCases() []BrowserCase {
	include := Request{Credentials: "include"}
	return []BrowserCase{
		{
			Name: "a WebSocket from the app opens and echoes",
			Page: AllowedOrigin, Path: "/ws", WebSocket: true,
			WantReadable: true, WantReceived: []string{"GET /ws: 101, upgraded"},
		},
		{
			Name: "the app's credentialed fetch of /messages is readable",
			Page: AllowedOrigin, Path: "/messages", Fetch: include,
			WantReadable: true, WantBody: `["hello"]`,
			WantReceived: []string{"GET /messages: 200, CORS"},
		},
		{
			Name: "a DELETE, outside the default methods, fails at the preflight and never reaches a handler",
			Page: AllowedOrigin, Path: "/messages", Fetch: Request{Method: http.MethodDelete, Credentials: "include"},
			WantReceived: []string{"OPTIONS /messages: 403, no CORS"},
		},
		{
			Name: "a WebSocket from a refused origin is refused by the upgrader and never opens",
			Page: RefusedOrigin, Path: "/ws", WebSocket: true,
			WantReceived: []string{"GET /ws: 403, no CORS"},
		},
		{
			Name: "a refused origin's fetch of /messages fails in the page, though the server answered it",
			Page: RefusedOrigin, Path: "/messages", Fetch: Request{},
			WantReceived: []string{"GET /messages: 200, no CORS"},
		},
		{
			Name: "a WebSocket from another port of the app's host never opens",
			Page: OtherPortOrigin, Path: "/ws", WebSocket: true,
			WantReceived: []string{"GET /ws: 403, no CORS"},
		},
	}
}
