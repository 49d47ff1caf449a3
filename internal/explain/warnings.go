package explain

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/crossorigin/cors/internal/fetch"
	"github.com/crossorigin/cors/internal/header"
)

// Warning is what works but is fragile, or what the browser did that a developer may not expect.
type Warning struct {
	Check   string // one of the Warn constants
	Message string
	Fix     string // what to change; "" when the warning only informs
}

// Text is the warning as one text: the message, then the fix.
func (w Warning) Text() string {
	if w.Fix == "" {
		return w.Message
	}
	return w.Message + " " + w.Fix
}

// What a warning is about. They are stable: corscheck's JSON output carries them.
const (
	WarnVary            = "vary"             // an origin allowed without Vary: Origin
	WarnMaxAge          = "max-age"          // a max-age of 0, past the browsers' caps, or invalid
	WarnAllowOrigin     = "allow-origin"     // "*" together with Access-Control-Allow-Credentials: true
	WarnAllowHeaders    = "allow-headers"    // Authorization covered by "*" only, which some browsers accept
	WarnRedirect        = "redirect"         // a redirect followed, and what it changed
	WarnForbiddenHeader = "forbidden-header" // a header a page cannot set, dropped
	WarnSameOrigin      = "same-origin"      // a call to the page's own origin, to which CORS does not apply
	WarnCredentials     = "credentials"      // cookies that the credentials mode does not send
)

// WarningChecks lists every Warn constant.
var WarningChecks = []string{
	WarnVary, WarnMaxAge, WarnAllowOrigin, WarnAllowHeaders, WarnRedirect, WarnForbiddenHeader, WarnSameOrigin, WarnCredentials,
}

// authorizationDeviation is said of a call that Fetch blocks because only "*" covers Authorization.
var authorizationDeviation = Warning{Check: WarnAllowHeaders, Message: "Chromium (unless its CorsNonWildcardRequestHeadersSupport feature is on), Firefox (unless network.cors_preflight.authorization_covered_by_wildcard is false) and Safari still let '*' cover Authorization, so this call may work in your browser today; the Fetch standard does not allow it, so do not rely on it"}

// warnings are what is allowed but fragile, and what the browser did that the developer may not expect.
func warnings(in Input, tool Tool) []Warning {
	tr := in.Trace
	ws := []Warning{}
	ws = append(ws, dropped(tr, tool)...)
	anyCORS := slices.ContainsFunc(tr.Exchanges, func(ex fetch.Exchange) bool { return ex.CORS })
	if len(tr.Exchanges) > 0 && !anyCORS {
		ws = append(ws, Warning{Check: WarnSameOrigin, Message: fmt.Sprintf("%s is on the page's own origin %s: CORS does not apply to it.", in.Request.URL, in.Request.Origin)})
	}
	ws = append(ws, redirects(tr, in.Request.Origin)...)
	if w, ok := maxAge(tr); ok {
		ws = append(ws, w)
	}
	ws = append(ws, actual(tr, tool)...)
	if in.Cookies && anyCORS && in.Request.Credentials != fetch.CredentialsInclude {
		ws = append(ws, unsentCookies(in.Request.Credentials, tool))
	}
	return ws
}

// dropped warns of each header the page set but the browser dropped.
func dropped(tr *fetch.Trace, tool Tool) []Warning {
	var ws []Warning
	for _, d := range tr.Dropped {
		w := Warning{Check: WarnForbiddenHeader, Message: fmt.Sprintf("A page cannot set %s: browsers drop it (a forbidden request-header), so it was not sent.", d.Name)}
		if strings.EqualFold(d.Name, "cookie") {
			w.Fix = fmt.Sprintf("Cookies come from the browser's jar: use %s and %s.", tool.Include, tool.SetCookie)
		}
		ws = append(ws, w)
	}
	return ws
}

