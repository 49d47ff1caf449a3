package cors

import (
	"net/http"

	"github.com/crossorigin/cors/internal/header"
	"github.com/crossorigin/cors/internal/origin"
)

// checkWrite decides, under CrossOriginProtection, whether r may reach the handler. It is
// net/http.CrossOriginProtection's algorithm (Go 1.25) with the policy as its trusted origins. It
// returns "" when r may pass, else the reason and the value to log.
//
// A browser lets any page send a form POST or a no-cors fetch to any site, with the user's cookies, and
// CORS never stops it: it only keeps the page from reading the answer. Such requests change state, so
// they are refused here, unless they come from an origin the policy allows.
func (cfg *config) checkWrite(r *http.Request, lines []string) (reason, value string) {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		// Safe methods (RFC 9110 §9.2.1) change nothing; a CORS preflight was answered before.
		return "", ""
	}
	switch site := firstOrEmpty(r.Header[header.SecFetchSite]); site {
	case "same-origin", "none":
		// Sent by every current browser: the page is on the API's own origin, or the user typed the
		// URL or followed a bookmark.
		return "", ""
	case "":
		// An older browser, or not a browser. Without Origin it is not a browser's cross-origin
		// request (browsers send Origin on every non-GET, non-HEAD request); an Origin whose host and
		// port are the request's Host comes from the API's own pages.
		if lines == nil || len(lines) == 1 && sameHost(lines[0], r.Host) {
			return "", ""
		}
	default:
		// cross-site or same-site: only what the policy trusts, exactly as for CORS. A missing Origin
		// is refused by checkOrigin.
	}
	if cfg.checkOrigin(lines) != "" {
		return reasonCrossSiteWrite, firstOrEmpty(lines)
	}
	return "", ""
}

// sameHost reports whether the serialised origin's host and port are host, as net/http compares them:
// the text after "://" equals the Host header, byte for byte.
func sameHost(serialized, host string) bool {
	for i := 0; i+3 <= len(serialized) && i <= origin.MaxSchemeLen; i++ {
		if serialized[i] == ':' {
			return serialized[i:i+3] == "://" && serialized[i+3:] == host && host != ""
		}
	}
	return false
}
