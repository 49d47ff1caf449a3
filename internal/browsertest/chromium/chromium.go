// Package chromium drives Debian's headless Chromium for the browser tests of
// github.com/crossorigin/cors: it starts one browser with the flags known to
// work on these machines, shows a page from a chosen origin, makes that page
// call fetch() or open a WebSocket, and reports what the page could see.
//
// A test binary starts one browser (Launch) and hands it to its tests
// (Session.Browser), which skip or fail with the install command when there
// is none, following the rule of Unavailable.
package chromium

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// InstallCommand is what a machine without Chromium needs. CI runs it.
const InstallCommand = "apt-get update && apt-get install -y chromium"

// SkipEnv, when set to 1, makes every browser test skip instead of fail.
const SkipEnv = "CORS_SKIP_BROWSER"

// Timeout bounds one script run by the page (a fetch, a WebSocket). A CORS
// failure is reported by the browser within milliseconds, so only a hung
// browser reaches it.
const Timeout = 10 * time.Second

// The values that chromedp's default options (v0.23.0) give to
// --enable-features and --disable-features. Setting a flag replaces its value,
// so they are repeated.
const (
	chromedpEnabledFeatures  = "NetworkService,NetworkServiceInProcess"
	chromedpDisabledFeatures = "Translate,BlinkGenPropertyTrees"
)

// Config is what a test binary tells the browser about its network.
type Config struct {
	// HostResolverRules lets pages have realistic origins while every
	// connection stays on the loopback interface: each rule is one entry of
	// --host-resolver-rules, such as "MAP api.example.com:443 127.0.0.1:40123"
	// or "MAP *:80 127.0.0.1:40124". The first rule that matches wins.
	HostResolverRules []string
	// PublicEndpoints are "127.0.0.1:<port>" endpoints the browser must take
	// for the public internet (--ip-address-space-overrides), for private
	// network access tests.
	PublicEndpoints []string
}

// allocatorOptions is the browser's command line: chromedp's defaults, then
// the flags known to work on these machines, then cfg's network.
func (cfg Config) allocatorOptions(path, dataDir string) []chromedp.ExecAllocatorOption {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.UserDataDir(dataDir), chromedp.Headless)
	for name, value := range cfg.flags() {
		opts = append(opts, chromedp.Flag(name, value))
	}
	return opts
}

// flags is what cfg adds to chromedp's defaults, by flag name.
func (cfg Config) flags() map[string]any {
	f := map[string]any{
		"no-sandbox":                    true,
		"disable-gpu":                   true,
		"no-first-run":                  true,
		"disable-quic":                  true,
		"disable-background-networking": true,
		"disable-component-update":      true,
		"disable-sync":                  true,
		// Without this feature Chromium lets "Access-Control-Allow-Headers: *"
		// cover Authorization, against the Fetch standard.
		"enable-features": chromedpEnabledFeatures + ",CorsNonWildcardRequestHeadersSupport",
		// HTTPS-Upgrades would turn http://app.example.com into https://, and
		// tests need http pages. Site isolation would start a renderer process
		// per site; one serves all the pages faster, and CORS is enforced
		// outside the renderer either way.
		"disable-features": chromedpDisabledFeatures + ",HttpsUpgrades,site-per-process,IsolateOrigins",
		// The servers use httptest's self-signed certificate.
		"ignore-certificate-errors": true,
	}
	if len(cfg.HostResolverRules) > 0 {
		f["host-resolver-rules"] = strings.Join(cfg.HostResolverRules, ", ")
	}
	if len(cfg.PublicEndpoints) > 0 {
		overrides := make([]string, len(cfg.PublicEndpoints))
		for i, e := range cfg.PublicEndpoints {
			overrides[i] = e + "=public"
		}
		f["ip-address-space-overrides"] = strings.Join(overrides, ",")
	}
	return f
}

// Browser is one running headless Chromium with one tab.
type Browser struct {
	ctx     context.Context // the browser's own chromedp context
	stop    func()
	product string

	tabMu     sync.Mutex
	tab       context.Context // the tab the pages are shown in
	tabOrigin string          // the origin of the page it shows
}

