// Package browser drives real browsers for the browser tests of
// github.com/crossorigin/cors, in three engines: Chromium (Debian's chromium,
// over the DevTools protocol with chromedp), Firefox (Debian's firefox-esr,
// over its built-in WebDriver BiDi) and WebKit (Debian's WebKitGTK, through
// WebKitWebDriver under a virtual X display). No driver is downloaded: every
// piece comes from Debian's packages.
//
// Each engine implements Driver: start, show a page, run a script, close.
// Everything else (which origin a page is shown from, fetch(), WebSocket, a
// form submission, resource timing) is written once, in JavaScript run by
// Browser, so that a case means the same thing in every engine.
//
// Pages may have any origin (https://app.example.com, http://localhost:3000,
// ...) while every connection stays on the loopback interface: Config.Routes
// maps host:port pairs to loopback listeners, through --host-resolver-rules
// in Chromium and through an in-process forward proxy (Proxy) in Firefox and
// WebKit, which have no such switch. The proxy refuses every destination
// outside the loopback interface, so a test browser reaches nothing else.
//
// A test runs its cases in every selected engine with ForEach: every engine
// by default, only those named in CORS_BROWSERS (a comma-separated list, such
// as "firefox" or "chromium,webkit") when it is set. A missing engine fails
// the test with its install command, unless CORS_SKIP_BROWSER=1.
package browser

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Timeout bounds one script run by the page (a fetch, a WebSocket). A CORS
// failure is reported by a browser within milliseconds, so only a hung
// browser reaches it.
const Timeout = 10 * time.Second

// Time allowed to start a browser and to load a page. Both are far longer
// than they take on an idle machine (a few seconds, a few hundred
// milliseconds), so that a busy CI machine slows the suite down instead of
// failing it.
const (
	startTimeout    = 60 * time.Second
	navigateTimeout = 30 * time.Second
)

// Driver is what each engine implements: the smallest set of operations the
// harness needs from a browser with one tab.
type Driver interface {
	// Navigate shows url in the tab and returns once its load event fired.
	Navigate(url string) error
	// Evaluate runs the JavaScript expression js in the page shown, waits at
	// most timeout for the promise it returns, and returns the string that
	// the promise resolves to. The harness only ever hands it expressions
	// that resolve to a string and never reject.
	Evaluate(js string, timeout time.Duration) (string, error)
	// Version is the browser as it reports itself, e.g. "Chrome/156.0.1.2",
	// "firefox 153.8.0esr" or "WebKitGTK 2.50.6".
	Version() string
	// Close stops the browser and everything the driver started for it, and
	// removes its profile.
	Close()
}

// Route sends the connections for one host:port to a loopback listener.
type Route struct {
	// From is "host:port"; the host "*" matches every host on that port.
	From string
	// To is the listener, "127.0.0.1:port".
	To string
}

// Config is what a test binary tells the browser about its network.
type Config struct {
	// Routes let pages have realistic origins while every connection stays
	// on the loopback interface. The first route that matches wins; a
	// loopback destination without a route is reached directly.
	Routes []Route
	// PublicEndpoints are "127.0.0.1:<port>" endpoints that Chromium must take
	// for the public internet (--ip-address-space-overrides), for its private
	// network access checks. The other engines have no such checks and
	// ignore it.
	PublicEndpoints []string
}

// Browser is one running browser with one tab, driven by its engine's
// Driver. Its methods have one user at a time: a test binary runs its cases
// against it one after the other.
type Browser struct {
	engine Engine
	driver Driver
	proxy  *Proxy // nil for Chromium

	mu     sync.Mutex
	origin string // the origin of the page the tab shows, "" when unknown
}

// Start runs the named engine with a fresh profile.
func Start(name string, cfg Config) (*Browser, error) {
	e, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown browser engine %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	if _, err := e.path(); err != nil {
		return nil, err
	}
	b := &Browser{engine: e}
	var err error
	if e.Name != Chromium {
		// Firefox and WebKit reach the routes through the proxy.
		if b.proxy, err = StartProxy(cfg.Routes); err != nil {
			return nil, err
		}
	}
	if b.driver, err = e.start(cfg, b.proxy); err != nil {
		b.closeProxy()
		return nil, fmt.Errorf("starting %s: %w", e.Name, err)
	}
	return b, nil
}

