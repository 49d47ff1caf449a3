package browser

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/net/websocket"
)

// firefoxPrefs is the user.js of the fresh profile each Firefox starts with.
// Without it, Firefox contacts about ten Mozilla and Google hosts at start-up
// (updates, telemetry, remote settings, Safe Browsing, add-ons, GMP plugins,
// the captive-portal check, ...). These groups of preferences, chosen after
// Firefox's own list for remote-controlled browsers, stop all of it; the
// proxy refuses anything that would still leave the loopback interface.
var firefoxPrefs = map[string]any{
	// First run, welcome pages, session restore, default-browser checks.
	"browser.aboutwelcome.enabled":                                false,
	"browser.startup.homepage_override.mstone":                    "ignore",
	"browser.startup.page":                                        0,
	"browser.startup.homepage":                                    "about:blank",
	"startup.homepage_welcome_url":                                "about:blank",
	"startup.homepage_welcome_url.additional":                     "",
	"browser.shell.checkDefaultBrowser":                           false,
	"browser.sessionstore.resume_from_crash":                      false,
	"toolkit.startup.max_resumed_crashes":                         -1,
	"browser.warnOnQuit":                                          false,
	"browser.tabs.warnOnClose":                                    false,
	"datareporting.policy.firstRunURL":                            "",
	"browser.translations.enable":                                 false,
	"browser.ml.enable":                                           false,
	"browser.uitour.enabled":                                      false,
	"browser.discovery.enabled":                                   false,
	"browser.contentblocking.introCount":                          99,
	"trailhead.firstrun.didSeeAboutWelcome":                       true,
	"browser.newtabpage.enabled":                                  false,
	"browser.newtab.preload":                                      false,
	"browser.newtabpage.activity-stream.feeds.topsites":           false,
	"browser.newtabpage.activity-stream.feeds.section.topstories": false,
	"browser.newtabpage.activity-stream.feeds.system.topstories":  false,
	"browser.newtabpage.activity-stream.feeds.telemetry":          false,
	"browser.newtabpage.activity-stream.telemetry":                false,
	"browser.newtabpage.activity-stream.showSponsored":            false,
	"browser.newtabpage.activity-stream.showSponsoredTopSites":    false,
	"browser.newtabpage.activity-stream.default.sites":            "",
	"extensions.pocket.enabled":                                   false,
	"browser.topsites.contile.enabled":                            false,
	"browser.urlbar.suggest.searches":                             false,
	"browser.urlbar.quicksuggest.enabled":                         false,
	"browser.urlbar.speculativeConnect.enabled":                   false,
	"browser.places.speculativeConnect.enabled":                   false,
	"browser.search.suggest.enabled":                              false,
	"browser.search.update":                                       false,
	"browser.search.geoip.url":                                    "",
	"browser.region.network.url":                                  "",
	"browser.region.update.enabled":                               false,
	"geo.provider.network.url":                                    "",
	"geo.enabled":                                                 false,
	// Telemetry, data reporting, health report, Normandy, studies, experiments.
	"toolkit.telemetry.enabled":                                   false,
	"toolkit.telemetry.unified":                                   false,
	"toolkit.telemetry.server":                                    "",
	"toolkit.telemetry.archive.enabled":                           false,
	"toolkit.telemetry.newProfilePing.enabled":                    false,
	"toolkit.telemetry.shutdownPingSender.enabled":                false,
	"toolkit.telemetry.updatePing.enabled":                        false,
	"toolkit.telemetry.bhrPing.enabled":                           false,
	"toolkit.telemetry.firstShutdownPing.enabled":                 false,
	"toolkit.coverage.opt-out":                                    true,
	"datareporting.healthreport.uploadEnabled":                    false,
	"datareporting.policy.dataSubmissionEnabled":                  false,
	"datareporting.usage.uploadEnabled":                           false,
	"datareporting.policy.dataSubmissionPolicyBypassNotification": true,
	"browser.ping-centre.telemetry":                               false,
	"app.normandy.enabled":                                        false,
	"app.normandy.api_url":                                        "",
	"app.shield.optoutstudies.enabled":                            false,
	"messaging-system.rsexperimentloader.enabled":                 false,
	"nimbus.rollouts.enabled":                                     false,
	// Remote settings: a dummy server, honoured on release builds only with
	// MOZ_REMOTE_SETTINGS_DEVTOOLS=1 in the environment.
	"services.settings.server": "data:,#remote-settings-dummy/v1",
	// Updates of the application, extensions and system add-ons.
	"app.update.disabledForTesting":         true,
	"app.update.auto":                       false,
	"app.update.checkInstallTime":           false,
	"extensions.update.enabled":             false,
	"extensions.update.autoUpdateDefault":   false,
	"extensions.systemAddon.update.enabled": false,
	"extensions.systemAddon.update.url":     "",
	"extensions.getAddons.cache.enabled":    false,
	"extensions.blocklist.enabled":          false,
	"extensions.enabledScopes":              5,
	// Background connections: captive portal, connectivity, push, Safe
	// Browsing, GMP and EME (the last URL is the Google update host).
	"network.captive-portal-service.enabled":          false,
	"network.connectivity-service.enabled":            false,
	"dom.push.connection.enabled":                     false,
	"dom.push.serverURL":                              "",
	"browser.safebrowsing.malware.enabled":            false,
	"browser.safebrowsing.phishing.enabled":           false,
	"browser.safebrowsing.downloads.enabled":          false,
	"browser.safebrowsing.downloads.remote.enabled":   false,
	"browser.safebrowsing.blockedURIs.enabled":        false,
	"browser.safebrowsing.provider.mozilla.updateURL": "",
	"browser.safebrowsing.provider.google4.updateURL": "",
	"browser.safebrowsing.provider.google.updateURL":  "",
	"media.gmp-manager.url":                           "",
	"media.gmp-manager.updateEnabled":                 false,
	"media.gmp-manager.chromium-update-url":           "",
	"media.gmp-gmpopenh264.enabled":                   false,
	"media.gmp-widevinecdm.enabled":                   false,
	"media.eme.enabled":                               false,
	// Speculative connections, DNS and link prefetch; DNS over HTTPS off.
	"network.predictor.enabled":               false,
	"network.prefetch-next":                   false,
	"network.dns.disablePrefetch":             true,
	"network.http.speculative-parallel-limit": 0,
	"network.trr.mode":                        5,
	"network.http.http3.enable":               false,
	// Certificates: no OCSP, no CRLite or intermediate downloads.
	"security.OCSP.enabled":                           0,
	"security.remote_settings.crlite_filters.enabled": false,
	"security.remote_settings.intermediates.enabled":  false,
	"security.certerrors.mitm.priming.enabled":        false,
	// The tests need http pages as they are: no HTTPS-First upgrade.
	"dom.security.https_first":            false,
	"dom.security.https_first_schemeless": false,
	"dom.security.https_only_mode":        false,
	// Fetch §2.2.2: Authorization is a CORS non-wildcard request-header name,
	// which "Access-Control-Allow-Headers: *" never covers. Firefox lets the
	// wildcard cover it unless this is false.
	"network.cors_preflight.authorization_covered_by_wildcard": false,
}

