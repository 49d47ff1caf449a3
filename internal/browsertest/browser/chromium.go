package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// The values that chromedp's default options (v0.23.0) give to
// --enable-features and --disable-features. Setting a flag replaces its value,
// so they are repeated.
const (
	chromedpEnabledFeatures  = "NetworkService,NetworkServiceInProcess"
	chromedpDisabledFeatures = "Translate,BlinkGenPropertyTrees"
)

// chromiumOptions is the browser's command line: chromedp's defaults, then
// the flags known to work on these machines, then cfg's network.
func chromiumOptions(cfg Config, path, dataDir string) []chromedp.ExecAllocatorOption {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.UserDataDir(dataDir), chromedp.Headless)
	for name, value := range chromiumFlags(cfg) {
		opts = append(opts, chromedp.Flag(name, value))
	}
	return opts
}

// hostResolverRules writes routes as entries of --host-resolver-rules.
func hostResolverRules(routes []Route) []string {
	var rules []string
	for _, r := range routes {
		rules = append(rules, "MAP "+r.From+" "+r.To)
	}
	return rules
}

// chromiumFlags is what cfg adds to chromedp's defaults, by flag name.
func chromiumFlags(cfg Config) map[string]any {
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
		// Even so, a navigation to another site starts a new renderer
		// process; one reused process makes the suite's many origin
		// changes about a third faster.
		"renderer-process-limit": "1",
		// The servers use httptest's self-signed certificate.
		"ignore-certificate-errors": true,
	}
	if len(cfg.Routes) > 0 {
		f["host-resolver-rules"] = strings.Join(hostResolverRules(cfg.Routes), ", ")
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

// chromiumDriver drives Debian's headless Chromium over the DevTools
// protocol, through a pipe (chromedp).
type chromiumDriver struct {
	ctx     context.Context // the browser's own chromedp context
	tab     context.Context // the one tab
	stop    func()
	product string
}

// startChromium starts Debian's chromium, headless, on a fresh profile with
// cfg's routes and public endpoints, and opens its one tab.
func startChromium(cfg Config, _ *Proxy) (Driver, error) {
	path, err := lookPath("chromium")
	if err != nil {
		return nil, err
	}
	dataDir, err := os.MkdirTemp("", "cors-chromium-*")
	if err != nil {
		return nil, err
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromiumOptions(cfg, path, dataDir)...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	d := &chromiumDriver{ctx: browserCtx, stop: func() {
		cancelBrowser()
		cancelAlloc()
		_ = os.RemoveAll(dataDir)
	}}
	// The first call runs on the browser's own context and has no timeout:
	// a timeout on it would stop the whole browser when it expires.
	version, err := chromedp.CallBrowser(browserCtx, browser.GetVersion, struct{}{})
	if err != nil {
		d.stop()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	d.product = version.Product
	// The tab lives as long as the browser: it is closed with it. Like the
	// browser, it is created by a call without a timeout.
	d.tab, _ = chromedp.NewContext(browserCtx)
	if err := chromedp.Do(d.tab); err != nil {
		d.stop()
		return nil, fmt.Errorf("%s: opening a tab: %w", path, err)
	}
	return d, nil
}

// Navigate waits until the page has loaded, at most navigateTimeout.
func (d *chromiumDriver) Navigate(url string) error {
	ctx, cancel := context.WithTimeout(d.tab, navigateTimeout)
	defer cancel()
	return chromedp.Do(ctx, chromedp.Navigate(url))
}

// Evaluate runs js in the tab and awaits its promise, at most timeout.
func (d *chromiumDriver) Evaluate(js string, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(d.tab, timeout)
	defer cancel()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if errors.Is(err, context.DeadlineExceeded) {
		return "", fmt.Errorf("the script did not settle within %s", timeout)
	}
	return got, err
}

// Version is the product DevTools reports, e.g. "Chrome/156.0.1.2".
func (d *chromiumDriver) Version() string { return d.product }

// Close stops the browser and removes its profile.
func (d *chromiumDriver) Close() { d.stop() }

// ChromiumContext is the browser's own chromedp context, for browser-wide
// DevTools commands such as granting a permission (chromedp.CallBrowser);
// ok is false when b is not Chromium.
func ChromiumContext(b *Browser) (ctx context.Context, ok bool) {
	d, ok := b.driver.(*chromiumDriver)
	if !ok {
		return nil, false
	}
	return d.ctx, true
}