func (b *Browser) closeProxy() {
	if b.proxy != nil {
		b.proxy.Close()
	}
}

// Close stops the browser, and the proxy it used.
func (b *Browser) Close() {
	b.driver.Close()
	b.closeProxy()
}

// Engine is the browser's engine.
func (b *Browser) Engine() Engine { return b.engine }

// Product is the browser as it reports itself.
func (b *Browser) Product() string { return b.driver.Version() }

// Driver is the engine's driver, for engine-specific commands (see
// ChromiumContext).
func (b *Browser) Driver() Driver { return b.driver }

// Proxy is the forward proxy the browser reaches its routes through, or nil
// (Chromium maps host names itself).
func (b *Browser) Proxy() *Proxy { return b.proxy }

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

// Navigate shows url in the tab, whatever it serves; scripts run afterwards
// by Run see that page.
func (b *Browser) Navigate(url string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.origin = ""
	if err := b.driver.Navigate(url); err != nil {
		return fmt.Errorf("%s: opening %s: %w", b.engine.Name, url, err)
	}
	return nil
}

// show makes the tab show the page of origin (origin + "/", which must serve
// Page or a page like it), navigating only when it shows another origin:
// navigating costs more than a script. The caller holds b.mu.
func (b *Browser) show(origin string) error {
	if b.origin == origin {
		return nil
	}
	b.origin = ""
	if err := b.driver.Navigate(origin + "/"); err != nil {
		return fmt.Errorf("%s: opening the page %s: %w", b.engine.Name, origin, err)
	}
	var loaded string
	if err := b.run(`location.origin`, Timeout, &loaded); err != nil {
		return fmt.Errorf("%s: reading the origin of the page %s: %w", b.engine.Name, origin, err)
	}
	if loaded != origin {
		return fmt.Errorf("%s: the page meant for %s was loaded from %s", b.engine.Name, origin, loaded)
	}
	b.origin = origin
	return nil
}

// settle wraps js so that it resolves to "ok:" and the JSON of its value, or
// to "error:" and the exception: every driver then has the same, simple job.
func settle(js string) string {
	return `(async () => {
  try { const v = await (` + js + `); return "ok:" + JSON.stringify(v === undefined ? null : v); }
  catch (e) { return "error:" + String(e); }
})()`
}

// ScriptError is an exception thrown by, or a rejection of, a page's script.
type ScriptError struct{ Message string }

func (e *ScriptError) Error() string { return "the script threw " + e.Message }

// run evaluates js in the page shown and decodes its JSON value into out.
// The caller holds b.mu.
func (b *Browser) run(js string, timeout time.Duration, out any) error {
	raw, err := b.driver.Evaluate(settle(js), timeout)
	if err != nil {
		// The page may be stuck or gone: show it afresh next time.
		b.origin = ""
		return err
	}
	switch {
	case strings.HasPrefix(raw, "ok:"):
		if out == nil {
			return nil
		}
		return json.Unmarshal([]byte(raw[len("ok:"):]), out)
	case strings.HasPrefix(raw, "error:"):
		return &ScriptError{Message: raw[len("error:"):]}
	}
	return fmt.Errorf("unexpected script result %q", raw)
}

// Eval runs the JavaScript expression js in the page of origin, waits for the
// promise it returns (if any) for at most Timeout, and returns its value,
// decoded from JSON into T. The expression may be any async code: this is
// the generic hook for checks that need more than Fetch or WebSocket.
func Eval[T any](b *Browser, origin, js string) (T, error) {
	var got T
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.show(origin); err != nil {
		return got, err
	}
	if err := b.run(js, Timeout, &got); err != nil {
		return got, fmt.Errorf("%s: in %s: %w", b.engine.Name, origin, err)
	}
	return got, nil
}