// Start runs Debian's Chromium, found on the PATH, with a fresh profile.
func Start(cfg Config) (*Browser, error) {
	path, err := exec.LookPath("chromium")
	if err != nil {
		return nil, fmt.Errorf("chromium is not installed: %w", err)
	}
	dataDir, err := os.MkdirTemp("", "cors-chromium-*")
	if err != nil {
		return nil, err
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), cfg.allocatorOptions(path, dataDir)...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	b := &Browser{ctx: browserCtx, stop: func() {
		cancelBrowser()
		cancelAlloc()
		_ = os.RemoveAll(dataDir)
	}}
	// The first call runs on the browser's own context and has no timeout:
	// a timeout on it would stop the whole browser when it expires.
	version, err := chromedp.CallBrowser(browserCtx, browser.GetVersion, struct{}{})
	if err != nil {
		b.stop()
		return nil, fmt.Errorf("starting %s: %w", path, err)
	}
	b.product = version.Product
	return b, nil
}

// Close stops the browser and removes its profile.
func (b *Browser) Close() { b.stop() }

// Product is the browser as it reports itself, e.g. Chrome/156.0.8078.108.
func (b *Browser) Product() string { return b.product }

// Context is the browser's own chromedp context, for browser-wide commands
// such as granting a permission (chromedp.CallBrowser).
func (b *Browser) Context() context.Context { return b.ctx }

// Page serves the page that the scripts run in. It is the same for every
// origin; what matters is the origin it is loaded from.
var Page http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, "<!doctype html><title>cors browser test</title><p>frontend</p>")
})

// show returns the tab, showing the page of origin (origin + "/", which must
// serve Page or a page like it). There is one tab, which navigates only when
// a script needs another origin than the one it shows: navigating is several
// times cheaper than opening a tab. The tab has one user at a time.
func (b *Browser) show(origin string) (context.Context, func(), error) {
	b.tabMu.Lock()
	if b.tab == nil {
		// The tab lives as long as the browser: it is closed with it.
		b.tab, _ = chromedp.NewContext(b.ctx)
	}
	if b.tabOrigin == origin {
		return b.tab, b.tabMu.Unlock, nil
	}
	b.tabOrigin = ""
	if err := chromedp.Do(b.tab, chromedp.Navigate(origin+"/")); err != nil {
		b.tabMu.Unlock()
		return nil, nil, fmt.Errorf("opening the page %s: %w", origin, err)
	}
	loaded, err := chromedp.Run(b.tab, chromedp.Evaluate[string](`location.origin`))
	if err != nil {
		b.tabMu.Unlock()
		return nil, nil, fmt.Errorf("reading the origin of the page %s: %w", origin, err)
	}
	if loaded != origin {
		b.tabMu.Unlock()
		return nil, nil, fmt.Errorf("the page meant for %s was loaded from %s", origin, loaded)
	}
	b.tabOrigin = origin
	return b.tab, b.tabMu.Unlock, nil
}

// Eval runs the JavaScript expression js in the page of origin, waits for the
// promise it returns (if any) for at most Timeout, and returns its value.
func Eval[T any](b *Browser, origin, js string) (T, error) {
	var zero T
	tab, release, err := b.show(origin)
	if err != nil {
		return zero, err
	}
	defer release()
	ctx, cancel := context.WithTimeout(tab, Timeout)
	defer cancel()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if errors.Is(err, context.DeadlineExceeded) {
		return zero, fmt.Errorf("the script in %s did not settle within %s", origin, Timeout)
	}
	return got, err
}

// Request is what the page asks fetch() for.
type Request struct {
	Method      string            // "" = GET
	Headers     map[string]string // request headers set by the script
	Credentials string            // "include", "omit"; "" = fetch's default (same-origin)
	Body        string
	// Sandboxed makes the fetch from an iframe of the page sandboxed with
	// only allow-scripts: it has an opaque origin, so it sends "Origin: null".
	Sandboxed bool
}

// Outcome is what the page saw of a fetch.
type Outcome struct {
	OK      bool              `json:"ok"` // fetch resolved: the page could read the response
	Status  int               `json:"status"`
	Body    string            `json:"body"`
	Headers map[string]string `json:"headers"` // the response headers readable by the page
	Error   string            `json:"error"`   // why fetch rejected
}

// FailedToFetch is what a page reads when fetch rejects for a CORS failure: a
// network error that tells it nothing, not even the status.
const FailedToFetch = "TypeError: Failed to fetch"

