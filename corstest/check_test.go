package corstest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/corstest"
)

const page = "http://localhost:3000"

// app is the application behind every policy: 200, a JSON body and a header that is not safelisted.
var app = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Total-Count", "7")
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"ok":true}`)
})

// policy is app behind this module's middleware under opts.
func policy(t testing.TB, opts cors.Options) http.Handler {
	t.Helper()
	c, err := cors.New(opts)
	require.NoError(t, err)
	return c.Handler(app)
}

// hand is a hand-written CORS implementation: pre answers preflights, act sets the headers of every
// other response before app answers.
func hand(pre http.HandlerFunc, act func(h http.Header, r *http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			pre(w, r)
			return
		}
		act(w.Header(), r)
		app(w, r)
	})
}

// headers returns a preflight answer that sets kv (name, value, ...) with status 204; "$ORIGIN" stands
// for the request's Origin.
func headers(kv ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < len(kv); i += 2 {
			w.Header().Add(kv[i], strings.ReplaceAll(kv[i+1], "$ORIGIN", r.Header.Get("Origin")))
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

func reflect(creds bool, vary bool) func(h http.Header, r *http.Request) {
	return func(h http.Header, r *http.Request) {
		h.Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		if creds {
			h.Set("Access-Control-Allow-Credentials", "true")
		}
		if vary {
			h.Add("Vary", "Origin")
		}
	}
}

func json() http.Header { return http.Header{"Content-Type": {"application/json"}} }

func TestCheckGivesTheBrowsersVerdict(t *testing.T) {
	credentialed := cors.Options{
		AllowedOrigins: []string{page}, AllowedMethods: []string{"GET", "PUT"}, AllowedHeaders: []string{"Content-Type"},
		ExposedHeaders: []string{"X-Total-Count"}, AllowCredentials: true, MaxAge: time.Hour,
	}
	star := cors.Options{AllowedOrigins: []string{"*"}, AllowedHeaders: []string{"*"}}
	tests := []struct {
		name      string
		h         http.Handler
		call      corstest.Call
		blockedAt string // "" when allowed
		preflight bool
		readable  []string
		fix       string // a part of the deciding problem's fix
	}{
		{"a credentialed JSON PUT the policy grants is allowed, its exposed header readable", policy(t, credentialed),
			corstest.Call{Origin: page, Method: "PUT", URL: "/api/items/1", Header: json(), Credentials: "include"},
			"", true, []string{"content-length", "content-type", "x-total-count"}, ""},
		{"a simple GET needs no preflight", policy(t, credentialed),
			corstest.Call{Origin: page, URL: "/api/items"}, "", false, []string{"content-length", "content-type", "x-total-count"}, ""},
		{"a method the policy does not list fails at the preflight", policy(t, credentialed),
			corstest.Call{Origin: page, Method: "DELETE", URL: "/api/items/1"}, "preflight", true, nil, "DELETE in AllowedMethods"},
		{"fetch sends patch as written, which PATCH does not allow", policy(t, cors.Options{AllowedOrigins: []string{page}, AllowedMethods: []string{"PATCH"}}),
			corstest.Call{Origin: page, Method: "patch", URL: "/x"}, "preflight", true, nil, "patch in AllowedMethods"},
		{"a header the policy does not list fails at the preflight", policy(t, credentialed),
			corstest.Call{Origin: page, URL: "/x", Header: http.Header{"X-Token": {"1"}}}, "preflight", true, nil, "x-token in AllowedHeaders"},
		{"a lookalike origin reads nothing", policy(t, credentialed),
			corstest.Call{Origin: "http://localhost.evil.example:3000", URL: "/x", Credentials: "include"}, "request", false, nil, "to AllowedOrigins"},
		{"* lets any origin read without credentials", policy(t, star),
			corstest.Call{Origin: "https://anyone.example", URL: "/x", Header: http.Header{"X-Anything": {"1"}}}, "", true, []string{"content-length", "content-type"}, ""},
		{"* never answers a credentialed call", policy(t, star),
			corstest.Call{Origin: page, URL: "/x", Credentials: "include"}, "request", false, nil, `replace "*"`},
		{"* never covers Authorization", policy(t, star),
			corstest.Call{Origin: page, URL: "/x", Header: http.Header{"Authorization": {"Bearer t"}}}, "preflight", true, nil, "authorization in AllowedHeaders"},
		{"a hand-written * with credentials fails a credentialed call", hand(headers(), func(h http.Header, r *http.Request) {
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Access-Control-Allow-Credentials", "true")
		}), corstest.Call{Origin: page, URL: "/x", Credentials: "include"}, "request", false, nil, `replace "*"`},
		{"a router that answers OPTIONS with 405 fails the preflight", hand(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusMethodNotAllowed)
		}, reflect(true, true)), corstest.Call{Origin: page, Method: "PUT", URL: "/x"}, "preflight", true, nil, "your router answers OPTIONS before the middleware"},
		{"Access-Control-Allow-Origin with a trailing slash fails", hand(headers(), func(h http.Header, r *http.Request) {
			h.Set("Access-Control-Allow-Origin", r.Header.Get("Origin")+"/")
		}), corstest.Call{Origin: page, URL: "/x"}, "request", false, nil, "Remove the trailing slash"},
		{"with credentials, * in Access-Control-Allow-Methods is a method named *", hand(headers(
			"Access-Control-Allow-Origin", "$ORIGIN", "Access-Control-Allow-Credentials", "true", "Access-Control-Allow-Methods", "*"), reflect(true, true)),
			corstest.Call{Origin: page, Method: "DELETE", URL: "/x", Credentials: "include"}, "preflight", true, nil, "literally named '*'"},
		{"a call to the page's own origin needs no CORS", policy(t, credentialed),
			corstest.Call{Origin: "https://api.corstest.invalid", Method: "DELETE", URL: "/x"}, "", false, []string{"content-length", "content-type", "date", "vary", "x-total-count"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := corstest.Check(tt.h, tt.call)
			require.NoError(t, err)
			assert.Equal(t, tt.blockedAt == "", res.Allowed)
			assert.Equal(t, tt.blockedAt, res.BlockedAt)
			assert.Equal(t, tt.preflight, res.Preflight != nil, "whether a preflight was sent")
			assert.Equal(t, tt.readable, res.Readable)
			if tt.blockedAt == "" {
				assert.Empty(t, res.Problems)
				require.NotNil(t, res.Response)
				assert.NoError(t, res.Err())
				return
			}
			require.NotEmpty(t, res.Problems)
			assert.Contains(t, res.Problems[0].Fix, tt.fix)
			assert.Equal(t, tt.blockedAt == "request", res.Response != nil, "a response only when the preflight passed")
			require.Error(t, res.Err())
			assert.Contains(t, res.Err().Error(), res.Problems[0].Message)
		})
	}
}

func TestAPathIsCalledOnTheAPIOriginCrossSiteToThePage(t *testing.T) {
	res, err := corstest.Check(policy(t, cors.Options{AllowedOrigins: []string{page}, AllowedMethods: []string{"PUT"}}),
		corstest.Call{Origin: page, Method: "put", URL: "/api/items/1?x=1#frag"})
	require.NoError(t, err)
	require.True(t, res.Allowed, "%v", res.Err())
	for _, ex := range []*corstest.Exchange{res.Preflight, res.Response} {
		require.NotNil(t, ex)
		assert.Equal(t, "https://api.corstest.invalid/api/items/1?x=1", ex.Request.URL.String(), "the fragment never leaves the browser")
		assert.Equal(t, []string{page}, ex.Request.Header.Values("Origin"))
		assert.Equal(t, []string{"cross-site"}, ex.Request.Header.Values("Sec-Fetch-Site"))
	}
	assert.Equal(t, http.MethodOptions, res.Preflight.Request.Method)
	assert.Equal(t, []string{"PUT"}, res.Preflight.Request.Header.Values("Access-Control-Request-Method"), "fetch() upper-cases put")
	assert.Equal(t, "PUT", res.Response.Request.Method)
	assert.Equal(t, http.StatusNoContent, res.Preflight.Status)
	assert.Equal(t, http.StatusOK, res.Response.Status)
	assert.Equal(t, []string{page}, res.Response.Header.Values("Access-Control-Allow-Origin"))
}

func TestAnAbsoluteURLIsServedInProcessToo(t *testing.T) {
	h := policy(t, cors.Options{AllowedOrigins: []string{"https://app.example.com"}})
	res, err := corstest.Check(h, corstest.Call{Origin: "https://app.example.com", URL: "https://api.example.com:8443/x"})
	require.NoError(t, err)
	assert.True(t, res.Allowed)
	assert.Equal(t, []string{"same-site"}, res.Response.Request.Header.Values("Sec-Fetch-Site"), "app. and api.example.com are one site (same scheme, same registrable domain)")
}

func TestCheckRefusesACallNoPageCouldMake(t *testing.T) {
	h := policy(t, cors.Options{AllowedOrigins: []string{"*"}})
	ok := corstest.Call{Origin: page, URL: "/x"}
	with := func(edit func(c *corstest.Call)) corstest.Call { c := ok; edit(&c); return c }
	tests := []struct {
		name string
		call corstest.Call
		want string // a part of the error
	}{
		{"no origin", with(func(c *corstest.Call) { c.Origin = "" }), "origin is required"},
		{"an origin with a trailing slash", with(func(c *corstest.Call) { c.Origin = page + "/" }), "no path"},
		{"an origin in upper case", with(func(c *corstest.Call) { c.Origin = "HTTP://LOCALHOST:3000" }), "never sends"},
		{"an origin with its default port", with(func(c *corstest.Call) { c.Origin = "http://localhost:80" }), "never sends"},
		{"no URL", with(func(c *corstest.Call) { c.URL = "" }), "URL is required"},
		{"a relative path", with(func(c *corstest.Call) { c.URL = "api/items" }), "neither a path"},
		{"a scheme-relative URL", with(func(c *corstest.Call) { c.URL = "//api.example.com/x" }), "neither a path"},
		{"an ftp URL", with(func(c *corstest.Call) { c.URL = "ftp://api.example.com/x" }), "neither a path"},
		{"a URL with user information", with(func(c *corstest.Call) { c.URL = "https://u:p@api.example.com/x" }), "user information"},
		{"a URL whose host has a colon outside brackets", with(func(c *corstest.Call) { c.URL = "http://::" }), "character no host can"},
		{"a URL whose port is above 65535", with(func(c *corstest.Call) { c.URL = "https://api.example.com:65536/x" }), "above 65535"},
		{"a credentials mode in upper case", with(func(c *corstest.Call) { c.Credentials = "Include" }), "credentials mode"},
		{"an unknown credentials mode", with(func(c *corstest.Call) { c.Credentials = "cors" }), "credentials mode"},
		{"a forbidden method", with(func(c *corstest.Call) { c.Method = "trace" }), "forbidden method"},
		{"a method that is not a token", with(func(c *corstest.Call) { c.Method = "GET X" }), "not a method name"},
		{"a header name that is not a token", with(func(c *corstest.Call) { c.Header = http.Header{"X Y": {"1"}} }), "not a header name"},
		{"a header value with a line feed", with(func(c *corstest.Call) { c.Header = http.Header{"X-A": {"a\nb"}} }), "CR or LF"},
		{"a nil cookie", with(func(c *corstest.Call) { c.Cookies = []*http.Cookie{nil} }), "cookie 0 is nil"},
		{"a cookie no browser holds", with(func(c *corstest.Call) { c.Cookies = []*http.Cookie{{Name: "a b", Value: "1"}} }), "not a cookie a browser holds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := corstest.Check(h, tt.call)
			require.Error(t, err)
			assert.Nil(t, res)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "corstest: "), err.Error())
		})
	}
	_, err := corstest.Check(nil, ok)
	assert.ErrorContains(t, err, "needs a handler")
}

// redirector answers /start with a 302 to target, and every other path with h.
func redirector(target string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/start" {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			http.Redirect(w, r, target, http.StatusFound)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func TestCheckFollowsRedirectsOnTheAPIHostOnly(t *testing.T) {
	star := policy(t, cors.Options{AllowedOrigins: []string{"*"}})
	res, err := corstest.Check(redirector("/final", star), corstest.Call{Origin: page, URL: "/start"})
	require.NoError(t, err)
	assert.True(t, res.Allowed, "%v", res.Err())
	assert.Equal(t, "/final", res.Response.Request.URL.Path)
	assert.Equal(t, []string{page}, res.Response.Request.Header.Values("Origin"), "a redirect within one origin keeps the Origin")

	_, err = corstest.Check(redirector("https://elsewhere.example/final", star), corstest.Call{Origin: page, URL: "/start"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "redirected to elsewhere.example")
	assert.Contains(t, err.Error(), "use CheckURL")
}

// cookieJar records the Cookie line of each request it serves, then answers like the credentialed policy.
type cookieJar struct {
	seen []string
	h    http.Handler
}

func (j *cookieJar) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	j.seen = append(j.seen, r.Method+" "+r.Header.Get("Cookie"))
	j.h.ServeHTTP(w, r)
}

func TestCookiesGoOnlyWhereTheCredentialsModeSendsThem(t *testing.T) {
	opts := cors.Options{AllowedOrigins: []string{page}, AllowedMethods: []string{"PUT"}, AllowCredentials: true}
	session := []*http.Cookie{{Name: "session", Value: "abc"}}
	tests := []struct {
		credentials string
		want        []string // the Cookie line of the preflight, then of the request
		warned      bool
		why         string // what the warning says of the mode
	}{
		{"include", []string{"OPTIONS ", "PUT session=abc"}, false, ""},
		{"same-origin", []string{"OPTIONS ", "PUT "}, true, "fetch()'s default credentials mode, same-origin, sends no cookie cross-origin"},
		{"", []string{"OPTIONS ", "PUT "}, true, "fetch()'s default credentials mode, same-origin, sends no cookie cross-origin"},
		{"omit", []string{"OPTIONS ", "PUT "}, true, "the credentials mode omit never sends cookies"},
	}
	for _, tt := range tests {
		t.Run("credentials "+tt.credentials, func(t *testing.T) {
			j := &cookieJar{h: policy(t, opts)}
			res, err := corstest.Check(j, corstest.Call{Origin: page, Method: "PUT", URL: "/api/x", Credentials: tt.credentials, Cookies: session})
			require.NoError(t, err)
			assert.True(t, res.Allowed, "%v", res.Err())
			assert.Equal(t, tt.want, j.seen, "a preflight never carries cookies")
			warned := false
			for _, w := range res.Warnings {
				warned = warned || strings.Contains(w.Message, "the cookie was not sent") && strings.Contains(w.Fix, `Credentials: "include"`)
				if tt.why != "" {
					assert.Contains(t, w.Message, tt.why)
				}
			}
			assert.Equal(t, tt.warned, warned, "%+v", res.Warnings)
		})
	}
}

func TestACookieWithoutAPathGoesToTheWholeHostAndOneWithAPathOnlyThere(t *testing.T) {
	h := hand(headers(), reflect(true, true))
	redirecting := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/items/1" {
			reflect(true, true)(w.Header(), r)
			http.Redirect(w, r, "/other/x", http.StatusFound)
			return
		}
		h.ServeHTTP(w, r)
	})
	j := &cookieJar{h: redirecting}
	res, err := corstest.Check(j, corstest.Call{Origin: page, URL: "/api/items/1", Credentials: "include", Cookies: []*http.Cookie{
		{Name: "session", Value: "abc"},
		{Name: "admin", Value: "1", Path: "/admin"},
	}})
	require.NoError(t, err)
	require.True(t, res.Allowed, "%v", res.Err())
	assert.Equal(t, []string{"GET session=abc", "GET session=abc"}, j.seen, "the redirect to /other/x gets the session cookie too; /admin's cookie goes nowhere else")
}

func TestAForbiddenHeaderIsDroppedWithAWarning(t *testing.T) {
	j := &cookieJar{h: policy(t, cors.Options{AllowedOrigins: []string{page}})}
	res, err := corstest.Check(j, corstest.Call{Origin: page, URL: "/x", Header: http.Header{"Cookie": {"a=b"}, "Sec-Test": {"1"}}})
	require.NoError(t, err)
	assert.True(t, res.Allowed)
	assert.Nil(t, res.Preflight, "forbidden headers are dropped before the preflight decision")
	assert.Equal(t, []string{"GET "}, j.seen)
	require.Len(t, res.Warnings, 2)
	assert.Contains(t, res.Warnings[0].Message, "A page cannot set Cookie")
	assert.Contains(t, res.Warnings[0].Fix, "the Call's Cookies")
	assert.Contains(t, res.Warnings[1].Message, "A page cannot set Sec-Test")
}

func TestWarningsSayWhatWorksButIsFragile(t *testing.T) {
	tests := []struct {
		name    string
		h       http.Handler
		call    corstest.Call
		allowed bool
		warning string
	}{
		{"an origin reflected without Vary", hand(headers(), reflect(false, false)), corstest.Call{Origin: page, URL: "/x"}, true, "without 'Vary: Origin'"},
		{"a max-age of 0", policy(t, cors.Options{AllowedOrigins: []string{page}, AllowedMethods: []string{"PUT"}, MaxAge: -1}), corstest.Call{Origin: page, Method: "PUT", URL: "/x"}, true, "Access-Control-Max-Age is 0"},
		{"Authorization that only * covers, which engines still accept", hand(headers("Access-Control-Allow-Origin", "*", "Access-Control-Allow-Headers", "*"), reflect(false, true)),
			corstest.Call{Origin: page, URL: "/x", Header: http.Header{"Authorization": {"Bearer t"}}}, false, "Safari still let '*' cover Authorization"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := corstest.Check(tt.h, tt.call)
			require.NoError(t, err)
			assert.Equal(t, tt.allowed, res.Allowed)
			var msgs []string
			for _, w := range res.Warnings {
				msgs = append(msgs, w.Message)
			}
			assert.Contains(t, strings.Join(msgs, "\n"), tt.warning)
		})
	}
}

func TestMaxAgeWarningsFollowEachBrowsersCap(t *testing.T) {
	for maxAge, warning := range map[string]string{
		"5":              "",
		"7200":           "", // Chromium's cap
		"7201":           "Chromium caches a preflight for at most 2 hours (7200 s), Firefox for 24 hours",
		"86400":          "Chromium caches a preflight for at most 2 hours (7200 s), Firefox for 24 hours", // Firefox's cap
		"86401":          "Firefox caches a preflight for at most 24 hours and Chromium for 2 hours",
		"99999999999999": "Access-Control-Max-Age is 99999999999999 seconds", // as sent, however long
		"0":              "Access-Control-Max-Age is 0",
		"2h":             `Access-Control-Max-Age "2h" is not a number of seconds`,
	} {
		h := hand(headers("Access-Control-Allow-Origin", "$ORIGIN", "Access-Control-Allow-Methods", "PUT", "Access-Control-Max-Age", maxAge), reflect(false, true))
		res, err := corstest.Check(h, corstest.Call{Origin: page, Method: "PUT", URL: "/x"})
		require.NoError(t, err)
		require.True(t, res.Allowed, "%v", res.Err())
		var msgs []string
		for _, w := range res.Warnings {
			msgs = append(msgs, w.Message)
		}
		if warning == "" {
			assert.Empty(t, msgs, "max-age %s", maxAge)
			continue
		}
		assert.Contains(t, strings.Join(msgs, "\n"), warning, "max-age %s", maxAge)
	}
}

func TestAFailedPreflightsFixSaysWhatAnsweredIt(t *testing.T) {
	answer := func(status int, kv ...string) http.Handler {
		return hand(func(w http.ResponseWriter, r *http.Request) {
			for i := 0; i < len(kv); i += 2 {
				w.Header().Set(kv[i], kv[i+1])
			}
			if status/100 == 3 {
				w.Header().Set("Location", "/elsewhere/")
			}
			w.WriteHeader(status)
		}, reflect(false, true))
	}
	tests := []struct {
		name string
		h    http.Handler
		fix  string
	}{
		{"404: the router answered", answer(404), "The preflight got 404: your router answers OPTIONS before the middleware"},
		{"405: the router answered", answer(405), "The preflight got 405: your router answers OPTIONS before the middleware"},
		{"401 without CORS headers: authentication answered", answer(401), "The preflight got 401 without CORS headers"},
		{"403 without CORS headers: refused, or authentication answered", answer(403), "put the CORS middleware before authentication"},
		{"403 with CORS headers is just not a 2xx", answer(403, "Access-Control-Allow-Origin", page), "Answer the preflight with a 2xx status (204 is usual), not 403"},
		{"499 is not a 2xx", answer(499), "Answer the preflight with a 2xx status (204 is usual), not 499"},
		{"500: the server failed", answer(500), "The preflight got 500: the server failed on OPTIONS"},
		{"a redirect is never followed for a preflight", answer(308), `Browsers never follow a redirect for a preflight (this one goes to "/elsewhere/")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := corstest.Check(tt.h, corstest.Call{Origin: page, Method: "PUT", URL: "/x"})
			require.NoError(t, err)
			require.False(t, res.Allowed)
			require.NotEmpty(t, res.Problems)
			assert.Contains(t, res.Problems[0].Fix, tt.fix)
		})
	}
}