// firefoxProxyPrefs points every connection, loopback ones included, at the
// proxy: Firefox never proxies localhost or 127.0.0.1 unless told to, and
// the routes map localhost:<port> too.
func firefoxProxyPrefs(p *Proxy) map[string]any {
	host, port, _ := net.SplitHostPort(p.Addr())
	n, _ := strconv.Atoi(port)
	return map[string]any{
		"network.proxy.type":                      1,
		"network.proxy.http":                      host,
		"network.proxy.http_port":                 n,
		"network.proxy.ssl":                       host,
		"network.proxy.ssl_port":                  n,
		"network.proxy.no_proxies_on":             "",
		"network.proxy.allow_hijacking_localhost": true,
	}
}

// userJS writes prefs as a user.js, sorted by name.
func userJS(prefs ...map[string]any) string {
	all := map[string]any{}
	for _, p := range prefs {
		for k, v := range p {
			all[k] = v
		}
	}
	names := make([]string, 0, len(all))
	for k := range all {
		names = append(names, k)
	}
	slices.Sort(names)
	var sb strings.Builder
	for _, k := range names {
		fmt.Fprintf(&sb, "user_pref(%s, %s);\n", jsValue(k), jsValue(all[k]))
	}
	return sb.String()
}

// bidiListening is the line where Firefox says where its WebDriver BiDi
// server listens.
var bidiListening = regexp.MustCompile(`WebDriver BiDi listening on (ws://127\.0\.0\.1:\d+)`)