// fetchJS runs fetch(url, init) and reports what the calling script can see.
const fetchJS = `async (url, init) => {
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

// sandboxJS runs a script inside an iframe of the page that is sandboxed with
// only allow-scripts; the iframe posts its result back to the page.
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

// Fetch makes the page at origin call fetch(url, req) and returns what the
// page saw. An error means the browser, not CORS, failed.
func (b *Browser) Fetch(origin, url string, req Request) (Outcome, error) {
	init := map[string]any{}
	if req.Method != "" {
		init["method"] = req.Method
	}
	if len(req.Headers) > 0 {
		init["headers"] = req.Headers
	}
	if req.Credentials != "" {
		init["credentials"] = req.Credentials
	}
	if req.Body != "" {
		init["body"] = req.Body
	}
	call := fmt.Sprintf("(%s)(%s, %s)", fetchJS, jsValue(url), jsValue(init))
	if req.Sandboxed {
		call = fmt.Sprintf(sandboxJS, jsValue("<script>"+call+`.then((r) => parent.postMessage(r, "*"));</script>`))
	}
	got, err := Eval[Outcome](b, origin, call)
	if err != nil {
		return Outcome{}, fmt.Errorf("fetch(%s) from %s: %w", url, origin, err)
	}
	return got, nil
}

// WebSocketOutcome is what the page saw of a WebSocket.
type WebSocketOutcome struct {
	Opened    bool   `json:"opened"`    // the open event fired
	Echo      string `json:"echo"`      // the first message received after sending one
	Error     bool   `json:"error"`     // the error event fired
	CloseCode int    `json:"closeCode"` // the close event's code; 1006 when the handshake failed
}

// webSocketJS opens a WebSocket, sends msg once it is open, and settles on
// the first message or on close.
const webSocketJS = `(url, msg) => new Promise((resolve) => {
  const out = {opened: false, echo: "", error: false, closeCode: 0};
  const ws = new WebSocket(url);
  ws.onopen = () => { out.opened = true; ws.send(msg); };
  ws.onmessage = (e) => { out.echo = String(e.data); ws.close(1000); };
  ws.onerror = () => { out.error = true; };
  ws.onclose = (e) => { out.closeCode = e.code; resolve(out); };
})`

// WebSocket makes the page at origin open a WebSocket to url, send msg once
// it is open, and close it after the first message back.
func (b *Browser) WebSocket(origin, url, msg string) (WebSocketOutcome, error) {
	got, err := Eval[WebSocketOutcome](b, origin, fmt.Sprintf("(%s)(%s, %s)", webSocketJS, jsValue(url), jsValue(msg)))
	if err != nil {
		return WebSocketOutcome{}, fmt.Errorf("new WebSocket(%s) from %s: %w", url, origin, err)
	}
	return got, nil
}

// jsValue writes v as a JavaScript literal.
func jsValue(v any) string {
	j, err := json.Marshal(v)
	if err != nil {
		panic(err) // strings and maps of strings always marshal
	}
	return string(j)
}

// Session is the browser of a test binary, or why there is none.
type Session struct {
	browser *Browser
	err     error // why there is no browser
	skip    bool  // SkipEnv=1
}

// Launch starts the browser of a test binary, unless SkipEnv=1. It never
// fails: a browser that cannot start is reported by Session.Browser to each
// test that needs it.
func Launch(cfg Config) *Session {
	if os.Getenv(SkipEnv) == "1" {
		return &Session{skip: true}
	}
	b, err := Start(cfg)
	return &Session{browser: b, err: err}
}

// Browser returns the browser, or makes the test skip (SkipEnv=1) or fail
// with the install command (no browser).
func (s *Session) Browser(t testing.TB) *Browser {
	t.Helper()
	skip, msg := Unavailable(s.skip, s.err)
	switch {
	case skip:
		t.Skip(msg)
	case msg != "":
		t.Fatal(msg)
	}
	return s.browser
}

// Product is the browser as it reports itself, or "" when there is none.
func (s *Session) Product() string {
	if s.browser == nil {
		return ""
	}
	return s.browser.Product()
}

// Close stops the browser, if there is one.
func (s *Session) Close() {
	if s.browser != nil {
		s.browser.Close()
	}
}

// Unavailable says what a test needing the browser must do when it is not
// there: skip (when told to), fail with the command that installs it, or
// nothing (msg == "").
func Unavailable(skipRequested bool, browserErr error) (skip bool, msg string) {
	switch {
	case skipRequested:
		return true, fmt.Sprintf("%s=1: the browser tests are skipped; unset it to run them (they need Chromium: %s)", SkipEnv, InstallCommand)
	case browserErr != nil:
		return false, fmt.Sprintf("the browser tests need Chromium: %v\ninstall it with: %s\nor set %s=1 to skip them", browserErr, InstallCommand, SkipEnv)
	}
	return false, ""
}