func TestAFailedResponsesFixSaysWhatItsAllowOriginLacks(t *testing.T) {
	status := func(code int, kv ...string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			for i := 0; i < len(kv); i += 2 {
				w.Header().Set(kv[i], kv[i+1])
			}
			w.WriteHeader(code)
		})
	}
	tests := []struct {
		name string
		h    http.Handler
		fix  string
	}{
		{"an error response without CORS headers", status(400), "The 400 response has no CORS headers: error responses need them too"},
		{"a 500 without CORS headers", status(500), "The 500 response has no CORS headers"},
		{"a success without CORS headers", status(299), "Add http://localhost:3000 to AllowedOrigins, and make sure the CORS middleware wraps the whole router"},
		{"a trailing slash", status(200, "Access-Control-Allow-Origin", page+"/"), "Remove the trailing slash: an origin has no path, so write http://localhost:3000."},
		{"another case", status(200, "Access-Control-Allow-Origin", "http://LOCALHOST:3000"), "Write the origin exactly as browsers send it, http://localhost:3000"},
		{"another origin", status(200, "Access-Control-Allow-Origin", "https://other.example"), "The server allows https://other.example, not http://localhost:3000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := corstest.Check(tt.h, corstest.Call{Origin: page, URL: "/x"})
			require.NoError(t, err)
			require.False(t, res.Allowed)
			require.NotEmpty(t, res.Problems)
			assert.Contains(t, res.Problems[0].Fix, tt.fix)
		})
	}
}

