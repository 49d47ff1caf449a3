package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
)

// installCommand is what a machine without Chromium needs. CI runs it.
const installCommand = "apt-get update && apt-get install -y chromium"

// skipEnv, when set to 1, makes every browser test skip instead of fail.
const skipEnv = "CORS_SKIP_BROWSER"

// probeTimeout bounds one fetch made by the page. A CORS failure is reported
// by the browser within milliseconds, so only a hung browser reaches it.
const probeTimeout = 10 * time.Second

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

	// browserCtx is the chromedp context of the browser itself; tabs are
	// children of it. It is nil when the browser could not start.
	browserCtx context.Context
	browserErr error  // why there is no browser
	skip       bool   // CORS_SKIP_BROWSER=1
	product    string // as the browser reports itself, e.g. Chrome/156.0.8078.108

	tabMu     sync.Mutex
	tab       context.Context // the tab the pages are shown in
	tabOrigin string          // the origin of the page it shows
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
	page := http.HandlerFunc(servePage)
	env.frontTLS = startServer(page, true, quiet)
	env.frontPlain = startServer(page, false, quiet)
	env.frontPlain2 = startServer(page, false, quiet)
	env.frontPublic = startServer(page, true, quiet)
	env.api = startServer(http.HandlerFunc(routeToBackend), true, quiet)
	defer func() {
		for _, s := range []*httptest.Server{env.frontTLS, env.frontPlain, env.frontPlain2, env.frontPublic, env.api} {
			s.Close()
		}
	}()

	if os.Getenv(skipEnv) == "1" {
		env.skip = true
		return m.Run()
	}

	stop, err := startBrowser()
	if err != nil {
		env.browserErr = err
		return m.Run()
	}
	defer stop()
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "browsertest: %s\n", env.product)
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

// chromiumPath finds Debian's Chromium.
func chromiumPath() (string, error) {
	p, err := exec.LookPath("chromium")
	if err != nil {
		return "", fmt.Errorf("chromium is not installed: %w", err)
	}
	return p, nil
}

// The values that chromedp's default options (v0.23.0) give to
// --enable-features and --disable-features. Setting a flag replaces its value,
// so they are repeated.
const (
	chromedpEnabledFeatures  = "NetworkService,NetworkServiceInProcess"
	chromedpDisabledFeatures = "Translate,BlinkGenPropertyTrees"
)

func startBrowser() (stop func(), err error) {
	path, err := chromiumPath()
	if err != nil {
		return nil, err
	}
	dataDir, err := os.MkdirTemp("", "cors-browsertest-*")
	if err != nil {
		return nil, err
	}

	rules := strings.Join([]string{
		"MAP api.example.com:443 127.0.0.1:" + port(env.api),
		"MAP api2.example.com:443 127.0.0.1:" + port(env.api),
		"MAP *:443 127.0.0.1:" + port(env.frontTLS),
		"MAP *:8443 127.0.0.1:" + port(env.frontTLS),
		"MAP *:80 127.0.0.1:" + port(env.frontPlain),
	}, ", ")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dataDir),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// Without this feature Chromium lets "Access-Control-Allow-Headers: *"
		// cover Authorization, against the Fetch standard.
		chromedp.Flag("enable-features", chromedpEnabledFeatures+",CorsNonWildcardRequestHeadersSupport"),
		// HTTPS-Upgrades would turn http://app.example.com into https://, and
		// the "other scheme" cases need the http page. Site isolation would
		// start a renderer process per site; one serves all the pages faster,
		// and CORS is enforced outside the renderer either way.
		chromedp.Flag("disable-features", chromedpDisabledFeatures+",HttpsUpgrades,site-per-process,IsolateOrigins"),
		chromedp.Flag("host-resolver-rules", rules),
		// The servers use httptest's self-signed certificate.
		chromedp.Flag("ignore-certificate-errors", true),
		chromedp.Flag("ip-address-space-overrides", "127.0.0.1:"+port(env.frontPublic)+"=public"),
	)

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	stop = func() {
		cancelBrowser()
		cancelAlloc()
		_ = os.RemoveAll(dataDir)
	}
	// The first call runs on the browser's own context and has no timeout:
	// a timeout on it would stop the whole browser when it expires.
	version, err := chromedp.CallBrowser(browserCtx, browser.GetVersion, struct{}{})
	if err != nil {
		stop()
		return nil, fmt.Errorf("starting %s: %w", path, err)
	}
	env.browserCtx = browserCtx
	env.product = version.Product
	return stop, nil
}

// needBrowser makes the test skip or fail when there is no browser.
func needBrowser(t *testing.T) {
	t.Helper()
	skip, msg := unavailable(env.skip, env.browserErr)
	switch {
	case skip:
		t.Skip(msg)
	case msg != "":
		t.Fatal(msg)
	}
}

// unavailable says what to do when the browser is not there: skip (when told
// to), fail with the command that installs it, or nothing (msg == "").
func unavailable(skipRequested bool, browserErr error) (skip bool, msg string) {
	switch {
	case skipRequested:
		return true, fmt.Sprintf("%s=1: the browser conformance suite is skipped; unset it to run the suite (it needs Chromium: %s)", skipEnv, installCommand)
	case browserErr != nil:
		return false, fmt.Sprintf("the browser conformance suite needs Chromium: %v\ninstall it with: %s\nor set %s=1 to skip this suite", browserErr, installCommand, skipEnv)
	}
	return false, ""
}

