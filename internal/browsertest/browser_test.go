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
	"sync"
	"testing"

	"github.com/crossorigin/cors/internal/browsertest/chromium"
)

// The suite's network, all on 127.0.0.1. Chromium reaches every host name
// through --host-resolver-rules, so the pages can have realistic origins
// (https://app.example.com, https://evil-example.com, ...) while every
// connection stays on the loopback interface:
//
//	https://<any host>        -> frontTLS   (the rule "*:443")
//	https://<any host>:8443   -> frontTLS   (the rule "*:8443")
//	http://<any host>         -> frontPlain (the rule "*:80")
//	http://localhost:<port>   -> frontPlain or frontPlain2, directly
//	https://127.0.0.1:<port>  -> frontPublic, directly; the browser is told that
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

	session *chromium.Session
	// browser is the running browser, set by needBrowser.
	browser *chromium.Browser
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
	env.frontTLS = startServer(chromium.Page, true, quiet)
	env.frontPlain = startServer(chromium.Page, false, quiet)
	env.frontPlain2 = startServer(chromium.Page, false, quiet)
	env.frontPublic = startServer(chromium.Page, true, quiet)
	env.api = startServer(http.HandlerFunc(routeToBackend), true, quiet)
	defer func() {
		for _, s := range []*httptest.Server{env.frontTLS, env.frontPlain, env.frontPlain2, env.frontPublic, env.api} {
			s.Close()
		}
	}()

	env.session = chromium.Launch(chromium.Config{
		HostResolverRules: []string{
			"MAP api.example.com:443 127.0.0.1:" + port(env.api),
			"MAP api2.example.com:443 127.0.0.1:" + port(env.api),
			"MAP *:443 127.0.0.1:" + port(env.frontTLS),
			"MAP *:8443 127.0.0.1:" + port(env.frontTLS),
			"MAP *:80 127.0.0.1:" + port(env.frontPlain),
		},
		PublicEndpoints: []string{"127.0.0.1:" + port(env.frontPublic)},
	})
	defer env.session.Close()
	if p := env.session.Product(); p != "" && testing.Verbose() {
		fmt.Fprintf(os.Stderr, "browsertest: %s\n", p)
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

// needBrowser makes the test skip or fail when there is no browser.
func needBrowser(t *testing.T) {
	t.Helper()
	env.browser = env.session.Browser(t)
}

// request is what the page asks fetch() for.
type request struct {
	method      string            // "" = GET
	path        string            // appended to the case's base URL
	headers     map[string]string // request headers set by the script
	credentials string            // "include", "omit"; "" = fetch's default (same-origin)
	body        string
	sandboxed   bool // fetch from a sandboxed iframe of the page (Origin: null)
}

// outcome is what the page saw.
type outcome = chromium.Outcome

// probe makes the page at origin call url with fetch().
func probe(t *testing.T, origin, url string, req request) outcome {
	t.Helper()
	got, err := env.browser.Fetch(origin, url, chromium.Request{
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
