package browser

import (
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

// closeProxy stops the browser's proxy, if it has one.
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
