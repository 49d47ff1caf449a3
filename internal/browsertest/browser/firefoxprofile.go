package browser

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
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
	// Authorization is a CORS non-wildcard request-header name
	// (https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name),
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

// newFirefoxProfile creates the fresh profile directory a Firefox starts
// with: a user.js of firefoxPrefs, and of firefoxProxyPrefs for proxy.
func newFirefoxProfile(proxy *Proxy) (dir string, err error) {
	dir, err = os.MkdirTemp("", "cors-firefox-*")
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "user.js"), []byte(userJS(firefoxPrefs, firefoxProxyPrefs(proxy))), 0o600); err != nil {
		_ = os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}
