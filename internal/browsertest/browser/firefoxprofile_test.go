package browser

import (
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
