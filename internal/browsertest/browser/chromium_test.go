package browser

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
