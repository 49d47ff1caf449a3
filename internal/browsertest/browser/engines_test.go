package browser

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWithoutTheBrowserTheTestsFailWithTheInstallCommand(t *testing.T) {
	missing := fmt.Errorf("firefox is not installed: %w", exec.ErrNotFound)
	ff, ok := Lookup(Firefox)
	require.True(t, ok)
	for _, tc := range []struct {
		name       string
		skipEnvSet bool
		err        error
		wantSkip   bool
		wantIn     []string
	}{
		{name: "browser running: nothing to say"},
		{name: "browser missing: fail with the install command", err: missing,
			wantIn: []string{"apt-get install -y --no-install-recommends firefox-esr", "executable file not found", SkipEnv + "=1", BrowsersEnv}},
		{name: "told to skip: skip, saying what is skipped", skipEnvSet: true, wantSkip: true,
			wantIn: []string{SkipEnv + "=1", "skipped", "firefox-esr"}},
		{name: "told to skip wins over a missing browser", skipEnvSet: true, err: missing, wantSkip: true,
			wantIn: []string{"skipped"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			skip, msg := Unavailable(ff, tc.skipEnvSet, tc.err)
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

func TestEveryEngineSaysHowToInstallIt(t *testing.T) {
	assert.Equal(t, []string{Chromium, Firefox, WebKit}, Names(), "the order engines run in")
	for _, e := range engines {
		assert.Contains(t, e.Install, "apt-get install -y --no-install-recommends "+e.Package, e.Name)
		assert.NotEmpty(t, e.NetworkError, e.Name)
		assert.NotEmpty(t, e.Binaries, e.Name)
	}
	_, ok := Lookup("safari")
	assert.False(t, ok)
}

func TestCORSBrowsersSelectsEngines(t *testing.T) {
	for _, tc := range []struct {
		value   string
		want    []string
		wantErr string
	}{
		{value: "", want: []string{Chromium, Firefox, WebKit}},
		{value: "  ", want: []string{Chromium, Firefox, WebKit}},
		{value: "firefox", want: []string{Firefox}},
		{value: "chromium,webkit", want: []string{Chromium, WebKit}},
		{value: "webkit,chromium", want: []string{Chromium, WebKit}},
		{value: " WebKit , firefox,", want: []string{Firefox, WebKit}},
		{value: "firefox,firefox", want: []string{Firefox}},
		{value: "safari", wantErr: `unknown engine "safari"`},
		{value: "chromium,gecko", wantErr: `unknown engine "gecko"`},
		{value: ",", wantErr: "names no engine"},
	} {
		t.Run(fmt.Sprintf("%q", tc.value), func(t *testing.T) {
			got, err := Selected(tc.value)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				assert.Contains(t, err.Error(), BrowsersEnv)
				return
			}
			require.NoError(t, err)
			var names []string
			for _, e := range got {
				names = append(names, e.Name)
			}
			assert.Equal(t, tc.want, names)
		})
	}
}

func TestSkipEnvSkipsWithoutStartingABrowser(t *testing.T) {
	t.Setenv(SkipEnv, "1")
	ff, _ := Lookup(Firefox)
	var started *Browser
	ok := t.Run("needs a browser", func(t *testing.T) {
		started = Need(t, ff, Config{})
		t.Error("Need returned instead of skipping")
	})
	assert.True(t, ok, "a skipped subtest does not fail")
	assert.Nil(t, started, "no browser is started when told to skip")
}

func TestTallyCountsEachWayACaseEnds(t *testing.T) {
	y := &Tally{Engine: WebKit, Version: "WebKitGTK 2.50.6"}
	run := func(name, deviation string, f func(t *testing.T)) {
		// Only a subtest that does not fail can run inside this test; a
		// failing case is counted through the same path by Record.
		t.Run(name, func(t *testing.T) {
			y.Record(t, func() string { return deviation })
			f(t)
		})
	}
	run("passes", "", func(*testing.T) {})
	run("passes again", "", func(*testing.T) {})
	run("deviates", "lets * cover Authorization", func(*testing.T) {})
	run("deviates the same way", "lets * cover Authorization", func(*testing.T) {})
	run("skips", "ignored when skipped", func(t *testing.T) { t.Skip("cannot run here") })
	assert.Equal(t, `browser-summary engine=webkit version="WebKitGTK 2.50.6" cases=5 passed=2 deviation=2 skipped=1 failed=0 wall=0s`, y.Summary())
	assert.Equal(t, []string{"lets * cover Authorization"}, y.Deviations())
}

func TestFirefoxProfileStopsOutboundTrafficAndFollowsFetch(t *testing.T) {
	p, err := StartProxy(nil)
	require.NoError(t, err)
	defer p.Close()
	js := userJS(firefoxPrefs, firefoxProxyPrefs(p))
	_, port, _ := net.SplitHostPort(p.Addr())
	for _, line := range []string{
		`user_pref("network.cors_preflight.authorization_covered_by_wildcard", false);`,
		`user_pref("network.proxy.type", 1);`,
		`user_pref("network.proxy.http", "127.0.0.1");`,
		`user_pref("network.proxy.http_port", ` + port + `);`,
		`user_pref("network.proxy.ssl_port", ` + port + `);`,
		`user_pref("network.proxy.allow_hijacking_localhost", true);`,
		`user_pref("network.captive-portal-service.enabled", false);`,
		`user_pref("media.gmp-manager.chromium-update-url", "");`,
		`user_pref("network.trr.mode", 5);`,
		`user_pref("dom.security.https_first", false);`,
	} {
		assert.Contains(t, js, line+"\n")
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(js), "\n") {
		require.True(t, strings.HasPrefix(line, `user_pref("`) && strings.HasSuffix(line, ");"), "malformed: %s", line)
		name, _, _ := strings.Cut(strings.TrimPrefix(line, `user_pref("`), `"`)
		assert.False(t, seen[name], "%s is set twice", name)
		seen[name] = true
	}
}

func TestProxyRoutes(t *testing.T) {
	p, err := StartProxy([]Route{
		{From: "api.example.com:443", To: "127.0.0.1:1001"},
		{From: "*:443", To: "127.0.0.1:1002"},
		{From: "localhost:3000", To: "127.0.0.1:1003"},
		{From: "*:80", To: "127.0.0.1:1004"},
	})
	require.NoError(t, err)
	defer p.Close()
	for _, tc := range []struct{ from, want, wantErr string }{
		{from: "api.example.com:443", want: "127.0.0.1:1001"},
		{from: "API.Example.com.:443", want: "127.0.0.1:1001"},
		{from: "app.example.com:443", want: "127.0.0.1:1002", wantErr: ""},
		{from: "localhost:3000", want: "127.0.0.1:1003"},
		{from: "evil.example:80", want: "127.0.0.1:1004"},
		{from: "localhost:8081", want: "localhost:8081"},
		{from: "127.0.0.1:9999", want: "127.0.0.1:9999"},
		{from: "[::1]:9999", want: "[::1]:9999"},
		{from: "example.org:8443", wantErr: "outside the test network"},
		{from: "10.0.0.1:80", want: "127.0.0.1:1004"},
		{from: "10.0.0.1:81", wantErr: "outside the test network"},
	} {
		got, err := p.Resolve(tc.from)
		if tc.wantErr != "" {
			assert.ErrorContains(t, err, tc.wantErr, tc.from)
			continue
		}
		require.NoError(t, err, tc.from)
		assert.Equal(t, tc.want, got, tc.from)
	}
	assert.Equal(t, []string{"example.org:8443", "10.0.0.1:81"}, p.Refused(), "refusals are recorded")
}

func TestProxyForwardsAbsoluteURLsAndTunnelsConnect(t *testing.T) {
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Vary", "Origin")
		_, _ = fmt.Fprintf(w, "%s %s host=%s origin=%s", r.Method, r.URL.RequestURI(), r.Host, r.Header.Get("Origin"))
	})
	plain := httptest.NewServer(echo)
	defer plain.Close()
	secure := httptest.NewTLSServer(echo)
	defer secure.Close()
	p, err := StartProxy([]Route{
		{From: "localhost:8080", To: plain.Listener.Addr().String()},
		{From: "api.example.com:443", To: secure.Listener.Addr().String()},
	})
	require.NoError(t, err)
	defer p.Close()

	client := &http.Client{Transport: &http.Transport{
		Proxy:           http.ProxyURL(mustURL(t, "http://"+p.Addr())),
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // httptest's certificate
	}}
	for _, tc := range []struct{ url, want string }{
		{"http://localhost:8080/items/7?case=1", "PUT /items/7?case=1 host=localhost:8080 origin=http://localhost:3000"},
		{"https://api.example.com/c/1/x", "PUT /c/1/x host=api.example.com origin=http://localhost:3000"},
	} {
		req, err := http.NewRequest(http.MethodPut, tc.url, strings.NewReader("{}"))
		require.NoError(t, err)
		req.Header.Set("Origin", "http://localhost:3000")
		resp, err := client.Do(req)
		require.NoError(t, err, tc.url)
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		assert.Equal(t, tc.want, string(body), "what the server received through the proxy")
		assert.Equal(t, "Origin", resp.Header.Get("Vary"), "response headers pass unchanged")
		assert.Empty(t, resp.Header.Get("X-Forwarded-For"))
	}

	// A destination outside the test network is refused, not dialled.
	resp, err := client.Get("http://example.org/")
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	assert.Equal(t, []string{"example.org:80"}, p.Refused())
}

func TestProxyForwardsWebSocketUpgrades(t *testing.T) {
	// A server that switches protocols and echoes one line, like a WebSocket
	// upgrade followed by a frame.
	upgrade := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "websocket" {
			http.Error(w, "no upgrade", http.StatusBadRequest)
			return
		}
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = buf.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
		_ = buf.Flush()
		line, _ := buf.ReadString('\n')
		_, _ = buf.WriteString("echo " + line)
		_ = buf.Flush()
	}))
	defer upgrade.Close()
	p, err := StartProxy([]Route{{From: "localhost:8080", To: upgrade.Listener.Addr().String()}})
	require.NoError(t, err)
	defer p.Close()

	// WebKit asks for the ws:// URL itself; Firefox for http://.
	for _, scheme := range []string{"ws", "http"} {
		conn, err := net.Dial("tcp", p.Addr())
		require.NoError(t, err)
		_, err = fmt.Fprintf(conn, "GET %s://localhost:8080/ws HTTP/1.1\r\nHost: localhost:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", scheme)
		require.NoError(t, err)
		r := bufio.NewReader(conn)
		resp, err := http.ReadResponse(r, nil)
		require.NoError(t, err, scheme)
		assert.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode, scheme)
		_, err = io.WriteString(conn, "ping\n")
		require.NoError(t, err)
		line, err := r.ReadString('\n')
		require.NoError(t, err)
		assert.Equal(t, "echo ping\n", line, scheme)
		_ = conn.Close()
	}
}

