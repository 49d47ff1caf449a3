package corstest

import (
	"net/http"

	"github.com/crossorigin/cors/internal/call"
)

// APIOrigin is the origin [Check] resolves a path against: a reserved name (.invalid never resolves)
// that is cross-site to every page origin a test uses, so that a call to a path is cross-origin, as a
// call from a frontend to an API is, and its Sec-Fetch-Site is cross-site.
const APIOrigin = "https://api.corstest.invalid"

// A Call is one fetch(URL, {method: Method, headers: Header, credentials: Credentials}) made by a page
// whose origin is Origin.
type Call struct {
	Origin      string         // the page's origin, e.g. "http://localhost:3000"; required
	Method      string         // as written in fetch(); "" means GET (browsers upper-case the six Fetch normalises)
	URL         string         // the URL fetched; for Check, a path such as "/api/items/1" is enough
	Header      http.Header    // the headers the page's script sets; forbidden ones (Cookie too) are dropped, as browsers do
	Credentials string         // "omit", "same-origin" (the default; "" too) or "include", lower-case as in fetch()
	Cookies     []*http.Cookie // the browser's cookies for URL; sent only where Credentials lets them go
}

// String describes the call as a test failure names it: "PUT /api/items/1 from http://localhost:3000
// (credentials: include)".
func (c Call) String() string { return call.Call(c).String() }
