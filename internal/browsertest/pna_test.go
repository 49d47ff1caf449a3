package browsertest

import (
	"fmt"
	"testing"

	chromeperm "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/internal/browsertest/browser"
)

// Scenario 12: private network access.
//
// The page at https://127.0.0.1:<frontPublic> is marked, for Chromium, as
// being on the public internet (--ip-address-space-overrides), and the API it
// calls is on the loopback interface. What Chromium 156.0.8078.108 was
// observed to do, and what these cases assert:
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
//
// Private Network Access and Local Network Access are Chromium's alone (a
// WICG draft, not part of Fetch): Firefox and WebKit have no address-space
// override, no permission and no PNA preflight. In them the same page and
// calls are asserted as what those engines do: an ordinary CORS request,
// decided by the middleware's usual answers, without any PNA header. The
// cases that grant another Chromium permission cannot run there and skip.
func testPrivateNetworkAccess(t *testing.T) {
	page := pagePublic()
	permissions := []string{"loopback-network", "local-network-access", "local-network"}
	// setPermissions sets the first permission of the list to setting and the
	// others to "prompt", for the page's origin (Chromium only).
	setPermissions := func(name string, setting chromeperm.PermissionSetting) func(t *testing.T, _ *backend) {
		return func(t *testing.T, _ *backend) {
			ctx, ok := browser.ChromiumContext(env.browser)
			require.True(t, ok, "permissions are set in Chromium only")
			for _, p := range permissions {
				s := chromeperm.PermissionSettingPrompt
				if p == name {
					s = setting
				}
				_, err := chromedp.CallBrowser(ctx, chromeperm.SetPermission, chromeperm.SetPermissionParams{
					Permission: &chromeperm.PermissionDescriptor{Name: p},
					Setting:    s,
					Origin:     page,
				})
				require.NoError(t, err)
			}
		}
	}
	setPermission := func(setting chromeperm.PermissionSetting) func(t *testing.T, _ *backend) {
		return setPermissions("loopback-network", setting)
	}
	if env.engine == browser.Chromium {
		t.Cleanup(func() { setPermission(chromeperm.PermissionSettingPrompt)(t, nil) })
	}
	notSent := func(t *testing.T, _ outcome, exs []exchange) {
		assert.Empty(t, exs, "nothing reaches the API while the permission is not granted")
	}
	noPNA := func(t *testing.T, _ outcome, exs []exchange) {
		require.NotEmpty(t, exs)
		for _, e := range exs {
			assert.Empty(t, e.ACRPN, "the browser sends no Access-Control-Request-Private-Network")
			assert.Empty(t, e.Header.Values("Access-Control-Allow-Private-Network"),
				"the middleware grants private network access only when asked")
		}
	}
	// noGate is the case in Firefox and WebKit, which gate nothing: the
	// request is an ordinary CORS request.
	const noPNAEngine = "no Private Network Access (Chromium's draft, not Fetch): no PNA preflight and no permission gate, the call is an ordinary CORS request"
	// deviation is noPNAEngine where Chromium would have gated the call,
	// and "" where Chromium, its permission granted, does the same.
	noGate := func(deviation string, req request, want expect) map[string]variant {
		want.check = noPNA
		v := variant{deviation: deviation, steps: []step{{page: page, req: req, want: want}}}
		return map[string]variant{browser.Firefox: v, browser.WebKit: v}
	}

	var cases []browserCase
	for _, allow := range []bool{false, true} {
		o := cors.Options{AllowedOrigins: []string{page}, AllowedMethods: []string{"PUT"}, AllowPrivateNetwork: allow}
		name := func(s string) string { return fmt.Sprintf("AllowPrivateNetwork=%v: %s", allow, s) }
		prompt, granted := setPermission(chromeperm.PermissionSettingPrompt), setPermission(chromeperm.PermissionSettingGranted)
		cases = append(cases,
			browserCase{name: name("without the permission a GET never leaves the browser"), opts: o, steps: []step{{
				before: prompt, page: page, want: expect{ok: false, check: notSent}}},
				in: noGate(noPNAEngine, request{}, expect{ok: true, arrived: true})},
			browserCase{name: name("without the permission a PUT is not even preflighted"), opts: o, steps: []step{{
				before: prompt, page: page, req: request{method: "PUT"}, want: expect{ok: false, check: notSent}}},
				in: noGate(noPNAEngine, request{method: "PUT"}, expect{ok: true, preflights: 1, arrived: true})},
			browserCase{name: name("with the permission a GET is readable, without any PNA header"), opts: o, steps: []step{{
				before: granted, page: page, want: expect{ok: true, arrived: true, check: noPNA}}},
				in: noGate("", request{}, expect{ok: true, arrived: true})},
			browserCase{name: name("with the permission a PUT's preflight asks nothing about private networks"), opts: o, steps: []step{{
				before: granted, page: page, req: request{method: "PUT"}, want: expect{ok: true, preflights: 1, arrived: true, check: noPNA}}},
				in: noGate("", request{method: "PUT"}, expect{ok: true, preflights: 1, arrived: true})},
			browserCase{name: name("with the permission a refused origin still cannot read"),
				opts: cors.Options{AllowedOrigins: []string{pageApp}, AllowPrivateNetwork: allow}, steps: []step{{
					before: granted, page: page, want: expect{ok: false, arrived: true}}},
				in: noGate("", request{}, expect{ok: false, arrived: true})},
		)
	}
	for _, other := range permissions[1:] {
		skip := variant{skip: fmt.Sprintf("%q is a Chromium permission; Firefox and WebKit have no Local Network Access permission to grant", other)}
		cases = append(cases, browserCase{
			name: fmt.Sprintf("granting %q instead does not open loopback", other),
			opts: cors.Options{AllowedOrigins: []string{page}, AllowPrivateNetwork: true},
			steps: []step{{before: setPermissions(other, chromeperm.PermissionSettingGranted), page: page,
				want: expect{ok: false, check: notSent}}},
			in: map[string]variant{browser.Firefox: skip, browser.WebKit: skip},
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