// argv returns the command line chromedp would run for opts, without running
// it: the command is pointed at a path that does not exist.
func argv(t *testing.T, opts ...chromedp.ExecAllocatorOption) []string {
	t.Helper()
	var args []string
	opts = append(opts, chromedp.ModifyCmdFunc(func(cmd *exec.Cmd) {
		args = cmd.Args[1:]
		cmd.Path = filepath.Join(t.TempDir(), "no-such-browser")
	}))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	require.Error(t, chromedp.Do(ctx), "the browser cannot start from a path that does not exist")
	require.NotNil(t, args, "chromedp built a command line")
	return args
}

// flagValues returns the value of every --name=value flag of args, and
// "true" for every bare --name; a flag given twice fails the test.
func flagValues(t *testing.T, args []string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, a := range args {
		name, value, found := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		if !found {
			value = "true"
		}
		_, dup := out[name]
		require.False(t, dup, "--%s is given twice: %q", name, args)
		out[name] = value
	}
	return out
}

func TestTheChromiumCommandLineKeepsTheKnownGoodFlags(t *testing.T) {
	cfg := Config{
		Routes:          []Route{{From: "api.example.com:443", To: "127.0.0.1:1001"}, {From: "*:80", To: "127.0.0.1:1002"}},
		PublicEndpoints: []string{"127.0.0.1:1003", "127.0.0.1:1004"},
	}
	f := flagValues(t, argv(t, chromiumOptions(cfg, "/usr/bin/chromium", "/tmp/profile-1")...))

	for _, name := range []string{"headless", "no-sandbox", "disable-gpu", "no-first-run", "disable-quic",
		"disable-background-networking", "disable-component-update", "disable-sync", "ignore-certificate-errors"} {
		assert.Equal(t, "true", f[name], "--%s", name)
	}
	assert.Equal(t, "/tmp/profile-1", f["user-data-dir"], "a fresh profile per browser")
	assert.Equal(t, "1", f["renderer-process-limit"], "one renderer serves every page")
	assert.Equal(t, "NetworkService,NetworkServiceInProcess,CorsNonWildcardRequestHeadersSupport", f["enable-features"],
		"chromedp's own features are kept, and Authorization is never covered by a wildcard")
	assert.Equal(t, "Translate,BlinkGenPropertyTrees,HttpsUpgrades,site-per-process,IsolateOrigins", f["disable-features"],
		"chromedp's own features are kept, and http pages stay http")
	assert.Equal(t, "MAP api.example.com:443 127.0.0.1:1001, MAP *:80 127.0.0.1:1002", f["host-resolver-rules"],
		"the rules keep their order: the first that matches wins")
	assert.Equal(t, "127.0.0.1:1003=public,127.0.0.1:1004=public", f["ip-address-space-overrides"])
}

