package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The same switch and install hint as the library's browser conformance suite.
const (
	skipBrowserEnv      = "CORS_SKIP_BROWSER"
	chromiumInstallHint = "apt-get update && apt-get install -y chromium"
)

// startDemoOnLocalhost serves the demo like the command does, with both
// servers reached as http://localhost:<port> (the page's origin and the API
// are then same-site, like localhost:3000 and localhost:8080). The API takes
// its options from configJSON.
func startDemoOnLocalhost(t *testing.T, configJSON string) (frontendURL string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cors.json")
	require.NoError(t, os.WriteFile(path, []byte(configJSON), 0o600))
	api := httptest.NewUnstartedServer(nil)
	h, err := buildHandlers(path, baseURL("localhost:0", api.Listener.Addr()), nil)
	require.NoError(t, err)
	api.Config.Handler = h.api
	api.Start()
	t.Cleanup(api.Close)
	frontend := httptest.NewServer(h.frontend)
	t.Cleanup(frontend.Close)
	return baseURL("localhost:0", frontend.Listener.Addr())
}

var (
	cardOutcome = regexp.MustCompile(`<section class="card" data-outcome="(\w+)">`)
	pageSummary = regexp.MustCompile(`<span id="summary">([^<]*)</span>`)
)

// TestPageInHeadlessChromium loads the page in a real browser and reads the
// outcome each card recorded: the browser, not this test, decides what is
// blocked.
func TestPageInHeadlessChromium(t *testing.T) {
	if os.Getenv(skipBrowserEnv) == "1" {
		t.Skipf("%s=1: skipping the browser check of the page (needs Chromium: %s)", skipBrowserEnv, chromiumInstallHint)
	}
	chromium, err := exec.LookPath("chromium")
	require.NoError(t, err, "this test needs Chromium: %s (or set %s=1 to skip it)", chromiumInstallHint, skipBrowserEnv)

	// The default cors.json, but for the page's port, which is not 3000 here.
	frontendURL := startDemoOnLocalhost(t, `{
		"allowed_origins": ["http://localhost:*"],
		"allowed_methods": ["GET", "POST", "PUT"],
		"allowed_headers": ["Content-Type", "X-Demo"],
		"exposed_headers": ["X-Request-Id"],
		"allow_credentials": true,
		"max_age": "10s"
	}`)
	res, err := http.Get(frontendURL + "/")
	require.NoError(t, err, "the frontend answers on localhost")
	require.NoError(t, res.Body.Close())

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(),
		"--virtual-time-budget=5000", // virtual ms: the page's fetches finish well within it
		"--dump-dom", frontendURL+"/")
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	dom, err := cmd.Output()
	require.NoError(t, err, "chromium: %s", stderr.String())
	require.Contains(t, string(dom), `data-done="true"`, "the page ran every call; DOM:\n%s", dom)

	var got []string
	for _, m := range cardOutcome.FindAllStringSubmatch(string(dom), -1) {
		got = append(got, m[1])
	}
	tests := []struct {
		card string
		want string
	}{
		{"1. a simple GET from an allowed origin is readable", "ok"},
		{"2. a PUT with Content-Type and X-Demo passes its preflight", "ok"},
		{"3. a credentialed request with the API's cookie is readable", "ok"},
		{"4. a DELETE the config does not allow is blocked", "blocked"},
	}
	require.Len(t, got, len(tests), "one outcome per card; DOM:\n%s", dom)
	for i, tt := range tests {
		t.Run(tt.card, func(t *testing.T) {
			assert.Equal(t, tt.want, got[i])
		})
	}
	assert.True(t, strings.Contains(string(dom), `"cookie_received":true`), "the API saw the cookie it set and the page read its answer")
	summary := pageSummary.FindStringSubmatch(string(dom))
	if assert.NotNil(t, summary, "the page has a summary") {
		assert.Equal(t, "4 of 4 outcomes as the default config expects", summary[1])
	}
}

// limitedBuffer keeps the first 64 KiB written to it: Chromium is chatty on stderr.
type limitedBuffer struct{ b []byte }

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := 64<<10 - len(l.b); room > 0 {
		l.b = append(l.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (l *limitedBuffer) String() string { return string(l.b) }