// firefoxDriver drives Debian's headless firefox-esr over its built-in
// WebDriver BiDi server: a WebSocket carrying JSON commands. No geckodriver.
type firefoxDriver struct {
	cmd     *exec.Cmd
	exited  chan struct{}
	profile string
	ws      *websocket.Conn
	context string // the browsing context (tab) id
	version string

	mu      sync.Mutex
	nextID  int
	pending map[int]chan bidiResponse
	readErr error
}

type bidiResponse struct {
	ID      int             `json:"id"`
	Type    string          `json:"type"` // success, error, event
	Result  json.RawMessage `json:"result"`
	Error   string          `json:"error"`
	Message string          `json:"message"`
}

func startFirefox(_ Config, proxy *Proxy) (Driver, error) {
	path, err := lookPath("firefox-esr")
	if err != nil {
		return nil, err
	}
	profile, err := os.MkdirTemp("", "cors-firefox-*")
	if err != nil {
		return nil, err
	}
	d := &firefoxDriver{profile: profile, pending: map[int]chan bidiResponse{}, exited: make(chan struct{})}
	if err := os.WriteFile(filepath.Join(profile, "user.js"), []byte(userJS(firefoxPrefs, firefoxProxyPrefs(proxy))), 0o600); err != nil {
		d.Close()
		return nil, err
	}
	d.cmd = exec.Command(path, "--headless", "--no-remote", "--profile", profile,
		"--remote-debugging-port=0", "--remote-allow-origins=http://127.0.0.1")
	d.cmd.Env = append(os.Environ(), "MOZ_REMOTE_SETTINGS_DEVTOOLS=1", "MOZ_CRASHREPORTER_DISABLE=1")
	// Its own process group, so that Close stops its content processes too.
	d.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := d.cmd.StderrPipe()
	if err != nil {
		d.Close()
		return nil, err
	}
	if err := d.cmd.Start(); err != nil {
		d.Close()
		return nil, err
	}
	go func() { _ = d.cmd.Wait(); close(d.exited) }()

	endpoint, lines := waitForLine(stderr, bidiListening, startTimeout)
	if endpoint == "" {
		d.Close()
		return nil, fmt.Errorf("%s printed no WebDriver BiDi endpoint; its output:\n%s", path, strings.Join(lines, "\n"))
	}
	// x/net/websocket always sends an Origin, which --remote-allow-origins admits.
	if d.ws, err = websocket.Dial(endpoint+"/session", "", "http://127.0.0.1"); err != nil {
		d.Close()
		return nil, err
	}
	go d.read()

	var session struct {
		Capabilities struct {
			BrowserName    string `json:"browserName"`
			BrowserVersion string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	// The tests' https servers use httptest's self-signed certificate.
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{"acceptInsecureCerts": true}}}
	if err := d.call("session.new", caps, startTimeout, &session); err != nil {
		d.Close()
		return nil, err
	}
	d.version = session.Capabilities.BrowserName + " " + session.Capabilities.BrowserVersion
	var tree struct {
		Contexts []struct {
			Context string `json:"context"`
		} `json:"contexts"`
	}
	if err := d.call("browsingContext.getTree", map[string]any{}, Timeout, &tree); err != nil || len(tree.Contexts) == 0 {
		d.Close()
		return nil, fmt.Errorf("finding the tab: %v (%d contexts)", err, len(tree.Contexts))
	}
	d.context = tree.Contexts[0].Context
	return d, nil
}