func TestANetworkWithoutRulesAddsNoRuleFlags(t *testing.T) {
	f := flagValues(t, argv(t, chromiumOptions(Config{}, "/usr/bin/chromium", "/tmp/profile-2")...))
	assert.NotContains(t, f, "host-resolver-rules")
	assert.NotContains(t, f, "ip-address-space-overrides")
}

// Setting --enable-features or --disable-features replaces chromedp's value,
// so the constants repeat chromedp's defaults; if an update of chromedp
// changes them, this fails and the constants must follow.
func TestFeatureListsRepeatChromedpsDefaults(t *testing.T) {
	f := flagValues(t, argv(t, chromedp.DefaultExecAllocatorOptions[:]...))
	assert.Equal(t, chromedpEnabledFeatures, f["enable-features"])
	assert.Equal(t, chromedpDisabledFeatures, f["disable-features"])
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}

func TestForEachSkipsEveryEngineWhenToldWithoutStartingOne(t *testing.T) {
	t.Setenv(SkipEnv, "1")
	t.Setenv(BrowsersEnv, "")
	ran := 0
	ok := t.Run("suite", func(t *testing.T) {
		ForEach(t, Config{}, func(t *testing.T, b *Browser) { ran++ })
	})
	assert.True(t, ok, "skipped engines do not fail")
	assert.Zero(t, ran, "no engine's cases run")
}
