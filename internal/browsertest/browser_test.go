package browsertest

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/crossorigin/cors/internal/browsertest/browser"
)

// The suite's network, all on 127.0.0.1. Every engine reaches every host
// name through the routes (Chromium's --host-resolver-rules, the harness's
// forward proxy for Firefox and WebKit), so the pages can have realistic
// origins (https://app.example.com, https://evil-example.com, ...) while
// every connection stays on the loopback interface:
//
//	https://<any host>        -> frontTLS   (the rule "*:443")
//	https://<any host>:8443   -> frontTLS   (the rule "*:8443")
//	http://<any host>         -> frontPlain (the rule "*:80")
//	http://localhost:<port>   -> frontPlain or frontPlain2, directly
//	https://127.0.0.1:<port>  -> frontPublic, directly; Chromium is told that
//	                             this one endpoint is on the public internet
//	https://api.example.com   -> api        (the first rules, so they win)
//	https://api2.example.com  -> api        (another origin for the same API)
//
// Every API call of every case goes to https://api.example.com/c/<case>/...,
// and the api server hands it to the backend that the case registered.
type suite struct {
	frontTLS, frontPlain, frontPlain2, frontPublic, api *httptest.Server

	backendsMu sync.Mutex
	backends   map[string]*backend
	nextID     int

	cfg browser.Config
	// browser is the running browser of the engine under test, and tally
	// counts how its cases ended; TestBrowsers sets both, one engine after
	// the other.
	browser *browser.Browser
	engine  string
	tally   *browser.Tally
}

var env suite

// apiOrigin is the origin of the API that every page calls.
const apiOrigin = "https://api.example.com"

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(runSuite(m))
}

func runSuite(m *testing.M) int {
	env.backends = map[string]*backend{}

	// The servers' own error logs (TLS handshakes that the browser abandons,
	// for example) are noise for this suite.
	quiet := log.New(io.Discard, "", 0)
	env.frontTLS = startServer(browser.Page, true, quiet)
	env.frontPlain = startServer(browser.Page, false, quiet)
	env.frontPlain2 = startServer(browser.Page, false, quiet)
	env.frontPublic = startServer(browser.Page, true, quiet)
	env.api = startServer(http.HandlerFunc(routeToBackend), true, quiet)
	defer func() {
		for _, s := range []*httptest.Server{env.frontTLS, env.frontPlain, env.frontPlain2, env.frontPublic, env.api} {
			s.Close()
		}
	}()

	loopback := func(s *httptest.Server) string { return "127.0.0.1:" + port(s) }
	env.cfg = browser.Config{
		Routes: []browser.Route{
			{From: "api.example.com:443", To: loopback(env.api)},
			{From: "api2.example.com:443", To: loopback(env.api)},
			{From: "*:443", To: loopback(env.frontTLS)},
			{From: "*:8443", To: loopback(env.frontTLS)},
			{From: "*:80", To: loopback(env.frontPlain)},
		},
		PublicEndpoints: []string{loopback(env.frontPublic)},
	}
	return m.Run()
}

func startServer(h http.Handler, tls bool, errLog *log.Logger) *httptest.Server {
	s := httptest.NewUnstartedServer(h)
	s.Config.ErrorLog = errLog
	if tls {
		s.StartTLS()
	} else {
		s.Start()
	}
	return s
}

// port returns the port that the server listens on.
func port(s *httptest.Server) string {
	_, p, err := net.SplitHostPort(s.Listener.Addr().String())
	if err != nil {
		panic(err)
	}
	return p
}

// groups are the suite's tests, run in each engine by TestBrowsers.
var groups = []struct {
	name string
	run  func(t *testing.T)
}{
	{"SimpleRequests", testSimpleRequests},
	{"OriginEntries", testOriginEntries},
	{"PreflightedMethods", testPreflightedMethods},
	{"RequestHeaders", testRequestHeaders},
	{"NullOrigin", testNullOrigin},
	{"Credentials", testCredentials},
	{"ExposedHeaders", testExposedHeaders},
	{"MaxAge", testMaxAge},
	{"MaxAgeOutlivesTheDefault", testMaxAgeOutlivesTheDefault},
	{"PreflightHandling", testPreflightHandling},
	{"VaryIsKept", testVaryIsKept},
	{"ReconfigureWhilePageIsOpen", testReconfigureWhilePageIsOpen},
	{"Apply", testApply},
	{"PrivateNetworkAccess", testPrivateNetworkAccess},
	{"EngineRules", testEngineRules},
	{"CrossOriginWrites", testCrossOriginWrites},
	{"TimingAllowOrigin", testTimingAllowOrigin},
}

// TestBrowsers runs every group of cases in every selected engine, one
// engine after the other with one browser each, and logs per engine the
// machine-readable summary line docs/conformance.md's table is built from.
func TestBrowsers(t *testing.T) {
	browser.ForEach(t, env.cfg, func(t *testing.T, b *browser.Browser) {
		start := time.Now()
		env.browser, env.engine = b, b.Engine().Name
		env.tally = &browser.Tally{Engine: env.engine, Version: b.Product()}
		defer func() { env.browser, env.tally = nil, nil }()
		for _, g := range groups {
			t.Run(g.name, g.run)
		}
		env.tally.Wall = time.Since(start)
		t.Log(env.tally.Summary())
		for _, d := range env.tally.Deviations() {
			t.Logf("browser-deviation engine=%s %s", env.engine, d)
		}
		if p := b.Proxy(); p != nil {
			assert.Empty(t, p.Refused(), "the browser tried to reach hosts outside the test network")
		}
	})
}

// request is what the page asks fetch() for.
type request struct {
	method      string            // "" = GET
	path        string            // appended to the case's base URL
	api         string            // the API's origin in the URL; "" = apiOrigin
	headers     map[string]string // request headers set by the script
	credentials string            // "include", "omit"; "" = fetch's default (same-origin)
	body        string
	sandboxed   bool // fetch from a sandboxed iframe of the page (Origin: null)
}

// outcome is what the page saw.
type outcome = browser.Outcome

// probe makes the page at origin call url with fetch().
func probe(t *testing.T, origin, url string, req request) outcome {
	t.Helper()
	got, err := env.browser.Fetch(origin, url, browser.Request{
		Method:      req.method,
		Headers:     req.headers,
		Credentials: req.credentials,
		Body:        req.body,
		Sandboxed:   req.sandboxed,
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// jsString writes s as a JavaScript string literal.
func jsString(s string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case r < 0x20:
			fmt.Fprintf(&sb, `\u%04x`, r)
		default:
			sb.WriteRune(r)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}