// Run is Eval on the page that the tab shows now, whatever its origin (after
// Navigate, or after a form submission).
func Run[T any](b *Browser, js string) (T, error) {
	var got T
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.run(js, Timeout, &got); err != nil {
		return got, fmt.Errorf("%s: %w", b.engine.Name, err)
	}
	return got, nil
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
	// Timing asks for the PerformanceResourceTiming entry of the fetch.
	Timing bool
}

// Outcome is what the page saw of a fetch.
type Outcome struct {
	OK      bool              `json:"ok"` // fetch resolved: the page could read the response
	Status  int               `json:"status"`
	Body    string            `json:"body"`
	Headers map[string]string `json:"headers"` // the response headers readable by the page
	Error   string            `json:"error"`   // why fetch rejected
	// Timing is the fetch's resource timing entry, when Request.Timing asked
	// for it and the browser recorded one.
	Timing *ResourceTiming `json:"timing,omitempty"`
}

// ResourceTiming is what PerformanceResourceTiming tells the page about one
// fetch. Fetch's "timing allow check" decides what a cross-origin page sees:
// without Timing-Allow-Origin, transferSize, encodedBodySize and serverTiming
// are zero or empty.
type ResourceTiming struct {
	TransferSize    int            `json:"transferSize"`
	EncodedBodySize int            `json:"encodedBodySize"`
	DecodedBodySize int            `json:"decodedBodySize"`
	ResponseStatus  int            `json:"responseStatus"` // 0 where the engine lacks the attribute
	ServerTiming    []ServerTiming `json:"serverTiming"`
}

// ServerTiming is one entry of the Server-Timing header, as the page reads it.
type ServerTiming struct {
	Name        string  `json:"name"`
	Duration    float64 `json:"duration"`
	Description string  `json:"description"`
}