// redirects says what each redirect followed changed.
func redirects(tr *fetch.Trace, pageOrigin string) []Warning {
	var ws []Warning
	page, _ := url.Parse(pageOrigin) // nil for an origin that does not parse, such as "null"
	for _, r := range tr.Redirects {
		msg := fmt.Sprintf("The browser followed a %d redirect from %s to %s.", r.Status, r.From, r.To)
		from, errFrom := url.Parse(r.From)
		to, errTo := url.Parse(r.To)
		if pageOrigin != "null" && page != nil && errFrom == nil && errTo == nil && fetch.SameOrigin(page, from) && !fetch.SameOrigin(page, to) {
			msg += fmt.Sprintf(" It leaves the page's own origin %s, so CORS applies from there on, as to any cross-origin call: a preflight when one is needed, and the CORS check on every response.", pageOrigin)
		}
		if r.MethodChanged {
			msg += " The request became a GET without a body."
		}
		if r.AuthorizationDropped {
			msg += " The redirect goes to another origin, so the browser dropped the Authorization header."
		}
		if r.Tainted {
			msg += " The redirect left the API's origin for another one, so the browser sent 'Origin: null' from there on: the target must answer Access-Control-Allow-Origin: * (or null, which is unsafe)."
		}
		ws = append(ws, Warning{Check: WarnRedirect, Message: msg})
	}
	return ws
}

// maxAge warns of a passed preflight's max-age that browsers do not use as written.
func maxAge(tr *fetch.Trace) (Warning, bool) {
	p := tr.LastOf(fetch.KindPreflight)
	if p == nil || p.Failure != nil {
		return Warning{}, false
	}
	w := Warning{Check: WarnMaxAge}
	switch secs, present, valid := fetch.MaxAge(p.ResponseHeader); {
	case present && !valid:
		w.Message = fmt.Sprintf("Access-Control-Max-Age %q is not a number of seconds: browsers cache this preflight for 5 seconds only.", p.ResponseHeader.Get(header.AccessControlMaxAge))
	case present && secs == 0:
		w.Message = "Access-Control-Max-Age is 0: browsers send a preflight before every such call."
	case secs > fetch.FirefoxMaxAge:
		w.Message = fmt.Sprintf("Access-Control-Max-Age is %s seconds: Firefox caches a preflight for at most 24 hours and Chromium for 2 hours.", p.ResponseHeader.Get(header.AccessControlMaxAge))
	case secs > fetch.ChromiumMaxAge:
		w.Message = fmt.Sprintf("Access-Control-Max-Age is %s seconds: Chromium caches a preflight for at most 2 hours (7200 s), Firefox for 24 hours.", p.ResponseHeader.Get(header.AccessControlMaxAge))
	default:
		return Warning{}, false
	}
	return w, true
}

// actual warns of what is fragile in the response an allowed cross-origin call got.
func actual(tr *fetch.Trace, tool Tool) []Warning {
	if tr.Blocked {
		return nil
	}
	r := tr.LastOf(fetch.KindRequest)
	if r == nil || !r.CORS {
		return nil
	}
	var ws []Warning
	acao := r.ResponseHeader.Get(header.AccessControlAllowOrigin)
	if acao != "" && acao != "*" && !header.Varies(r.ResponseHeader.Values(header.Vary), header.Origin) {
		ws = append(ws, Warning{Check: WarnVary,
			Message: fmt.Sprintf("The response allows %s without 'Vary: Origin': unless the server sends this same value to every origin, a shared cache can serve this answer to another origin (and another origin's to this one).", acao),
			Fix:     "Add Vary: Origin to every response whose CORS headers depend on the Origin."})
	}
	if acao == "*" && r.ResponseHeader.Get(header.AccessControlAllowCredentials) == "true" {
		ws = append(ws, Warning{Check: WarnAllowOrigin, Message: fmt.Sprintf("The response has Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true: a credentialed call (%s) fails against it.", tool.Include)})
	}
	return ws
}

// unsentCookies warns that the browser's cookies stayed home: the credentials mode sends none cross-origin.
func unsentCookies(mode fetch.Credentials, tool Tool) Warning {
	why := "fetch()'s default credentials mode, same-origin, sends no cookie cross-origin"
	if mode == fetch.CredentialsOmit {
		why = "the credentials mode omit never sends cookies"
	}
	return Warning{Check: WarnCredentials,
		Message: fmt.Sprintf("%s without %s: %s, so the cookie was not sent.", tool.Cookie, tool.Include, why),
		Fix:     fmt.Sprintf("Add %s to call with credentials: \"include\".", tool.Include)}
}