// waitForLine reads r until a line matches re, and returns the first
// submatch, or "" with the lines read when r ends or the time is up. It keeps
// reading r in the background afterwards, so the process never blocks on a
// full pipe.
func waitForLine(r io.Reader, re *regexp.Regexp, within time.Duration) (string, []string) {
	found := make(chan string, 1)
	var mu sync.Mutex
	var lines []string
	go func() {
		s := bufio.NewScanner(r)
		s.Buffer(make([]byte, 64*1024), 1024*1024)
		sent := false
		for s.Scan() {
			if sent {
				continue
			}
			mu.Lock()
			if len(lines) < 200 {
				lines = append(lines, s.Text())
			}
			mu.Unlock()
			if m := re.FindStringSubmatch(s.Text()); m != nil {
				found <- m[1]
				sent = true
			}
		}
		if !sent {
			found <- ""
		}
		_, _ = io.Copy(io.Discard, r)
	}()
	select {
	case m := <-found:
		mu.Lock()
		defer mu.Unlock()
		return m, append([]string(nil), lines...)
	case <-time.After(within):
		mu.Lock()
		defer mu.Unlock()
		return "", append([]string(nil), lines...)
	}
}

// read delivers each response to the command waiting for it; events, which
// the driver never subscribes to, are dropped.
func (d *firefoxDriver) read() {
	for {
		var msg bidiResponse
		err := websocket.JSON.Receive(d.ws, &msg)
		d.mu.Lock()
		if err != nil {
			d.readErr = err
			for id, ch := range d.pending {
				close(ch)
				delete(d.pending, id)
			}
			d.mu.Unlock()
			return
		}
		if ch, ok := d.pending[msg.ID]; ok && msg.Type != "event" {
			delete(d.pending, msg.ID)
			ch <- msg
		}
		d.mu.Unlock()
	}
}

// call sends one BiDi command and decodes its result into out.
func (d *firefoxDriver) call(method string, params any, timeout time.Duration, out any) error {
	d.mu.Lock()
	if d.readErr != nil {
		d.mu.Unlock()
		return fmt.Errorf("the BiDi connection is closed: %w", d.readErr)
	}
	d.nextID++
	id := d.nextID
	ch := make(chan bidiResponse, 1)
	d.pending[id] = ch
	d.mu.Unlock()
	forget := func() {
		d.mu.Lock()
		delete(d.pending, id)
		d.mu.Unlock()
	}
	if err := websocket.JSON.Send(d.ws, map[string]any{"id": id, "method": method, "params": params}); err != nil {
		forget()
		return err
	}
	select {
	case msg, ok := <-ch:
		if !ok {
			return errors.New("the BiDi connection closed")
		}
		if msg.Type == "error" {
			return fmt.Errorf("%s: %s: %s", method, msg.Error, msg.Message)
		}
		if out == nil {
			return nil
		}
		return json.Unmarshal(msg.Result, out)
	case <-time.After(timeout):
		forget()
		return fmt.Errorf("%s did not answer within %s", method, timeout)
	}
}

func (d *firefoxDriver) Navigate(url string) error {
	return d.call("browsingContext.navigate", map[string]any{"context": d.context, "url": url, "wait": "complete"}, navigateTimeout, nil)
}

func (d *firefoxDriver) Evaluate(js string, timeout time.Duration) (string, error) {
	var res struct {
		Type   string `json:"type"` // success or exception
		Result struct {
			Type  string          `json:"type"`
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	err := d.call("script.evaluate", map[string]any{
		"expression":      js,
		"target":          map[string]any{"context": d.context},
		"awaitPromise":    true,
		"resultOwnership": "none",
	}, timeout, &res)
	switch {
	case err != nil:
		return "", err
	case res.Type == "exception":
		return "", fmt.Errorf("the script threw %s", res.ExceptionDetails.Text)
	case res.Result.Type != "string":
		return "", fmt.Errorf("the script returned a %s, not a string", res.Result.Type)
	}
	var s string
	err = json.Unmarshal(res.Result.Value, &s)
	return s, err
}

func (d *firefoxDriver) Version() string { return d.version }

func (d *firefoxDriver) Close() {
	if d.ws != nil {
		_ = d.ws.Close()
	}
	if d.cmd != nil && d.cmd.Process != nil {
		// The profile is thrown away, so there is nothing for Firefox to
		// save: its whole process group (content processes included) is
		// stopped at once, which is seconds faster than browser.close.
		_ = syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
		<-d.exited
	}
	_ = os.RemoveAll(d.profile)
}