func TestCanReadAsksTheBrowserNotTheResponse(t *testing.T) {
	h := policy(t, cors.Options{AllowedOrigins: []string{page}, ExposedHeaders: []string{"X-Total-Count"}})
	res, err := corstest.Check(h, corstest.Call{Origin: page, URL: "/x"})
	require.NoError(t, err)
	assert.True(t, res.CanRead("X-Total-Count"), "exposed")
	assert.True(t, res.CanRead("x-total-count"), "in any case")
	assert.True(t, res.CanRead("Content-Type"), "safelisted")
	assert.False(t, res.CanRead("Vary"), "present but neither safelisted nor exposed")
	assert.False(t, res.CanRead("X-Missing"), "exposed names a header the response does not have")

	blocked, err := corstest.Check(h, corstest.Call{Origin: "https://evil.example", URL: "/x"})
	require.NoError(t, err)
	assert.False(t, blocked.CanRead("Content-Type"), "a blocked call reads nothing")
	assert.Empty(t, blocked.Readable)

	var none *corstest.Result
	assert.False(t, none.CanRead("Content-Type"), "a nil Result, as Allowed returns for a refused Call, reads nothing")
	assert.Error(t, none.Err())
}

func TestErrHoldsEveryProblemWithItsFix(t *testing.T) {
	// Every check fails: the origin, credentials, the method and two headers.
	h := hand(headers("Access-Control-Allow-Origin", "https://other.example", "Access-Control-Allow-Methods", "GET"), reflect(false, true))
	res, err := corstest.Check(h, corstest.Call{Origin: page, Method: "PUT", URL: "/x", Credentials: "include",
		Header: http.Header{"X-A": {"1"}, "X-B": {"2"}}})
	require.NoError(t, err)
	require.False(t, res.Allowed)
	require.Len(t, res.Problems, 4)
	text := res.Err().Error()
	assert.True(t, strings.HasPrefix(text, "the browser blocks PUT /x from http://localhost:3000 (credentials: include) at the preflight:"), text)
	for _, p := range res.Problems {
		assert.Contains(t, text, p.Message)
		assert.Contains(t, text, "fix: "+p.Fix)
	}
}
