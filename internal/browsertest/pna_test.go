package browsertest

import (
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
)

// Scenario 12: private network access.
//
// The page at https://127.0.0.1:<frontPublic> is marked as being on the
// public internet (--ip-address-space-overrides), and the API it calls is on
// the loopback interface. What Chromium 156.0.8078.108 was observed to do, and
// what these cases assert:
//
//   - It never sends a Private Network Access preflight: no request carries
//     Access-Control-Request-Private-Network, not even the preflight of a PUT,
//     so AllowPrivateNetwork has no observable effect in this browser, with or
//     without it the outcomes are the same. (The legacy PNA preflight, which the
//     option answers, is checked by the core's unit tests with a plain client.)
//   - Instead it gates the request with the "loopback-network" permission of
//     Local Network Access. Headless Chromium cannot show the prompt, so while
//     the permission is in its default "prompt" state the fetch fails at once
//     and nothing at all reaches the API, neither preflight nor request.
//     Granting "local-network-access" or "local-network" does not help; only
//     "loopback-network" does for a loopback target.
//   - With the permission granted, the request is an ordinary CORS request:
//     the middleware's usual answers decide, and the page reads the response.
func TestPrivateNetworkAccess(t *testing.T) {
	needBrowser(t)
	page := pagePublic()
	permissions := []string{"loopback-network", "local-network-access", "local-network"}
	// setPermissions sets the first permission of the list to setting and the
	// others to "prompt", for the page's origin.
	setPermissions := func(name string, setting browser.PermissionSetting) func(t *testing.T, _ *backend) {
		return func(t *testing.T, _ *backend) {
			for _, p := range permissions {
				s := browser.PermissionSettingPrompt
				if p == name {
					s = setting
				}
				_, err := chromedp.CallBrowser(env.browser.Context(), browser.SetPermission, browser.SetPermissionParams{
					Permission: &browser.PermissionDescriptor{Name: p},
					Setting:    s,
					Origin:     page,
				})
				require.NoError(t, err)
			}
		}
	}
	setPermission := func(setting browser.PermissionSetting) func(t *testing.T, _ *backend) {
		return setPermissions("loopback-network", setting)
	}
	t.Cleanup(func() { setPermission(browser.PermissionSettingPrompt)(t, nil) })
	notSent := func(t *testing.T, _ outcome, exs []exchange) {
		assert.Empty(t, exs, "nothing reaches the API while the permission is not granted")
	}
	noPNA := func(t *testing.T, _ outcome, exs []exchange) {
		require.NotEmpty(t, exs)
		for _, e := range exs {
			assert.Empty(t, e.ACRPN, "Chromium sends no Access-Control-Request-Private-Network")
			assert.Empty(t, e.Header.Values("Access-Control-Allow-Private-Network"),
				"the middleware grants private network access only when asked")
		}
	}

	var cases []browserCase
	for _, allow := range []bool{false, true} {
		o := cors.Options{AllowedOrigins: []string{page}, AllowedMethods: []string{"PUT"}, AllowPrivateNetwork: allow}
		name := func(s string) string { return fmt.Sprintf("AllowPrivateNetwork=%v: %s", allow, s) }
		prompt, granted := setPermission(browser.PermissionSettingPrompt), setPermission(browser.PermissionSettingGranted)
		cases = append(cases,
			browserCase{name: name("without the permission a GET never leaves the browser"), opts: o, steps: []step{{
				before: prompt, page: page, want: expect{ok: false, check: notSent}}}},
			browserCase{name: name("without the permission a PUT is not even preflighted"), opts: o, steps: []step{{
				before: prompt, page: page, req: request{method: "PUT"}, want: expect{ok: false, check: notSent}}}},
			browserCase{name: name("with the permission a GET is readable, without any PNA header"), opts: o, steps: []step{{
				before: granted, page: page, want: expect{ok: true, arrived: true, check: noPNA}}}},
			browserCase{name: name("with the permission a PUT's preflight asks nothing about private networks"), opts: o, steps: []step{{
				before: granted, page: page, req: request{method: "PUT"}, want: expect{ok: true, preflights: 1, arrived: true, check: noPNA}}}},
			browserCase{name: name("with the permission a refused origin still cannot read"),
				opts: cors.Options{AllowedOrigins: []string{pageApp}, AllowPrivateNetwork: allow}, steps: []step{{
					before: granted, page: page, want: expect{ok: false, arrived: true}}}},
		)
	}
	for _, other := range permissions[1:] {
		cases = append(cases, browserCase{
			name: fmt.Sprintf("granting %q instead does not open loopback", other),
			opts: cors.Options{AllowedOrigins: []string{page}, AllowPrivateNetwork: true},
			steps: []step{{before: setPermissions(other, browser.PermissionSettingGranted), page: page,
				want: expect{ok: false, check: notSent}}},
		})
	}
	// The control: a page that is itself on the loopback interface needs no
	// permission, so it is the override above that brings in the gate.
	cases = append(cases, browserCase{
		name: "control: a loopback page needs no permission",
		opts: cors.Options{AllowedOrigins: []string{pageApp}, AllowedMethods: []string{"PUT"}},
		page: pageApp, req: request{method: "PUT"}, want: expect{ok: true, preflights: 1, arrived: true, check: noPNA},
	})
	runCases(t, cases)
}