// servePage serves the page that the probes run in. It is the same for every
// origin; what matters is the origin it is loaded from.
func servePage(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, "<!doctype html><title>cors browser test</title><p>frontend</p>")
}

// tab returns the tab, showing the page of origin. There is one tab, which
// navigates only when a case needs another origin than the one it shows:
// navigating is several times cheaper than opening a tab. Tests run one after
// the other, so the tab has one user at a time.
func tab(t *testing.T, origin string) context.Context {
	t.Helper()
	env.tabMu.Lock()
	defer env.tabMu.Unlock()
	if env.tab == nil {
		// The tab lives as long as the browser: it is closed with it.
		env.tab, _ = chromedp.NewContext(env.browserCtx)
	}
	if env.tabOrigin == origin {
		return env.tab
	}
	env.tabOrigin = ""
	if err := chromedp.Do(env.tab, chromedp.Navigate(origin+"/")); err != nil {
		t.Fatalf("opening the page %s: %v", origin, err)
	}
	loaded, err := chromedp.Run(env.tab, chromedp.Evaluate[string](`location.origin`))
	if err != nil {
		t.Fatalf("reading the origin of the page %s: %v", origin, err)
	}
	if loaded != origin {
		t.Fatalf("the page meant for %s was loaded from %s", origin, loaded)
	}
	env.tabOrigin = origin
	return env.tab
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
type outcome struct {
	OK      bool              `json:"ok"` // fetch resolved: the page could read the response
	Status  int               `json:"status"`
	Body    string            `json:"body"`
	Headers map[string]string `json:"headers"` // the response headers readable by the page
	Error   string            `json:"error"`   // why fetch rejected
}

// probeFn runs fetch(url, init) and reports what the calling script can see.
const probeFn = `async (url, init) => {
  try {
    const r = await fetch(url, init);
    const headers = {};
    r.headers.forEach((v, k) => { headers[k] = v; });
    const body = await r.text();
    return {ok: true, status: r.status, body, headers, error: ""};
  } catch (e) {
    return {ok: false, status: 0, body: "", headers: {}, error: String(e)};
  }
}`

// sandboxJS runs the probe inside an iframe of the page that is sandboxed
// with only allow-scripts: the iframe has an opaque origin, so its requests
// carry "Origin: null". The iframe posts the result back to the page.
const sandboxJS = `new Promise((resolve) => {
  const f = document.createElement("iframe");
  f.sandbox = "allow-scripts";
  window.addEventListener("message", function done(e) {
    if (e.source !== f.contentWindow) return;
    window.removeEventListener("message", done);
    f.remove();
    resolve(e.data);
  });
  f.srcdoc = %s;
  document.body.appendChild(f);
})`

// probe makes the page at origin call url with fetch().
func probe(t *testing.T, origin, url string, req request) outcome {
	t.Helper()
	init := map[string]any{}
	if req.method != "" {
		init["method"] = req.method
	}
	if len(req.headers) > 0 {
		init["headers"] = req.headers
	}
	if req.credentials != "" {
		init["credentials"] = req.credentials
	}
	if req.body != "" {
		init["body"] = req.body
	}
	u, err := json.Marshal(url)
	if err != nil {
		t.Fatal(err)
	}
	i, err := json.Marshal(init)
	if err != nil {
		t.Fatal(err)
	}
	call := fmt.Sprintf("(%s)(%s, %s)", probeFn, u, i)
	if req.sandboxed {
		doc, err := json.Marshal("<script>" + call + `.then((r) => parent.postMessage(r, "*"));</script>`)
		if err != nil {
			t.Fatal(err)
		}
		call = fmt.Sprintf(sandboxJS, doc)
	}
	ctx, cancel := context.WithTimeout(tab(t, origin), probeTimeout)
	defer cancel()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[outcome](call, chromedp.EvalAwaitPromise))
	if errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("fetch(%s) from %s did not settle within %s", url, origin, probeTimeout)
	}
	if err != nil {
		t.Fatalf("fetch(%s) from %s: %v", url, origin, err)
	}
	return got
}

func TestWithoutChromiumTheSuiteFailsWithTheInstallCommand(t *testing.T) {
	missing := fmt.Errorf("chromium is not installed: %w", exec.ErrNotFound)
	for _, tc := range []struct {
		name       string
		skipEnvSet bool
		err        error
		wantSkip   bool
		wantIn     []string
	}{
		{name: "browser running: nothing to say"},
		{name: "browser missing: fail with the install command", err: missing,
			wantIn: []string{installCommand, "executable file not found", skipEnv + "=1"}},
		{name: "told to skip: skip, saying what is skipped", skipEnvSet: true, wantSkip: true,
			wantIn: []string{skipEnv + "=1", "skipped", installCommand}},
		{name: "told to skip wins over a missing browser", skipEnvSet: true, err: missing, wantSkip: true,
			wantIn: []string{"skipped"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			skip, msg := unavailable(tc.skipEnvSet, tc.err)
			assert.Equal(t, tc.wantSkip, skip)
			if tc.wantIn == nil {
				assert.Empty(t, msg)
			}
			for _, s := range tc.wantIn {
				assert.Contains(t, msg, s)
			}
		})
	}
}