// fetchJS runs fetch(url, init) and reports what the calling script can see.
// The resource timing entry is added after the body is read; some engines
// record it a moment later, so the script waits up to a second for it.
const fetchJS = `async (url, init, timing) => {
  const entry = async () => {
    const abs = new URL(url, location.href).href;
    for (let i = 0; i < 50; i++) {
      const es = performance.getEntriesByName(abs, "resource");
      if (es.length > 0) {
        const e = es[es.length - 1];
        return {transferSize: e.transferSize, encodedBodySize: e.encodedBodySize, decodedBodySize: e.decodedBodySize,
          responseStatus: e.responseStatus || 0,
          serverTiming: (e.serverTiming || []).map((s) => ({name: s.name, duration: s.duration, description: s.description}))};
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return null;
  };
  let out;
  try {
    const r = await fetch(url, init);
    const headers = {};
    r.headers.forEach((v, k) => { headers[k] = v; });
    const body = await r.text();
    out = {ok: true, status: r.status, body, headers, error: ""};
  } catch (e) {
    out = {ok: false, status: 0, body: "", headers: {}, error: String(e)};
  }
  if (timing) { const t = await entry(); if (t) out.timing = t; }
  return out;
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
	call := fmt.Sprintf("(%s)(%s, %s, %v)", fetchJS, jsValue(url), jsValue(init), req.Timing)
	if req.Sandboxed {
		call = fmt.Sprintf(sandboxJS, jsValue("<script>"+call+`.then((r) => parent.postMessage(r, "*"));</script>`))
	}
	got, err := Eval[Outcome](b, origin, call)
	if err != nil {
		return Outcome{}, fmt.Errorf("fetch(%s) from %s: %w", url, origin, err)
	}
	return got, nil
}

// Blocked reports whether got is what a page sees when fetch fails for a
// CORS reason: a rejection with the engine's bare network error, which tells
// the page nothing, not even the status.
func (e Engine) Blocked(got Outcome) bool {
	return !got.OK && strings.Contains(got.Error, e.NetworkError)
}

// WebSocketOutcome is what the page saw of a WebSocket.
type WebSocketOutcome struct {
	Opened    bool   `json:"opened"`    // the open event fired
	Echo      string `json:"echo"`      // the first message received after sending one
	Error     bool   `json:"error"`     // the error event fired
	CloseCode int    `json:"closeCode"` // the close event's code; 1006 when the handshake failed, 0 when none fired
	Thrown    string `json:"thrown"`    // the exception the constructor threw, if any
}

// webSocketJS opens a WebSocket, sends msg once it is open, and settles on
// the first message or on close. An engine that blocks the socket before
// any connection (WebKit, for mixed content) may fire error and never
// close: the script then settles a second after the error.
const webSocketJS = `(url, msg) => new Promise((resolve) => {
  const out = {opened: false, echo: "", error: false, closeCode: 0, thrown: ""};
  let ws;
  try { ws = new WebSocket(url); } catch (e) { out.thrown = String(e); resolve(out); return; }
  ws.onopen = () => { out.opened = true; ws.send(msg); };
  ws.onmessage = (e) => { out.echo = String(e.data); ws.close(1000); };
  ws.onerror = () => { out.error = true; setTimeout(() => resolve(out), 1000); };
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

// Form is an HTML form that a page submits: a real top-level navigation, with
// the cookies and the Origin header a browser sends for one (what a CSRF test
// needs; fetch() is not the same request).
type Form struct {
	Action  string            // the URL the form posts to
	Method  string            // "" = POST
	Enctype string            // "" = application/x-www-form-urlencoded
	Fields  map[string]string // hidden inputs
}

// Landing is the page the browser shows after a form submission.
type Landing struct {
	URL  string `json:"url"`  // location.href of the new page
	Body string `json:"body"` // its document.body.innerText
}

// submitJS builds the form in the page and submits it once the script has
// returned, so that the navigation does not cut the script short.
const submitJS = `((action, method, enctype, fields) => {
  const f = document.createElement("form");
  f.action = action; f.method = method; if (enctype) f.enctype = enctype;
  for (const [k, v] of Object.entries(fields)) {
    const i = document.createElement("input"); i.type = "hidden"; i.name = k; i.value = v; f.appendChild(i);
  }
  document.body.appendChild(f);
  setTimeout(() => f.submit(), 0);
  return location.href;
})(%s, %s, %s, %s)`

// landedJS reports the page once the navigation to it is complete; a page
// still on before reports null.
// Firefox shows a transient about:blank on the way, which is not a landing.
const landedJS = `document.readyState === "complete" && location.href !== %s && location.href !== "about:blank"
  ? {url: location.href, body: document.body ? document.body.innerText : ""} : null`

// SubmitForm makes the page at origin submit form, a top-level navigation,
// and returns the page the browser lands on. The tab shows that page
// afterwards (Run reads it).
func (b *Browser) SubmitForm(origin string, form Form) (Landing, error) {
	method := form.Method
	if method == "" {
		method = http.MethodPost
	}
	fields := form.Fields
	if fields == nil {
		fields = map[string]string{}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.show(origin); err != nil {
		return Landing{}, err
	}
	var before string
	js := fmt.Sprintf(submitJS, jsValue(form.Action), jsValue(method), jsValue(form.Enctype), jsValue(fields))
	if err := b.run(js, Timeout, &before); err != nil {
		return Landing{}, fmt.Errorf("%s: submitting a form from %s: %w", b.engine.Name, origin, err)
	}
	b.origin = "" // the tab navigates away
	deadline := time.Now().Add(Timeout)
	for {
		var got *Landing
		// While the old document unloads a script can fail; try again.
		err := b.run(fmt.Sprintf(landedJS, jsValue(before)), time.Second, &got)
		if err == nil && got != nil {
			return *got, nil
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = errors.New("the page did not change")
			}
			return Landing{}, fmt.Errorf("%s: the form from %s to %s did not land within %s: %w", b.engine.Name, origin, form.Action, Timeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// jsValue writes v as a JavaScript literal.
func jsValue(v any) string {
	j, err := json.Marshal(v)
	if err != nil {
		panic(err) // strings and maps of strings always marshal
	}
	return string(j)
}
