package main

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/internal/browsertest/browser"
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

// waitForDone settles, with the page's DOM, once the page has run every call.
const waitForDone = `new Promise((resolve) => {
  const check = () => document.body.dataset.done === "true"
    ? resolve(document.documentElement.outerHTML)
    : setTimeout(check, 20);
  check();
})`

// TestPageInBrowsers loads the page in a real browser, in every selected
// engine, and reads the outcome each card recorded: the browser, not this
// test, decides what is blocked.
func TestPageInBrowsers(t *testing.T) {
	browser.ForEach(t, browser.Config{}, func(t *testing.T, b *browser.Browser) {
		checkPage(t, b)
	})
}

func checkPage(t *testing.T, b *browser.Browser) {
	// The default cors.json, but for the page's port, which is not 3000 here.
	frontendURL := startDemoOnLocalhost(t, `{
		"allowed_origins": ["http://localhost:*"],
		"allowed_methods": ["GET", "POST", "PUT"],
		"allowed_headers": ["Content-Type", "X-Demo"],
		"exposed_headers": ["X-Request-Id"],
		"allow_credentials": true,
		"max_age": "10s"
	}`)
	dom, err := browser.Eval[string](b, frontendURL, waitForDone)
	require.NoError(t, err, "the page runs every call")

	var got []string
	for _, m := range cardOutcome.FindAllStringSubmatch(dom, -1) {
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
	assert.True(t, strings.Contains(dom, `"cookie_received":true`), "the API saw the cookie it set and the page read its answer")
	summary := pageSummary.FindStringSubmatch(dom)
	if assert.NotNil(t, summary, "the page has a summary") {
		assert.Equal(t, "4 of 4 outcomes as the default config expects", summary[1])
	}
}
